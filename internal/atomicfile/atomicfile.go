// Package atomicfile writes a file whole or not at all: the content goes to a
// temporary file beside it, synced to disk, then renamed over it. A crash or
// an error at any point leaves either the old file or the new one, never a
// half-written one. (google/renameio does the same but does not build on
// Windows, which the hub and the app ship for.)
package atomicfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write writes the file at path with fill: fill writes the content into a
// temporary file in path's directory (named ".BASE.part-*"), which is then
// synced, given perm, and renamed over path; the directory is synced after
// (where the system can: Windows has no directory sync). On any error the
// temporary file is removed, path is as it was, and the error names path.
func Write(path string, perm fs.FileMode, fill func(w io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".part-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	err = fill(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), perm)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil { // best effort: the rename is durable once the directory is
		d.Sync()
		d.Close()
	}
	return nil
}

// WriteBytes is Write of data.
func WriteBytes(path string, data []byte, perm fs.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
