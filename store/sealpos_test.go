package store

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestPositionCacheForgetDropsOneEntry: a forget of one demand while an
// open is in flight makes the open not keep that demand's position, and
// keeps the others it opened; a reset keeps none; the forgets are not
// remembered once no open is in flight.
func TestPositionCacheForgetDropsOneEntry(t *testing.T) {
	var c positionCache
	ids := []string{"a", "b", "c"}
	opened := []openedPosition{{relief.Position{Lat: 1}, true}, {relief.Position{Lat: 2}, true}, {relief.Position{Lat: 3}, true}}
	look := func() ([]*relief.Position, []int) {
		out, at := make([]*relief.Position, len(ids)), make([]relief.Position, len(ids))
		return out, c.lookup(ids, out, at, nil)
	}
	gen := c.begin()
	c.forget(nil, []string{"b"}) // b's row replaced while the open ran
	c.fill(gen, ids, opened)
	out, miss := look()
	if !slices.Equal(miss, []int{1}) || out[0] == nil || out[0].Lat != 1 || out[2] == nil || out[2].Lat != 3 {
		t.Fatalf("after a forget of b during the open: miss %v, a %v, c %v; want b missing, a and c kept", miss, out[0], out[2])
	}
	if c.dropped != nil || c.inflight != 0 {
		t.Errorf("no open in flight, yet %d forgets kept (inflight %d)", len(c.dropped), c.inflight)
	}
	gen = c.begin()
	c.reset()
	c.fill(gen, ids, opened)
	if _, miss := look(); len(miss) != len(ids) {
		t.Fatalf("after a reset during the open: miss %v; want every demand", miss)
	}
	// a forget before the open began does not concern it
	c.forget(nil, []string{"a"})
	gen = c.begin()
	c.fill(gen, ids, opened)
	if _, miss := look(); len(miss) != 0 {
		t.Fatalf("an open begun after the forget: miss %v; want none", miss)
	}
}

// TestCloseWaitsForBackgroundOpeners: Close stops the background openers of
// sealed positions and returns only after they did (they read Badger, which
// Close closes); the queue they leave is not opened.
func TestCloseWaitsForBackgroundOpeners(t *testing.T) {
	s := openStore(t, t.TempDir(), newClock())
	ids := make([]string, 10*openChunk)
	for i := range ids {
		ids[i] = fmt.Sprintf("demand-%d", i) // none exists: each is opened as nothing
	}
	entered, release := make(chan struct{}, 1), make(chan struct{})
	chunks := atomic.Int32{}
	beforeOpenChunk = func() {
		if chunks.Add(1) == 1 {
			entered <- struct{}{}
		}
		<-release
	}
	t.Cleanup(func() { beforeOpenChunk = nil })
	if _, opening, err := s.OpenedPositionsWithin(ids, 0); err != nil || len(opening) != len(ids) || !opening[0] {
		t.Fatalf("OpenedPositionsWithin(%d ids, budget 0) = %d opening, %v; want every one opening", len(ids), len(opening), err)
	}
	<-entered // an opener is about to open its first chunk
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while a background opener was still running", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if err := <-closed; err != nil {
		t.Fatalf("Close = %v", err)
	}
	if n, most := chunks.Load(), max(1, runtime.GOMAXPROCS(0)-1); n > int32(most) {
		t.Errorf("%d chunks begun; want the openers (%d at most) to stop after their first (the store closed)", n, most)
	}
	buf := make([]byte, 1<<20)
	if stacks := string(buf[:runtime.Stack(buf, true)]); strings.Contains(stacks, "backgroundOpener") {
		t.Errorf("a background opener is left after Close:\n%s", stacks)
	}
}
