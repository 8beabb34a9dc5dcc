//go:build !unix

package store

import "os"

// mapSnapshot reads the views snapshot at path into memory (mapped false):
// outside Unix a mapped file could not be replaced by the next snapshot
// while mapped (Windows refuses to rename over it). See
// snapshot_map_unix.go.
func mapSnapshot(path string) (b []byte, mapped bool, err error) {
	b, err = os.ReadFile(path)
	return b, false, err
}

// unmapSnapshot is never called outside Unix (nothing is mapped).
func unmapSnapshot(b []byte) error { return nil }

// releaseSnapshotPages does nothing outside Unix (nothing is mapped).
func releaseSnapshotPages(b []byte) error { return nil }
