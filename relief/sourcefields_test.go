package relief

import (
	"errors"
	"strings"
	"testing"
)

// TestSourceFieldsLimits: a demand's or an offer's source fields are
// accepted up to MaxSourceFields, each column up to MaxSourceColumn and each
// value up to MaxText characters, and refused beyond.
func TestSourceFieldsLimits(t *testing.T) {
	ok := []SourceField{{Column: strings.Repeat("列", MaxSourceColumn), Value: strings.Repeat("值", MaxText)}}
	for _, kind := range []string{KindDemand, KindOffer} {
		if _, err := SetFields(kind, "x", map[string]any{FieldSourceFields: ok}); err != nil {
			t.Errorf("SetFields(%s, source fields at the limits) = %v; want accepted", kind, err)
		}
		for name, bad := range map[string][]SourceField{
			"column too long": {{Column: strings.Repeat("列", MaxSourceColumn+1), Value: "v"}},
			"value too long":  {{Column: "c", Value: strings.Repeat("值", MaxText+1)}},
			"too many":        make([]SourceField, MaxSourceFields+1),
		} {
			if _, err := SetFields(kind, "x", map[string]any{FieldSourceFields: bad}); !errors.Is(err, ErrInvalidOp) {
				t.Errorf("SetFields(%s, %s) = %v; want ErrInvalidOp", kind, name, err)
			}
		}
	}
	if _, err := SetFields(KindVolunteer, "x", map[string]any{FieldSourceFields: ok}); err == nil {
		t.Errorf("SetFields(volunteer, source fields) accepted; want refused: volunteers are not imported")
	}
}

// TestSourceFieldsAreTeamLevel: an anonymous viewer sees no source fields
// (they may hold a phone typed into 其他信息) and is told they are hidden.
func TestSourceFieldsAreTeamLevel(t *testing.T) {
	d := Demand{ID: "d1", Status: StatusPublished, SourceFields: []SourceField{{Column: "其他信息", Value: "联系 13800000000"}}}
	p, hidden := Project(d, Member{})
	if len(p.SourceFields) != 0 {
		t.Errorf("Project(anonymous).SourceFields = %v; want none", p.SourceFields)
	}
	found := false
	for _, h := range hidden {
		found = found || (h.Field == "source_fields" && h.Level == LevelTeam)
	}
	if !found {
		t.Errorf("hidden = %+v; want source_fields at team level", hidden)
	}
}
