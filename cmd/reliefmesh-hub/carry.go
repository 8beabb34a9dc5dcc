package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/reliefmesh/reliefmesh/internal/release"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// checkRelease checks, before a bundle is written, what appendRelease will
// carry: the release file rel can be read, the sums (beside it unless
// given) are a SHA256SUMS file and the signature, when there is one, is a
// minisign signature that, when its key is one this device trusts (the
// maintainers' and keyFiles), verifies over the sums. A signature by a key
// this device does not know cannot be checked here: it is carried and warn
// is told which key the other site needs. Errors name the file and what is
// wrong, in sp's language.
func checkRelease(warn io.Writer, rel, sumsPath, sigPath string, keyFiles []string, sp speaker) error {
	if sumsPath == "" {
		sumsPath = filepath.Join(filepath.Dir(rel), release.SumsFile)
	}
	if sigPath == "" {
		sigPath = sumsPath + ".minisig"
	}
	f, err := os.Open(rel)
	if err != nil {
		return errors.New(sp.t("release.nofile", rel, err))
	}
	h := sha256.New()
	_, err = io.Copy(h, f)
	f.Close()
	if err != nil {
		return errors.New(sp.t("release.nofile", rel, err))
	}
	sums, err := os.ReadFile(sumsPath)
	if err != nil {
		return errors.New(sp.t("release.nosums", sumsPath, err))
	}
	listed, err := release.ParseSums(sums)
	if err != nil {
		return errors.New(sp.t("release.badsums", sumsPath, err))
	}
	// the file must be the one the sums list: a wrong or damaged copy would
	// make the trip on the stick for nothing (the other site refuses it)
	name, got := filepath.Base(rel), hex.EncodeToString(h.Sum(nil))
	i := slices.IndexFunc(listed, func(x release.Sum) bool { return filepath.Base(x.Name) == name })
	switch {
	case i < 0:
		return errors.New(sp.t("release.notlisted", name, sumsPath))
	case listed[i].SHA256 != got:
		return errors.New(sp.t("release.mismatch", rel, sumsPath))
	}
	sig, err := os.ReadFile(sigPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // carried unsigned, and said so (appendRelease)
	}
	if err != nil {
		return errors.New(sp.t("release.nosig", sigPath, err))
	}
	keyID, err := release.ParseSignature(sig)
	if err != nil {
		return errors.New(sp.t("release.badsig", sigPath, err))
	}
	keys, err := trustedKeys(keyFiles, sp)
	if err != nil {
		return err
	}
	v, err := release.Check(rel, sums, sig, keys)
	if err != nil {
		return errors.New(sp.t("release.nofile", rel, err))
	}
	switch v.Problem {
	case release.ProblemBadSignature:
		return errors.New(sp.t("release.sigother", sigPath, sumsPath))
	case release.ProblemUnknownKey, release.ProblemNoKeys:
		fmt.Fprintln(warn, sp.t("release.sigunknown", sigPath, keyID))
	}
	return nil
}

// appendRelease appends the release file rel, with the release's sums and
// signature (beside it unless given), to the bundle at out, so that a site
// no network reaches can update from the stick. On failure the bundle is cut
// back to what it was (its changes still import). A missing signature is
// carried as missing (the reader says the release is unsigned) and said.
func appendRelease(warn io.Writer, out, rel, sumsPath, sigPath string, sp speaker) error {
	if sumsPath == "" {
		sumsPath = filepath.Join(filepath.Dir(rel), release.SumsFile)
	}
	if sigPath == "" {
		sigPath = sumsPath + ".minisig"
	}
	sums, err := os.ReadFile(sumsPath)
	if err != nil {
		return sp.errorf("carry.nosums", release.SumsFile, err)
	}
	sig, err := os.ReadFile(sigPath)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintln(warn, sp.t("carry.unsigned", sigPath))
	} else if err != nil {
		return sp.errorf("carry.sig", err)
	}
	data, err := os.Open(rel)
	if err != nil {
		return sp.errorf("carry.err", err)
	}
	defer data.Close()
	fi, err := data.Stat()
	if err != nil {
		return sp.errorf("carry.err", err)
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return sp.errorf("carry.add", out, err)
	}
	before, err := f.Seek(0, io.SeekEnd)
	if err == nil {
		err = bundle.WriteRelease(f, filepath.Base(rel), data, fi.Size(), sums, sig)
	}
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		f.Truncate(before)
		f.Close()
		return sp.errorf("carry.addkept", out, err)
	}
	return f.Close()
}

// carriedRelease reads the release the bundle at path carries (if any)
// into dir, checks it against the maintainers' keys and says what it found.
// Nothing is installed: a verified release is kept in dir for a person to
// install; one that is not verified, or damaged, is removed, and the words
// say why. keyFiles are minisign public key files trusted besides the
// maintainers' (named as not theirs). It returns the verdict (nil when the
// bundle carries none).
func carriedRelease(w io.Writer, path, dir string, keyFiles []string, sp speaker) (*release.Verdict, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rel, kept, err := bundle.ReadRelease(f, dir)
	if errors.Is(err, bundle.ErrNoRelease) {
		return nil, nil
	}
	if err != nil {
		fmt.Fprintln(w, sp.t("release.damaged", err))
		return nil, err
	}
	keys, err := trustedKeys(keyFiles, sp)
	if err != nil {
		os.Remove(kept)
		return nil, err
	}
	v, err := release.Check(kept, rel.Sums, rel.Sig, keys)
	if err != nil {
		os.Remove(kept)
		return nil, err
	}
	fmt.Fprintln(w, sp.t("release.verdict", verdictWords(v, sp)))
	if v.Outcome == release.Verified {
		fmt.Fprintln(w, sp.t("release.kept", kept))
	} else {
		os.Remove(kept)
		fmt.Fprintln(w, sp.t("release.removed", rel.Name))
	}
	return &v, nil
}

// trustedKeys returns the maintainers' keys and those of keyFiles.
func trustedKeys(keyFiles []string, sp speaker) ([]release.Key, error) {
	keys, err := release.Maintainers()
	if err != nil {
		return nil, err
	}
	for _, kf := range keyFiles {
		text, err := os.ReadFile(kf)
		if err != nil {
			return nil, sp.errorf("carry.key", err)
		}
		more, err := release.ParseKeys(text, kf)
		if err != nil {
			return nil, sp.errorf("carry.key", err)
		}
		keys = append(keys, more...)
	}
	return keys, nil
}

// verdictWords says v in sp's language (release.Verdict.Words in English).
func verdictWords(v release.Verdict, sp speaker) string {
	if sp.lang == langEN {
		return v.Words()
	}
	if v.Outcome == release.Verified {
		who := sp.t("verdict.key", v.Key.ID())
		if v.Key.Origin != "maintainers" {
			who = sp.t("verdict.other", v.Key.ID(), v.Key.Origin)
		}
		return sp.t("verdict.ok", v.File, v.Listed, v.Comment, who, v.SHA256)
	}
	return sp.t("verdict.bad", sp.t("problem."+v.Problem), v.File)
}
