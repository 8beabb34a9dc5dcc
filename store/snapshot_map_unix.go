//go:build unix

package store

import (
	"os"

	"golang.org/x/sys/unix"
)

// mapSnapshot returns the bytes of the views snapshot at path, mapped
// read-only from the file (mapped true) so that the list views an open
// leaves in it (unpackChunkViews in place) cost the process no heap: their
// pages are the file's, resident only while read and given back to the
// page cache by releaseSnapshotPages. A file that cannot be mapped is read
// instead (mapped false). Errors: the file cannot be opened or read
// (fs.ErrNotExist when there is none).
//
// The snapshot file is never written in place (writeSnapshot renames a new
// file over it), so the mapped bytes never change under the rows that
// point into them.
func mapSnapshot(path string) (b []byte, mapped bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, false, err
	}
	if size := fi.Size(); size > 0 && size == int64(int(size)) {
		if b, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED); err == nil {
			return b, true, nil
		}
	}
	b, err = os.ReadFile(path)
	return b, false, err
}

// unmapSnapshot unmaps what mapSnapshot mapped, when nothing points into it.
func unmapSnapshot(b []byte) error { return unix.Munmap(b) }

// releaseSnapshotPages drops the mapped snapshot's pages from the process's
// resident set (MADV_DONTNEED: they stay in the page cache, and a read
// brings a page back): the open read the whole file (its checksum, the rows'
// keys) and the second step every list view (the duplicate-key view), but
// an idle app reads only the pages a screen shows.
func releaseSnapshotPages(b []byte) error { return unix.Madvise(b, unix.MADV_DONTNEED) }
