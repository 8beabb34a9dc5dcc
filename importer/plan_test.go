package importer

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// memExisting is Existing on maps, for planning without a store.
type memExisting struct {
	demands map[string]relief.Demand
	offers  map[string]relief.Offer
}

func (m memExisting) Demands() ([]relief.Demand, error) {
	var out []relief.Demand
	for _, d := range m.demands {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b relief.Demand) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func (m memExisting) Offers() ([]relief.Offer, error) {
	var out []relief.Offer
	for _, o := range m.offers {
		out = append(out, o)
	}
	return out, nil
}

func (m memExisting) Demand(id string) (relief.Demand, bool) { d, ok := m.demands[id]; return d, ok }
func (m memExisting) HasOffer(id string) bool                { _, ok := m.offers[id]; return ok }
func (m memExisting) Record(kind, id string) (*relief.Record, error) {
	return nil, errors.New("memExisting holds no records")
}

// TestPlannerWithoutStore: the importer's rules run on what Existing says is
// present, with no store: a record repeating a demand present is flagged with
// a note naming it, the same row twice is skipped, an offer whose supplier is
// present is skipped and named, and what the caller reports written or
// refused is counted.
func TestPlannerWithoutStore(t *testing.T) {
	present := relief.Demand{ID: "orig", Code: relief.Code(relief.KindDemand, "orig"), RequesterOrg: "武汉市第一医院",
		Contacts: []relief.Contact{{Name: "甲老师", Phone: "+8613800000001"}}}
	hotel := relief.Offer{ID: "h1", Code: relief.Code(relief.KindOffer, "h1"), Supplier: "天鹅恋主题酒店(积玉桥店)", Region: "武昌区"}
	ex := memExisting{demands: map[string]relief.Demand{present.ID: present}, offers: map[string]relief.Offer{hotel.ID: hotel}}
	p, err := NewPlanner("net", ex)
	if err != nil {
		t.Fatal(err)
	}
	recs := []Record{
		{Kind: relief.KindDemand, File: "a.csv", Row: 2, Source: "s:1", Org: "湖北省武汉市第一医院", Category: "medical",
			Contacts: []relief.Contact{{Name: "乙主任", Phone: "+8613900000002"}}},
		{Kind: relief.KindDemand, File: "a.csv", Row: 3, Source: "s:2", Org: "黄陂区人民医院", Category: "medical"},
		{Kind: relief.KindDemand, File: "a.csv", Row: 4, Source: "s:2", Org: "黄陂区人民医院", Category: "medical"}, // row 3 again
		{Kind: relief.KindOffer, File: "h.csv", Row: 2, Source: "h:1", Org: "天鹅恋主题酒店(积玉桥店)", Region: "武昌区"},
		{Kind: relief.KindOffer, File: "h.csv", Row: 3, Source: "h:2", Org: "新开的酒店", Region: "江夏区"},
	}
	var planned []Pending
	for _, r := range recs {
		if w, ok := p.Plan(r); ok {
			planned = append(planned, w)
		}
	}
	if len(planned) != 3 {
		t.Fatalf("Plan wrote %d of %d records; want 3 (the flagged demand, 黄陂区人民医院, 新开的酒店)", len(planned), len(recs))
	}
	if planned[0].ID != StableID("net", relief.KindDemand, "s:1") || len(planned[0].Ops) == 0 {
		t.Errorf("first pending = %+v; want the stable id of s:1 and its ops", planned[0])
	}
	p.Written(planned[0])
	p.Refused(planned[1], errors.New("refused"))
	p.Written(planned[2])
	rep := p.Report()
	if rep.Flagged != 1 || rep.Created != 1 || rep.Rejected != 1 || rep.Skipped != 2 || len(rep.IDs) != 2 {
		t.Fatalf("Report = %+v; want 1 flagged, 1 created, 1 rejected, 2 skipped, 2 ids", rep)
	}
	dup := rep.Duplicates[0]
	if dup.Original != "orig" || !slices.Contains(dup.Reasons, "same organisation") || len(dup.Adds.Contacts) != 1 {
		t.Errorf("Duplicate = %+v; want original orig, same organisation, adding 乙主任's phone", dup)
	}
	if code, id, ok := NoteOriginal(dup.Note()); !ok || id != "orig" || code != present.Code {
		t.Errorf("NoteOriginal(%q) = %s, %s, %v; want %s, orig", dup.Note(), code, id, ok, present.Code)
	}
	var offerPresent, refused bool
	for _, pr := range rep.Problems {
		offerPresent = offerPresent || (pr.Code == ProblemOfferPresent && pr.Args["code"] == hotel.Code)
		refused = refused || (pr.Code == ProblemRefused && pr.Rejected && pr.Row == 3)
	}
	if !offerPresent || !refused {
		t.Errorf("Problems = %v; want the hotel present as %s and row 3 refused", rep.Problems, hotel.Code)
	}
}

// TestReviewOps: a flagged demand's review, merge and keep-separate
// operations are planned from the demands alone, and members below
// reviewer may not answer.
func TestReviewOps(t *testing.T) {
	n := 500.0
	orig := relief.Demand{ID: "orig", Code: "D-ORIG", RequesterOrg: "武汉市第一医院", Status: relief.StatusCollected,
		Items: []relief.Item{{Name: "N95口罩"}}}
	d := relief.Demand{ID: "dup", Code: "D-DUP", RequesterOrg: "湖北省武汉市第一医院", Status: relief.StatusCollected,
		Tags: []string{TagPossibleDuplicate}, Items: []relief.Item{{Name: "N95口罩", Needed: &n}, {Name: "防护服"}}}
	d.ReviewNotes = Duplicate{Original: orig.ID, OriginalCode: orig.Code, OriginalOrg: orig.RequesterOrg, Reasons: []string{"same organisation"}}.Note()
	if id, err := FlaggedOriginal(d); err != nil || id != orig.ID {
		t.Fatalf("FlaggedOriginal = %q, %v; want orig", id, err)
	}
	if _, err := FlaggedOriginal(orig); !errors.Is(err, ErrNotFlagged) {
		t.Errorf("FlaggedOriginal(unflagged) = %v; want ErrNotFlagged", err)
	}
	rv := Review(d, orig)
	if rv.Original != orig.ID || len(rv.Adds.Items) != 2 || !slices.Contains(rv.Reasons, "same organisation") {
		t.Errorf("Review = %+v; want original orig, adding 2 items, same organisation", rv)
	}
	coord := relief.Member{Role: relief.RoleCoordinator}
	volunteer := relief.Member{Role: relief.RoleVolunteer}
	if !MayAnswer(coord) || MayAnswer(volunteer) {
		t.Errorf("MayAnswer(coordinator, volunteer) = %v, %v; want true, false", MayAnswer(coord), MayAnswer(volunteer))
	}
	if err := MayMerge(d, orig, rv, volunteer); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("MayMerge(volunteer) = %v; want ErrNotAllowed", err)
	}
	closed := orig
	closed.Status = relief.StatusRejected
	if err := MayMerge(d, closed, rv, coord); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("MayMerge(into a rejected original) = %v; want ErrNotAllowed", err)
	}
	if _, err := KeepSeparateOps(d, &relief.Record{Kind: relief.KindDemand, ID: d.ID}, volunteer); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("KeepSeparateOps(volunteer) = %v; want ErrNotAllowed", err)
	}
}

