package desk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/bulletin"
	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

func ptr(n float64) *float64 { return &n }

func TestMergeDuplicate(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	orig := importer.Record{Kind: relief.KindDemand, File: "a.csv", Row: 2, Source: "import:a:1", Org: "武汉市第一医院", Category: "medical",
		Items:    []relief.Item{{Name: "N95口罩"}},
		Contacts: []relief.Contact{{Name: "甲老师", Phone: "+8613800000001"}}}
	dupRec := importer.Record{Kind: relief.KindDemand, File: "b.csv", Row: 7, Source: "import:b:1", Org: "湖北省武汉市第一医院", Category: "medical",
		Items:    []relief.Item{{Name: "N95口罩", Needed: ptr(500), Unit: "只"}, {Name: "防护服", Needed: ptr(200)}},
		Contacts: []relief.Contact{{Name: "甲老师", Phone: "+8613800000001"}, {Name: "乙主任", Phone: "+8613900000002"}}}
	other := importer.Record{Kind: relief.KindDemand, File: "b.csv", Row: 8, Source: "import:b:2", Org: "武汉市第一医院（光谷院区）", Category: "medical",
		Items: []relief.Item{{Name: "护目镜"}}}
	rep, err := importApply(ctx, st, []importer.Record{orig, dupRec, other}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 1 || rep.Flagged != 2 {
		t.Fatalf("Apply = created %d flagged %d; want 1 created, 2 flagged", rep.Created, rep.Flagged)
	}
	origID, dupID, otherID := rep.IDs[0], rep.IDs[1], rep.IDs[2]

	rv, err := New(st).ReviewDuplicate(dupID)
	if err != nil {
		t.Fatalf("ReviewDuplicate = %v", err)
	}
	if rv.Original != origID || len(rv.Adds.Contacts) != 1 || rv.Adds.Contacts[0].Phone != "+8613900000002" || len(rv.Adds.Items) != 2 {
		t.Fatalf("ReviewDuplicate = %+v; want original %s, adds 1 contact (+8613900000002) and 2 items", rv, origID)
	}
	if _, err := New(st).ReviewDuplicate(origID); !errors.Is(err, importer.ErrNotFlagged) {
		t.Errorf("ReviewDuplicate(original) = %v; want ErrNotFlagged", err)
	}

	if _, err := New(st).MergeDuplicate(dupID); err != nil {
		t.Fatalf("MergeDuplicate = %v", err)
	}
	o, _ := st.Demand(origID)
	if len(o.Contacts) != 2 || o.Contacts[1].Phone != "+8613900000002" {
		t.Errorf("original contacts after merge = %+v; want 甲老师 and 乙主任", o.Contacts)
	}
	if len(o.Items) != 2 || o.Items[0].Needed == nil || *o.Items[0].Needed != 500 || o.Items[0].Unit != "只" || o.Items[1].Name != "防护服" {
		t.Errorf("original items after merge = %+v; want N95口罩 500 只 and 防护服", o.Items)
	}
	d, _ := st.Demand(dupID)
	if d.Status != relief.StatusDuplicate || d.DuplicateOf != origID || slices.Contains(d.Tags, importer.TagPossibleDuplicate) || !slices.Contains(d.Tags, importer.TagMergedDuplicate) {
		t.Errorf("merged demand: status %s of %q, tags %v; want duplicate of %s, tagged %s only", d.Status, d.DuplicateOf, d.Tags, origID, importer.TagMergedDuplicate)
	}
	if _, err := New(st).MergeDuplicate(dupID); !errors.Is(err, importer.ErrNotFlagged) {
		t.Errorf("second MergeDuplicate = %v; want ErrNotFlagged", err)
	}

	if err := New(st).KeepSeparate(otherID); err != nil {
		t.Fatalf("KeepSeparate = %v", err)
	}
	x, _ := st.Demand(otherID)
	if x.Status != relief.StatusCollected || slices.Contains(x.Tags, importer.TagPossibleDuplicate) || !slices.Contains(x.Tags, importer.TagNotDuplicate) {
		t.Errorf("kept demand: status %s, tags %v; want collected, tagged %s only", x.Status, x.Tags, importer.TagNotDuplicate)
	}
	if err := New(st).KeepSeparate(otherID); !errors.Is(err, importer.ErrNotFlagged) {
		t.Errorf("second KeepSeparate = %v; want ErrNotFlagged", err)
	}
	o2, _ := st.Demand(origID)
	if len(o2.Items) != 2 {
		t.Errorf("KeepSeparate changed the original: %+v", o2.Items)
	}

	// The merged row, changed in its file, does not change the closed
	// demand: it is held.
	changed := dupRec
	changed.Items = []relief.Item{{Name: "N95口罩", Needed: ptr(900), Unit: "只"}}
	rep3, err := importApply(ctx, st, []importer.Record{changed}, nil)
	if err != nil || rep3.Held != 1 || len(rep3.Updates) != 1 || !slices.Contains(rep3.Updates[0].Edited, importer.FieldStatusClosed) {
		t.Errorf("Apply(merged row changed) = %+v, %v; want it held as closed", rep3, err)
	}

	// A flag whose original is closed cannot be merged when it adds
	// something: keep it separate instead.
	late := importer.Record{Kind: relief.KindDemand, File: "c.csv", Row: 2, Source: "import:c:1", Org: "武汉市武昌医院", Category: "medical",
		Items: []relief.Item{{Name: "口罩"}}}
	late2 := importer.Record{Kind: relief.KindDemand, File: "c.csv", Row: 3, Source: "import:c:2", Org: "武昌医院", Category: "medical",
		Items: []relief.Item{{Name: "口罩"}, {Name: "手套"}}}
	rep4, err := importApply(ctx, st, []importer.Record{late, late2}, nil)
	if err != nil || rep4.Flagged != 1 {
		t.Fatalf("Apply(late) = %+v, %v; want 1 flagged", rep4, err)
	}
	op, err := relief.Transition(relief.KindDemand, rep4.IDs[0], relief.ActionReject, relief.Args{Note: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ApplyLocal([]ledger.Op{op}); err != nil {
		t.Fatal(err)
	}
	if _, err := New(st).MergeDuplicate(rep4.IDs[1]); !errors.Is(err, importer.ErrNotAllowed) {
		t.Errorf("MergeDuplicate(into a rejected original) = %v; want ErrNotAllowed", err)
	}

	// Importing the same rows again offers nothing again.
	rep2, err := importApply(ctx, st, []importer.Record{orig, dupRec, other}, nil)
	if err != nil || rep2.Skipped != 3 || rep2.Flagged != 0 {
		t.Errorf("re-Apply = %+v, %v; want 3 skipped", rep2, err)
	}
}

// TestAnswerPeerFlag: a demand the store flags (the same hospital recorded
// twice, not by an import) is reviewed, merged and kept separate through the
// same commands as an import's flag, and each answer clears the flag.
func TestAnswerPeerFlag(t *testing.T) {
	st := newStore(t)
	dk := New(st)
	rec := func(org, phone string) relief.Demand {
		d, err := st.RecordDemand(relief.Demand{Title: "口罩", Category: "medical", RequesterOrg: org,
			Items: []relief.Item{{Name: "N95口罩"}}, Contacts: []relief.Contact{{Name: "王主任", Phone: phone}}})
		if err != nil {
			t.Fatalf("RecordDemand = %v", err)
		}
		return d
	}
	first := rec("武汉协和医院", "+8613800000001")
	second := rec("湖北省武汉市武汉协和医院", "+8613800000001")
	if o, ok := st.DuplicateOf(second.ID); !ok || o != first.ID {
		t.Fatalf("DuplicateOf(second) = %q, %v; want %s", o, ok, first.ID)
	}
	rv, err := dk.ReviewDuplicate(second.ID)
	if err != nil || rv.Original != first.ID || !rv.CanMerge {
		t.Fatalf("ReviewDuplicate = %+v, %v; want original %s, may merge", rv, err, first.ID)
	}
	if _, err := dk.MergeDuplicate(second.ID); err != nil {
		t.Fatalf("MergeDuplicate = %v", err)
	}
	d, _ := st.Demand(second.ID)
	if d.Status != relief.StatusDuplicate || d.DuplicateOf != first.ID || !slices.Contains(d.Tags, importer.TagMergedDuplicate) {
		t.Errorf("merged: status %s of %q, tags %v; want duplicate of %s, tagged merged", d.Status, d.DuplicateOf, d.Tags, first.ID)
	}
	if _, ok := st.DuplicateOf(second.ID); ok {
		t.Errorf("DuplicateOf(merged) still flagged")
	}

	third := rec("武汉协和医院", "+8613800000009")
	if _, ok := st.DuplicateOf(third.ID); !ok {
		t.Fatalf("DuplicateOf(third) not flagged")
	}
	if err := dk.KeepSeparate(third.ID); err != nil {
		t.Fatalf("KeepSeparate = %v", err)
	}
	if _, ok := st.DuplicateOf(third.ID); ok {
		t.Errorf("DuplicateOf(kept separate) still flagged")
	}
	if err := dk.KeepSeparate(third.ID); !errors.Is(err, importer.ErrNotFlagged) {
		t.Errorf("second KeepSeparate = %v; want ErrNotFlagged", err)
	}
}

// TestBulletinCarriesPeerFlag: a team bulletin carries the store's duplicate
// flag as the original's code, in the row of the flagged demand; a public
// one does not.
func TestBulletinCarriesPeerFlag(t *testing.T) {
	st := newStore(t)
	dk := New(st)
	var ds []relief.Demand
	for _, org := range []string{"武汉协和医院", "湖北省武汉市武汉协和医院"} {
		d, err := st.RecordDemand(relief.Demand{Title: "口罩", Category: "medical", RequesterOrg: org,
			Items: []relief.Item{{Name: "N95口罩"}}, Contacts: []relief.Contact{{Name: "王主任", Phone: "+8613800000001"}}})
		if err != nil {
			t.Fatalf("RecordDemand = %v", err)
		}
		ds = append(ds, d)
	}
	for _, tc := range []struct {
		level string
		want  bool
	}{{"public", false}, {"team", true}, {"restricted", true}} {
		var buf bytes.Buffer
		if _, err := dk.WriteBulletin(&buf, BulletinRequest{Format: "json", Level: tc.level, IncludeUnpublished: true}); err != nil {
			t.Fatalf("WriteBulletin(%s) = %v", tc.level, err)
		}
		var lines []bulletin.Line
		if err := json.Unmarshal(buf.Bytes(), &lines); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, l := range lines {
			if l.DuplicateOf != "" {
				got[l.Code] = l.DuplicateOf
			}
		}
		want := map[string]string{}
		if tc.want {
			want[ds[1].Code] = ds[0].Code
		}
		if !maps.Equal(got, want) {
			t.Errorf("WriteBulletin(json, %s) flags %v; want %v", tc.level, got, want)
		}
	}
}
