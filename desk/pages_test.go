package desk

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// testClock is a clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time       { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration)  { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newTestClock(t time.Time) *testClock { return &testClock{t: t} }

// walkPages reads every page of a list with limit, from offset 0 until a page
// comes back short, and returns the rows in order; it fails when a page
// reports another total than the first, or an offset or limit it was not
// asked for.
func walkPages[T any](t *testing.T, what string, limit int, page func(offset, limit int) ([]T, Window, error)) (rows []T, total int) {
	t.Helper()
	total = -1
	for offset := 0; ; offset += limit {
		got, w, err := page(offset, limit)
		if err != nil {
			t.Fatalf("%s page at %d: %v", what, offset, err)
		}
		if got == nil {
			t.Fatalf("%s page at %d is nil; want an empty slice", what, offset)
		}
		if total >= 0 && w.Total != total {
			t.Fatalf("%s page at %d: total %d; the first page said %d", what, offset, w.Total, total)
		}
		total = w.Total
		if w.Offset != min(offset, total) || w.Limit != limit {
			t.Fatalf("%s page at %d limit %d: window %+v", what, offset, limit, w)
		}
		rows = append(rows, got...)
		if len(got) < limit {
			break
		}
		if offset > 10_000 {
			t.Fatalf("%s: more than 10,000 rows; the pages never end", what)
		}
	}
	if len(rows) != total {
		t.Fatalf("%s: %d rows over all pages; the total says %d", what, len(rows), total)
	}
	return rows, total
}

func TestWindowClamps(t *testing.T) {
	for _, tc := range []struct {
		total, offset, limit int
		lo, hi, clamped      int
	}{
		{0, 0, 0, 0, 0, DefaultPageLimit},
		{1000, 0, 0, 0, DefaultPageLimit, DefaultPageLimit},
		{1000, 0, -5, 0, DefaultPageLimit, DefaultPageLimit},
		{1000, 0, 10_000, 0, MaxPageLimit, MaxPageLimit},
		{1000, -3, 10, 0, 10, 10},
		{1000, 995, 10, 995, 1000, 10},
		{1000, 1000, 10, 1000, 1000, 10},
		{1000, 5000, 10, 1000, 1000, 10},
		{7, 2, 3, 2, 5, 3},
	} {
		lo, hi, c := window(tc.total, tc.offset, tc.limit)
		if lo != tc.lo || hi != tc.hi || c != tc.clamped {
			t.Errorf("window(%d, %d, %d) = %d, %d, %d; want %d, %d, %d", tc.total, tc.offset, tc.limit, lo, hi, c, tc.lo, tc.hi, tc.clamped)
		}
	}
	// pageOf past the end: empty, not nil
	if p, w := pageOf([]int{1, 2}, 9, 1); p == nil || len(p) != 0 || w.Total != 2 || w.Offset != 2 {
		t.Errorf("pageOf past the end = %v, %+v; want an empty page at 2 of 2", p, w)
	}
}

