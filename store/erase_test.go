package store

import (
	mrand "math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestEraseJudgedInFold: a volunteer and a reviewer erase a demand's
// contacts, and so does a volunteer later promoted to coordinator, before
// the promotion; none of these may erase. Three stores receive the changes
// in random orders: on every one the contacts stay (in the view and in the
// stored record), the demand records no erasure, and each refused erase is a
// conflict (Action erase, Reason role) in the inbox of its author and of the
// coordinators. Then a coordinator erases: on every store the contacts are
// gone from the view and from the stored record, the erasure is the
// coordinator's, and the three stores agree.
func TestEraseJudgedInFold(t *testing.T) {
	clk := newClock()
	coord := openStore(t, t.TempDir(), clk)
	n, err := coord.CreateNetwork("net", "coordinator")
	if err != nil {
		t.Fatal(err)
	}
	op := must[ledger.Op](t)
	vol := newPeer(t, n.ID, clk.now)
	rev := newPeer(t, n.ID, clk.now)
	late := newPeer(t, n.ID, clk.now) // a volunteer promoted to coordinator after its erase
	c2 := newPeer(t, n.ID, clk.now)
	for _, e := range []struct {
		p    *peer
		role relief.Role
	}{{vol, relief.RoleVolunteer}, {rev, relief.RoleReviewer}, {late, relief.RoleVolunteer}, {c2, relief.RoleCoordinator}} {
		if err := coord.Endorse(e.p.id, e.role, "m"); err != nil {
			t.Fatal(err)
		}
	}
	in := sampleDemand("协和医院")
	const phone = "+8613912345678"
	in.Contacts = []relief.Contact{{Name: "张联系人", Phone: phone}}
	d := must[relief.Demand](t)(coord.RecordDemand(in))
	base := all(t, coord)
	erase := func(p *peer, why string) *ledger.Change {
		clk.advance(time.Minute)
		return p.ops(t, op(relief.Erase(relief.KindDemand, d.ID, why)))
	}
	refused := []*ledger.Change{erase(vol, "vol"), erase(rev, "rev"), erase(late, "late")}
	clk.advance(time.Minute)
	applyOps(t, coord, op(relief.Promote(late.id, relief.RoleCoordinator)))
	promotion := all(t, coord)[len(base):]
	refused = append(refused, promotion...)
	allowed := erase(c2, "求助人要求删除")

	type outcome struct {
		hash   ledger.Hash
		demand relief.Demand
	}
	var want *outcome
	for run := range 3 {
		t.Run("", func(t *testing.T) {
			s := openStore(t, t.TempDir(), clk)
			if err := s.JoinNetwork(n.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ApplyRemote(base); err != nil {
				t.Fatal(err)
			}
			order := slices.Clone(refused)
			mrand.New(mrand.NewPCG(uint64(run), 15)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			for _, c := range order {
				if _, err := s.ApplyRemote([]*ledger.Change{c}); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.Demand(d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Contacts) != 1 || got.Contacts[0].Phone != phone || got.Erased != nil {
				t.Fatalf("after erase ops by non-coordinators: contacts %v, erased %+v; want the contacts kept, no erasure", got.Contacts, got.Erased)
			}
			if _, ok := record(t, s, relief.KindDemand, d.ID).Fields[relief.FieldContacts]; !ok {
				t.Fatal("the stored record lost its contacts to erase ops by non-coordinators")
			}
			by := map[ledger.DeviceID]relief.Reason{}
			for _, c := range got.Conflicts {
				if c.Action == "erase" {
					by[c.By] = c.Reason
				}
			}
			if len(by) != 3 || by[vol.id] != relief.ReasonRole || by[rev.id] != relief.ReasonRole || by[late.id] != relief.ReasonRole {
				t.Fatalf("erase conflicts %v; want vol's, rev's and late's refused for their role", by)
			}
			for who, member := range map[string]ledger.DeviceID{"vol": vol.id, "coordinator": coord.Device()} {
				entries, err := s.InboxOf(member, clk.now(), 0)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, e := range entries {
					if e.What == relief.ReplyConflict && e.ID == d.ID {
						n++
					}
				}
				if wantN := map[string]int{"vol": 1, "coordinator": 3}[who]; n != wantN {
					t.Errorf("InboxOf(%s) has %d conflict entries for the demand; want %d", who, n, wantN)
				}
			}

			if _, err := s.ApplyRemote([]*ledger.Change{allowed}); err != nil {
				t.Fatal(err)
			}
			got, err = s.Demand(d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Contacts) != 0 || got.Erased == nil || got.Erased.By != c2.id || got.Erased.Reason != "求助人要求删除" || got.Title != d.Title {
				t.Fatalf("after the coordinator's erase: contacts %v, erased %+v, title %q; want no contacts, c2's erasure, the title kept", got.Contacts, got.Erased, got.Title)
			}
			if _, ok := record(t, s, relief.KindDemand, d.ID).Fields[relief.FieldContacts]; ok {
				t.Fatal("the stored record keeps the contacts a coordinator erased")
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
