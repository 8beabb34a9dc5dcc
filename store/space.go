package store

import (
	"errors"
	"fmt"
)

// DefaultMinFree is the free space the data directory must have before the
// store applies a run or a local change, when Options.MinFree is 0: two of
// Badger's value log files (a new one may be created and one rewritten by GC)
// plus 64 MiB for memtable flushes, compactions and the manifest. Below it
// Badger may fault (SIGBUS) in its memory-mapped files when the disk fills.
const DefaultMinFree = 2*valueLogFileSize + 64<<20

// valueLogFileSize is the size of one Badger value log file (badgerOptions).
const valueLogFileSize = 64 << 20

// ErrDiskFull is wrapped by *DiskFullError: errors.Is(err, ErrDiskFull) tells
// a write refused for lack of space.
var ErrDiskFull = errors.New("disk full")

// DiskFullError says that the store refused to write because its data
// directory has less free space than it needs. Nothing was written; reads go
// on, and writes work again once space is freed.
type DiskFullError struct {
	Dir  string // the data directory
	Free uint64 // bytes free for this process on its filesystem
	Need uint64 // bytes the store keeps free (Options.MinFree)
}

// Error says how much is free, how much is needed and where.
func (e *DiskFullError) Error() string {
	return fmt.Sprintf("disk full: %s has %s free, the store needs %s; free space on that disk (or move the data directory) and try again",
		e.Dir, FormatBytes(e.Free), FormatBytes(e.Need))
}

// Unwrap returns ErrDiskFull.
func (e *DiskFullError) Unwrap() error { return ErrDiskFull }

// FormatBytes writes n bytes as a short binary size: "512 B", "3.0 MiB", "1.2 GiB".
func FormatBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

// checkSpace returns a *DiskFullError when the data directory has less than
// s.minFree bytes free; nil when it has enough, when the check is disabled
// (Options.MinFree < 0 or an in-memory store) or when statfs fails (logged:
// a failing statfs must not stop a store that may well have space).
func (s *Store) checkSpace() error {
	if s.minFree <= 0 {
		return nil
	}
	free, err := FreeSpace(s.dir)
	if err != nil {
		s.log.Warn("cannot check free space", "err", err)
		return nil
	}
	if free < uint64(s.minFree) {
		return &DiskFullError{Dir: s.dir, Free: free, Need: uint64(s.minFree)}
	}
	return nil
}

// CheckSpace returns a *DiskFullError (errors.Is ErrDiskFull) when the data
// directory has less free space than the store needs to write, else nil. The
// desk asks it before an import, so that a file is refused before its first
// record rather than in the middle.
func (s *Store) CheckSpace() error { return s.checkSpace() }

// resolveMinFree returns the free space Open keeps: Options.MinFree, or
// DefaultMinFree when it is 0; 0 (no check) in memory or when negative.
func resolveMinFree(o Options) int64 {
	switch {
	case o.InMemory || o.MinFree < 0:
		return 0
	case o.MinFree == 0:
		return DefaultMinFree
	}
	return o.MinFree
}
