package desk

import (
	"testing"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestUndoImport: undoing an import withdraws, in one signed change, the
// demands it created that nobody acted on since, and expires its offers; the
// ones acted on or edited since are listed and left as they are.
func TestUndoImport(t *testing.T) {
	st := newStore(t)
	dk := New(st)
	csv := "单位名称,地址,所需物资,联系方式\n" +
		"社区一,武汉市江汉区香港路1号,口罩 10个,张老师 13800000001\n" +
		"社区二,武汉市江岸区解放大道2号,手套 30副,李老师 13800000003\n" +
		"社区三,武汉市洪山区珞喻路3号,大米 20袋,王主任 13800000004\n"
	rep := applyRecs(t, st, readPath(t, writeFile(t, "u.csv", []byte(csv))))
	if len(rep.IDs) != 3 {
		t.Fatalf("import wrote %v", rep.IDs)
	}
	// someone acts on the first, edits the second
	if _, err := dk.Act(ActInput{ID: rep.IDs[0], Action: string(relief.ActionReject), Note: "not ours"}); err != nil {
		t.Fatal(err)
	}
	edit, err := relief.SetFields(relief.KindDemand, rep.IDs[1], map[string]any{relief.FieldTitle: "社区二（已核实）"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dk.apply([]ledger.Op{edit}); err != nil {
		t.Fatal(err)
	}
	before := len(allChanges(t, st))
	plan, err := dk.PlanUndoImport(rep.IDs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Withdraw) != 1 || plan.Withdraw[0].ID != rep.IDs[2] || len(plan.Kept) != 2 {
		t.Fatalf("plan = %+v; want 社区三 withdrawn, two kept", plan)
	}
	reasons := map[string]string{}
	for _, k := range plan.Kept {
		reasons[k.ID] = k.Reason
	}
	if reasons[rep.IDs[0]] != UndoKeptClosed || reasons[rep.IDs[1]] != UndoKeptChanged {
		t.Errorf("kept reasons = %v; want %s for the rejected one, %s for the edited one", reasons, UndoKeptClosed, UndoKeptChanged)
	}
	if n := len(allChanges(t, st)); n != before {
		t.Fatalf("PlanUndoImport wrote %d changes", n-before)
	}
	done, err := dk.UndoImport(rep.IDs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(done.Withdraw) != 1 {
		t.Errorf("UndoImport = %+v", done)
	}
	if n := len(allChanges(t, st)); n != before+1 {
		t.Errorf("UndoImport wrote %d changes; want one", n-before)
	}
	d3, err := st.Demand(rep.IDs[2])
	if err != nil || d3.Status != relief.StatusWithdrawn {
		t.Errorf("社区三 is %s (%v); want withdrawn", d3.Status, err)
	}
	d2, _ := st.Demand(rep.IDs[1])
	if d2.Status != relief.StatusCollected || d2.Title != "社区二（已核实）" {
		t.Errorf("the edited demand is %s %q; want it left as it was", d2.Status, d2.Title)
	}
	// a second undo has nothing left to withdraw
	again, err := dk.UndoImport(rep.IDs, nil)
	if err != nil || len(again.Withdraw) != 0 || len(again.Kept) != 3 {
		t.Errorf("second UndoImport = %+v, %v; want nothing withdrawn", again, err)
	}
}

func allChanges(t *testing.T, st *store.Store) []*ledger.Change {
	t.Helper()
	var out []*ledger.Change
	if err := st.ChangesSince(nil, func(c *ledger.Change) error { out = append(out, c); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestUndoImportOffers: the offers an import created and nobody changed are
// expired by the undo (valid until now); an unknown id is listed as missing.
func TestUndoImportOffers(t *testing.T) {
	st := newStore(t)
	dk := New(st)
	recs := []importer.Record{{Kind: relief.KindOffer, File: "h.csv", Row: 2, Source: "h:1", Org: "如家酒店（光谷店）", Region: "洪山区"}}
	rep := applyRecs(t, st, recs)
	if len(rep.IDs) != 1 {
		t.Fatalf("import wrote %v", rep.IDs)
	}
	plan, err := dk.UndoImport(append(rep.IDs, "nosuchid"), nil)
	if err != nil || len(plan.Withdraw) != 1 || len(plan.Kept) != 1 || plan.Kept[0].Reason != UndoKeptMissing {
		t.Fatalf("UndoImport = %+v, %v; want the offer expired and the unknown id missing", plan, err)
	}
	os, err := st.Offers()
	if err != nil || len(os) != 1 || os[0].ValidUntil.IsZero() || os[0].ValidUntil.After(st.Now()) {
		t.Errorf("offers after the undo = %+v, %v; want it valid until now", os, err)
	}
}

// TestUndoReimportKeepsWhatItUpdated: undoing a re-import withdraws the
// demand it created and keeps the one it updated, told as updated by the
// import rather than created by it (not as "changed since the import":
// finding 3 of session 12); the updated demand keeps the import's values.
func TestUndoReimportKeepsWhatItUpdated(t *testing.T) {
	st := newStore(t)
	dk := New(st)
	applyRecs(t, st, readPath(t, writeFile(t, "week1.csv", []byte(weekCSV))))
	v2 := "医院名称,地址,需求物资,数量,联系人\n" +
		"武汉市汉口医院,武汉市江汉区解放大道1001号,N95口罩,8000,甲老师 13800000001\n" + // quantity changed
		"武汉市武昌医院,武汉市武昌区张之洞路99号,防护服,200,乙老师 13800000002\n" +
		"黄陂区人民医院,武汉市黄陂区百秀街1号,护目镜,300,丙老师 13800000003\n" +
		"武汉市第五医院,武汉市汉阳区显正街122号,防护服,100,戊老师 13800000005\n" // new
	recs, _, err := importer.ReadFile(writeFile(t, "week1-v2.csv", []byte(v2)), importer.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rep := applyRecs(t, st, recs)
	if rep.Updated != 1 || rep.Created != 1 || len(rep.Updates) != 1 || len(rep.IDs) != 2 {
		t.Fatalf("re-import = %+v; want 1 updated, 1 created", rep)
	}
	upd := rep.Updates[0].ID
	var created string
	for _, id := range rep.IDs {
		if id != upd {
			created = id
		}
	}
	for _, undo := range []func([]string, []string) (UndoImportPlan, error){dk.PlanUndoImport, dk.UndoImport} {
		plan, err := undo(rep.IDs, []string{upd})
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Withdraw) != 1 || plan.Withdraw[0].ID != created {
			t.Errorf("withdrawn %+v; want only the created demand %s", plan.Withdraw, created)
		}
		if len(plan.Kept) != 1 || plan.Kept[0].ID != upd || plan.Kept[0].Reason != UndoKeptUpdated {
			t.Errorf("kept %+v; want the updated demand %s kept as %q", plan.Kept, upd, UndoKeptUpdated)
		}
	}
	d, err := st.Demand(upd)
	if err != nil || d.Status.Terminal() || len(d.Items) != 1 || d.Items[0].Needed == nil || *d.Items[0].Needed != 8000 {
		t.Errorf("updated demand after the undo = %+v, %v; want it open with the import's 8000", d, err)
	}
	if d, err := st.Demand(created); err != nil || d.Status != relief.StatusWithdrawn {
		t.Errorf("created demand after the undo: %s, %v; want withdrawn", d.Status, err)
	}
}
