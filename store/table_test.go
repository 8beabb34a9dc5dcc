package store

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// allWords reports whether each of words is a lower-cased substring of one of fields.
func allWords(words, fields []string) bool {
	for _, w := range words {
		if !slices.ContainsFunc(fields, func(f string) bool { return strings.Contains(strings.ToLower(f), w) }) {
			return false
		}
	}
	return true
}

// bruteQuery is the specification of demandTable.query: filter every row,
// match text as a lower-cased substring of each field, order newest first,
// then (stably) by urgency or by reply-by under dl (waiting for nobody last),
// page. A row is overdue when it waits and its reply-by is before now.
func bruteQuery(rows map[string]*demandRow, q DemandQuery, dl relief.Deadlines, now time.Time) ([]string, int) {
	text := strings.ToLower(strings.TrimSpace(q.Text))
	code := strings.ToUpper(strings.TrimSpace(q.Code))
	replyBy := func(r *demandRow) time.Time {
		if r.wait == waitNone {
			return time.Time{}
		}
		return dl.Due(r.waitName(), r.since())
	}
	var all []*demandRow
	for _, r := range rows {
		d := r.view()
		if d.Uncreated { // not listed: no creation held (table_query.go)
			continue
		}
		if (q.Status != "" && d.Status != q.Status) || (q.Category != "" && d.Category != q.Category) ||
			(q.District != "" && d.District != q.District) || (q.Owner != "" && r.owner != q.Owner) ||
			(q.Urgency != "" && d.Urgency != q.Urgency) || (code != "" && d.Code != code) {
			continue
		}
		if q.Overdue && (r.wait == waitNone || !replyBy(r).Before(now)) {
			continue
		}
		fields := []string{d.Title, d.Code, d.District, d.RequesterOrg, d.Address}
		for _, it := range d.Items {
			fields = append(fields, it.Name)
		}
		// every word (split at spaces) is in some field
		if !allWords(strings.Fields(text), fields) {
			continue
		}
		all = append(all, r)
	}
	slices.SortFunc(all, func(a, b *demandRow) int { return cmpAge(b, a) })
	rank := map[relief.Urgency]int{relief.UrgencyCritical: 0, relief.UrgencyHigh: 1, relief.UrgencyNormal: 2, relief.UrgencyLow: 3}
	switch q.Sort {
	case SortUrgency:
		slices.SortStableFunc(all, func(a, b *demandRow) int { return rank[a.urgency] - rank[b.urgency] })
	case SortReplyBy:
		slices.SortStableFunc(all, func(a, b *demandRow) int {
			ra, rb := replyBy(a), replyBy(b)
			switch {
			case ra.IsZero() && rb.IsZero():
				return 0
			case ra.IsZero():
				return 1
			case rb.IsZero():
				return -1
			}
			return ra.Compare(rb)
		})
	}
	var ids []string
	for i, r := range all {
		if i >= q.Offset && (q.Limit == 0 || i < q.Offset+q.Limit) {
			ids = append(ids, r.id)
		}
	}
	return ids, len(all)
}

