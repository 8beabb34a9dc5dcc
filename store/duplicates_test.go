package store

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// hospital is the same hospital as two laptops record it: the same
// organisation and phone, written a little differently.
func hospital(org string) relief.Demand {
	d := sampleDemand("口罩告急")
	d.RequesterOrg = org
	d.Contacts = []relief.Contact{{Name: "王主任", Phone: "+8613800000001"}}
	return d
}

// bruteFlags computes the duplicate flags of s's demands by the rule of
// duplicates.go, by a scan of every pair.
func bruteFlags(t tb, s *Store) map[string]string {
	t.Helper()
	ds, err := s.Demands(DemandQuery{})
	if err != nil {
		t.Fatalf("Demands = %v", err)
	}
	out := map[string]string{}
	for _, d := range ds {
		if !relief.DuplicateFlaggable(d) {
			continue
		}
		var best *relief.Demand
		for i := range ds {
			o := &ds[i]
			if o.ID == d.ID || !relief.DuplicateOriginal(*o) || !relief.EarlierDemand(o.CreatedAt, o.ID, d.CreatedAt, d.ID) {
				continue
			}
			if len(relief.DemandLikeness(d).FlagReasons(relief.DemandLikeness(*o))) == 0 {
				continue
			}
			if best == nil || relief.EarlierDemand(o.CreatedAt, o.ID, best.CreatedAt, best.ID) {
				best = o
			}
		}
		if best != nil {
			out[d.ID] = best.ID
		}
	}
	return out
}

// duplicateEntries returns the duplicate entries of member's inbox on s,
// flagged demand id → the original's code.
func duplicateEntries(t tb, s *Store, member ledger.DeviceID) map[string]string {
	t.Helper()
	in, err := s.InboxOf(member, time.Now(), 0)
	if err != nil {
		t.Fatalf("InboxOf = %v", err)
	}
	out := map[string]string{}
	for _, p := range in {
		if p.What == relief.ReplyDuplicate {
			out[p.ID] = p.Original
		}
	}
	return out
}

// TestDuplicateFlaggedAcrossStores (scenario 5): the same hospital (same
// organisation and phone) recorded on two stores apart is, once they have
// synced both ways, flagged on every store alike (the later one, pointing at
// the earlier), and is a duplicate entry in a reviewer's inbox on each,
// not in a volunteer's. A keep-separate on one store clears it everywhere.
func TestDuplicateFlaggedAcrossStores(t *testing.T) {
	tr := newTrio(t, t.TempDir)
	defer tr.close()
	rev, vol := tr.stores[1], tr.stores[2]
	a, err := rev.RecordDemand(hospital("武汉协和医院"))
	if err != nil {
		t.Fatal(err)
	}
	tr.clk.advance(time.Minute)
	b, err := vol.RecordDemand(hospital("湖北省武汉市武汉协和医院（急需）"))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range tr.stores {
		if f := s.DuplicateFlags(); len(f) != 0 {
			t.Fatalf("store %d DuplicateFlags() before sync = %v; want none", i, f)
		}
	}
	tr.exchange(t)
	first, later := a, b
	if relief.EarlierDemand(b.CreatedAt, b.ID, a.CreatedAt, a.ID) {
		first, later = b, a
	}
	want := map[string]string{later.ID: first.ID}
	for i, s := range tr.stores {
		if got := s.DuplicateFlags(); !maps.Equal(got, want) {
			t.Errorf("store %d DuplicateFlags() = %v; want %v", i, got, want)
		}
		if o, ok := s.DuplicateOf(later.ID); !ok || o != first.ID {
			t.Errorf("store %d DuplicateOf(%s) = %q, %v; want %q", i, later.Code, o, ok, first.ID)
		}
		if got := duplicateEntries(t, s, rev.Device()); !maps.Equal(got, map[string]string{later.ID: first.Code}) {
			t.Errorf("store %d reviewer's duplicate entries = %v; want %s → %s", i, got, later.Code, first.Code)
		}
		if got := duplicateEntries(t, s, tr.stores[0].Device()); len(got) != 1 {
			t.Errorf("store %d coordinator's duplicate entries = %v; want 1", i, got)
		}
		if got := duplicateEntries(t, s, vol.Device()); len(got) != 0 {
			t.Errorf("store %d volunteer's duplicate entries = %v; want none", i, got)
		}
	}
	// The reviewer keeps them separate: the flag goes on every store.
	applyOps(t, rev, must2(t)(relief.Add(relief.KindDemand, later.ID, relief.SetTags, relief.TagNotDuplicate)))
	tr.exchange(t)
	for i, s := range tr.stores {
		if f := s.DuplicateFlags(); len(f) != 0 {
			t.Errorf("store %d DuplicateFlags() after keep-separate = %v; want none", i, f)
		}
		if got := duplicateEntries(t, s, rev.Device()); len(got) != 0 {
			t.Errorf("store %d reviewer's duplicate entries after keep-separate = %v; want none", i, got)
		}
	}
}

