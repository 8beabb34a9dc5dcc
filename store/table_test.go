package store

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// bruteQuery is the specification of demandTable.query: filter every row,
// match text as a lower-cased substring of each field, newest first, page.
func bruteQuery(rows map[string]*demandRow, q DemandQuery) ([]string, int) {
	text := strings.ToLower(strings.TrimSpace(q.Text))
	var all []*demandRow
	for _, r := range rows {
		d := r.view
		if (q.Status != "" && d.Status != q.Status) || (q.Category != "" && d.Category != q.Category) ||
			(q.District != "" && d.District != q.District) || (q.Owner != "" && r.owner != q.Owner) {
			continue
		}
		fields := []string{d.Title, d.Code, d.District, d.RequesterOrg, d.Address}
		for _, it := range d.Items {
			fields = append(fields, it.Name)
		}
		if text != "" && !slices.ContainsFunc(fields, func(f string) bool { return strings.Contains(strings.ToLower(f), text) }) {
			continue
		}
		all = append(all, r)
	}
	slices.SortFunc(all, func(a, b *demandRow) int { return cmpAge(b, a) })
	var ids []string
	for i, r := range all {
		if i >= q.Offset && (q.Limit == 0 || i < q.Offset+q.Limit) {
			ids = append(ids, r.view.ID)
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
				batch[id] = newDemandRow(d)
				titles[id] = d.Title + d.Address
			}
			rows := make([]*demandRow, 0, len(batch))
			for id, r := range batch {
				rows = append(rows, r)
				ref[id] = r
			}
			tab.put(rows)
			if !slices.IsSortedFunc(tab.order, tab.cmpSlots) || len(tab.order) != len(ref) {
				rt.Fatalf("step %d: order has %d rows, sorted %v; want %d sorted", step, len(tab.order), slices.IsSortedFunc(tab.order, tab.cmpSlots), len(ref))
			}
			q := DemandQuery{
				Text:   rapid.SampledFrom(append([]string{"", " 协和 "}, words...)).Draw(rt, "q.text"),
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
			for _, tb := range []*demandTable{tab, buildTable(slices.Collect(func(yield func(*demandRow) bool) {
				for _, r := range ref {
					c := *r
					if !yield(&c) {
						return
					}
				}
			}))} {
				page, total := tb.query(q)
				var got []string
				for _, r := range page {
					got = append(got, r.view.ID)
					if r.view.Title+r.view.Address != titles[r.view.ID] {
						rt.Fatalf("step %d: row %s has title and address %q; want %q", step, r.view.ID, r.view.Title+r.view.Address, titles[r.view.ID])
					}
				}
				want, wantTotal := bruteQuery(ref, q)
				if !slices.Equal(got, want) || total != wantTotal {
					rt.Fatalf("step %d: query(%+v) = %v, %d; want %v, %d", step, q, got, total, want, wantTotal)
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
		d, err := s.RecordDemand(relief.Demand{Title: "协和医院 " + string(rune('A'+i)), Category: "food_water",
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
		{DemandQuery{Text: "医院 c"}, ids[2:3], 1},
		{DemandQuery{Text: "水"}, ids, 5},
		{DemandQuery{Text: "火", Limit: 3}, nil, 0},
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