// TestTableQuery checks the demand table against bruteQuery after random
// inserts and replacements (changed text, status, creation stamp).
func TestTableQuery(t *testing.T) {
	words := []string{"协和", "协和医院", "医院", "口罩", "N95", "n95口罩", "Water", "bottled water", "洪山区", "第3", "区第3", "汉", "a", "ab", "水"}
	statuses := []relief.Status{relief.StatusCollected, relief.StatusPublished, relief.StatusFulfilled}
	owner := ledger.DeviceID{7}
	urgencies := []relief.Urgency{relief.UrgencyLow, relief.UrgencyNormal, relief.UrgencyHigh, relief.UrgencyCritical}
	codes := []string{"D-AAAAAA", "D-BBBBBB"}
	base := time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
	rapid.Check(t, func(rt *rapid.T) {
		tab := newDemandTable()
		ref := map[string]*demandRow{}
		titles := map[string]string{} // as drawn: the table may share their bytes, not change them
		text := func(label string) string {
			n := rapid.IntRange(0, 3).Draw(rt, label+"n")
			var b strings.Builder
			for i := range n {
				b.WriteString(rapid.SampledFrom(words).Draw(rt, label+string(rune('0'+i))))
			}
			return b.String()
		}
		for step := range rapid.IntRange(1, 40).Draw(rt, "steps") {
			batch := map[string]*demandRow{}
			for range rapid.IntRange(1, 4).Draw(rt, "batch") {
				id := string(rune('a' + rapid.IntRange(0, 11).Draw(rt, "id")))
				d := relief.Demand{
					ID: id, Code: relief.Code(relief.KindDemand, id), Title: text("title"), Address: text("addr"),
					District: rapid.SampledFrom([]string{"", "洪山区", "黄陂区"}).Draw(rt, "district"),
					Category: rapid.SampledFrom([]string{"food_water", "transport"}).Draw(rt, "category"),
					Status:   rapid.SampledFrom(statuses).Draw(rt, "status"),
					Items:    []relief.Item{{Name: text("item")}},
				}
				if rapid.Bool().Draw(rt, "owned") {
					d.Owner = owner
				}
				d.CreatedAt = ledger.Stamp{Wall: int64(rapid.IntRange(0, 5).Draw(rt, "created"))}
				d.Urgency = rapid.SampledFrom(urgencies).Draw(rt, "urgency")
				if rapid.Bool().Draw(rt, "collide") {
					d.Code = codes[rapid.IntRange(0, 1).Draw(rt, "code")] // codes are hashes: they collide
				}
				r := newDemandRow(d)
				r.actors = []ledger.DeviceID{owner}
				if w := rapid.IntRange(0, 3).Draw(rt, "wait"); w > 0 {
					r.setWait(waitNames[w], base.Add(time.Duration(rapid.IntRange(0, 8).Draw(rt, "since"))*time.Hour))
				}
				batch[id] = r
				titles[id] = d.Title + d.Address
			}
			rows := make([]*demandRow, 0, len(batch))
			for id, r := range batch {
				rows = append(rows, r)
				ref[id] = r
			}
			tab.put(rows)
			if rapid.IntRange(0, 4).Draw(rt, "remove") == 0 { // a cut undid a demand
				id := string(rune('a' + rapid.IntRange(0, 11).Draw(rt, "removed")))
				tab.remove([]string{id})
				delete(ref, id)
			}
			for w := waitNone + 1; w < waitKinds; w++ {
				n := 0
				for _, r := range ref {
					if r.wait == w {
						n++
					}
				}
				if !slices.IsSortedFunc(tab.waits[w], tab.cmpWait) || len(tab.waits[w]) != n {
					rt.Fatalf("step %d: wait list %d has %d rows, sorted %v; want %d sorted", step, w, len(tab.waits[w]), slices.IsSortedFunc(tab.waits[w], tab.cmpWait), n)
				}
			}
			if !slices.IsSortedFunc(tab.order, tab.cmpSlots) || len(tab.order) != len(ref) {
				rt.Fatalf("step %d: order has %d rows, sorted %v; want %d sorted", step, len(tab.order), slices.IsSortedFunc(tab.order, tab.cmpSlots), len(ref))
			}
			q := DemandQuery{
				Text:   rapid.SampledFrom(append([]string{"", " 协和 ", "口罩 洪山", "医院　n95", "水 汉 区第3", "协和 火"}, words...)).Draw(rt, "q.text"),
				Offset: rapid.IntRange(0, 3).Draw(rt, "q.offset"),
				Limit:  rapid.IntRange(0, 3).Draw(rt, "q.limit"),
			}
			if rapid.Bool().Draw(rt, "q.byStatus") {
				q.Status = rapid.SampledFrom(statuses).Draw(rt, "q.status")
			}
			if rapid.Bool().Draw(rt, "q.byOwner") {
				q.Owner = owner.String()
			}
			if rapid.Bool().Draw(rt, "q.byDistrict") {
				q.District = "洪山区"
			}
			if rapid.Bool().Draw(rt, "q.byUrgency") {
				q.Urgency = rapid.SampledFrom(urgencies).Draw(rt, "q.urgency")
			}
			if rapid.IntRange(0, 3).Draw(rt, "q.byCode") == 0 {
				q.Code = strings.ToLower(rapid.SampledFrom(append(codes, relief.Code(relief.KindDemand, "a"))).Draw(rt, "q.code"))
			}
			q.Overdue = rapid.Bool().Draw(rt, "q.overdue")
			q.Sort = rapid.SampledFrom([]DemandSort{SortNewest, SortUrgency, SortReplyBy}).Draw(rt, "q.sort")
			now := base.Add(time.Duration(rapid.IntRange(0, 12).Draw(rt, "now")) * time.Hour)
			dl := relief.Deadlines{Review: time.Duration(rapid.IntRange(1, 5).Draw(rt, "dl.review")) * time.Hour, Claim: 3 * time.Hour}
			for which, tb := range []*demandTable{tab, buildTable(slices.Collect(func(yield func(*demandRow) bool) {
				for _, r := range ref {
					c := *r
					if !yield(&c) {
						return
					}
				}
			}))} {
				// q, and the overdue screen's query (overdue alone, its own
				// path: overduePage) with q's order and window.
				for _, q := range []DemandQuery{q, {Overdue: true, Sort: q.Sort, Offset: q.Offset, Limit: q.Limit}} {
					page, total := tb.query(q, dl, now)
					var got []string
					for _, r := range page {
						got = append(got, r.id)
						if v := r.view(); v.Title+v.Address != titles[r.id] {
							rt.Fatalf("step %d: row %s has title and address %q; want %q", step, r.id, v.Title+v.Address, titles[r.id])
						}
					}
					want, wantTotal := bruteQuery(ref, q, dl, now)
					if !slices.Equal(got, want) || total != wantTotal {
						rt.Fatalf("step %d, table %d: query(%+v) = %v, %d; want %v, %d", step, which, q, got, total, want, wantTotal)
					}
				}
			}
		}
	})
}

