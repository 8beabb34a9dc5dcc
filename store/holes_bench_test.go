package store

import (
	"crypto/rand"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// BenchmarkHoles measures Holes, which catch-up runs once when it starts and
// after each refill, on a store of 50,000 changes in one feed.
func BenchmarkHoles(b *testing.B) {
	clk := newClock()
	s, err := Open(b.TempDir(), Options{Clock: clk.now})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	n, _ := s.CreateNetwork("net", "coordinator")
	id, key, err := ledger.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	author, err := ledger.NewAuthor(key, n.ID, ledger.Head{}, ledger.NewHLC(clk.now, 0))
	if err != nil {
		b.Fatal(err)
	}
	s.Endorse(id, relief.RoleVolunteer, "p")
	const total = 50_000
	for done := 0; done < total; {
		batch := make([]*ledger.Change, 0, 1000)
		for range 1000 {
			op, err := relief.SetFields(relief.KindDemand, NewID(), map[string]any{relief.FieldTitle: "d", relief.FieldCategory: "other"})
			if err != nil {
				b.Fatal(err)
			}
			c, err := author.Next([]ledger.Op{op})
			if err != nil {
				b.Fatal(err)
			}
			batch = append(batch, c)
		}
		if _, err := s.ApplyRemote(batch); err != nil {
			b.Fatal(err)
		}
		done += len(batch)
	}
	b.ResetTimer()
	for b.Loop() {
		if h, err := s.Holes(); err != nil || len(h) != 0 {
			b.Fatalf("Holes() = %v, %v", h, err)
		}
	}
}
