package app

import (
	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestEditThroughTheService: the demand page's edit reaches the desk and
// returns the detail with the new values, the derived place, the position
// and whether the member may edit; a rejected demand is refused as closed.
func TestEditThroughTheService(t *testing.T) {
	a := newApp(t, t.TempDir())
	if _, err := a.Network.Create("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	in := DemandInput{Title: "钟祥市人民医院 N95", Category: "protective_equipment", Items: []ItemInput{item("N95口罩", "500", "只")}}
	got, err := a.Demands.Record(in)
	if err != nil {
		t.Fatal(err)
	}
	if det, err := a.Demands.Get(got.ID); err != nil || !det.Editable || det.Position != nil {
		t.Fatalf("Get = editable %v, position %v, %v; want editable, no position", det.Editable, det.Position, err)
	}
	in.Address, in.Position = "湖北省荆门市钟祥市郢中街道", &PositionInput{Lat: 31.17, Lon: 112.59}
	det, err := a.Demands.Edit(got.ID, in)
	if err != nil || det.District != "钟祥市" || det.Region != "湖北省 荆门市 钟祥市" || det.Address != in.Address ||
		det.Position == nil || *det.Position != (PositionView{Lat: 31.17, Lon: 112.59}) {
		t.Fatalf("Edit = district %q, region %q, address %q, position %v, %v; want placed in 钟祥市 at 31.17, 112.59",
			det.District, det.Region, det.Address, det.Position, err)
	}
	// the edit is in the signed history, with its fields, before the rejection
	if n := len(det.History); n != 1 || det.History[0].Action != string(relief.ActionEdit) || det.History[0].By.Name != "甲" ||
		!slices.Contains(det.History[0].Fields, relief.FieldPosition) || !slices.Contains(det.History[0].Fields, relief.FieldAddress) {
		t.Errorf("History after the edit = %+v; want one edit by 甲 naming the position and the address", det.History)
	}
	if _, err := a.Demands.Act(ActInput{ID: got.ID, Action: string(relief.ActionReject), Note: "重复"}); err != nil {
		t.Fatal(err)
	}
	if det, _ := a.Demands.Get(got.ID); len(det.History) != 2 || det.History[1].Action != string(relief.ActionReject) || det.History[1].Fields == nil {
		t.Errorf("History after the rejection = %+v; want the edit, then the rejection (fields never null)", det.History)
	}
	if det, _ := a.Demands.Get(got.ID); det.Editable {
		t.Error("a rejected demand is still editable")
	}
	in.Title = "改"
	_, err = a.Demands.Edit(got.ID, in)
	if code, args := reasonOf(t, err); code != CodeClosed || args["status"] != string(relief.StatusRejected) {
		t.Fatalf("Edit of a rejected demand = %v; want %s, status rejected", err, CodeClosed)
	}
}

// TestHistoryOrderWithinAMillisecond: a step and a field edit stamped in the
// same millisecond are shown in the order they were made (the hybrid logical
// clock's logical part, then device and sequence), not steps first. CI failed
// on this once when an edit and a rejection shared a millisecond.
func TestHistoryOrderWithinAMillisecond(t *testing.T) {
	var dev ledger.DeviceID
	dev[0] = 1
	at := func(logical uint32, seq uint64) relief.Meta {
		return relief.Meta{Stamp: ledger.Stamp{Wall: 1796643739101, Logical: logical}, Device: dev, Seq: seq}
	}
	dd := desk.DemandDetail{
		Demand: relief.Demand{ID: "d", History: []relief.Step{
			{Action: relief.ActionReject, Meta: at(1, 4)},
			{Action: relief.ActionApprove, Meta: at(0, 2)},
		}},
		Edits: []relief.Edit{{Meta: at(0, 3), Fields: []string{relief.FieldAddress}}},
	}
	got := detailView(dd).History
	var order []string
	for _, s := range got {
		order = append(order, s.Action)
	}
	want := []string{string(relief.ActionApprove), string(relief.ActionEdit), string(relief.ActionReject)}
	if !slices.Equal(order, want) {
		t.Fatalf("history within one millisecond = %v; want %v (the order the changes were made)", order, want)
	}
}