// inboxDesk returns a coordinator's desk whose inbox waits for review (some
// overdue, some not), publication and a claim.
func inboxDesk(t *testing.T) *Desk {
	t.Helper()
	clk := newTestClock(time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC))
	dk := newDesk(t, store.Options{Clock: clk.now})
	record := func(n int, prefix string) []string {
		var ids []string
		for i := range n {
			dm, err := dk.RecordDemand(DemandInput{Title: fmt.Sprintf("%s 急需口罩 %d", prefix, i), Category: "protective_equipment",
				Items: []ItemInput{item("N95口罩", "100", "只")}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, dm.ID)
		}
		return ids
	}
	old := record(9, "旧")
	clk.add(3 * time.Hour) // past the 2 h review window
	record(4, "新")
	for i, id := range old[:4] {
		if _, err := dk.Act(called(ActInput{ID: id, Action: "approve"})); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if _, err := dk.Act(ActInput{ID: id, Action: "publish"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dk
}

func TestInboxPage(t *testing.T) {
	dk := inboxDesk(t)
	all, err := dk.Inbox()
	if err != nil {
		t.Fatal(err)
	}
	whats := map[string]int{}
	overdue := 0
	for _, p := range all {
		whats[p.What]++
		if p.Overdue {
			overdue++
		}
	}
	if len(whats) < 3 || overdue == 0 || overdue == len(all) {
		t.Fatalf("the test inbox = %v, %d of %d overdue; want three kinds of wait, some overdue and some not", whats, overdue, len(all))
	}
	ids := func(ps []Pending) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = p.What + "/" + p.ID
		}
		return out
	}
	for _, q := range []InboxQuery{{}, {What: relief.ReplyReview}, {What: relief.ReplyPublish}, {OverdueOnly: true},
		{What: relief.ReplyReview, OverdueOnly: true}, {What: relief.ReplyComplete}} {
		var want []Pending
		for _, p := range all {
			if (q.What == "" || p.What == q.What) && (!q.OverdueOnly || p.Overdue) {
				want = append(want, p)
			}
		}
		for _, limit := range []int{1, 2, 5, MaxPageLimit} {
			name := fmt.Sprintf("InboxPage(%+v, limit %d)", q, limit)
			got, total := walkPages(t, name, limit, func(offset, limit int) ([]Pending, Window, error) {
				q := q
				q.Offset, q.Limit = offset, limit
				p, err := dk.InboxPage(q)
				if err == nil && (p.All != len(all) || p.Overdue != overdue || !mapsEqual(p.Counts, whats, InboxWhats)) {
					t.Errorf("%s: all %d, counts %v, overdue %d; want %d, %v, %d", name, p.All, p.Counts, p.Overdue, len(all), whats, overdue)
				}
				return p.Entries, p.Window, err
			})
			if total != len(want) || !slices.Equal(ids(got), ids(want)) {
				t.Errorf("%s = %v (total %d); want the inbox's order filtered: %v", name, ids(got), total, ids(want))
			}
		}
	}
	_, err = dk.InboxPage(InboxQuery{What: "lunch"})
	wantDeskError(t, "InboxPage(what lunch)", err, CodeInvalid, "what")
	if p, err := dk.InboxPage(InboxQuery{Limit: 100_000}); err != nil || p.Limit != MaxPageLimit {
		t.Errorf("InboxPage(limit 100,000) = limit %d, %v; want %d", p.Limit, err, MaxPageLimit)
	}
}

// mapsEqual reports whether got holds want's count for every key of keys
// (0 when want lacks it) and no other key.
func mapsEqual[K comparable](got, want map[K]int, keys []K) bool {
	if len(got) != len(keys) {
		return false
	}
	for _, k := range keys {
		if n, ok := got[k]; !ok || n != want[k] {
			return false
		}
	}
	return true
}

func TestStandingsAndHistory(t *testing.T) {
	a, b := peopleNetwork(t)
	// B records three demands, A approves two: both earn points
	var ids []string
	for i := range 3 {
		dm, err := b.RecordDemand(DemandInput{Title: fmt.Sprintf("送水 %d", i), Category: "food_water", Items: []ItemInput{item("水", "10", "箱")}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, dm.ID)
	}
	peopleSync(t, b.Store(), a.Store())
	for _, id := range ids[:2] {
		if _, err := a.Act(called(ActInput{ID: id, Action: "approve"})); err != nil {
			t.Fatal(err)
		}
	}
	// the histories asked before any whole leaderboard is made are gathered
	// from the awards (store.PointsPage's other path)
	early := map[string]HistoryPage{}
	for _, m := range []string{a.Status().Device, b.Status().Device} {
		p, err := a.History(m, 0, MaxPageLimit)
		if err != nil {
			t.Fatal(err)
		}
		early[m] = p
	}
	lb, err := a.Leaderboard()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range lb.Standings {
		want := slices.Clone(s.History)
		slices.Reverse(want)
		if e := early[s.Member.String()]; !slices.Equal(e.Awards, want) || e.Points != s.Points || e.Rank != s.Rank || e.Total != len(want) {
			t.Errorf("History(%v) before the leaderboard = %+v; want %d points, rank %d, newest first %+v", s.Member, e, s.Points, s.Rank, want)
		}
	}
	if len(lb.Standings) != 2 {
		t.Fatalf("the test leaderboard = %+v; want A and B", lb.Standings)
	}
	for _, limit := range []int{1, 2, 50} {
		got, total := walkPages(t, "Standings", limit, func(offset, limit int) ([]relief.Standing, Window, error) {
			p, err := a.Standings(offset, limit)
			return p.Standings, p.Window, err
		})
		if total != len(lb.Standings) {
			t.Errorf("Standings total = %d; want %d", total, len(lb.Standings))
		}
		for i, s := range got {
			w := lb.Standings[i]
			if s.Member != w.Member || s.Points != w.Points || s.Rank != w.Rank || s.History != nil {
				t.Errorf("Standings[%d] (limit %d) = %+v; want %v %d points rank %d, no history", i, limit, s, w.Member, w.Points, w.Rank)
			}
		}
	}
	for _, s := range lb.Standings {
		want := slices.Clone(s.History)
		slices.Reverse(want)
		if len(want) < 2 {
			t.Fatalf("%v has %d awards; want at least 2 to page through", s.Member, len(want))
		}
		for _, limit := range []int{1, 3, 100} {
			var head HistoryPage
			got, _ := walkPages(t, "History", limit, func(offset, limit int) ([]relief.Award, Window, error) {
				p, err := a.History(s.Member.String(), offset, limit)
				head = p
				return p.Awards, p.Window, err
			})
			if !slices.Equal(got, want) || head.Points != s.Points || head.Rank != s.Rank || head.Member != s.Member {
				t.Errorf("History(%v, limit %d) = %+v (points %d rank %d); want newest first %+v", s.Member, limit, got, head.Points, head.Rank, want)
			}
			for i := 1; i < len(got); i++ {
				if got[i].At.Compare(got[i-1].At) > 0 {
					t.Errorf("History(%v)[%d] is newer than the one before it", s.Member, i)
				}
			}
		}
	}
	// a member without points: an empty history, not an error
	nobody := New(peopleStore(t)).Status().Device
	if p, err := a.History(nobody, 0, 10); err != nil || p.Awards == nil || len(p.Awards) != 0 || p.Total != 0 || p.Points != 0 || p.Rank != 0 {
		t.Errorf("History(a member without points) = %+v, %v; want empty", p, err)
	}
	_, err = a.History("not a key", 0, 10)
	wantDeskError(t, "History(not a key)", err, CodeInvalid, "member")
}

// volunteerDesk returns a coordinator's desk with n volunteers recorded by
// the coordinator: names 志愿者<i>, regions and skills in turn, every third
// one available at the clock's time.
func volunteerDesk(t *testing.T, n int) (*Desk, time.Time) {
	t.Helper()
	now := time.Date(2020, 1, 27, 10, 0, 0, 0, relief.IncidentZone) // a Monday, 10:00 in the incident zone
	dk := newDesk(t, store.Options{Clock: func() time.Time { return now }})
	regions := []string{"江汉区", "武昌区", "汉阳区"}
	skills := []string{"driver", "medic", "cook", "translator"}
	var ops []ledger.Op
	for i := range n {
		id := store.NewID()
		day := time.Sunday
		if i%3 == 0 {
			day = time.Monday
		}
		set, err := relief.SetFields(relief.KindVolunteer, id, map[string]any{
			relief.FieldName: fmt.Sprintf("志愿者%02d", i), relief.FieldRegion: regions[i%len(regions)],
			relief.FieldOrganisation: []string{"", "江城车队"}[i%2],
			relief.FieldAvailability: []relief.Window{{Day: day, From: 8 * 60, To: 18 * 60}},
		})
		if err != nil {
			t.Fatal(err)
		}
		add, err := relief.Add(relief.KindVolunteer, id, relief.SetSkills, skills[i%len(skills)], skills[(i+1)%len(skills)])
		if err != nil {
			t.Fatal(err)
		}
		ops = append(ops, set, add)
	}
	if _, err := dk.apply(ops); err != nil {
		t.Fatal(err)
	}
	return dk, now
}

func TestVolunteersPage(t *testing.T) {
	dk, _ := volunteerDesk(t, 23)
	all, err := dk.Volunteers()
	if err != nil || len(all) != 23 {
		t.Fatalf("Volunteers = %d, %v; want 23", len(all), err)
	}
	ids := func(vs []Volunteer) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = v.ID
		}
		return out
	}
	for _, tc := range []struct {
		q    VolunteerQuery
		keep func(Volunteer) bool
	}{
		{VolunteerQuery{}, func(Volunteer) bool { return true }},
		{VolunteerQuery{Text: "志愿者1"}, func(v Volunteer) bool { return strings.HasPrefix(v.Name, "志愿者1") }},
		{VolunteerQuery{Text: "MEDIC"}, func(v Volunteer) bool { return slices.Contains(v.Skills, "medic") }},
		{VolunteerQuery{Text: "车队"}, func(v Volunteer) bool { return v.Organisation == "江城车队" }},
		{VolunteerQuery{Text: "武昌"}, func(v Volunteer) bool { return v.Region == "武昌区" }},
		{VolunteerQuery{Skill: "cook"}, func(v Volunteer) bool { return slices.Contains(v.Skills, "cook") }},
		{VolunteerQuery{Region: "汉阳区"}, func(v Volunteer) bool { return v.Region == "汉阳区" }},
		{VolunteerQuery{AvailableNow: true}, func(v Volunteer) bool { return v.AvailableNow }},
		{VolunteerQuery{Skill: "driver", Region: "江汉区", AvailableNow: true}, func(v Volunteer) bool {
			return slices.Contains(v.Skills, "driver") && v.Region == "江汉区" && v.AvailableNow
		}},
		{VolunteerQuery{Text: "no such volunteer"}, func(Volunteer) bool { return false }},
	} {
		var want []Volunteer
		for _, v := range all {
			if tc.keep(v) {
				want = append(want, v)
			}
		}
		if tc.q.Text != "no such volunteer" && (len(want) == 0 || len(want) == len(all)) && tc.q != (VolunteerQuery{}) {
			t.Fatalf("the test registry gives %d of %d for %+v; want a filter that keeps some", len(want), len(all), tc.q)
		}
		for _, limit := range []int{1, 4, 100} {
			name := fmt.Sprintf("VolunteersPage(%+v, limit %d)", tc.q, limit)
			got, total := walkPages(t, name, limit, func(offset, limit int) ([]Volunteer, Window, error) {
				q := tc.q
				q.Offset, q.Limit = offset, limit
				p, err := dk.VolunteersPage(q)
				if err == nil && (p.All != len(all) || !slices.Equal(p.Skills, []string{"cook", "driver", "medic", "translator"}) ||
					!slices.Equal(p.Regions, []string{"武昌区", "汉阳区", "江汉区"})) {
					t.Errorf("%s: all %d skills %v regions %v; want 23 and every skill and region, sorted", name, p.All, p.Skills, p.Regions)
				}
				return p.Volunteers, p.Window, err
			})
			if total != len(want) || !slices.Equal(ids(got), ids(want)) {
				t.Errorf("%s = %v; want %v", name, ids(got), ids(want))
			}
		}
	}
}

