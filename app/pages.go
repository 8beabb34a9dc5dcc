package app

import (
	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Pages: the inbox, leaderboard, volunteers and offers screens ask for one
// page of their list (desk.Window: at most desk.MaxPageLimit rows, 100 when
// the limit is 0), with the total and the counts of their filter chips,
// instead of the whole list (List and Leaderboard, kept for the scripts and
// tests that want everything).

// Every page below carries offset (the index of its first row, clamped to
// [0, total]), limit (the page size as the desk clamped it: 1 to 500) and
// total (the rows the filter matches), as desk.Window.

// InboxQuery asks for one page of the inbox.
type InboxQuery struct {
	What        string `json:"what"`        // one of desk.InboxWhats (review … undone); "" for all
	OverdueOnly bool   `json:"overdueOnly"` // past their reply-by only
	Offset      int    `json:"offset"`
	Limit       int    `json:"limit"` // 0: 100; at most 500
}

// InboxPage is one page of the inbox, overdue and due soon first, oldest
// first, with the numbers of the filter chips.
type InboxPage struct {
	Entries []PendingView  `json:"entries"`
	Offset  int            `json:"offset"`
	Limit   int            `json:"limit"`
	Total   int            `json:"total"`
	All     int            `json:"all"`     // entries of the whole inbox, unfiltered
	Counts  map[string]int `json:"counts"`  // per what (every one present), over the whole inbox
	Overdue int            `json:"overdue"` // overdue entries of the whole inbox
}

// Page returns the page of the inbox q asks for (desk.Desk.InboxPage).
// Errors: *Error CodeInvalid naming "what" for an unknown answer.
func (s *InboxService) Page(q InboxQuery) (InboxPage, error) {
	dk, err := s.a.viewsDesk()
	if err != nil {
		return InboxPage{}, err
	}
	p, err := dk.InboxPage(desk.InboxQuery{What: q.What, OverdueOnly: q.OverdueOnly, Offset: q.Offset, Limit: q.Limit})
	if err != nil {
		return InboxPage{}, err
	}
	out := InboxPage{Entries: make([]PendingView, len(p.Entries)), Offset: p.Offset, Limit: p.Limit, Total: p.Total, All: p.All,
		Counts: p.Counts, Overdue: p.Overdue}
	names := noticeNames(dk, p.Entries)
	for i, e := range p.Entries {
		out.Entries[i] = pendingView(e)
		out.Entries[i].Ref, out.Entries[i].Notice = e.Ref, noticeView(e.Notice, names)
		if !e.By.IsZero() {
			out.Entries[i].ByName = names[e.By]
		}
	}
	return out, nil
}

// StandingsPage is one page of the leaderboard, most points first; each
// line's history is empty (PointsService.History pages through it).
type StandingsPage struct {
	Standings []StandingView `json:"standings"`
	Offset    int            `json:"offset"`
	Limit     int            `json:"limit"`
	Total     int            `json:"total"`
}

// Standings returns the page of the leaderboard at offset with limit (0: 100;
// at most 500), without award histories (desk.Desk.Standings).
func (s *PointsService) Standings(offset, limit int) (StandingsPage, error) {
	dk, err := s.a.viewsDesk()
	if err != nil {
		return StandingsPage{}, err
	}
	p, err := dk.Standings(offset, limit)
	if err != nil {
		return StandingsPage{}, err
	}
	names := dk.MemberNames()
	out := StandingsPage{Standings: make([]StandingView, len(p.Standings)), Offset: p.Offset, Limit: p.Limit, Total: p.Total}
	for i, sd := range p.Standings {
		out.Standings[i] = StandingView{Member: MemberRef{ID: sd.Member.String(), Name: names[sd.Member]}, Points: sd.Points,
			Rank: sd.Rank, History: []AwardView{}}
	}
	return out, nil
}

// HistoryPage is one page of a member's awards, newest first.
type HistoryPage struct {
	Member MemberRef   `json:"member"`
	Awards []AwardView `json:"awards"`
	Offset int         `json:"offset"`
	Limit  int         `json:"limit"`
	Total  int         `json:"total"`
	Points int         `json:"points"` // the member's points; 0 without any
	Rank   int         `json:"rank"`   // 0 without points
}

// History returns the page of memberID's awards at offset with limit (0: 100;
// at most 500), newest first; a member without points gets an empty page
// (desk.Desk.History). Errors: *Error CodeInvalid naming "member" when
// memberID is not a member id.
func (s *PointsService) History(memberID string, offset, limit int) (HistoryPage, error) {
	dk, err := s.a.viewsDesk()
	if err != nil {
		return HistoryPage{}, err
	}
	p, err := dk.History(memberID, offset, limit)
	if err != nil {
		return HistoryPage{}, err
	}
	out := HistoryPage{Member: MemberRef{ID: p.Member.String(), Name: dk.MemberNames()[p.Member]},
		Awards: make([]AwardView, len(p.Awards)), Offset: p.Offset, Limit: p.Limit, Total: p.Total, Points: p.Points, Rank: p.Rank}
	for i, a := range p.Awards {
		out.Awards[i] = awardView(a)
	}
	return out, nil
}

// awardView converts one award of a points history.
func awardView(a relief.Award) AwardView {
	return AwardView{Rule: string(a.Rule), Kind: a.Kind, Entity: a.Entity, Code: relief.Code(a.Kind, a.Entity), At: a.At.Wall, Points: a.Points}
}

// VolunteerQuery asks for one page of the volunteer registry.
type VolunteerQuery struct {
	Text         string `json:"text"`   // in name, code, skills, training, region, organisation; case-insensitive
	Skill        string `json:"skill"`  // exactly this skill; "" for all
	Region       string `json:"region"` // exactly this region; "" for all
	AvailableNow bool   `json:"availableNow"`
	Offset       int    `json:"offset"`
	Limit        int    `json:"limit"` // 0: 100; at most 500
}

// VolunteerPage is one page of the volunteer registry.
type VolunteerPage struct {
	Volunteers []VolunteerView `json:"volunteers"`
	Offset     int             `json:"offset"`
	Limit      int             `json:"limit"`
	Total      int             `json:"total"`
	All        int             `json:"all"`     // volunteers in the registry
	Skills     []string        `json:"skills"`  // every skill of the registry, sorted, for the filter menu
	Regions    []string        `json:"regions"` // every region of the registry, sorted
}

// Page returns the page of volunteers q asks for, with availability at this
// moment and load (desk.Desk.VolunteersPage).
func (s *VolunteerService) Page(q VolunteerQuery) (VolunteerPage, error) {
	dk, err := s.a.viewsDesk()
	if err != nil {
		return VolunteerPage{}, err
	}
	p, err := dk.VolunteersPage(desk.VolunteerQuery{Text: q.Text, Skill: q.Skill, Region: q.Region, AvailableNow: q.AvailableNow,
		Offset: q.Offset, Limit: q.Limit})
	if err != nil {
		return VolunteerPage{}, err
	}
	out := VolunteerPage{Volunteers: make([]VolunteerView, len(p.Volunteers)), Offset: p.Offset, Limit: p.Limit, Total: p.Total, All: p.All,
		Skills: orEmpty(p.Skills), Regions: orEmpty(p.Regions)}
	for i, v := range p.Volunteers {
		out.Volunteers[i] = volunteerViewOf(&s.a.volViews, revAt(p.Revs, i), v)
	}
	return out, nil
}

// OfferQuery asks for one page of the offers.
type OfferQuery struct {
	Text   string `json:"text"` // in supplier, region, code, item names; case-insensitive
	Kind   string `json:"kind"` // supplies, hotel, logistics, clinic, other; "" for all
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"` // 0: 100; at most 500
}

// OfferPage is one page of the offers, newest first, with the numbers of the
// kind chips.
type OfferPage struct {
	Offers   []OfferView    `json:"offers"`
	Offset   int            `json:"offset"`
	Limit    int            `json:"limit"`
	Total    int            `json:"total"`
	Counts   map[string]int `json:"counts"`   // per kind (every one present), of the offers matching the text
	Matching int            `json:"matching"` // offers matching the text, any kind
	All      int            `json:"all"`      // every offer, whatever the text and kind
}

// Page returns the page of offers q asks for (desk.Desk.OffersPage). Errors:
// *Error CodeInvalid naming "kind" for an unknown kind.
func (s *OfferService) Page(q OfferQuery) (OfferPage, error) {
	dk, err := s.a.viewsDesk()
	if err != nil {
		return OfferPage{}, err
	}
	p, err := dk.OffersPage(desk.OfferQuery{Text: q.Text, Kind: relief.OfferKind(q.Kind), Offset: q.Offset, Limit: q.Limit})
	if err != nil {
		return OfferPage{}, err
	}
	out := OfferPage{Offers: make([]OfferView, len(p.Offers)), Offset: p.Offset, Limit: p.Limit, Total: p.Total,
		Counts: make(map[string]int, len(p.Counts)), Matching: p.Matching, All: p.All}
	for i, o := range p.Offers {
		out.Offers[i] = offerViewOf(&s.a.offerViews, revAt(p.Revs, i), o)
	}
	for k, n := range p.Counts {
		out.Counts[string(k)] = n
	}
	return out, nil
}