// TestRepeatOfferWithOtherNumbersIsTold: a supplier listed again with
// another phone number (three hotlines of one command centre, one a row) is
// still one offer, but the numbers the offer present lacks are named in the
// problem, so a person can add them; they were dropped without a word.
func TestRepeatOfferWithOtherNumbersIsTold(t *testing.T) {
	p, err := NewPlanner("net", memExisting{})
	if err != nil {
		t.Fatal(err)
	}
	recs := []Record{
		{Kind: relief.KindOffer, File: "h.csv", Row: 2, Source: "h:1", Org: "某市防控工作应急指挥部", Contacts: []relief.Contact{{Phone: "+865910000001"}}},
		{Kind: relief.KindOffer, File: "h.csv", Row: 3, Source: "h:2", Org: "某市防控工作应急指挥部", Contacts: []relief.Contact{{Phone: "+865910000002"}}},
		{Kind: relief.KindOffer, File: "h.csv", Row: 4, Source: "h:3", Org: "某市防控工作应急指挥部", Contacts: []relief.Contact{{Phone: "+865910000001"}}},
	}
	for _, r := range recs {
		p.Plan(r)
	}
	var adds, plain int
	for _, pr := range p.Report().Problems {
		switch pr.Code {
		case ProblemOfferPresentAdds:
			adds++
			if pr.Row != 3 || pr.Args["phones"] != "+865910000002" {
				t.Errorf("problem %+v; want row 3 naming +865910000002", pr)
			}
		case ProblemOfferRepeatsRow:
			plain++
			if pr.Row != 4 || pr.Args["first"] != "2" {
				t.Errorf("problem %+v; want row 4 naming row 2, the row it repeats", pr)
			}
		}
	}
	if adds != 1 || plain != 1 {
		t.Errorf("%d repeats naming new numbers, %d plain; want 1 and 1 (row 4 adds nothing, told with row 2)", adds, plain)
	}
}

