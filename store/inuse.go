package store

import (
	"fmt"
	"path/filepath"
	"strings"
)

// InUseError is returned by Open when another process holds the data
// directory's lock: another ReliefMesh app or a hub running on the same
// directory. Dir is the data directory; Err is Badger's lock error.
type InUseError struct {
	Dir string
	Err error
}

// Error says which directory is in use and what to do, with Badger's error.
func (e *InUseError) Error() string {
	return fmt.Sprintf("data directory %s is in use by another program (another ReliefMesh app or hub is running on it): close it, or choose another directory with --data-dir: %v", e.Dir, e.Err)
}

// Unwrap returns Badger's lock error.
func (e *InUseError) Unwrap() error { return e.Err }

// lockedMessage reports whether Badger's error text says another process
// holds the directory lock (Badger has no sentinel error for it).
func lockedMessage(msg string) bool {
	return strings.Contains(msg, "Another process is using this Badger database") ||
		strings.Contains(msg, "Cannot acquire directory lock")
}

// inUse returns the *InUseError of the Badger directory dbDir (the data
// directory is its parent).
func inUse(dbDir string, err error) error {
	return &InUseError{Dir: filepath.Dir(dbDir), Err: err}
}
