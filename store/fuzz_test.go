package store

import (
	"math/rand/v2"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// FuzzApplyRemote decodes arbitrary bytes as a change and applies whatever
// decodes to an in-memory store: it must never panic nor fail to write, and
// the state must not change unless the change was applied.
func FuzzApplyRemote(f *testing.F) {
	clk := newClock()
	s, err := Open(f.TempDir(), Options{InMemory: true, Clock: clk.now})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	// The network is founded by a key from a fixed seed with a fixed nonce,
	// so that it is the same on every run and the committed corpus
	// (testdata/fuzz/FuzzApplyRemote) holds changes of this network.
	founderID, founderKey, err := ledger.GenerateKey(rand.NewChaCha8([32]byte{'f', 'o', 'u', 'n', 'd'}))
	if err != nil {
		f.Fatal(err)
	}
	found, network, err := relief.Found(founderID, "coordinator", []byte("fuzz"))
	if err != nil {
		f.Fatal(err)
	}
	if err := s.JoinNetwork(network); err != nil {
		f.Fatal(err)
	}
	founder, err := ledger.NewAuthor(founderKey, network, ledger.Head{}, ledger.NewHLC(clk.now, ledger.DefaultMaxDrift))
	if err != nil {
		f.Fatal(err)
	}
	p := newPeerTB(f, network, clk)
	endorse, err := relief.Endorse(p.id, relief.RoleVolunteer, "p")
	if err != nil {
		f.Fatal(err)
	}
	genesis, _ := founder.Next([]ledger.Op{found})
	endorsed, _ := founder.Next([]ledger.Op{endorse})
	if res, err := s.ApplyRemote([]*ledger.Change{genesis, endorsed}); err != nil || res.Applied != 2 {
		f.Fatalf("ApplyRemote(genesis, endorsement) = %+v, %v", res, err)
	}
	for _, c := range []*ledger.Change{p.next(f, "first"), p.next(f, "second")} {
		b, _ := ledger.Encode(c)
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	for _, c := range all0(f, s) {
		b, _ := ledger.Encode(c)
		f.Add(b)
	}
	f.Add([]byte{0xa0})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ledger.Decode(b)
		if err != nil {
			return
		}
		before, err := s.StateHash()
		if err != nil {
			t.Fatal(err)
		}
		vv := s.VersionVector()
		res, err := s.ApplyRemote([]*ledger.Change{c})
		if err != nil {
			t.Fatalf("ApplyRemote(%x) = %v; want no store error", b, err)
		}
		if res.Applied == 0 {
			if after, _ := s.StateHash(); after != before || !s.VersionVector().Equal(vv) {
				t.Fatalf("ApplyRemote(%x) = %+v changed the store; want it unchanged", b, res)
			}
		}
	})
}

// fuzzPeer authors changes for FuzzApplyRemote's seeds.
type fuzzPeer struct {
	id     ledger.DeviceID
	author *ledger.Author
}

func newPeerTB(f *testing.F, network string, clk *fakeClock) *fuzzPeer {
	id, key, err := ledger.GenerateKey(fixedRand{})
	if err != nil {
		f.Fatal(err)
	}
	a, err := ledger.NewAuthor(key, network, ledger.Head{}, ledger.NewHLC(clk.now, ledger.DefaultMaxDrift))
	if err != nil {
		f.Fatal(err)
	}
	return &fuzzPeer{id: id, author: a}
}

func (p *fuzzPeer) next(f *testing.F, title string) *ledger.Change {
	op, err := relief.SetFields(relief.KindDemand, "demand-"+title, map[string]any{relief.FieldTitle: title})
	if err != nil {
		f.Fatal(err)
	}
	c, err := p.author.Next([]ledger.Op{op})
	if err != nil {
		f.Fatal(err)
	}
	return c
}

func all0(f *testing.F, s *Store) []*ledger.Change {
	var out []*ledger.Change
	if err := s.ChangesSince(nil, func(c *ledger.Change) error { out = append(out, c); return nil }); err != nil {
		f.Fatal(err)
	}
	return out
}

// fixedRand is a deterministic key source, so that seeds are the same each run.
type fixedRand struct{}

func (fixedRand) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = byte(i*7 + 1)
	}
	return len(b), nil
}
