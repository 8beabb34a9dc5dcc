package relief

import (
	"reflect"
	"slices"
	"testing"
)

func TestProjectDemand(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusInProgress) // owned by vol
	w.do(rev, 30, must(SetFields(KindDemand, "d", map[string]any{
		FieldContacts:    []Contact{{Name: "Dr Li", Phone: "138 0000 0000"}},
		FieldAddress:     "Ward 3, Jinyintan Hospital",
		FieldDistrict:    "Dongxihu",
		FieldReviewNotes: "called back, genuine",
		FieldPosition:    Position{Lat: 30.6, Lon: 114.2},
	})))
	w.do(rev, 31, tr(t, "d", ActionMarkDuplicate, Args{DuplicateOf: "d", Note: "restricted note"})) // conflict; no effect
	d := w.demand("d")
	anon := Member{}
	tests := []struct {
		name         string
		viewer       Member
		wantContacts bool
		wantAddress  bool
		wantHidden   []string
	}{
		{"volunteer not owner", mustMember(t, w, vol2), false, true, []string{"position", "contacts", "review_notes", "history.args.note", "deliveries.note"}},
		{"observer", mustMember(t, w, obs), false, true, []string{"position", "contacts", "review_notes", "history.args.note", "deliveries.note"}},
		{"owner", mustMember(t, w, vol), true, true, nil},
		{"coordinator", mustMember(t, w, coord2), true, true, nil},
		{"reviewer", mustMember(t, w, rev2), true, true, nil},
		{"anonymous export", anon, false, false, []string{"address", "position", "contacts", "owner", "review_notes", "created_by", "history", "conflicts", "follow_up_since", "deliveries"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, hidden := Project(d, tt.viewer)
			if got := len(p.Contacts) > 0; got != tt.wantContacts {
				t.Errorf("Project(%s).Contacts = %v; want shown %v", tt.name, p.Contacts, tt.wantContacts)
			}
			if got := p.Address != ""; got != tt.wantAddress {
				t.Errorf("Project(%s).Address = %q; want shown %v", tt.name, p.Address, tt.wantAddress)
			}
			var names []string
			for _, h := range hidden {
				names = append(names, h.Field)
				if h.Reason == "" {
					t.Errorf("Project(%s) hidden %s without a reason", tt.name, h.Field)
				}
			}
			slices.Sort(names)
			want := slices.Sorted(slices.Values(tt.wantHidden))
			if !slices.Equal(names, want) {
				t.Errorf("Project(%s) hidden = %v; want %v", tt.name, names, want)
			}
			if p.Title != d.Title || p.District != "Dongxihu" {
				t.Errorf("Project(%s) lost public fields: %+v", tt.name, p)
			}
		})
	}
	// The original is untouched.
	if len(d.Contacts) == 0 || d.History[0].Args.Note == "" {
		t.Errorf("Project modified its argument")
	}
	h := Hidden{}
	for _, x := range must2(Project(d, mustMember(t, w, vol2))) {
		if x.Field == "contacts" {
			h = x
		}
	}
	if h.Level != LevelRestricted || h.Reason != "restricted to reviewers, coordinators and the owner" {
		t.Errorf("Project(volunteer) contacts hidden = %+v; want restricted with reason", h)
	}
}

func must2[T any](_ T, h []Hidden) []Hidden { return h }

func TestProjectVolunteerSelf(t *testing.T) {
	w := seeded(t)
	w.do(coord, 10, must(SetFields(KindVolunteer, "v", map[string]any{
		FieldName: "Wang", FieldKey: vol, FieldContacts: []Contact{{Name: "Wang", Phone: "139"}},
	})))
	v := FoldVolunteer(w.rec(KindVolunteer, "v"))
	if v.Key != vol {
		t.Fatalf("FoldVolunteer key = %s; want vol", v.Key.Short())
	}
	if p, _ := Project(v, mustMember(t, w, vol)); len(p.Contacts) != 1 {
		t.Errorf("Project(volunteer, self) hid own contacts")
	}
	if p, _ := Project(v, mustMember(t, w, vol2)); len(p.Contacts) != 0 {
		t.Errorf("Project(volunteer, other volunteer) showed contacts")
	}
	revoked := mustMember(t, w, coord2)
	revoked.Revoked = true
	if p, _ := Project(v, revoked); p.Name != "" {
		t.Errorf("Project(volunteer, revoked member) showed team field name")
	}
}

// TestLevelsEverywhere checks that every field of every view has a level.
func TestLevelsEverywhere(t *testing.T) {
	for _, v := range []any{Demand{}, Volunteer{}, Offer{}, Task{}, Member{}, Step{}, Args{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			if _, ok := parseLevel(f.Tag.Get("level")); !ok {
				t.Errorf("%s.%s has no level tag", typ.Name(), f.Name)
			}
		}
	}
}
