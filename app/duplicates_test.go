package app

import (
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/importer"
)

// TestAnswerDuplicates: the flags an import leaves are answered in the app,
// once each: merged into the original, or kept separate.
func TestAnswerDuplicates(t *testing.T) {
	a, _ := importApp(t)
	var flagged []string
	for _, f := range []string{"wuhan2020/hospital_needs_wuhan.json", "wuhan2020/DemandOfWuhan.csv"} {
		path := rawFile(t, f)
		p, err := a.Imports.Preview(path)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := a.Imports.Run(path, p.Mapping)
		if err != nil {
			t.Fatalf("Run(%s) = %v", f, err)
		}
		for _, d := range rep.Duplicates {
			flagged = append(flagged, d.ID)
		}
	}
	if len(flagged) < 2 {
		t.Fatalf("%d demands flagged; want at least 2", len(flagged))
	}
	// Merge the first flag that adds something.
	var merged DuplicateReview
	for _, id := range flagged {
		rv, err := a.Demands.ReviewDuplicate(id)
		if err != nil {
			t.Fatalf("ReviewDuplicate(%s) = %v", id, err)
		}
		if !rv.CanAnswer || !rv.CanMerge || rv.OriginalCode == "" || len(rv.Reasons) == 0 {
			t.Fatalf("ReviewDuplicate(%s) = %+v; want an original, reasons, answerable by the coordinator", id, rv)
		}
		if det, _ := a.Demands.Get(id); !det.Imported || det.FlaggedOriginal != rv.OriginalCode {
			t.Errorf("Get(%s) = imported %v, flagged original %q; want imported, %s (the UI says both in its language)", id, det.Imported, det.FlaggedOriginal, rv.OriginalCode)
		}
		if len(rv.AddsItems)+len(rv.AddsContacts) > 0 && merged.ID == "" {
			merged = rv
		}
	}
	if merged.ID == "" {
		t.Fatal("no flag adds anything")
	}
	before, _ := a.Demands.Get(merged.Original)
	after, err := a.Demands.MergeDuplicate(merged.ID)
	if err != nil {
		t.Fatalf("MergeDuplicate(%s) = %v", merged.ID, err)
	}
	if after.ID != merged.Original || len(after.Items)+len(after.Contacts) <= len(before.Items)+len(before.Contacts) {
		t.Errorf("MergeDuplicate = %s with %d items %d contacts; want %s grown from %d items %d contacts (adds %v, %d contacts)",
			after.Code, len(after.Items), len(after.Contacts), merged.OriginalCode, len(before.Items), len(before.Contacts), merged.AddsItems, len(merged.AddsContacts))
	}
	dup, _ := a.Demands.Get(merged.ID)
	if dup.Status != "duplicate" || dup.DuplicateOf != merged.Original || slices.Contains(dup.Tags, importer.TagPossibleDuplicate) {
		t.Errorf("merged demand = status %s of %q, tags %v; want duplicate of %s, flag cleared", dup.Status, dup.DuplicateOf, dup.Tags, merged.Original)
	}
	_, err = a.Demands.MergeDuplicate(merged.ID)
	wantError(t, "second MergeDuplicate", err, CodeInvalid, "id")

	keep := flagged[0]
	if keep == merged.ID {
		keep = flagged[1]
	}
	kept, err := a.Demands.KeepSeparate(keep)
	if err != nil || kept.Status != "collected" || slices.Contains(kept.Tags, importer.TagPossibleDuplicate) || !slices.Contains(kept.Tags, importer.TagNotDuplicate) {
		t.Errorf("KeepSeparate(%s) = status %s tags %v, %v; want collected, tagged %s", keep, kept.Status, kept.Tags, err, importer.TagNotDuplicate)
	}
	_, err = a.Demands.ReviewDuplicate(keep)
	wantError(t, "ReviewDuplicate(kept)", err, CodeInvalid, "id")
	// A flagged demand already in progress can no longer be merged (it
	// cannot be marked a duplicate), but can still be kept separate.
	var busy string
	for _, id := range flagged {
		if d, _ := a.Demands.Get(id); id != merged.ID && id != keep && len(d.Items) > 0 {
			busy = id
			break
		}
	}
	if busy == "" {
		t.Fatal("no third flagged demand with items")
	}
	for _, act := range []ActInput{{Action: "approve", Note: "call-back"}, {Action: "publish"}, {Action: "claim"}} {
		act.ID = busy
		if _, err := a.Demands.Act(act); err != nil {
			t.Fatalf("Act(%s) = %v", act.Action, err)
		}
	}
	det, _ := a.Demands.Get(busy)
	if _, err := a.Demands.Act(ActInput{ID: busy, Action: "deliver", Received: []ReceiptInput{{Item: det.Items[0].Name, Quantity: "1"}}}); err != nil {
		t.Fatalf("Act(deliver) = %v", err)
	}
	if rv, err := a.Demands.ReviewDuplicate(busy); err != nil || rv.CanMerge || !rv.CanAnswer {
		t.Errorf("ReviewDuplicate(in progress) = canMerge %v canAnswer %v, %v; want false, true", rv.CanMerge, rv.CanAnswer, err)
	}
	_, err = a.Demands.MergeDuplicate(busy)
	wantError(t, "MergeDuplicate(in progress)", err, CodeNotAllowed, "id")
	if _, err := a.Demands.KeepSeparate(busy); err != nil {
		t.Errorf("KeepSeparate(in progress) = %v", err)
	}

	_, err = a.Demands.KeepSeparate("nosuchdemand")
	wantError(t, "KeepSeparate(unknown)", err, CodeNotFound, "id")
}
