package store

import (
	"path/filepath"
	"runtime/debug"
)

// trimAfterOpen gives back what Open's folds of a large store leave resident
// but no query needs: the garbage of the folds (debug.FreeOSMemory: one
// collection, tens of milliseconds per 100 MB of heap) and the pages of
// Badger's memory-mapped files that the full scans touched (releaseMapped;
// the few records a query reads afterwards are read again from the page
// cache or the disk). A failure costs memory, not correctness: it is logged.
func (s *Store) trimAfterOpen() {
	debug.FreeOSMemory()
	if !releaseMappedAfterOpen {
		return
	}
	n, err := releaseMapped(filepath.Join(s.dir, "db"))
	if err != nil {
		s.log.Warn("memory-mapped database pages not released after open", "err", err)
		return
	}
	s.log.Debug("released memory-mapped database pages after open", "bytes", n)
}

// releaseMappedAfterOpen says whether trimAfterOpen releases Badger's mapped
// pages; BenchmarkOpenFixture turns it off to measure what it saves.
var releaseMappedAfterOpen = true
