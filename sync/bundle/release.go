package bundle

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/sync/changestream"
)

// ReleaseMagic starts the frame that announces a release carried after a
// bundle's changes (see the package documentation).
const ReleaseMagic = "RMRELEASE1"

// MaxReleaseSize is the largest release file a bundle may carry, in bytes.
const MaxReleaseSize = 512 << 20

// releaseChunk is the size of the frames that carry a release's bytes.
const releaseChunk = 1 << 20

// maxReleaseHeader bounds the release's header frame (its sums and
// signature are a few KiB).
const maxReleaseHeader = 1 << 20

// Release is a release file carried in a bundle: its name, size and
// SHA-256, with the release's SHA256SUMS and their signature
// (SHA256SUMS.minisig), which internal/release checks against the
// maintainers' keys. Sig may be empty (the sender had none): the reader
// says the release is unsigned.
type Release struct {
	Name   string `cbor:"1,keyasint"` // the file's base name, e.g. "reliefmesh-0.2.0-windows-amd64-installer.exe"
	Size   int64  `cbor:"2,keyasint"` // bytes, at most MaxReleaseSize
	SHA256 []byte `cbor:"3,keyasint"` // of the file, 32 bytes
	Sums   []byte `cbor:"4,keyasint"` // the release's SHA256SUMS file
	Sig    []byte `cbor:"5,keyasint"` // its minisign signature; empty when missing
}

// ErrNoRelease is returned by ReadRelease for a bundle that carries no
// release (every bundle written before releases could travel in one).
var ErrNoRelease = errors.New("the bundle carries no release")

// ErrReleaseDamaged is returned by ReadRelease when the release carried is
// cut short, malformed, or does not have the size or SHA-256 its header
// announces; nothing was kept.
var ErrReleaseDamaged = errors.New("the release carried in the bundle is damaged or cut short")

