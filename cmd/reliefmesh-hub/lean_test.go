package main

import (
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/app"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestServeKeepsNoViewsResident: `serve` opens its store lean
// (store.Options.Lean): no demand list or views while it serves; status
// counts the demands all the same (and a demand recorded while it serves),
// and the inbox and a bulletin asked through the control socket build the
// views for the request only — they are dropped when it is answered.
func TestServeKeepsNoViewsResident(t *testing.T) {
	dir := t.TempDir()
	a := app.New(dir, store.Options{})
	if _, err := a.Network.Create("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"协和医院急需 N95", "金银潭医院 防护服"} {
		if _, err := a.Demands.Record(app.DemandInput{Title: title, Category: "protective_equipment", District: "江汉区",
			Items: []app.ItemInput{{Name: "N95口罩", Quantity: "5000", Unit: "只"}}}); err != nil {
			t.Fatal(err)
		}
	}
	a.Shutdown(t.Context())

	srv := startServe(t, dir, serveOptions{})
	st := srv.nd.st
	resident := func(when string) {
		t.Helper()
		if !st.Lean() || st.ViewsResident() {
			t.Errorf("%s: the hub's store is lean %v, views resident %v; want lean, not resident", when, st.Lean(), st.ViewsResident())
		}
	}
	resident("serving")
	if s, out := statusJSON(t, dir); s.Demands != 2 || s.DemandsByStatus["collected"] != 2 {
		t.Errorf("status --json counts %d demands %v; want 2 collected\n%s", s.Demands, s.DemandsByStatus, out)
	}
	resident("after status")
	if _, err := st.RecordDemand(relief.Demand{Title: "汉口医院 消毒液", Category: "protective_equipment",
		Items: []relief.Item{{Name: "消毒液", Unit: "桶"}}}); err != nil {
		t.Fatal(err)
	}
	if s, out := statusJSON(t, dir); s.Demands != 3 || s.DemandsByStatus["collected"] != 3 {
		t.Errorf("status --json after a demand recorded while serving counts %d demands %v; want 3 collected\n%s", s.Demands, s.DemandsByStatus, out)
	}
	resident("after a demand recorded")
	out, err := run(t, "inbox", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "协和医院急需 N95") || !strings.Contains(out, "金银潭医院 防护服") {
		t.Errorf("inbox through the hub = %v\n%s; want the demands to review", err, out)
	}
	resident("after inbox")
	out, err = run(t, "export", "--include-unpublished", "--format", "csv", "--level", "team", "-o", "-", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "协和医院急需 N95") || !strings.Contains(out, "金银潭医院 防护服") {
		t.Errorf("export through the hub = %v\n%s; want both demands", err, out)
	}
	resident("after export")
}

// TestStatusSaysItCounts: a status whose saved counts do not hold counted
// every record in silence (70 s at 100,000 demands); it now says it counts
// (stderr), counts without folding a demand list, and saves the counts, so
// that the next status says nothing of the kind.
func TestStatusSaysItCounts(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "洪水", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	st, err := store.Open(dir, store.Options{ListOnly: true}) // saves no counts at Close
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"N95", "防护服"} {
		if _, err := st.RecordDemand(relief.Demand{Title: title, Category: "other"}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	out, err := run(t, "status", "--lang", "zh-CN", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "正在重新统计") || !strings.Contains(out, "需求：    2") {
		t.Errorf("first status = %v\n%s; want it to say it counts, and 2 demands", err, out)
	}
	out, err = run(t, "status", "--lang", "zh-CN", "--data-dir", dir)
	if err != nil || strings.Contains(out, "正在重新统计") || !strings.Contains(out, "需求：    2") {
		t.Errorf("second status = %v\n%s; want the saved counts, no counting", err, out)
	}
}
