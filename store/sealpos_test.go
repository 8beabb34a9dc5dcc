package store

import (
	"slices"
	"testing"

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
