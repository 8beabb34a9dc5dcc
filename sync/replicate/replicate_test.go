package replicate_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

func TestLineABC(t *testing.T) {
	st := newStores(t, 3)
	a := startNode(t, "A", st[0], replicate.Config{})
	b := startNode(t, "B", st[1], replicate.Config{})
	c := startNode(t, "C", st[2], replicate.Config{})
	connect(t, a, b)
	connect(t, c, b)
	d, err := a.st.RecordDemand(demand("协和医院急需 N95"))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "demand made on A visible on C", func() error {
		_, err := c.st.Demand(d.ID)
		return err
	})
	if got := a.h.Libp2p().Network().Connectedness(c.h.ID()); got.String() == "Connected" {
		t.Errorf("A and C got connected directly; the test wants them apart")
	}
	waitFor(t, 20*time.Second, "all in sync", sameVV(a, b, c))
	for _, n := range []*node{a, b, c} {
		for _, ps := range n.r.Status() {
			if ps.Connected && (ps.Kind != "lan") {
				t.Errorf("%s: peer %s kind %q; want lan (loopback)", n.name, ps.Device.Short(), ps.Kind)
			}
		}
	}
	// "synced" only once the vectors are equal and exchanged.
	waitFor(t, 20*time.Second, "B shows A and C as synced", func() error {
		for _, ps := range b.r.Status() {
			if !ps.Synced || ps.WeLack != 0 || ps.TheyLack != 0 || ps.LastExchange.IsZero() {
				return fmt.Errorf("B's status of %s: %+v", ps.Device.Short(), ps)
			}
		}
		return nil
	})
}

func TestPartitionThenHeal(t *testing.T) {
	// 0 coordinator, 1 volunteer (group X); 2 volunteer, 3 reviewer (group Y).
	st := newStores(t, 4, relief.RoleVolunteer, relief.RoleVolunteer, relief.RoleReviewer)
	n := []*node{
		startNode(t, "X-coord", st[0], replicate.Config{}),
		startNode(t, "X-vol", st[1], replicate.Config{}),
		startNode(t, "Y-vol", st[2], replicate.Config{}),
		startNode(t, "Y-rev", st[3], replicate.Config{}),
	}
	connect(t, n[0], n[1])
	connect(t, n[2], n[3])
	connect(t, n[0], n[2])
	connect(t, n[1], n[3])

	d, err := n[0].st.RecordDemand(demand("方舱医院 防护服"))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []relief.Action{relief.ActionApprove, relief.ActionPublish} {
		var args relief.Args
		if a == relief.ActionApprove { // an approval says how the demand was verified
			args.Evidence = &relief.Evidence{Kind: relief.EvidenceCallback, At: 1}
		}
		op, err := relief.Transition(relief.KindDemand, d.ID, a, args)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n[0].st.ApplyLocal([]ledger.Op{op}); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	waitFor(t, 20*time.Second, "published demand everywhere", func() error {
		for _, x := range n {
			if got, err := x.st.Demand(d.ID); err != nil || got.Status != relief.StatusPublished {
				return fmt.Errorf("%s: %v %v", x.name, got.Status, err)
			}
		}
		return nil
	})

	// Partition X | Y.
	disconnect(n[0], n[2])
	disconnect(n[1], n[3])
	claim := func(x *node) {
		op, err := relief.Transition(relief.KindDemand, d.ID, relief.ActionClaim, relief.Args{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.st.ApplyLocal([]ledger.Op{op}); err != nil {
			t.Fatalf("%s claim: %v", x.name, err)
		}
	}
	claim(n[1])
	claim(n[2])
	for i, x := range n {
		for j := range 5 {
			if _, err := x.st.RecordDemand(demand(fmt.Sprintf("%s demand %d", x.name, j))); err != nil && i != 3 {
				t.Fatal(err)
			}
		}
	}
	waitFor(t, 20*time.Second, "each side in sync within itself", func() error {
		if err := sameVV(n[0], n[1])(); err != nil {
			return err
		}
		return sameVV(n[2], n[3])()
	})
	if sameVV(n[0], n[2])() == nil {
		t.Fatal("the partition leaked")
	}
	for _, x := range n {
		if got, _ := x.st.Demand(d.ID); len(got.Conflicts) != 0 || got.Owner.IsZero() {
			t.Fatalf("%s before healing: owner %v conflicts %v; want its side's claim, no conflict", x.name, got.Owner.Short(), got.Conflicts)
		}
	}

	// Heal.
	connect(t, n[0], n[2])
	connect(t, n[1], n[3])
	waitFor(t, 30*time.Second, "healed: same version vectors", sameVV(n...))
	want, err := n[0].st.StateHash()
	if err != nil {
		t.Fatal(err)
	}
	var owner ledger.DeviceID
	for _, x := range n {
		if h, _ := x.st.StateHash(); h != want {
			t.Errorf("%s: StateHash %v; want %v", x.name, h, want)
		}
		got, err := x.st.Demand(d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if owner.IsZero() {
			owner = got.Owner
		}
		if got.Owner != owner || (owner != st[1].Device() && owner != st[2].Device()) {
			t.Errorf("%s: owner %s; want one of the claimants, the same everywhere", x.name, got.Owner.Short())
		}
		var lost []relief.Conflict
		for _, c := range got.Conflicts {
			if c.Action == relief.ActionClaim {
				lost = append(lost, c)
			}
		}
		if len(lost) != 1 || lost[0].By == owner || lost[0].Winner != owner {
			t.Errorf("%s: claim conflicts %v; want the losing claim, lost to %s", x.name, lost, owner.Short())
		}
	}
}
