// Package atomicfile writes a file whole or not at all: the content goes to a
// temporary file beside it, synced to disk, then renamed over it. A crash or
// an error at any point leaves either the old file or the new one, never a
// half-written one. (google/renameio does the same but does not build on
// Windows, which the hub and the app ship for.)
package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Kinds of failure a person can act on (Error.Kind).
const (
	// DirMissing: the folder the file goes in does not exist.
	DirMissing = "dir_missing"
	// NotADir: a part of the folder's path is a file, not a folder.
	NotADir = "not_a_dir"
	// DirNotWritable: the folder (or the disk) may not be written by this
	// user (permission denied, a read-only disk).
	DirNotWritable = "dir_not_writable"
	// DiskFull: the disk ran out of space while writing.
	DiskFull = "disk_full"
)

// Error is a failed Write: Path is the file asked for, Dir its folder
// (for NotADir the file in the way: the first path going up from the
// folder that exists, /a/f.txt of /a/f.txt/sub/x.csv), Kind one of
// DirMissing, NotADir, DirNotWritable, DiskFull or "" (another error, Err).
// Nothing was written under Path and the temporary file was removed. Its
// text names Path and Dir, never the temporary file.
type Error struct {
	Path string
	Dir  string
	Kind string
	Err  error
}

func (e *Error) Error() string {
	switch e.Kind {
	case DirMissing:
		return "write " + e.Path + ": the folder " + e.Dir + " does not exist"
	case NotADir:
		return "write " + e.Path + ": " + e.Dir + " is not a folder"
	case DirNotWritable:
		return "write " + e.Path + ": the folder " + e.Dir + " cannot be written (" + cause(e.Err) + ")"
	case DiskFull:
		return "write " + e.Path + ": the disk of " + e.Dir + " is full: nothing was written (the temporary file is removed)"
	}
	return "write " + e.Path + ": " + e.Err.Error()
}

// Unwrap returns the system's error.
func (e *Error) Unwrap() error { return e.Err }

// cause is err's last words, without the paths before them ("permission
// denied" of "open /a/.b.part-1: permission denied").
func cause(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	return err.Error()
}

// diskFull are the system's errors of a full disk (Windows adds its own:
// atomicfile_windows.go).
var diskFull = []syscall.Errno{syscall.ENOSPC}

// kindOf says which Kind err is, for a file in dir.
func kindOf(err error, dir string) string {
	for _, e := range diskFull {
		if errors.Is(err, e) {
			return DiskFull
		}
	}
	switch {
	case errors.Is(err, syscall.ENOTDIR):
		return NotADir
	case errors.Is(err, fs.ErrNotExist):
		if _, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
			return DirMissing
		}
	case errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS):
		return DirNotWritable
	}
	return ""
}

// newError is the Error of err, a failed write of path into dir.
func newError(path, dir string, err error) *Error {
	kind := kindOf(err, dir)
	if kind == NotADir {
		dir = inTheWay(dir)
	}
	return &Error{Path: path, Dir: dir, Kind: kind, Err: err}
}

// inTheWay names the file that stands where a folder of dir's path should
// be: the first path going up from dir that exists, when it is no folder;
// dir itself when there is none such.
func inTheWay(dir string) string {
	for d := dir; ; {
		if fi, err := os.Stat(d); err == nil {
			if fi.IsDir() {
				return dir
			}
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return dir
		}
		d = up
	}
}

// Write writes the file at path with fill: fill writes the content into a
// temporary file in path's directory (named ".BASE.part-*"), which is then
// synced, given perm, and renamed over path; the directory is synced after
// (where the system can: Windows has no directory sync). On any error the
// temporary file is removed, path is as it was, and the error is an *Error
// naming path and its folder (a folder missing or not writable, a full disk
// told by its Kind).
func Write(path string, perm fs.FileMode, fill func(w io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".part-*")
	if err != nil {
		return newError(path, dir, err)
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
		return newError(path, dir, err)
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
