package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// TestWrite: a new file, a replaced one with its mode, and a failed write
// that leaves the old content and no temporary file behind.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "incidents.json")
	if err := WriteBytes(path, []byte("one\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(path, []byte("two\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "two\n" {
		t.Fatalf("content = %q, %v; want the second write", b, err)
	}
	if fi, err := os.Stat(path); err != nil || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600) {
		t.Errorf("mode = %v, %v; want 0600", fi.Mode(), err)
	}
	boom := errors.New("disk full")
	err := Write(path, 0o600, func(w io.Writer) error {
		w.Write([]byte("thr"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write with a failing fill = %v; want its error", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "two\n" {
		t.Errorf("content after a failed write = %q; want the old one whole", b)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("directory holds %d files after a failed write; want only the file (no temporary left)", len(es))
	}
	if err := WriteBytes(filepath.Join(dir, "no", "such", "dir"), nil, 0o600); err == nil {
		t.Errorf("WriteBytes into a missing directory = nil; want an error naming the path")
	}
}

// TestWriteSaysTheFolder: a write into a folder that does not exist named
// the temporary file ("open /nonexistent/dir/.x.xlsx.part-1428612275: no
// such file or directory": finding 8 of session 12). It names the folder,
// with a kind a caller can say in words; so does a path through a file, and
// a full disk, after which no temporary file is left.
func TestWriteSaysTheFolder(t *testing.T) {
	base := t.TempDir()
	missing := filepath.Join(base, "nonexistent", "dir")
	err := WriteBytes(filepath.Join(missing, "x.xlsx"), []byte("x"), 0o644)
	var e *Error
	if !errors.As(err, &e) || e.Kind != DirMissing || e.Dir != missing {
		t.Fatalf("write into a missing folder = %#v; want Kind %s, Dir %s", err, DirMissing, missing)
	}
	if want := "the folder " + missing + " does not exist"; !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), ".part-") {
		t.Errorf("message %q; want %q and no temporary file", err, want)
	}
	file := filepath.Join(base, "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	err = WriteBytes(filepath.Join(file, "x.csv"), []byte("x"), 0o644)
	if !errors.As(err, &e) || e.Kind != NotADir || !strings.Contains(err.Error(), file+" is not a folder") {
		t.Errorf("write under a file = %v; want %s", err, NotADir)
	}
	// a disk that fills while the bulletin is written
	dir := t.TempDir()
	err = Write(filepath.Join(dir, "b.xlsx"), 0o644, func(w io.Writer) error {
		w.Write([]byte("part"))
		return &fs.PathError{Op: "write", Path: filepath.Join(dir, ".b.xlsx.part-1"), Err: syscall.ENOSPC}
	})
	if !errors.As(err, &e) || e.Kind != DiskFull || !strings.Contains(err.Error(), "is full: nothing was written") {
		t.Errorf("write on a full disk = %v; want %s", err, DiskFull)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Errorf("left after a full disk: %v; want nothing", es)
	}
}

// TestKindOf: permission denied and a read-only disk are a folder not
// writable (root, which runs these tests, is never denied, so the system's
// errors are given here).
func TestKindOf(t *testing.T) {
	dir := t.TempDir()
	for err, want := range map[error]string{
		&fs.PathError{Op: "open", Path: dir + "/.x.part-1", Err: syscall.EACCES}:  DirNotWritable,
		&fs.PathError{Op: "open", Path: dir + "/.x.part-1", Err: syscall.EROFS}:   DirNotWritable,
		&fs.PathError{Op: "write", Path: dir + "/.x.part-1", Err: syscall.ENOSPC}: DiskFull,
		&fs.PathError{Op: "open", Path: dir + "/.x.part-1", Err: syscall.EIO}:     "",
	} {
		if got := kindOf(err, dir); got != want {
			t.Errorf("kindOf(%v) = %q; want %q", err, got, want)
		}
	}
	e := &Error{Path: dir + "/x.csv", Dir: dir, Kind: DirNotWritable, Err: &fs.PathError{Op: "open", Path: dir + "/.x.part-1", Err: syscall.EACCES}}
	if want := "the folder " + dir + " cannot be written (permission denied)"; !strings.Contains(e.Error(), want) {
		t.Errorf("%q; want %q", e.Error(), want)
	}
}

// TestNotADirNamesTheFileInTheWay: a write to /a/f.txt/sub/x.csv, f.txt a
// file, said "/a/f.txt/sub is not a folder", a path that does not exist.
// It names the file in the way, the first path going up that exists.
func TestNotADirNamesTheFileInTheWay(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "f.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteBytes(filepath.Join(file, "sub", "x.csv"), []byte("x"), 0o644)
	var e *Error
	if !errors.As(err, &e) || e.Kind != NotADir || e.Dir != file {
		t.Fatalf("write under a file two levels up = %v (%#v); want Kind %s, Dir %s", err, e, NotADir, file)
	}
	if want := file + " is not a folder"; !strings.HasSuffix(err.Error(), want) {
		t.Errorf("message %q; want it to end %q", err, want)
	}
}
