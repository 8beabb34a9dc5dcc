package store

import (
	"errors"
	"strings"
	"testing"
)

// TestOpenInUse: a data directory another process (here another Store of
// this process: Badger's lock is the same) holds is refused with an
// *InUseError naming the directory, not Badger's English lock message alone,
// and it is not mistaken for damage.
func TestOpenInUse(t *testing.T) {
	dir := t.TempDir()
	first, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	second, err := Open(dir, Options{})
	if err == nil {
		second.Close()
		t.Fatal("second Open of a directory in use = nil error; want it refused")
	}
	var inUse *InUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("second Open error %T %q; want an *InUseError", err, err)
	}
	if inUse.Dir != dir {
		t.Errorf("InUseError.Dir = %q; want the data directory %q", inUse.Dir, dir)
	}
	if errors.Is(err, ErrDamaged) {
		t.Errorf("a directory in use reported as damaged: %v", err)
	}
	if !strings.Contains(err.Error(), "in use") || !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q; want it to say the directory %s is in use", err, dir)
	}
}
