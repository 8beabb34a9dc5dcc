package relief

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

func TestRosterEndorse(t *testing.T) {
	newbie := dev(50)
	tests := []struct {
		name   string
		by     ledger.DeviceID
		role   Role
		want   bool
		reason Reason
	}{
		{"coordinator endorses coordinator", coord2, RoleCoordinator, true, ""},
		{"coordinator endorses observer", coord, RoleObserver, true, ""},
		{"reviewer endorses volunteer", rev, RoleVolunteer, true, ""},
		{"reviewer endorses reviewer", rev, RoleReviewer, false, ReasonRole},
		{"volunteer endorses volunteer", vol, RoleVolunteer, true, ""},
		{"volunteer endorses coordinator", vol, RoleCoordinator, false, ReasonRole},
		{"observer endorses volunteer", obs, RoleVolunteer, false, ReasonRole},
		{"non-member endorses", nobody, RoleVolunteer, false, ReasonNotMember},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := seeded(t)
			w.do(tt.by, 10, must(Endorse(newbie, tt.role, "New")))
			r := w.roster()
			m, ok := r.Member(newbie)
			if ok != tt.want || (ok && (m.Role != tt.role || m.EndorsedBy != tt.by)) {
				t.Errorf("Apply(%s) = %+v, %v; want member %v", tt.name, m, ok, tt.want)
			}
			if !tt.want {
				c := r.Conflicts()
				if len(c) != 1 || c[0].Reason != tt.reason || c[0].Target != newbie {
					t.Errorf("Apply(%s) conflicts = %v; want one %s", tt.name, c, tt.reason)
				}
			}
		})
	}
}

func TestRosterChainPromoteRevoke(t *testing.T) {
	w := seeded(t)
	a, b := dev(60), dev(61)
	w.do(vol, 10, must(Endorse(a, RoleVolunteer, "A")))
	w.do(a, 11, must(Endorse(b, RoleVolunteer, "B")))
	r := w.roster()
	var chain []ledger.DeviceID
	for _, m := range r.Chain(b) {
		chain = append(chain, m.Key)
	}
	if want := []ledger.DeviceID{b, a, vol, coord}; !slices.Equal(chain, want) {
		t.Errorf("Chain(b) = %v; want %v", chain, want)
	}
	if got := r.Chain(nobody); len(got) != 0 {
		t.Errorf("Chain(nobody) = %v; want empty", got)
	}

	w.do(b, 12, must(SetFields(KindDemand, "x", map[string]any{FieldTitle: "by b"}))) // b's seq 1
	w.do(rev, 12, must(Promote(a, RoleReviewer)))                                     // not a coordinator: conflict
	w.do(coord, 13, must(Promote(a, RoleReviewer)))                                   // applies
	w.do(coord, 14, must(Revoke(b, 1, "")))
	w.do(coord2, 15, must(Revoke(b, 5, ""))) // already revoked: conflict
	r = w.roster()
	if m, _ := r.Member(a); m.Role != RoleReviewer {
		t.Errorf("Apply(promote) role = %s; want reviewer", m.Role)
	}
	if _, err := r.Admits(b, 1); err != nil {
		t.Errorf("Admits(b, 1) = %v; want nil", err)
	}
	if m, err := r.Admits(b, 2); !errors.Is(err, ErrRevoked) || m.RevokedAfter != 1 {
		t.Errorf("Admits(b, 2) = %+v, %v; want revoked after 1", m, err)
	}
	if _, err := r.Admits(nobody, 1); !errors.Is(err, ErrNotMember) {
		t.Errorf("Admits(nobody) = %v; want ErrNotMember", err)
	}
	var reasons []Reason
	for _, c := range r.Conflicts() {
		reasons = append(reasons, c.Reason)
	}
	if want := []Reason{ReasonRole, ReasonAlreadyRevoked}; !slices.Equal(reasons, want) {
		t.Errorf("Conflicts() = %v; want %v", reasons, want)
	}
	// A revoked member's endorsements past the cut do not apply.
	w.do(b, 16, must(Endorse(dev(62), RoleVolunteer, "C"))) // b's seq 2 > 1
	if _, ok := w.roster().Member(dev(62)); ok {
		t.Errorf("Apply(endorse by revoked) admitted the endorsee")
	}
}