// TestDuplicateFlagsAnyOrder: random demands recorded on two stores,
// delivered to a third in random parts and orders (and the whole at last),
// give the same flags on every store, those of a scan of every pair, and
// the same after reopening.
func TestDuplicateFlagsAnyOrder(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		tr := newTrio(rt, t.TempDir)
		defer tr.close()
		for range rapid.IntRange(1, 12).Draw(rt, "demands") {
			s := tr.stores[rapid.IntRange(0, 1).Draw(rt, "store")]
			tr.clk.advance(time.Duration(rapid.IntRange(0, 3).Draw(rt, "gap")) * time.Second)
			d, err := s.RecordDemand(relief.Demand{Title: "需求", Category: "protective_equipment"})
			if err != nil {
				rt.Fatal(err)
			}
			applyOps(rt, s, must2(rt)(relief.SetFields(relief.KindDemand, d.ID, drawLikeDemand(rt))))
			if rapid.IntRange(0, 5).Draw(rt, "close") == 0 {
				applyOps(rt, s, must2(rt)(relief.Transition(relief.KindDemand, d.ID, relief.ActionReject, relief.Args{Note: "x"})))
			}
		}
		deliver(rt, tr.stores[1], tr.stores[2])
		deliver(rt, tr.stores[0], tr.stores[2])
		tr.exchange(rt)
		want := bruteFlags(rt, tr.stores[0])
		for i, s := range tr.stores {
			if got := s.DuplicateFlags(); !maps.Equal(got, want) {
				rt.Fatalf("store %d DuplicateFlags() = %v; want %v (scan)", i, got, want)
			}
			if got := duplicateEntries(rt, s, tr.stores[1].Device()); len(got) != len(want) {
				rt.Fatalf("store %d reviewer's duplicate entries = %v; want %d", i, got, len(want))
			}
		}
	})
}

// withDuplicates adds to want (relief.Inbox of member k) the duplicate
// entries the store's inbox holds besides: one per flag of a scan of every
// pair (bruteFlags), for reviewers and coordinators, in the inbox's order.
func withDuplicates(t tb, s *Store, want []relief.Pending, roster *relief.Roster, k ledger.DeviceID, dl relief.Deadlines, now time.Time) []relief.Pending {
	t.Helper()
	m, ok := roster.Member(k)
	if !ok || m.Revoked || (m.Role != relief.RoleReviewer && m.Role != relief.RoleCoordinator) {
		return want
	}
	if m.Role == relief.RoleCoordinator {
		want = withUndone(t, s, want, dl, now)
	}
	flags := bruteFlags(t, s)
	if len(flags) == 0 {
		return want
	}
	ds, err := s.Demands(DemandQuery{})
	if err != nil {
		t.Fatalf("Demands = %v", err)
	}
	byID := map[string]relief.Demand{}
	for _, d := range ds {
		byID[d.ID] = d
	}
	out := slices.Clone(want)
	for id, o := range flags {
		d := byID[id]
		p := relief.Pending{Kind: relief.KindDemand, ID: id, Code: d.Code, What: relief.ReplyDuplicate, Status: d.Status,
			Since: d.CreatedAt.Time().UTC(), Due: dl.Due(relief.ReplyDuplicate, d.CreatedAt.Time()).UTC(), Original: byID[o].Code}
		p.Overdue = now.After(p.Due)
		p.Soon = !p.Overdue && p.Due.Sub(now) <= p.Due.Sub(p.Since)/4
		out = append(out, p)
	}
	slices.SortFunc(out, comparePending)
	return out
}