// TestRepeatOfAnotherFilesRowNamesTheFile: session 12, a tester imported
// several files at once; a row repeating a row of another file of the
// same import was told "row 5 is the same offer as row 5", naming no file.
// The problem names the other file (its own code, so that both languages
// say it).
func TestRepeatOfAnotherFilesRowNamesTheFile(t *testing.T) {
	p, err := NewPlanner("net", memExisting{})
	if err != nil {
		t.Fatal(err)
	}
	offer := func(file string, row int) Record {
		return Record{Kind: relief.KindOffer, File: file, Row: row, Source: file + ":" + strconv.Itoa(row), Org: "UNICEF", Contacts: []relief.Contact{{Phone: "+865910000001"}}}
	}
	demand := func(file string, row int) Record {
		return Record{Kind: relief.KindDemand, File: file, Row: row, Source: "same:1", Org: "协和医院", Address: "解放大道1277号"}
	}
	for _, r := range []Record{offer("a.csv", 5), offer("a.csv", 8), demand("a.csv", 7), offer("b.csv", 5), demand("b.csv", 9)} {
		p.Plan(r)
	}
	byRow := map[string]Problem{}
	for _, pr := range p.Report().Problems {
		byRow[pr.File+":"+strconv.Itoa(pr.Row)] = pr
	}
	if pr := byRow["b.csv:5"]; pr.Code != ProblemOfferRepeatsFileRow || pr.Args["first"] != "5" || pr.Args["first_file"] != "a.csv" || !strings.Contains(pr.Msg, "a.csv") {
		t.Errorf("b.csv row 5: %+v; want %s naming row 5 of a.csv", pr, ProblemOfferRepeatsFileRow)
	}
	if pr := byRow["b.csv:9"]; pr.Code != ProblemSameRowTwiceFile || pr.Args["first"] != "7" || pr.Args["first_file"] != "a.csv" || !strings.Contains(pr.Msg, "a.csv") {
		t.Errorf("b.csv row 9: %+v; want %s naming row 7 of a.csv", pr, ProblemSameRowTwiceFile)
	}
	if pr := byRow["a.csv:8"]; pr.Code != ProblemOfferRepeatsRow || pr.Args["first"] != "5" || pr.Args["first_file"] != "" {
		t.Errorf("a.csv row 8: %+v; want %s naming row 5 of its own file", pr, ProblemOfferRepeatsRow)
	}
}
