package replicate_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/changestream"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// everyone is a roster that admits every peer, for a stranger's host.
type everyone struct{ self ledger.DeviceID }

func (e everyone) Member(d ledger.DeviceID) (relief.Member, bool) {
	return relief.Member{Key: d, Role: relief.RoleVolunteer}, true
}
func (e everyone) Device() ledger.DeviceID { return e.self }

// TestCatchUpRefusesForeignGenesis: a newcomer that joined a network and
// holds nothing dials a stranger (as it would find one on the local network)
// that answers catch-up with a genesis of its own, carrying the network's
// id, before the real network's changes (which it relays). The newcomer
// refuses the stranger's feed as foreign_genesis, counts it in its status,
// and takes the real network.
func TestCatchUpRefusesForeignGenesis(t *testing.T) {
	st := newStores(t, 1)
	founder := st[0]
	for i := range 3 {
		if _, err := founder.RecordDemand(demand(fmt.Sprintf("real %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	net, _ := founder.Network()
	var real []*ledger.Change
	founder.ChangesSince(nil, func(c *ledger.Change) error { real = append(real, c); return nil })

	// The stranger's feed: a genesis founding "net.ID", dated before the real
	// one, and a demand.
	sid, skey, err := ledger.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	early := real[0].Stamp.Time().Add(-time.Hour)
	a, err := ledger.NewAuthor(skey, net.ID, ledger.Head{}, ledger.NewHLC(func() time.Time { return early }, 0))
	if err != nil {
		t.Fatal(err)
	}
	gop, _, err := relief.Found(sid, "stranger", []byte("nonce"))
	if err != nil {
		t.Fatal(err)
	}
	dop, _ := relief.SetFields(relief.KindDemand, store.NewID(), map[string]any{relief.FieldTitle: "stranger's", relief.FieldCategory: "other"})
	g, _ := a.Next([]ledger.Op{gop})
	d, _ := a.Next([]ledger.Op{dop})
	forged := append([]*ledger.Change{g, d}, real...)
	announce := ledger.VersionVector{}
	for _, c := range forged {
		announce.Set(c.Device, c.Seq)
	}

	rogue, err := p2p.New(skey, everyone{sid}, p2p.Config{Listen: []string{"/ip4/127.0.0.1/tcp/0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer rogue.Close()
	rogue.Libp2p().SetStreamHandler(replicate.ProtocolID, func(s network.Stream) {
		defer s.Close()
		s.SetDeadline(time.Now().Add(10 * time.Second))
		w, r := changestream.NewWriter(s), changestream.NewReader(s)
		b, _ := ledger.Marshal(wireHello{Network: net.ID, VV: announce, Limit: 1 << 20})
		w.WriteFrame(b)
		w.Flush()
		if _, err := r.ReadFrame(1 << 20); err != nil {
			return
		}
		for _, c := range forged {
			w.WriteChange(c)
		}
		w.End()
		b, _ = ledger.Marshal(struct {
			VV ledger.VersionVector `cbor:"1,keyasint"`
		}{announce})
		w.WriteFrame(b)
		w.Flush()
		io.Copy(io.Discard, s)
	})

	newcomer, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { newcomer.Close() })
	if err := newcomer.JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}
	nn := startNode(t, "newcomer", newcomer, replicate.Config{Interval: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := nn.h.ConnectInfo(ctx, peer.AddrInfo{ID: rogue.ID(), Addrs: rogue.Libp2p().Addrs()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "the newcomer takes the real network and refuses the stranger's", func() error {
		if got := newcomer.Status().Rejected[string(ledger.ReasonForeignGenesis)]; got != 2 {
			return fmt.Errorf("Status().Rejected[foreign_genesis] = %d; want the stranger's 2", got)
		}
		if got, want := newcomer.VersionVector(), founder.VersionVector(); !got.Equal(want) {
			return fmt.Errorf("version vector %v; want the real network's %v", got, want)
		}
		return nil
	})
	for _, m := range newcomer.Members() {
		if m.Genesis && m.Key != founder.Device() {
			t.Errorf("genesis member %s; want the founder %s", m.Key.Short(), founder.Device().Short())
		}
	}
}
