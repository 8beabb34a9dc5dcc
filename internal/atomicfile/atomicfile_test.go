package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
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
