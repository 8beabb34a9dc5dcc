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
	if m := s.snap.mapped; m != nil {
		if err := releaseSnapshotPages(m); err != nil {
			s.log.Warn("views snapshot's mapped pages not released after open", "file", SnapshotFile, "err", err)
		}
	}
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

// scanTrimEvery is how many bytes of records a full scan reads between two
// releases of Badger's mapped pages (scanTrim): it bounds the file-backed
// pages a scan of a large store keeps resident, which count in the peak RSS
// of the process.
const scanTrimEvery = 128 << 20

// scanTrim releases the pages of Badger's mapped files every scanTrimEvery
// bytes a full scan reads (releaseMapped), so that reading a database larger
// than that does not leave all of it resident. The zero value releases
// nothing. Not safe for concurrent use.
type scanTrim struct {
	dir  string // Badger's directory; "" releases nothing
	read int    // bytes read since the last release
}

// scanTrim returns a scanTrim for a full scan of s's database.
func (s *Store) scanTrim() *scanTrim {
	if !releaseMappedAfterOpen {
		return &scanTrim{}
	}
	return &scanTrim{dir: filepath.Join(s.dir, "db")}
}

// add counts n bytes read, releasing the mapped pages when scanTrimEvery
// were read since the last time. A failure is ignored here: trimAfterOpen
// reports it.
func (t *scanTrim) add(n int) {
	if t.read += n; t.dir == "" || t.read < scanTrimEvery {
		return
	}
	t.read = 0
	releaseMapped(t.dir)
}
