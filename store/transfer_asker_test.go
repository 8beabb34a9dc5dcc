package store

import (
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestTransferEntryAskerAfterTransfer: the demand's inbox entry
// (demandEntry) names the asker of a transfer request (its rare field By,
// and the by index the asker's inbox reads). Once the owner accepts, the
// asker owns it and no request is left under the asker's name, on every
// store; when the former owner asks back, the entry names the new asker,
// not the one before, and is due to the new owner.
func TestTransferEntryAskerAfterTransfer(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	id := claimedDemand(t, tr)
	vol, rev := tr.stores[2].Device(), tr.stores[1].Device()
	request := func(by *Store) {
		t.Helper()
		act(t, by, id, relief.ActionRequestTransfer, relief.Args{Note: "we are closer",
			Until: tr.clk.now().Add(relief.DefaultDeadlines().Transfer).UnixMilli()})
	}
	transfers := func(s *Store, m ledger.DeviceID) []relief.Pending {
		var out []relief.Pending
		for _, p := range whats(t, s, m, id, tr.clk.now()) {
			if p.What == relief.ReplyTransfer {
				out = append(out, p)
			}
		}
		return out
	}

	tr.clk.advance(time.Hour)
	request(tr.stores[1]) // the reviewer asks the volunteer
	tr.exchange(t)
	for i, s := range tr.stores {
		if got := transfers(s, rev); len(got) != 1 || got[0].By != rev || got[0].To != vol {
			t.Fatalf("store %d: the asker's transfer entries = %+v; want one by the reviewer, to the volunteer", i, got)
		}
	}

	tr.clk.advance(time.Hour)
	act(t, tr.stores[2], id, relief.ActionAcceptTransfer, relief.Args{To: rev})
	tr.exchange(t)
	for i, s := range tr.stores {
		if got := transfers(s, rev); len(got) != 0 {
			t.Errorf("store %d: after the transfer, the former asker's transfer entries = %+v; want none", i, got)
		}
		if e, ok := mainEntry(s, id); !ok || !e.by().IsZero() || e.To != rev {
			t.Errorf("store %d: demand entry after the transfer = %+v; want the new owner's, no asker", i, e)
		}
		if n := len(slices.Collect(byOf(s.views.inbox.snap(), rev))); n != 0 {
			t.Errorf("store %d: by index of the former asker holds %d entries; want none", i, n)
		}
	}

	tr.clk.advance(time.Hour)
	request(tr.stores[2]) // the former owner asks back
	tr.exchange(t)
	for i, s := range tr.stores {
		got := transfers(s, vol)
		if len(got) != 1 || got[0].By != vol || got[0].To != rev {
			t.Errorf("store %d: the new asker's transfer entries = %+v; want one by the volunteer, to the reviewer", i, got)
		}
		if e, ok := mainEntry(s, id); !ok || e.by() != vol || e.What != relief.ReplyTransfer {
			t.Errorf("store %d: demand entry = %+v; want the transfer request by the volunteer", i, e)
		}
	}
}

// mainEntry returns the main inbox entry of demand id as the inbox holds or
// makes it (demandEntryOf: a follow-up is made from the demand's row); false
// when it waits on nobody.
func mainEntry(s *Store, id string) (*inboxEntry, bool) {
	s.idx.mu.RLock()
	r, _ := s.idx.t.row(id)
	s.idx.mu.RUnlock()
	if r == nil {
		return nil, false
	}
	e := demandEntryOf(s.views.inbox.snap(), r, s.views.storeSteps)
	return &e, e.What != ""
}
