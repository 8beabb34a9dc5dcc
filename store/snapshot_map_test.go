//go:build unix

package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/relief"
)

// inMapping reports whether s's bytes lie in the mapping m.
func inMapping(m []byte, s string) bool {
	if len(m) == 0 || s == "" {
		return false
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(m)))
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	return p >= lo && p < lo+uintptr(len(m))
}

// listJSON is the JSON of every demand of s's list and of a search for text.
func listJSON(t tb, s *Store, text string) string {
	t.Helper()
	all, err := s.Demands(DemandQuery{})
	if err != nil {
		t.Fatalf("Demands = %v", err)
	}
	found, err := s.Demands(DemandQuery{Text: text})
	if err != nil {
		t.Fatalf("Demands(%q) = %v", text, err)
	}
	b, err := json.Marshal([]any{all, found})
	if err != nil {
		t.Fatalf("to JSON: %v", err)
	}
	return string(b)
}

// TestSnapshotMappedAfterEdits is the property test of the demand list
// opened from a mapped views snapshot: the rows' list views stay in the
// mapped file (their ids and codes do not), edits replace the rows they
// touch by rows of their own (the file is never written), and after random
// edits every demand of the list, and a search, equal the demands folded
// from Badger, also after the pages were released (releaseSnapshotPages) and
// after a close wrote a new snapshot over the mapped file (the views decoded
// before it still read the same), and the next open answers the same.
func TestSnapshotMappedAfterEdits(t *testing.T) {
	defer defaultChecks(20, 6)()
	defer lowSnapshotMin()()
	titles := []string{"急需N95口罩", "缺防护服", "送水到方舱", "帐篷和药品", "救援物资"}
	districts := []string{"江汉区", "武昌区", "洪山区"}
	urgencies := []relief.Urgency{relief.UrgencyLow, relief.UrgencyNormal, relief.UrgencyHigh, relief.UrgencyCritical}
	rapid.Check(t, func(rt *rapid.T) {
		dir := t.TempDir()
		clk := newClock()
		s, err := Open(dir, Options{Clock: clk.now})
		if err != nil {
			rt.Fatalf("Open = %v", err)
		}
		if _, err := s.CreateNetwork("net", "coordinator"); err != nil {
			rt.Fatal(err)
		}
		var ids []string
		for i := range rapid.IntRange(1, 12).Draw(rt, "demands") {
			d := sampleDemand(rapid.SampledFrom(titles).Draw(rt, "title") + fmt.Sprint(i))
			d.District = rapid.SampledFrom(districts).Draw(rt, "district")
			got, err := s.RecordDemand(d)
			if err != nil {
				rt.Fatal(err)
			}
			ids = append(ids, got.ID)
		}
		s.Close()

		s, err = Open(dir, Options{Clock: clk.now})
		if err != nil {
			rt.Fatalf("reopen = %v", err)
		}
		defer func() { s.Close() }()
		m := s.snap.mapped
		if !s.snap.loaded || m == nil {
			rt.Fatalf("the open did not map the snapshot (loaded %v, %s)", s.snap.loaded, s.snap.lastReason)
		}
		for _, r := range s.idx.t.slots {
			if !inMapping(m, r.pv.b) || !inMapping(m, r.pv.arena) || !inMapping(m, r.text) {
				rt.Fatalf("demand %s: list view or text not in the mapped snapshot", r.id)
			}
			if inMapping(m, r.id) || inMapping(m, r.code) {
				rt.Fatalf("demand %s: id or code in the mapped snapshot", r.id)
			}
		}
		if rapid.Bool().Draw(rt, "release") {
			if err := releaseSnapshotPages(m); err != nil {
				rt.Fatalf("releaseSnapshotPages = %v", err)
			}
		}

		edited := map[string]bool{}
		for range rapid.IntRange(0, 8).Draw(rt, "edits") {
			id := rapid.SampledFrom(ids).Draw(rt, "demand")
			var fields map[string]any
			switch rapid.IntRange(0, 2).Draw(rt, "field") {
			case 0:
				fields = map[string]any{relief.FieldTitle: rapid.SampledFrom(titles).Draw(rt, "new title") + "改"}
			case 1:
				fields = map[string]any{relief.FieldDistrict: rapid.SampledFrom(districts).Draw(rt, "new district")}
			case 2:
				fields = map[string]any{relief.FieldUrgency: rapid.SampledFrom(urgencies).Draw(rt, "urgency")}
			}
			applyOps(rt, s, must2(rt)(relief.SetFields(relief.KindDemand, id, fields)))
			edited[id] = true
		}
		for id := range edited {
			if r, _ := s.idx.t.row(id); inMapping(m, r.pv.b) {
				rt.Fatalf("demand %s was edited: its list view is still the snapshot's", id)
			}
		}

		text := strings.ToLower(rapid.SampledFrom([]string{"口罩", "防护", "方舱", "药品", "改", "江汉"}).Draw(rt, "search"))
		var all, found []relief.Demand
		for i := len(ids) - 1; i >= 0; i-- { // newest first, as the list
			d, err := s.Demand(ids[i])
			if err != nil {
				rt.Fatalf("Demand(%s) = %v", ids[i], err)
			}
			d = listView(d)
			all = append(all, d)
			if strings.Contains(strings.ToLower(d.Title+"\x00"+d.District+"\x00"+d.RequesterOrg+"\x00"+d.Address+"\x00"+d.Code), text) ||
				strings.Contains(strings.ToLower(itemNames(d)), text) {
				found = append(found, d)
			}
		}
		b, err := json.Marshal([]any{all, found})
		if err != nil {
			rt.Fatal(err)
		}
		got := listJSON(rt, s, text)
		if got != string(b) {
			rt.Fatalf("the list after edits on a mapped snapshot:\n%s\nwant (folded from Badger)\n%s", got, b)
		}

		held, _ := s.Demands(DemandQuery{}) // decoded from the mapping, held across the close
		heldJSON, _ := json.Marshal(held)
		s.Close()
		if again, _ := json.Marshal(held); string(again) != string(heldJSON) {
			rt.Fatalf("list views decoded before the close changed after it wrote a new snapshot")
		}
		s, err = Open(dir, Options{Clock: clk.now})
		if err != nil {
			rt.Fatalf("reopen = %v", err)
		}
		if len(edited) > 0 && !s.snap.loaded {
			rt.Fatalf("the snapshot written after the edits was not loaded (%s)", s.snap.lastReason)
		}
		if again := listJSON(rt, s, text); again != got {
			rt.Fatalf("after a reopen:\n%s\nwant\n%s", again, got)
		}
	})
}

// itemNames joins d's item names, each followed by 0.
func itemNames(d relief.Demand) string {
	var b strings.Builder
	for _, it := range d.Items {
		b.WriteString(it.Name)
		b.WriteByte(0)
	}
	return b.String()
}
