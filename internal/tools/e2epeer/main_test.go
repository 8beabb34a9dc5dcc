package main

import (
	"path/filepath"
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
)

// TestScriptPlaysThreeMembers runs the script the end-to-end test runs
// before the app starts, on three devices in t.TempDir(): the handover
// reaches the app's device A only through the coordinator, V's later
// delivery waits for A as a former owner's, and the bundle file A imports
// brings V's earlier claim, against which A's own claim loses.
func TestScriptPlaysThreeMembers(t *testing.T) {
	dir := t.TempDir()
	r := &runner{dirs: devices{"C": filepath.Join(dir, "c"), "V": filepath.Join(dir, "v"), "A": filepath.Join(dir, "a")}, open: map[string]*desk.Desk{}}
	defer r.close()
	const n95, suits = "同济医院需要N95口罩", "协和医院需要防护服"
	approve := func(id string) Step {
		return Step{On: "C", Do: "act", Input: &desk.ActInput{ID: id, Action: "approve", Evidence: &desk.EvidenceInput{Kind: "callback", Caller: "甲", Outcome: "仍需要"}}}
	}
	act := func(on, id, action string, f ...func(*desk.ActInput)) Step {
		in := &desk.ActInput{ID: id, Action: action}
		for _, g := range f {
			g(in)
		}
		return Step{On: on, Do: "act", Input: in}
	}
	record := func(title, item string) Step {
		return Step{On: "C", Do: "record", Demand: &desk.DemandInput{Title: title, Category: "protective_equipment", District: "江汉区",
			Items: []desk.ItemInput{{Name: item, Quantity: "500", Unit: "件"}}}}
	}
	bundle := filepath.Join(dir, "c.rmbundle")
	out, err := r.run([]Step{
		{On: "C", Do: "create", Incident: "演练", Name: "协调员甲"},
		{On: "V", Do: "join", Network: "C"},
		{On: "A", Do: "join", Network: "C"},
		{On: "C", Do: "endorse", Member: "V", Role: "volunteer", Name: "志愿者乙"},
		{On: "C", Do: "endorse", Member: "A", Role: "volunteer", Name: "志愿者丙"},
		record(n95, "N95口罩"), record(suits, "防护服"),
		approve(n95), act("C", n95, "publish"), approve(suits), act("C", suits, "publish"),
		{On: "C", Do: "carry", To: "V"},
		act("V", suits, "claim"),
		{On: "V", Do: "carry", To: "C"},
		{On: "C", Do: "carry", To: "A"},
		act("V", n95, "claim"),
		act("C", suits, "handover", func(in *desk.ActInput) { in.To = "A" }),
		act("V", suits, "deliver", func(in *desk.ActInput) { in.Received = []desk.ReceiptInput{{Item: "防护服", Quantity: "200"}} }),
		{On: "V", Do: "carry", To: "C"},
		{On: "C", Do: "export", File: bundle},
		act("A", n95, "claim"),
		{On: "A", Do: "import", File: bundle},
		{On: "A", Do: "demand", ID: n95},
		{On: "A", Do: "demand", ID: suits},
		{On: "A", Do: "inbox"},
	})
	if err != nil {
		t.Fatalf("run = %v", err)
	}
	last := len(out) - 1
	n95d, suitsd := out[last-2].(map[string]any), out[last-1].(map[string]any)
	if n95d["ownerName"] != "志愿者乙" || n95d["conflicts"] != 1 {
		t.Errorf("N95 on A = owner %v, %v open conflicts; want 志愿者乙's earlier claim to win over A's, one conflict", n95d["ownerName"], n95d["conflicts"])
	}
	if suitsd["ownerName"] != "志愿者丙" || suitsd["received"].(map[string]float64)["防护服"] != 0 {
		t.Errorf("suits on A = owner %v, received %v; want 志愿者丙 (the handover) and nothing counted yet", suitsd["ownerName"], suitsd["received"])
	}
	whats := map[string]int{}
	for _, e := range out[last].([]map[string]any) {
		whats[e["what"].(string)]++
	}
	if whats["conflict"] != 1 || whats["delivery"] != 1 {
		t.Errorf("A's inbox = %v; want one conflict (the losing claim) and one delivery to confirm", whats)
	}
}

// TestUnknownDeviceAndStep: a step on a device not given, and an unknown
// step, fail naming what is wrong.
func TestUnknownDeviceAndStep(t *testing.T) {
	r := &runner{dirs: devices{"C": t.TempDir()}, open: map[string]*desk.Desk{}}
	defer r.close()
	for _, s := range []Step{{On: "X", Do: "inbox"}, {On: "C", Do: "dance"}} {
		if _, err := r.run([]Step{s}); err == nil {
			t.Errorf("run(%+v) = nil error; want one", s)
		}
	}
}
