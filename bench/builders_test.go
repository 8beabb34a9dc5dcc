package bench

import (
	"testing"
	"time"

	"github.com/dgraph-io/ristretto/v2/z"
)

// TestBadgerBuilders checks that BadgerBuilders counts the table builders
// (z.Allocators tagged as Badger's table builder tags them) and no other
// allocator, and that waitBuilders returns the count still held when its
// wait runs out and 0 once they are released (rmingest -settle).
func TestBadgerBuilders(t *testing.T) {
	if n := BadgerBuilders(); n != 0 {
		t.Fatalf("before: %d builders held; want 0 (no store open)", n)
	}
	a := z.NewAllocator(1024, "TableBuilder")
	b := z.NewAllocator(1024, "TableBuilder")
	b.Tag = "Builder" // as table.NewTableBuilder retags its allocator
	other := z.NewAllocator(1024, "Stream.Iterate")
	defer other.Release()
	if n := BadgerBuilders(); n != 2 {
		t.Fatalf("two builders and a stream's allocator: counted %d; want 2 (z.Allocators: %q)", n, z.Allocators())
	}
	if n := waitBuilders(0); n != 2 {
		t.Fatalf("waitBuilders(0) with two held: %d; want 2", n)
	}
	a.Release()
	if n := BadgerBuilders(); n != 1 {
		t.Fatalf("one released: counted %d; want 1", n)
	}
	b.Release()
	if n := waitBuilders(time.Minute); n != 0 {
		t.Fatalf("both released: waitBuilders returned %d; want 0", n)
	}
}
