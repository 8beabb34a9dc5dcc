package store

import (
	"reflect"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestAuthorityOrderIndependent: a reviewer edits a demand, is demoted to
// observer, edits it again unaware, is promoted back and edits once more; an
// observer edits it too. Three stores receive the same changes in different
// orders (the demotion and the promotion back together after the edits, in
// between, first; one batch): all end with the same records and the same
// demand, whose fields hold only the edits their authors were allowed to make
// at their positions, the refused ones as conflicts in the inbox of their
// author and of the coordinators.
func TestAuthorityOrderIndependent(t *testing.T) {
	clk := newClock()
	coord := openStore(t, t.TempDir(), clk)
	n, err := coord.CreateNetwork("net", "coordinator")
	if err != nil {
		t.Fatal(err)
	}
	op := must[ledger.Op](t)
	p := newPeer(t, n.ID, clk.now)
	o := newPeer(t, n.ID, clk.now)
	if err := coord.Endorse(p.id, relief.RoleReviewer, "p"); err != nil {
		t.Fatal(err)
	}
	if err := coord.Endorse(o.id, relief.RoleObserver, "o"); err != nil {
		t.Fatal(err)
	}
	d := must[relief.Demand](t)(coord.RecordDemand(sampleDemand("协和医院")))
	base := all(t, coord)
	edit := func(who *peer, field string, v any) *ledger.Change {
		clk.advance(time.Minute)
		return who.ops(t, op(relief.SetFields(relief.KindDemand, d.ID, map[string]any{field: v})))
	}
	e1 := edit(p, relief.FieldDescription, "p as reviewer") // stands
	clk.advance(time.Minute)
	applyOps(t, coord, op(relief.Promote(p.id, relief.RoleObserver)))
	demotion := all(t, coord)[len(base):]
	e2 := edit(p, relief.FieldAddress, "p as observer")        // refused
	eo := edit(o, relief.FieldUrgency, relief.UrgencyCritical) // refused
	clk.advance(time.Minute)
	applyOps(t, coord, op(relief.Promote(p.id, relief.RoleReviewer)))
	promotion := all(t, coord)[len(base)+len(demotion):]
	e3 := edit(p, relief.FieldRequesterOrg, "p as reviewer again") // stands
	edits := []*ledger.Change{e1, e2, eo, e3}
	roster := append(append([]*ledger.Change{}, demotion...), promotion...)

	cat := func(parts ...[]*ledger.Change) [][]*ledger.Change { return parts }
	orders := []struct {
		name    string
		batches [][]*ledger.Change
	}{
		{"roster changes last, in one batch", cat(base, edits, roster)},
		{"roster changes between the edits", cat(base, edits[:1], demotion, edits[1:3], promotion, edits[3:])},
		{"roster changes first", cat(base, roster, edits)},
		{"one batch, edits first", cat(append(append(append([]*ledger.Change{}, edits...), roster...), base...))},
	}
	type outcome struct {
		hash   ledger.Hash
		demand relief.Demand
	}
	var want *outcome
	for _, or := range orders {
		t.Run(or.name, func(t *testing.T) {
			s := openStore(t, t.TempDir(), clk)
			if err := s.JoinNetwork(n.ID); err != nil {
				t.Fatal(err)
			}
			for _, b := range or.batches {
				if _, err := s.ApplyRemote(b); err != nil {
					t.Fatalf("ApplyRemote(%d changes) = %v; want no error", len(b), err)
				}
			}
			got, err := s.Demand(d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Description != "p as reviewer" || got.RequesterOrg != "p as reviewer again" || got.Address != d.Address || got.Urgency != d.Urgency {
				t.Errorf("Demand = description %q, org %q, address %q, urgency %s; want the reviewer's two edits only",
					got.Description, got.RequesterOrg, got.Address, got.Urgency)
			}
			refused := map[ledger.DeviceID]string{}
			for _, c := range got.Conflicts {
				if c.Action == relief.ActionEdit && c.Reason == relief.ReasonRole {
					refused[c.By] = c.Field
				}
			}
			if len(got.Conflicts) != 2 || refused[p.id] != relief.FieldAddress || refused[o.id] != relief.FieldUrgency {
				t.Errorf("Demand conflicts = %v; want p's address and o's urgency refused for their role", got.Conflicts)
			}
			// the list row (folded as changes came) agrees with a fold from Badger
			if ds := s.DemandsByID([]string{d.ID}); len(ds) != 1 || ds[0].Description != got.Description || ds[0].RequesterOrg != got.RequesterOrg {
				t.Errorf("DemandsByID = %+v; want the row of Demand", ds)
			}
			now := clk.now()
			for who, member := range map[string]ledger.DeviceID{"p": p.id, "o": o.id, "coordinator": coord.Device()} {
				entries, err := s.InboxOf(member, now, 0)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, e := range entries {
					if e.What == relief.ReplyConflict && e.ID == d.ID {
						n++
					}
				}
				wantN := map[string]int{"p": 1, "o": 1, "coordinator": 2}[who]
				if n != wantN {
					t.Errorf("InboxOf(%s) has %d conflict entries for the demand; want %d", who, n, wantN)
				}
			}
			checkConsistent(t, s)
			h, _ := s.StateHash()
			out := &outcome{h, got}
			if want == nil {
				want = out
			} else if !reflect.DeepEqual(out, want) {
				t.Errorf("outcome differs from the first order's:\n%+v\n%+v", out, want)
			}
		})
	}
}