func TestRosterGenesis(t *testing.T) {
	a, b := dev(70), dev(71)
	tests := []struct {
		name    string
		build   func(w *world)
		want    ledger.DeviceID
		reasons []Reason
	}{
		{"single genesis", func(w *world) { w.do(a, 5, must(Genesis(a, "A"))) }, a, nil},
		{"two geneses, earliest stamp wins", func(w *world) {
			w.do(b, 5, must(Genesis(b, "B")))
			w.do(a, 6, must(Genesis(a, "A")))
		}, b, []Reason{ReasonGenesisExists}},
		{"two geneses, same stamp, lowest device wins", func(w *world) {
			w.do(b, 5, must(Genesis(b, "B")))
			w.do(a, 5, must(Genesis(a, "A")))
		}, a, []Reason{ReasonGenesisExists}},
		{"genesis not first in feed", func(w *world) {
			w.do(a, 4, must(SetFields(KindDemand, "x", map[string]any{FieldTitle: "x"})))
			w.do(a, 5, must(Genesis(a, "A")))
		}, ledger.DeviceID{}, []Reason{ReasonNotFirst}},
		{"genesis for another key", func(w *world) {
			w.do(a, 5, must(Genesis(b, "B")))
		}, ledger.DeviceID{}, []Reason{ReasonNotFirst}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			tt.build(w)
			r := w.roster()
			g, _ := r.Genesis()
			if g.Key != tt.want {
				t.Errorf("Apply(%s) genesis = %s; want %s", tt.name, g.Key.Short(), tt.want.Short())
			}
			var reasons []Reason
			for _, c := range r.Conflicts() {
				reasons = append(reasons, c.Reason)
			}
			if !slices.Equal(reasons, tt.reasons) {
				t.Errorf("Apply(%s) conflicts = %v; want %v", tt.name, reasons, tt.reasons)
			}
		})
	}
}

func TestRosterNil(t *testing.T) {
	var r *Roster
	if _, err := r.Admits(coord, 1); !errors.Is(err, ErrNotMember) {
		t.Errorf("nil Roster Admits = %v; want ErrNotMember", err)
	}
	if r.Members() != nil || r.Conflicts() != nil || r.Chain(coord) != nil {
		t.Errorf("nil Roster not empty")
	}
}

// TestRevocationCannotStandOnWhatItCuts: a reviewer promoted to coordinator
// by a coordinator's change that its own revocation of that coordinator
// cuts. With the promotion the revocation applies and cuts the promotion;
// without it the revocation does not apply: no fixed point, and stores
// decided by the order of arrival (the three-store property found two
// coordinators forking this way). The revocation is void, whether or not
// the promotion is among the records.
func TestRevocationCannotStandOnWhatItCuts(t *testing.T) {
	w := seeded(t)                                                                     // coord's seq 1
	w.do(coord, 10, must(SetFields(KindDemand, "x", map[string]any{FieldTitle: "t"}))) // seq 2
	full := newWorld(t)
	for k, v := range w.recs {
		full.recs[k] = cloneRecord(t, v)
	}
	full.seq = maps.Clone(w.seq)
	full.do(coord, 11, must(Promote(rev, RoleCoordinator))) // coord's seq 3, past the cut below
	for _, x := range []*world{w, full} {
		x.do(rev, 12, must(Revoke(coord, 2, "")))
	}
	for name, x := range map[string]*world{"without the promotion": w, "with it": full} {
		r := x.roster()
		if _, err := r.Admits(coord, 3); err != nil {
			t.Errorf("%s: Admits(coord, 3) = %v; want nil (the revocation is void)", name, err)
		}
		found := false
		for _, c := range r.Conflicts() {
			if c.Action == OpRevoke && c.Target == coord && c.Reason == ReasonRole {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: conflicts %+v; want the revocation of coord refused (role)", name, r.Conflicts())
		}
	}
}

// TestMutualRevocationFirstStands: two coordinators revoke each other, each
// revocation past the other's cut, so each is void if the other stands.
// Either outcome is a fixed point; the roster must pick one whatever the
// records (the fold oscillated between both and none, and two hubs holding
// one revocation each disagreed for good): the revocation first in total
// order stands, the other is refused as its author's, revoked before it.
func TestMutualRevocationFirstStands(t *testing.T) {
	for _, first := range []ledger.DeviceID{coord, coord2} {
		w := seeded(t)                                                                     // coord's seq 1; coord2 has written nothing
		w.do(coord2, 5, must(SetFields(KindDemand, "x", map[string]any{FieldTitle: "t"}))) // coord2's seq 1
		second := coord2
		if first == coord2 {
			second = coord
		}
		w.do(first, 10, must(Revoke(second, 1, "first")))  // first's seq 2, past second's cut of it
		w.do(second, 11, must(Revoke(first, 1, "second"))) // second's seq 2, past first's cut
		r := w.roster()
		if m, _ := r.Member(second); !m.Revoked || m.RevokedAfter != 1 {
			t.Errorf("%s first: second = %+v; want revoked after 1", first.Short(), m)
		}
		if m, _ := r.Member(first); m.Revoked {
			t.Errorf("%s first: first = %+v; want not revoked (its revocation came first)", first.Short(), m)
		}
	}
}
