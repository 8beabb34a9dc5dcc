package app

import (
	"errors"

	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/reliefmesh/reliefmesh/internal/release"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// Outcomes of ReleaseView.
const (
	ReleaseVerified = "verified" // signed by a trusted key and listed: may be saved
	ReleaseRefused  = "refused"  // not verified: Problem says why; the file was removed
	ReleaseDamaged  = "damaged"  // cut short or altered in the bundle: nothing kept
)

// ReleaseView is a release a bundle carried (bundle.ReadRelease), checked
// against the maintainers' keys (internal/release). Nothing is installed:
// a verified release is kept until the person saves it (SaveRelease) or
// ignores it (IgnoreRelease); one that is not verified is removed at once.
type ReleaseView struct {
	Present bool   `json:"present"` // the bundle carried a release
	Name    string `json:"name"`    // its file name
	Size    int64  `json:"size"`    // bytes
	Outcome string `json:"outcome"` // ReleaseVerified, ReleaseRefused or ReleaseDamaged
	// Problem is, for ReleaseRefused, release.Problem*: no_signature,
	// unknown_key, bad_signature, not_listed or no_keys.
	Problem string `json:"problem"`
	Version string `json:"version"` // the signature's trusted comment, e.g. "reliefmesh 0.2.0"
	KeyID   string `json:"keyId"`   // the signing key's id (verified only)
	Detail  string `json:"detail"`  // the verdict in English words, for Details
}

// releasesDir is where a carried release waits to be saved or ignored.
func (a *App) releasesDir() string { return filepath.Join(a.DataDir, "releases") }

// carriedRelease reads and checks the release the bundle at path carries;
// the zero ReleaseView when it carries none.
func (a *App) carriedRelease(path string) ReleaseView {
	f, err := os.Open(path)
	if err != nil {
		return ReleaseView{}
	}
	defer f.Close()
	rel, kept, err := bundle.ReadRelease(f, a.releasesDir())
	if errors.Is(err, bundle.ErrNoRelease) {
		return ReleaseView{}
	}
	v := ReleaseView{Present: true, Name: rel.Name, Size: rel.Size}
	if err != nil {
		v.Outcome, v.Detail = ReleaseDamaged, err.Error()
		return v
	}
	keys, err := release.Maintainers()
	keys = append(keys, a.releaseKeys...)
	var verdict release.Verdict
	if err == nil {
		verdict, err = release.Check(kept, rel.Sums, rel.Sig, keys)
	}
	if err != nil {
		os.Remove(kept)
		v.Outcome, v.Detail = ReleaseDamaged, err.Error()
		return v
	}
	v.Detail, v.Version = verdict.Words(), verdict.Comment
	if verdict.Outcome != release.Verified {
		os.Remove(kept)
		v.Outcome, v.Problem = ReleaseRefused, verdict.Problem
		return v
	}
	v.Outcome, v.KeyID = ReleaseVerified, verdict.Key.ID()
	return v
}

// keptRelease returns the path of the verified release name waiting in the
// releases directory. Errors: CodeNotFound when none of that name waits
// (ignored, saved and ignored, or never verified); CodeInvalid for a name
// that is not a file name.
func (a *App) keptRelease(name string) (string, error) {
	if name == "" || filepath.Base(name) != name || name == "." || name == ".." {
		return "", fieldError(CodeInvalid, "name", "release %q: not a file name", name)
	}
	path := filepath.Join(a.releasesDir(), name)
	if _, err := os.Stat(path); err != nil {
		return "", fieldError(CodeNotFound, "name", "release %s: no longer kept (ignored?)", name)
	}
	return path, nil
}

// SaveRelease asks where to save the verified release name (a file
// dialog) and copies it there, for the person to install. It returns the
// path saved to, "" when canceled. Errors: those of SaveReleaseTo.
func (s *NetworkService) SaveRelease(name string) (string, error) {
	if _, err := s.a.keptRelease(name); err != nil {
		return "", err
	}
	path, err := runtime.SaveFileDialog(s.a.ctx, runtime.SaveDialogOptions{DefaultFilename: name})
	if err != nil || path == "" {
		return "", nil
	}
	return path, s.SaveReleaseTo(name, path)
}

// SaveReleaseTo copies the verified release name to path (written whole or
// not at all). Errors: CodeNotFound, CodeInvalid (keptRelease); CodeStorage
// naming the file.
func (s *NetworkService) SaveReleaseTo(name, path string) error {
	from, err := s.a.keptRelease(name)
	if err != nil {
		return err
	}
	src, err := os.Open(from)
	if err != nil {
		return fieldError(CodeStorage, "path", "read release %s: %v", from, err)
	}
	defer src.Close()
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-*")
	if err != nil {
		return fieldError(CodeStorage, "path", "save release to %s: %v", path, err)
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, src)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o755) // an installer or a binary, to run
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fieldError(CodeStorage, "path", "save release to %s: %v", path, err)
	}
	return nil
}

// IgnoreRelease removes the release name kept from a bundle (nothing when
// it is no longer kept). Errors: CodeInvalid for a name that is not a file
// name; CodeStorage naming the file.
func (s *NetworkService) IgnoreRelease(name string) error {
	if name == "" || filepath.Base(name) != name || name == "." || name == ".." {
		return fieldError(CodeInvalid, "name", "release %q: not a file name", name)
	}
	path := filepath.Join(s.a.releasesDir(), name)
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fieldError(CodeStorage, "name", "remove release %s: %v", path, err)
	}
	return nil
}