// WriteRelease appends to w, right after a bundle that Export wrote to it,
// the release file read from data (size bytes) with its sums and signature
// (sig may be nil). An older reader stops at the bundle's end frame and
// never reads it. Errors: size above MaxReleaseSize; data shorter or longer
// than size; w's errors.
func WriteRelease(w io.Writer, name string, data io.Reader, size int64, sums, sig []byte) error {
	if size <= 0 || size > MaxReleaseSize {
		return fmt.Errorf("carry release %s: %d bytes; at most %d MiB fit in a bundle", name, size, MaxReleaseSize>>20)
	}
	// Hash first: the header, which goes before the bytes, holds the hash.
	tmp, err := os.CreateTemp("", "rm-release-*")
	if err != nil {
		return fmt.Errorf("carry release %s: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(data, size+1))
	if err != nil {
		return fmt.Errorf("carry release %s: read it: %w", name, err)
	}
	if n != size {
		return fmt.Errorf("carry release %s: it has %d bytes, not %d", name, n, size)
	}
	rel := Release{Name: filepath.Base(name), Size: size, SHA256: h.Sum(nil), Sums: sums, Sig: sig}
	b, err := ledger.Marshal(rel)
	if err != nil {
		return fmt.Errorf("carry release %s: %w", name, err)
	}
	cw := changestream.NewWriter(w)
	if err := cw.WriteFrame(append([]byte(ReleaseMagic), b...)); err != nil {
		return fmt.Errorf("carry release %s: %w", name, err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("carry release %s: %w", name, err)
	}
	buf := make([]byte, releaseChunk)
	for {
		k, rerr := io.ReadFull(tmp, buf)
		if k > 0 {
			if err := cw.WriteFrame(buf[:k]); err != nil {
				return fmt.Errorf("carry release %s: %w", name, err)
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("carry release %s: %w", name, rerr)
		}
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("carry release %s: %w", name, err)
	}
	return nil
}

// safeName reports whether name can be written in a directory as it is:
// a base name, no separators, not "." or "..", no control characters.
func safeName(name string) bool {
	if name == "" || name == "." || name == ".." || len(name) > 255 || strings.ContainsAny(name, `/\:`) {
		return false
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// ReadRelease reads the bundle from r, skipping its changes (Import applies
// them), and writes the release it carries into dir under its name
// (replacing a file of that name only once whole and with the announced
// SHA-256). It returns the release's header and the file's path; what the
// release is worth is for internal/release to say (Check). Errors:
// ErrNotBundle; ErrNoRelease; ErrReleaseDamaged (wrapped, with what was
// wrong: cut short, a bad header or name, more than MaxReleaseSize, a size
// or SHA-256 other than announced), when nothing is kept; a bundle whose
// changes are cut short or damaged before the release; dir not writable.
func ReadRelease(r io.Reader, dir string) (Release, string, error) {
	var rel Release
	_, cr, err := readHeader(r)
	if err != nil {
		return rel, "", err
	}
	for {
		if _, err := cr.Next(); err == io.EOF {
			break
		} else if err != nil {
			return rel, "", fmt.Errorf("bundle before its release: %w", err)
		}
	}
	b, err := cr.ReadFrame(maxReleaseHeader)
	if err == io.EOF {
		return rel, "", ErrNoRelease
	}
	if err != nil {
		return rel, "", fmt.Errorf("%w: its header: %v", ErrReleaseDamaged, err)
	}
	if !bytes.HasPrefix(b, []byte(ReleaseMagic)) {
		return rel, "", fmt.Errorf("%w: unknown data after the bundle's changes", ErrReleaseDamaged)
	}
	if err := ledger.Unmarshal(b[len(ReleaseMagic):], &rel); err != nil {
		return rel, "", fmt.Errorf("%w: its header: %v", ErrReleaseDamaged, err)
	}
	switch {
	case !safeName(rel.Name):
		return rel, "", fmt.Errorf("%w: the file name %q cannot be used", ErrReleaseDamaged, rel.Name)
	case rel.Size <= 0 || rel.Size > MaxReleaseSize:
		return rel, "", fmt.Errorf("%w: %s announces %d bytes (at most %d MiB)", ErrReleaseDamaged, rel.Name, rel.Size, MaxReleaseSize>>20)
	case len(rel.SHA256) != sha256.Size:
		return rel, "", fmt.Errorf("%w: %s has no SHA-256", ErrReleaseDamaged, rel.Name)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return rel, "", fmt.Errorf("keep release %s: %w", rel.Name, err)
	}
	tmp, err := os.CreateTemp(dir, "."+rel.Name+".part-*")
	if err != nil {
		return rel, "", fmt.Errorf("keep release %s: %w", rel.Name, err)
	}
	defer os.Remove(tmp.Name()) // gone after the rename
	defer tmp.Close()
	h := sha256.New()
	got := int64(0)
	for got < rel.Size {
		chunk, err := cr.ReadFrame(releaseChunk)
		if err != nil {
			return rel, "", fmt.Errorf("%w: %s cut short after %d of %d bytes: %v", ErrReleaseDamaged, rel.Name, got, rel.Size, err)
		}
		if got+int64(len(chunk)) > rel.Size {
			return rel, "", fmt.Errorf("%w: %s holds more than the %d bytes announced", ErrReleaseDamaged, rel.Name, rel.Size)
		}
		if _, err := tmp.Write(chunk); err != nil {
			return rel, "", fmt.Errorf("keep release %s in %s: %w", rel.Name, dir, err)
		}
		h.Write(chunk)
		got += int64(len(chunk))
	}
	if !bytes.Equal(h.Sum(nil), rel.SHA256) {
		return rel, "", fmt.Errorf("%w: %s does not have the SHA-256 announced", ErrReleaseDamaged, rel.Name)
	}
	if err := errors.Join(tmp.Sync(), tmp.Close()); err != nil {
		return rel, "", fmt.Errorf("keep release %s in %s: %w", rel.Name, dir, err)
	}
	path := filepath.Join(dir, rel.Name)
	if err := os.Rename(tmp.Name(), path); err != nil {
		return rel, "", fmt.Errorf("keep release %s in %s: %w", rel.Name, dir, err)
	}
	return rel, path, nil
}