func TestOffersPage(t *testing.T) {
	now := time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
	dk := newDesk(t, store.Options{Clock: func() time.Time { return now }})
	for _, in := range []OfferInput{
		{Supplier: "如家酒店", Region: "江汉区", Items: []ItemInput{item("客房", "30", "间")}},
		{Supplier: "汉庭酒店", Region: "武昌区"},
		{Supplier: "顺丰速运", Region: "江汉区"},
		{Supplier: "稳健医疗", Region: "江汉区", Items: []ItemInput{item("N95口罩", "2000", "只")}},
		{Supplier: "某口罩厂", Region: "武昌区", Items: []ItemInput{item("医用口罩", "5000", "只")}},
		{Supplier: "快手", Region: "汉阳区"},
		{Supplier: "心理援助热线", Region: "武昌区"},
	} {
		if in.Items == nil {
			in.Items = []ItemInput{item("服务", "", "")}
		}
		if _, err := dk.RecordOffer(in); err != nil {
			t.Fatalf("RecordOffer(%s) = %v", in.Supplier, err)
		}
	}
	ids := func(os []VisibleOffer) []string {
		out := make([]string, len(os))
		for i, o := range os {
			out[i] = o.Offer.ID
		}
		return out
	}
	kinds := map[relief.OfferKind]bool{}
	for _, text := range []string{"", "江汉", "酒店", "nothing like it"} {
		matching, err := dk.Offers(text)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[relief.OfferKind]int{}
		for _, o := range matching {
			counts[o.Kind]++
			kinds[o.Kind] = true
		}
		for _, kind := range append([]relief.OfferKind{""}, relief.OfferKinds...) {
			var want []VisibleOffer
			for _, o := range matching {
				if kind == "" || o.Kind == kind {
					want = append(want, o)
				}
			}
			for _, limit := range []int{1, 3, 100} {
				name := fmt.Sprintf("OffersPage(%q, %q, limit %d)", text, kind, limit)
				got, total := walkPages(t, name, limit, func(offset, limit int) ([]VisibleOffer, Window, error) {
					p, err := dk.OffersPage(OfferQuery{Text: text, Kind: kind, Offset: offset, Limit: limit})
					if err == nil && (p.Matching != len(matching) || !mapsEqual(p.Counts, counts, relief.OfferKinds)) {
						t.Errorf("%s: counts %v of %d; want %v of %d", name, p.Counts, p.Matching, counts, len(matching))
					}
					if err == nil && p.All != 7 { // every offer recorded, whatever the query ("3 of 7")
						t.Errorf("%s: All = %d; want 7", name, p.All)
					}
					return p.Offers, p.Window, err
				})
				if total != len(want) || !slices.Equal(ids(got), ids(want)) {
					t.Errorf("%s = %v; want %v", name, ids(got), ids(want))
				}
			}
		}
	}
	if len(kinds) < 3 {
		t.Fatalf("the test offers have kinds %v; want at least three", kinds)
	}
	_, err := dk.OffersPage(OfferQuery{Kind: "spaceship"})
	wantDeskError(t, "OffersPage(kind spaceship)", err, CodeInvalid, "kind")
}