// TestDemandsPage checks paging and totals through the Store API.
func TestDemandsPage(t *testing.T) {
	s := openStore(t, t.TempDir(), newClock())
	if _, err := s.CreateNetwork("test", "me"); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 5 {
		d, err := s.RecordDemand(relief.Demand{Title: "协和医院 " + []string{"甲", "乙", "丙", "丁", "戊"}[i], Category: "food_water",
			Items: []relief.Item{{Name: "水", Unit: "箱"}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append([]string{d.ID}, ids...) // newest first
	}
	tests := []struct {
		q         DemandQuery
		want      []string
		wantTotal int
	}{
		{DemandQuery{Limit: 2}, ids[:2], 5},
		{DemandQuery{Offset: 2, Limit: 2}, ids[2:4], 5},
		{DemandQuery{Offset: 4, Limit: 2}, ids[4:], 5},
		{DemandQuery{Offset: 9, Limit: 2}, nil, 5},
		{DemandQuery{Text: "协和", Offset: 1}, ids[1:], 5},
		{DemandQuery{Text: "医院 丙"}, ids[2:3], 1},
		{DemandQuery{Text: "水"}, ids, 5},
		{DemandQuery{Text: "火", Limit: 3}, nil, 0},
		{DemandQuery{Text: "水 协和"}, ids, 5},      // words in any order, in different fields (a tester's "防护服 江岸" found nothing)
		{DemandQuery{Text: "乙　协和"}, ids[3:4], 1}, // a full-width space separates too
	}
	for _, tc := range tests {
		page, total, err := s.DemandsPage(tc.q)
		var got []string
		for _, d := range page {
			got = append(got, d.ID)
		}
		if err != nil || !slices.Equal(got, tc.want) || total != tc.wantTotal {
			t.Errorf("DemandsPage(%+v) = %v, %d, %v; want %v, %d", tc.q, got, total, err, tc.want, tc.wantTotal)
		}
	}
}

// TestDemandsWhileApplying reads the demand list and details while demands
// are being recorded (run with -race): readers do not take the writers'
// lock, and each sees a consistent list.
func TestDemandsWhileApplying(t *testing.T) {
	s := openStore(t, t.TempDir(), newClock())
	if _, err := s.CreateNetwork("test", "me"); err != nil {
		t.Fatal(err)
	}
	first, err := s.RecordDemand(relief.Demand{Title: "协和医院", Category: "food_water", Items: []relief.Item{{Name: "水"}}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 100 {
			if _, err := s.RecordDemand(relief.Demand{Title: "协和医院 " + strconv.Itoa(i), Category: "food_water",
				Items: []relief.Item{{Name: "水"}}}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for reading := true; reading; {
		select {
		case <-done:
			reading = false
		default:
		}
		page, total, err := s.DemandsPage(DemandQuery{Text: "协和", Limit: 10})
		if err != nil || total < 1 || len(page) != min(total, 10) {
			t.Fatalf("DemandsPage = %d rows, total %d, %v; want min(total, 10) rows", len(page), total, err)
		}
		if n := s.DemandCounts()[relief.StatusCollected]; n < total {
			t.Fatalf("DemandCounts()[collected] = %d; want at least %d", n, total)
		}
		if d, err := s.Demand(first.ID); err != nil || d.Title != first.Title {
			t.Fatalf("Demand(%s) = %+v, %v; want %q", first.ID, d, err, first.Title)
		}
	}
	if _, total, _ := s.DemandsPage(DemandQuery{Text: "协和"}); total != 101 {
		t.Errorf("DemandsPage(协和) total = %d; want 101", total)
	}
}

// TestActorsOfSortedDistinct: actorsOf gives every author of a record's
// steps and field writes (superseded ones included) and every handover's
// target, sorted and once each, whatever their number — past addActorScan
// distinct members too — and nothing else.
func TestActorsOfSortedDistinct(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		pool := make([]ledger.DeviceID, rapid.IntRange(1, 3*addActorScan).Draw(rt, "members"))
		for i := range pool {
			pool[i][0], pool[i][31] = byte(i), byte(i*7+1)
		}
		pick := func(label string) ledger.DeviceID {
			return pool[rapid.IntRange(0, len(pool)-1).Draw(rt, label)]
		}
		rec := &relief.Record{Kind: relief.KindDemand, ID: "d", Fields: map[string]relief.Field{}}
		want := map[ledger.DeviceID]bool{}
		for i := range rapid.IntRange(0, 40).Draw(rt, "steps") {
			s := relief.Step{Meta: relief.Meta{Device: pick("step author"), Seq: uint64(i + 1)}}
			want[s.Meta.Device] = true
			if rapid.Bool().Draw(rt, "handover") {
				s.Args.To = pick("handed to")
				want[s.Args.To] = true
			}
			rec.Transitions = append(rec.Transitions, s)
		}
		for i := range rapid.IntRange(0, 12).Draw(rt, "fields") {
			f := relief.Field{Meta: relief.Meta{Device: pick("writer")}}
			want[f.Meta.Device] = true
			var prev []relief.Write
			for range rapid.IntRange(0, 6).Draw(rt, "superseded") {
				w := relief.Write{Meta: relief.Meta{Device: pick("earlier writer")}}
				want[w.Meta.Device] = true
				prev = append(prev, w)
			}
			f.SetPrev(prev)
			rec.Fields[strconv.Itoa(i)] = f
		}
		got := actorsOf(rec)
		if !slices.IsSortedFunc(got, ledger.DeviceID.Compare) || len(slices.Compact(slices.Clone(got))) != len(got) {
			rt.Fatalf("actorsOf = %v: not sorted and distinct", got)
		}
		if len(got) != len(want) {
			rt.Fatalf("actorsOf gives %d members; want %d", len(got), len(want))
		}
		for _, d := range got {
			if !want[d] {
				rt.Fatalf("actorsOf gives %s, who neither wrote nor was handed the record", d.Short())
			}
		}
	})
}

// TestWriteLowerIsToLower: a row's text is lowered by writeLower, which
// skips the case tables for Chinese characters; it must write exactly what
// strings.ToLower returns (the search text is lowered by it): for every
// rune alone, for invalid bytes, and for random mixed strings.
func TestWriteLowerIsToLower(t *testing.T) {
	lower := func(s string) string {
		var b strings.Builder
		writeLower(&b, s)
		return b.String()
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		s := "A" + string(r) + "é"
		if got, want := lower(s), strings.ToLower(s); got != want {
			t.Fatalf("writeLower(%q) = %q; want strings.ToLower's %q (rune %#x)", s, got, want, r)
		}
	}
	for _, s := range []string{"\xff", "口\xe5\x8f", "\xe5\x8fA", "Ａ\xc0\xafＢ", ""} {
		if got, want := lower(s), strings.ToLower(s); got != want {
			t.Fatalf("writeLower(%q) = %q; want strings.ToLower's %q", s, got, want)
		}
	}
	rapid.Check(t, func(rt *rapid.T) {
		s := rapid.OneOf(rapid.String(), rapid.StringOf(rapid.RuneFrom([]rune("口罩ABCÄÖΣΑДЖＡＺａ区İK\u212a\u0130"), unicode.Han, unicode.Latin, unicode.Greek)),
			rapid.Map(rapid.SliceOf(rapid.Byte()), func(b []byte) string { return string(b) })).Draw(rt, "s") // invalid bytes too
		if got, want := lower(s), strings.ToLower(s); got != want {
			rt.Fatalf("writeLower(%q) = %q; want strings.ToLower's %q", s, got, want)
		}
	})
}