// withUndone adds to want the undone entries a coordinator's inbox holds:
// one per member with changes in the cut table, counting them.
func withUndone(t tb, s *Store, want []relief.Pending, dl relief.Deadlines, now time.Time) []relief.Pending {
	t.Helper()
	out := slices.Clone(want)
	seen := map[ledger.DeviceID]bool{}
	for d := range s.VersionVector() {
		seen[d] = true
	}
	for _, m := range s.Members() {
		seen[m.Key] = true
	}
	for d := range seen {
		cut, err := s.CutChanges(d)
		if err != nil {
			t.Fatalf("CutChanges = %v", err)
		}
		if len(cut) == 0 {
			continue
		}
		p := relief.Pending{Kind: relief.KindMember, ID: d.String(), Code: d.Short(), What: relief.ReplyUndone, Count: len(cut)}
		if m, ok := s.Member(d); ok && m.Name != "" {
			p.Code = m.Name
		}
		// dated by the revocation, else the fork, else the last undone change
		s.mu.Lock()
		_, p.Since = s.revoker(d)
		if p.Since.IsZero() {
			p.Since = s.forks.since[d]
		}
		s.mu.Unlock()
		if p.Since.IsZero() {
			p.Since = cut[len(cut)-1].Stamp.Time().UTC()
		}
		p.Due = dl.Due(relief.ReplyUndone, p.Since).UTC()
		p.Overdue = now.After(p.Due)
		p.Soon = !p.Overdue && p.Due.Sub(now) <= p.Due.Sub(p.Since)/4
		out = append(out, p)
	}
	slices.SortFunc(out, comparePending)
	return out
}

// TestFlagsSortedScanAgrees: the flags of many demands, found by scanning
// each key oldest first and stopping early, are those of a comparison of
// every pair, with stamps that tie, closed demands and answered flags mixed
// in, after a rebuild and after the same demands are put one by one in
// another order.
func TestFlagsSortedScanAgrees(t *testing.T) {
	rows := benchLikeRows(1500)
	for i, r := range rows {
		d := r.view()
		d.CreatedAt = ledger.Stamp{Wall: int64((i * 7919) % 211), Logical: uint32(i % 3)}
		switch i % 11 {
		case 3:
			d.Status = relief.StatusFulfilled
		case 5:
			d.Tags = []string{relief.TagNotDuplicate}
		}
		if i%4 == 0 { // share a phone with another organisation
			d.Contacts = []relief.Contact{{Phone: fmt.Sprintf("+86139%08d", i%50)}}
		}
		rows[i] = newDemandRow(d)
	}
	brute := func(v *similarView, id string) string {
		it, ok := v.item(id)
		if !ok || !it.flaggable {
			return ""
		}
		best := ""
		var bestIt similarItem
		for n, o := range v.items {
			oid := v.ids[n]
			if !o.has || oid == id || !o.open || !before(o, oid, it, id) || len(it.like.FlagReasons(o.like)) == 0 {
				continue
			}
			if best == "" || before(o, oid, bestIt, best) {
				best, bestIt = oid, o
			}
		}
		return best
	}
	check := func(name string, v *similarView) {
		t.Helper()
		v.settle()
		flagged := 0
		for _, r := range rows {
			id := r.id
			want := brute(v, id)
			if got, _ := v.flagOf(id); got != want {
				t.Fatalf("%s: flag of %s = %q; want %q (every pair compared)", name, id, got, want)
			}
			if want != "" {
				flagged++
			}
		}
		if flagged == 0 || flagged == len(rows) {
			t.Fatalf("%s: %d of %d flagged; the test wants some of each", name, flagged, len(rows))
		}
	}
	var built similarView
	built.reset(similarOf(rows, nil))
	check("rebuilt", &built)
	var one similarView
	for i := len(rows) - 1; i >= 0; i -= 2 { // newest-ish first, then the others
		one.put(similarOf(rows[i:i+1], nil))
	}
	for i := len(rows) - 2; i >= 0; i -= 2 {
		one.put(similarOf(rows[i:i+1], nil))
		if i%300 == 0 {
			one.settle() // settled along the way, as flushIndex does
		}
	}
	check("put one by one", &one)
}