// TestPagesAgainstLists compares whole rows (not only ids) of the pages that
// the views answer with the whole-list queries they replace, on a network
// where the member has tasks (their own entries in the inbox, a load in the
// volunteer list), two volunteers share a name (ties by id) and one is
// found by a training only the record holds.
func TestPagesAgainstLists(t *testing.T) {
	clk := newTestClock(time.Date(2020, 1, 27, 10, 0, 0, 0, relief.IncidentZone)) // a Monday
	dk := newDesk(t, store.Options{Clock: clk.now})
	me := dk.Status().Device
	if _, err := dk.SaveProfile(Profile{Name: "同名", Region: "江汉区", Skills: []string{"driver"}, Training: []string{"急救培训"},
		Availability: []relief.Window{{Day: time.Monday, From: 8 * 60, To: 18 * 60}}}); err != nil {
		t.Fatal(err)
	}
	var ops []ledger.Op
	for i := range 5 {
		set, err := relief.SetFields(relief.KindVolunteer, store.NewID(), map[string]any{
			relief.FieldName: []string{"同名", "别名"}[i%2], relief.FieldRegion: "武昌区",
			relief.FieldAvailability: []relief.Window{{Day: time.Monday, From: 12 * 60, To: 13 * 60}},
		})
		if err != nil {
			t.Fatal(err)
		}
		ops = append(ops, set)
	}
	if _, err := dk.apply(ops); err != nil {
		t.Fatal(err)
	}
	var demands []string
	for i := range 6 {
		dm, err := dk.RecordDemand(DemandInput{Title: fmt.Sprintf("送水 %d", i), Category: "food_water",
			Items: []ItemInput{item("水", "10", "箱")}})
		if err != nil {
			t.Fatal(err)
		}
		demands = append(demands, dm.ID)
	}
	var tasks []string
	for i, id := range demands[:4] {
		tk, err := dk.OfferTask(id, me, "driver")
		if err != nil {
			t.Fatal(err)
		}
		tasks = append(tasks, tk.ID)
		if i == 0 {
			clk.add(2 * time.Hour) // the first task's reply-by passes
		}
	}
	if _, err := dk.AnswerTask(tasks[1], "accept"); err != nil {
		t.Fatal(err)
	}
	if _, err := dk.AnswerTask(tasks[2], "accept"); err != nil {
		t.Fatal(err)
	}

	all, err := dk.Inbox()
	if err != nil {
		t.Fatal(err)
	}
	whats := map[string]bool{}
	for _, p := range all {
		whats[p.What] = true
	}
	if !whats[relief.ReplyAnswer] || !whats[relief.ReplyComplete] || !whats[relief.ReplyReview] {
		t.Fatalf("the test inbox has %v; want tasks to answer and to complete, and demands to review", whats)
	}
	for _, q := range []InboxQuery{{}, {What: relief.ReplyAnswer}, {What: relief.ReplyComplete}, {OverdueOnly: true}} {
		var want []Pending
		for _, p := range all {
			if (q.What == "" || p.What == q.What) && (!q.OverdueOnly || p.Overdue) {
				want = append(want, p)
			}
		}
		for _, limit := range []int{1, 3, MaxPageLimit} {
			name := fmt.Sprintf("InboxPage(%+v, limit %d)", q, limit)
			got, _ := walkPages(t, name, limit, func(offset, limit int) ([]Pending, Window, error) {
				q := q
				q.Offset, q.Limit = offset, limit
				p, err := dk.InboxPage(q)
				return p.Entries, p.Window, err
			})
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s =\n%+v; want the inbox's entries (demand, title, flags):\n%+v", name, got, want)
			}
		}
	}

	vs, err := dk.Volunteers()
	if err != nil {
		t.Fatal(err)
	}
	loaded := slices.IndexFunc(vs, func(v Volunteer) bool { return v.Key == dk.Store().Device() })
	if loaded < 0 || vs[loaded].Load != 2 {
		t.Fatalf("Volunteers = %+v; want this member's profile with a load of 2", vs)
	}
	for _, q := range []VolunteerQuery{{}, {Text: "急救"}, {Text: "同名"}, {AvailableNow: true}, {Region: "武昌区"}, {Skill: "driver"}} {
		var want []Volunteer
		for _, v := range vs {
			if (q.Text == "" || strings.Contains(volunteerText(v), q.Text)) && (!q.AvailableNow || v.AvailableNow) &&
				(q.Region == "" || v.Region == q.Region) && (q.Skill == "" || slices.Contains(v.Skills, q.Skill)) {
				want = append(want, v)
			}
		}
		if len(want) == 0 {
			t.Fatalf("the test registry keeps nothing for %+v", q)
		}
		for _, limit := range []int{1, 2, 100} {
			name := fmt.Sprintf("VolunteersPage(%+v, limit %d)", q, limit)
			got, _ := walkPages(t, name, limit, func(offset, limit int) ([]Volunteer, Window, error) {
				q := q
				q.Offset, q.Limit = offset, limit
				p, err := dk.VolunteersPage(q)
				return p.Volunteers, p.Window, err
			})
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s =\n%+v; want the list's rows (load, today, hidden):\n%+v", name, got, want)
			}
		}
	}
}

