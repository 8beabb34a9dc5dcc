package app

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// allPages reads every page with limit 2 until one comes back short, checking
// each page's offset, limit and total, and returns the rows in order.
func allPages[T any](t *testing.T, what string, page func(offset int) ([]T, int, int, int, error)) []T {
	t.Helper()
	var rows []T
	for offset := 0; offset < 1000; offset += 2 {
		got, off, limit, total, err := page(offset)
		if err != nil {
			t.Fatalf("%s at %d: %v", what, offset, err)
		}
		if off != min(offset, total) || limit != 2 {
			t.Fatalf("%s at %d: offset %d limit %d; want %d and 2", what, offset, off, limit, min(offset, total))
		}
		rows = append(rows, got...)
		if len(got) < 2 {
			if len(rows) != total {
				t.Fatalf("%s: %d rows over all pages; the total says %d", what, len(rows), total)
			}
			return rows
		}
	}
	t.Fatalf("%s: the pages never end", what)
	return nil
}

// sameJSON fails unless got and want marshal to the same JSON.
func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func TestPagesAgreeWithTheWholeLists(t *testing.T) {
	a := newApp(t, t.TempDir())
	if _, err := a.Network.Create("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Volunteers.SaveProfile(ProfileInput{Name: "甲", Region: "江汉区", Skills: []string{"driver", "medic"}}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 5 {
		d, err := a.Demands.Record(DemandInput{Title: fmt.Sprintf("村里缺水 %d", i), Category: "food_water", Items: []ItemInput{item("水", "10", "箱")}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	for _, id := range ids[:2] {
		if _, err := a.Demands.Act(called(ActInput{ID: id, Action: "approve"})); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []string{"如家酒店", "顺丰速运", "某口罩厂"} {
		if _, err := a.Offers.Record(OfferInput{Supplier: s, Items: []ItemInput{item("口罩", "100", "只")}}); err != nil {
			t.Fatal(err)
		}
	}

	inbox, err := a.Inbox.List()
	if err != nil || len(inbox) < 5 {
		t.Fatalf("Inbox.List = %d entries, %v; want at least the 5 demands", len(inbox), err)
	}
	paged := allPages(t, "Inbox.Page", func(offset int) ([]PendingView, int, int, int, error) {
		p, err := a.Inbox.Page(InboxQuery{Offset: offset, Limit: 2})
		return p.Entries, p.Offset, p.Limit, p.Total, err
	})
	sameJSON(t, "Inbox pages against Inbox.List", paged, inbox)
	publish, err := a.Inbox.Page(InboxQuery{What: "publish"})
	if err != nil || publish.Total != 2 || publish.Counts["review"] != 3 || publish.Counts["publish"] != 2 || publish.All != len(inbox) {
		t.Errorf("Inbox.Page(publish) = %+v, %v; want the 2 approved, counts review 3 publish 2", publish, err)
	}

	board, err := a.Points.Leaderboard()
	if err != nil || len(board) == 0 {
		t.Fatalf("Leaderboard = %+v, %v; want the coordinator's points", board, err)
	}
	standings := allPages(t, "Points.Standings", func(offset int) ([]StandingView, int, int, int, error) {
		p, err := a.Points.Standings(offset, 2)
		return p.Standings, p.Offset, p.Limit, p.Total, err
	})
	for i, s := range board {
		history := allPages(t, "Points.History", func(offset int) ([]AwardView, int, int, int, error) {
			p, err := a.Points.History(s.Member.ID, offset, 2)
			if err == nil && (p.Points != s.Points || p.Rank != s.Rank || p.Member != s.Member) {
				t.Errorf("History(%s) = %+v; want %+v's points, rank and name", s.Member.ID, p, s)
			}
			return p.Awards, p.Offset, p.Limit, p.Total, err
		})
		slices.Reverse(history)
		sameJSON(t, "History (oldest first) against the leaderboard's", history, s.History)
		board[i].History = []AwardView{}
	}
	sameJSON(t, "Standings against Leaderboard without histories", standings, board)

	vols, err := a.Volunteers.List()
	if err != nil || len(vols) != 1 {
		t.Fatalf("Volunteers.List = %+v, %v; want the profile", vols, err)
	}
	vp, err := a.Volunteers.Page(VolunteerQuery{Text: "MEDIC"})
	if err != nil || vp.Total != 1 || !slices.Equal(vp.Skills, []string{"driver", "medic"}) || !slices.Equal(vp.Regions, []string{"江汉区"}) {
		t.Errorf("Volunteers.Page(MEDIC) = %+v, %v; want the profile, skills driver and medic, region 江汉区", vp, err)
	}
	sameJSON(t, "Volunteers.Page against List", vp.Volunteers, vols)

	offers, err := a.Offers.List("")
	if err != nil || len(offers) != 3 {
		t.Fatalf("Offers.List = %d, %v; want 3", len(offers), err)
	}
	op := allPages(t, "Offers.Page", func(offset int) ([]OfferView, int, int, int, error) {
		p, err := a.Offers.Page(OfferQuery{Offset: offset, Limit: 2})
		return p.Offers, p.Offset, p.Limit, p.Total, err
	})
	sameJSON(t, "Offers pages against Offers.List", op, offers)
	hotels, err := a.Offers.Page(OfferQuery{Kind: "hotel"})
	if err != nil || hotels.Total != 1 || hotels.Offers[0].Supplier != "如家酒店" || hotels.Matching != 3 || hotels.Counts["logistics"] != 1 {
		t.Errorf("Offers.Page(hotel) = %+v, %v; want 如家酒店 of 3, one logistics", hotels, err)
	}
	if _, err := a.Offers.Page(OfferQuery{Kind: "spaceship"}); err == nil {
		t.Error("Offers.Page(kind spaceship) = nil error; want the kind refused")
	}
}