// TestDuplicateStepAsStored: the duplicate step of the inbox, made from the
// flags when read (not stored since session 11), answers as the stored
// entries did, on random stores: InboxOf and every window of InboxWindowOf
// (a step, the overdue only, an offset, a limit, the counts) list the
// entries of a scan of every pair (withDuplicates: the fields the stored
// entries had, in the step index's order: due time, then key), besides the
// entries the view stores. It reads again after more demands, rejections
// and keep-separates, so that a page cache kept past a change of the flags
// fails it; demands recorded in one millisecond tie on their due time.
func TestDuplicateStepAsStored(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		tr := newTrio(rt, t.TempDir)
		defer tr.close()
		s := tr.stores[0]
		var ids []string
		for round := range 2 {
			// the second round may only change flags (a keep-separate
			// leaves every stored entry as it was)
			for range rapid.IntRange(1-round, 10).Draw(rt, "demands") {
				tr.clk.advance(time.Duration(rapid.IntRange(0, 2).Draw(rt, "gap")) * time.Hour)
				d, err := s.RecordDemand(relief.Demand{Title: "需求", Category: "protective_equipment"})
				if err != nil {
					rt.Fatal(err)
				}
				applyOps(rt, s, must2(rt)(relief.SetFields(relief.KindDemand, d.ID, drawLikeDemand(rt))))
				ids = append(ids, d.ID)
			}
			for range rapid.IntRange(round, 3).Draw(rt, "changes") {
				id := rapid.SampledFrom(ids).Draw(rt, "changed")
				if rapid.Bool().Draw(rt, "reject") {
					tryOps(rt, s, must2(rt)(relief.Transition(relief.KindDemand, id, relief.ActionReject, relief.Args{Note: "x"})))
				} else {
					tryOps(rt, s, must2(rt)(relief.Add(relief.KindDemand, id, relief.SetTags, relief.TagNotDuplicate)))
				}
			}
			now := tr.clk.now().Add(time.Duration(rapid.IntRange(-30, 30).Draw(rt, "now")) * time.Hour)
			checkDuplicateStep(rt, s, []ledger.DeviceID{tr.stores[0].Device(), tr.stores[1].Device(), tr.stores[2].Device()}, now, round)
		}
	})
}

// checkDuplicateStep checks s's inbox for each of members at now against
// its stored entries and a scan of every pair (TestDuplicateStepAsStored).
func checkDuplicateStep(rt *rapid.T, s *Store, members []ledger.DeviceID, now time.Time, round int) {
	roster, dl := s.currentRoster(), s.Deadlines()
	for _, k := range members {
		all, err := s.InboxOf(k, now, 0)
		if err != nil {
			rt.Fatalf("InboxOf = %v", err)
		}
		// the entries the view stores (withDuplicates adds a coordinator's
		// undone entries itself)
		var stored []relief.Pending
		for _, p := range all {
			if p.What != relief.ReplyDuplicate && p.What != relief.ReplyUndone {
				stored = append(stored, p)
			}
		}
		want := withDuplicates(rt, s, stored, roster, k, dl, now)
		if !reflect.DeepEqual(nonNil(all), nonNil(want)) {
			rt.Fatalf("round %d: InboxOf(%s, %v) =\n%+v;\nwant %+v", round, k.Short(), now, all, want)
		}
		limit := rapid.IntRange(0, 4).Draw(rt, "limit")
		if got, err := s.InboxOf(k, now, limit); err != nil || !reflect.DeepEqual(nonNil(got), nonNil(cut(want, 0, limit))) {
			rt.Fatalf("round %d: InboxOf(%s, %v, %d) =\n%+v, %v;\nwant %+v", round, k.Short(), now, limit, got, err, cut(want, 0, limit))
		}
		for range 3 {
			q := InboxWindowQuery{Member: k, Now: now, What: rapid.SampledFrom([]string{"", relief.ReplyDuplicate, relief.ReplyReview}).Draw(rt, "what"),
				OverdueOnly: rapid.Bool().Draw(rt, "overdue only"), Offset: rapid.IntRange(0, 5).Draw(rt, "offset"), Limit: rapid.IntRange(0, 8).Draw(rt, "window")}
			w, err := s.InboxWindowOf(q)
			if err != nil {
				rt.Fatalf("InboxWindowOf = %v", err)
			}
			maps.DeleteFunc(w.Counts, func(_ string, n int) bool { return n == 0 }) // every step of the role is counted
			var kept []relief.Pending
			counts, overdue := map[string]int{}, 0
			for _, p := range want {
				counts[p.What]++
				if p.Overdue {
					overdue++
				}
				if (q.What == "" || p.What == q.What) && (!q.OverdueOnly || p.Overdue) {
					kept = append(kept, p)
				}
			}
			page := []relief.Pending{}
			if q.Limit > 0 {
				page = cut(kept, q.Offset, q.Limit)
			}
			if w.All != len(want) || w.Total != len(kept) || w.Overdue != overdue || !maps.Equal(w.Counts, counts) ||
				!reflect.DeepEqual(nonNil(w.Entries), nonNil(page)) {
				rt.Fatalf("round %d: InboxWindowOf(%+v) = all %d total %d overdue %d counts %v\n%+v;\nwant all %d total %d overdue %d counts %v\n%+v",
					round, q, w.All, w.Total, w.Overdue, w.Counts, w.Entries, len(want), len(kept), overdue, counts, page)
			}
		}
	}
}
