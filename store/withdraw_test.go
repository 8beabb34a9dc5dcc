package store

import (
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestWithdrawAgainstDeliveryAcrossStores is the tester's finding 1 on
// stores: the volunteer (store 2) owns a demand; apart, the coordinator
// (store 0) withdraws it and the volunteer records 60 received, in either
// order, and the changes arrive at each store in either order. Every store
// ends the same: the 60 kept (pending, or counted when recorded first), and
// the volunteer and the coordinator told.
func TestWithdrawAgainstDeliveryAcrossStores(t *testing.T) {
	for _, tc := range []struct {
		name          string
		withdrawFirst bool // the withdrawal is stamped first
		coordFirst    bool // the coordinator's change reaches the reviewer's store first
	}{
		{"withdraw first, arrives first", true, true},
		{"withdraw first, arrives last", true, false},
		{"delivery first, arrives last", false, true},
		{"delivery first, arrives first", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := newTrio(t, t.TempDir)
			defer tr.close()
			coord, rev, vol := tr.stores[0], tr.stores[1], tr.stores[2]
			spec := sampleDemand("四中安置点需要药品")
			spec.Items = []relief.Item{{Name: "N95", Unit: "盒"}}
			d, err := coord.RecordDemand(spec)
			if err != nil {
				t.Fatal(err)
			}
			act(t, coord, d.ID, relief.ActionApprove, relief.Args{})
			act(t, coord, d.ID, relief.ActionPublish, relief.Args{})
			tr.exchange(t)
			tr.clk.advance(time.Minute)
			act(t, vol, d.ID, relief.ActionClaim, relief.Args{})
			tr.exchange(t)
			tr.clk.advance(time.Minute)
			withdraw := func() { act(t, coord, d.ID, relief.ActionWithdraw, relief.Args{Note: "已统一配送"}) }
			delivery := func() { act(t, vol, d.ID, relief.ActionDeliver, received(60)) }
			if tc.withdrawFirst {
				withdraw()
				tr.clk.advance(time.Minute)
				delivery()
			} else {
				delivery()
				tr.clk.advance(time.Minute)
				withdraw()
			}
			if tc.coordFirst {
				send(t, coord, rev)
				send(t, vol, rev)
			} else {
				send(t, vol, rev)
				send(t, coord, rev)
			}
			tr.exchange(t)
			tr.checkConverged(t)
			now := tr.clk.now()
			for i, s := range tr.stores {
				got, err := s.Demand(d.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Status != relief.StatusWithdrawn || len(got.Deliveries) != 1 || got.Deliveries[0].Items[0].Qty != 60 {
					t.Fatalf("store %d: status %s, deliveries %+v; want withdrawn, the 60 kept", i, got.Status, got.Deliveries)
				}
				for _, m := range []ledger.DeviceID{vol.Device(), coord.Device()} {
					if !toldOf(t, s, m, now) {
						t.Errorf("store %d: %s is not told of the 60 on the withdrawn demand", i, m.Short())
					}
				}
			}
		})
	}
}

// toldOf reports whether member's inbox on s has a pending delivery or a
// withdrawal that names what was received.
func toldOf(t *testing.T, s *Store, member ledger.DeviceID, now time.Time) bool {
	t.Helper()
	ps, err := s.InboxOf(member, now, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		switch {
		case p.What == relief.ReplyDelivery && p.Notice.Delivery.Items[0].Qty == 60:
			return true
		case p.What == relief.ReplyWithdrawn && len(p.Notice.Withdrawal.Received) == 1 && p.Notice.Withdrawal.Received[0].Qty == 60:
			return true
		}
	}
	return false
}
