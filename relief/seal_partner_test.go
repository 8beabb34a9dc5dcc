package relief

import (
	"testing"
)

// TestPartnerWritesJudged: partner records are judged by FieldRules like
// the others. A volunteer records a partner; another volunteer renaming it
// and vouching for it in their own name is refused (conflicts, Reason role),
// a reviewer's note stands; a partner an observer recorded has no name.
func TestPartnerWritesJudged(t *testing.T) {
	w := seeded(t)
	w.do(vol, 10, must(SetFields(KindPartner, "p1", map[string]any{FieldName: "顺丰武汉", FieldPartnerType: "logistics", FieldVouchedBy: vol})))
	w.do(vol2, 11, must(SetFields(KindPartner, "p1", map[string]any{FieldName: "伪造的伙伴", FieldVouchedBy: vol2})))
	w.do(rev, 12, must(SetFields(KindPartner, "p1", map[string]any{FieldNotes: "已电话核实"})))
	w.do(obs, 13, must(SetFields(KindPartner, "p2", map[string]any{FieldName: "观察员的伙伴", FieldPartnerType: "other"})))

	p := FoldPartnerChecked(w.rec(KindPartner, "p1"), w.roster())
	if p.Name != "顺丰武汉" || p.VouchedBy != vol || p.Notes != "已电话核实" {
		t.Errorf("FoldPartnerChecked(p1) = name %q, vouched by %s, notes %q; want the creator's name and vouching, the reviewer's note", p.Name, p.VouchedBy.Short(), p.Notes)
	}
	refused := map[string]Reason{}
	for _, c := range p.Conflicts {
		if c.By == vol2 && c.Action == ActionEdit {
			refused[c.Field] = c.Reason
		}
	}
	if len(p.Conflicts) != 2 || refused[FieldName] != ReasonRole || refused[FieldVouchedBy] != ReasonRole {
		t.Errorf("FoldPartnerChecked(p1) conflicts = %v; want vol2's name and vouched_by refused for their role", p.Conflicts)
	}
	if p2 := FoldPartnerChecked(w.rec(KindPartner, "p2"), w.roster()); p2.Name != "" || len(p2.Conflicts) != 2 {
		t.Errorf("FoldPartnerChecked(p2) = name %q, conflicts %v; want no name (an observer's), its writes refused", p2.Name, p2.Conflicts)
	}
}