// TestPagesFollowWrites checks that the pages' cached rows (store's
// pageCache) are read again after a write: each page is asked, a record is
// written, and the page must count it.
func TestPagesFollowWrites(t *testing.T) {
	dk, _ := volunteerDesk(t, 3)
	inbox, err := dk.InboxPage(InboxQuery{})
	if err != nil {
		t.Fatal(err)
	}
	vols, err := dk.VolunteersPage(VolunteerQuery{})
	if err != nil {
		t.Fatal(err)
	}
	offers, err := dk.OffersPage(OfferQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := dk.VolunteersPage(VolunteerQuery{Text: "飞行"}); err != nil || p.Total != 0 {
		t.Fatalf("VolunteersPage(text 飞行) before any pilot = %d, %v; want 0", p.Total, err)
	}
	dm, err := dk.RecordDemand(DemandInput{Title: "急需口罩", Category: "protective_equipment", Items: []ItemInput{item("N95口罩", "100", "只")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dk.SaveProfile(Profile{Name: "新来的", Skills: []string{"pilot"}}); err != nil {
		t.Fatal(err)
	}
	of, err := dk.RecordOffer(OfferInput{Supplier: "稳健医疗", Items: []ItemInput{item("N95口罩", "2000", "只")}})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := dk.InboxPage(InboxQuery{}); err != nil || p.Total != inbox.Total+1 || p.Counts[relief.ReplyReview] != inbox.Counts[relief.ReplyReview]+1 ||
		!slices.ContainsFunc(p.Entries, func(e Pending) bool { return e.ID == dm.ID }) {
		t.Errorf("InboxPage after a new demand = %+v, %v; want one more to review (%d before), %s among them", p, err, inbox.Total, dm.ID)
	}
	if p, err := dk.VolunteersPage(VolunteerQuery{}); err != nil || p.Total != vols.Total+1 || !slices.Contains(p.Skills, "pilot") {
		t.Errorf("VolunteersPage after a new profile = total %d skills %v, %v; want %d and pilot", p.Total, p.Skills, err, vols.Total+1)
	}
	// a change of training only (not in the view's row) is searched too
	if _, err := dk.SaveProfile(Profile{Name: "新来的", Skills: []string{"pilot"}, Training: []string{"飞行执照"}}); err != nil {
		t.Fatal(err)
	}
	if p, err := dk.VolunteersPage(VolunteerQuery{Text: "飞行"}); err != nil || p.Total != 1 || p.Volunteers[0].Name != "新来的" {
		t.Errorf("VolunteersPage(text 飞行) after the training = %+v, %v; want the new profile", p, err)
	}
	if p, err := dk.OffersPage(OfferQuery{}); err != nil || p.Total != offers.Total+1 || len(p.Offers) == 0 || p.Offers[0].Offer.ID != of.Offer.ID {
		t.Errorf("OffersPage after a new offer = %+v, %v; want %d offers, the new one first", p, err, offers.Total+1)
	}
}

// TestAvailableNowInTheIncidentZone: whether a volunteer is free now is
// read in the incident's zone (relief.IncidentZone), as every other time the
// desk tells, not in the machine's: a hub on a server set to another zone
// (UTC, or here Los Angeles, where it is still Sunday evening) called a
// volunteer free on Monday mornings busy at 10:00 on a Monday in Wuhan.
func TestAvailableNowInTheIncidentZone(t *testing.T) {
	local := time.Local
	time.Local = time.FixedZone("UTC-8", -8*3600) // Los Angeles in winter; no zone database needed
	t.Cleanup(func() { time.Local = local })
	dk, _ := volunteerDesk(t, 6) // volunteers 0 and 3 are free on Mondays 8:00–18:00
	all, err := dk.Volunteers()
	if err != nil {
		t.Fatal(err)
	}
	page, err := dk.VolunteersPage(VolunteerQuery{AvailableNow: true})
	if err != nil {
		t.Fatal(err)
	}
	free := 0
	for _, v := range all {
		if v.AvailableNow {
			free++
		}
	}
	if free != 2 || len(page.Volunteers) != 2 {
		t.Errorf("on a Monday at 10:00 in the incident zone, with the machine in Los Angeles: %d volunteers free in the list, %d on the page filtered by free now; want 2 and 2", free, len(page.Volunteers))
	}
}
