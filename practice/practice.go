package practice

import (
	"context"
	"embed"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// The wuhan2020 files (snapshot caa5692 of github.com/wuhan2020/wuhan2020,
// personal data replaced as testdata/README.md says); the licence must stay
// next to them.
//
//go:embed data/*.json data/LICENSE-MIT-wuhan2020.txt
var data embed.FS

// Files are the embedded files Load imports, in order: the hospitals'
// demands first, then the offers (hotels, logistics, factories, clinics).
var Files = []string{"hospital_needs_wuhan.json", "medic_hotels_wuhan.json", "logistics.json", "factories.json", "online_clinics.json"}

// Demands is how many demands Load creates (the records of hospital_needs_wuhan.json).
const Demands = 45

// Source names where the data comes from, for the UI and the README.
const Source = "wuhan2020 community, github.com/wuhan2020/wuhan2020 (MIT licence, Copyright (c) Wuhan 2020 Community)"

// License returns the MIT licence text of the wuhan2020 data.
func License() string {
	b, _ := data.ReadFile("data/LICENSE-MIT-wuhan2020.txt")
	return string(b)
}

// Names returns the practice network's name and its member's name in lang
// ("zh-CN" or "en"; anything else is taken as zh-CN).
func Names(lang string) (network, member string) {
	if strings.HasPrefix(lang, "en") {
		return "Practice: Wuhan 2020", "Practice coordinator"
	}
	return "练习：武汉 2020", "练习协调员"
}

// Report says what Load did: Created counts demands and offers new in this
// call (0 when the practice network was already loaded), and Demands,
// Offers, Approved, Published, Claimed and InProgress count the store's
// contents after it.
type Report struct {
	Created    int
	Demands    int
	Offers     int
	Approved   int // status approved
	Published  int // status published (claimed or not)
	Claimed    int // with an owner
	InProgress int // status in_progress
}

// Load fills the store of dk with the practice network: it creates the
// network (with network and member as names, this device its coordinator) if
// the store has none, imports the embedded files through the desk
// (importer.ReadData and desk.Desk.Import, as a file import does), calling
// progress (if not nil) with records written and the total, and then moves a
// fixed share of the demands along the pipeline as this coordinator (through
// desk.Desk.Advance) and gives the coordinator a volunteer profile (skills,
// Wuhan, every day 8:00–20:00) unless it has one: in the order of their
// source rows, of
// every six, one stays collected, one is approved, two are published, one is
// claimed and one is claimed with half of its first quantity received (in
// progress). Demands the importer flagged as probable duplicates stay
// collected for review. Load is idempotent: a second call writes nothing.
// Errors: a store whose network is not the one Load creates or whose member
// is not a coordinator (a real network must never be filled with practice
// data); ctx's error; storage errors.
func Load(ctx context.Context, dk *desk.Desk, network, member string, progress func(done, total int)) (Report, error) {
	var rep Report
	st := dk.Store()
	if n, ok := st.Network(); !ok {
		if _, err := dk.CreateNetwork(network, member); err != nil {
			return rep, fmt.Errorf("practice: create network: %w", err)
		}
	} else if n.Name != network {
		if alt, _ := Names("en"); n.Name != alt {
			if zh, _ := Names("zh-CN"); n.Name != zh {
				return rep, fmt.Errorf("practice: the store holds network %q, not a practice network", n.Name)
			}
		}
	}
	me, ok := st.Me()
	if !ok || me.Role != relief.RoleCoordinator {
		return rep, fmt.Errorf("practice: this device is not the practice network's coordinator")
	}
	var recs []importer.Record
	for _, f := range Files {
		b, err := data.ReadFile("data/" + f)
		if err != nil {
			return rep, fmt.Errorf("practice: embedded %s: %w", f, err)
		}
		r, _, err := importer.ReadData(f, b, importer.DefaultOptions())
		if err != nil {
			return rep, fmt.Errorf("practice: %w", err)
		}
		recs = append(recs, r...)
	}
	ir, err := dk.Import(ctx, recs, progress)
	if err != nil {
		return rep, fmt.Errorf("practice: import: %w", err)
	}
	rep.Created = ir.Created + ir.Flagged
	if err := advance(ctx, dk, me); err != nil {
		return rep, err
	}
	if err := profile(dk, member); err != nil {
		return rep, err
	}
	ds, err := st.Demands(store.DemandQuery{})
	if err != nil {
		return rep, fmt.Errorf("practice: read demands: %w", err)
	}
	rep.Demands = len(ds)
	for _, d := range ds {
		switch d.Status {
		case relief.StatusApproved:
			rep.Approved++
		case relief.StatusPublished:
			rep.Published++
		case relief.StatusInProgress:
			rep.InProgress++
		}
		if !d.Owner.IsZero() {
			rep.Claimed++
		}
	}
	offers, err := st.Offers()
	if err != nil {
		return rep, fmt.Errorf("practice: read offers: %w", err)
	}
	rep.Offers = len(offers)
	return rep, nil
}

// profile gives the practice coordinator a volunteer profile (named member,
// in Wuhan, available every day from 8:00 to 20:00, skills in the network's
// language), so that the volunteer and task screens have someone; a profile
// with skills already is left as it is.
func profile(dk *desk.Desk, member string) error {
	if v, err := dk.MyProfile(); err == nil && len(v.Skills) > 0 {
		return nil
	}
	week := make([]relief.Window, 0, 7)
	for d := time.Sunday; d <= time.Saturday; d++ {
		week = append(week, relief.Window{Day: d, From: 8 * 60, To: 20 * 60})
	}
	skills := []string{"协调", "司机", "物资对接"}
	if en, _ := Names("en"); member == en {
		skills = []string{"coordination", "driver", "supplies"}
	}
	if _, err := dk.SaveProfile(desk.Profile{Name: member, Region: "武汉市", Organisation: "wuhan2020", Skills: skills, Availability: week}); err != nil {
		return fmt.Errorf("practice: the coordinator's volunteer profile: %w", err)
	}
	return nil
}

// stage is how far along the pipeline a demand goes: 0 collected, 1
// approved, 2 published, 3 claimed, 4 claimed with progress.
var stages = []int{0, 1, 2, 2, 3, 4}

// advance moves the demands along the pipeline (see Load); steps already
// taken are skipped, so it is idempotent.
func advance(ctx context.Context, dk *desk.Desk, me relief.Member) error {
	st := dk.Store()
	ds, err := st.Demands(store.DemandQuery{})
	if err != nil {
		return fmt.Errorf("practice: read demands: %w", err)
	}
	ds = slices.DeleteFunc(ds, func(d relief.Demand) bool { return slices.Contains(d.Tags, importer.TagPossibleDuplicate) })
	// by source (file and row), which, unlike codes, is the same in every practice network
	slices.SortFunc(ds, func(a, b relief.Demand) int {
		if c := strings.Compare(a.Source, b.Source); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	for i, d := range ds {
		if err := ctx.Err(); err != nil {
			return err
		}
		stage := stages[i%len(stages)]
		for step := 1; step <= stage; step++ {
			cur, err := st.Demand(d.ID)
			if err != nil {
				return fmt.Errorf("practice: demand %s: %w", d.Code, err)
			}
			action, args, ok := nextStep(cur, step, me)
			if !ok {
				continue
			}
			if _, err := dk.Advance(cur.ID, action, args); err != nil {
				return fmt.Errorf("practice: %s on %s: %w", action, cur.Code, err)
			}
		}
	}
	return nil
}

// nextStep returns the action of step (1 approve, 2 publish, 3 claim, 4
// progress) for d, or false when d has taken it already or it does not apply.
func nextStep(d relief.Demand, step int, me relief.Member) (relief.Action, relief.Args, bool) {
	switch step {
	case 1:
		return relief.ActionApprove, relief.Args{Note: "练习 / practice"}, d.Status == relief.StatusCollected
	case 2:
		return relief.ActionPublish, relief.Args{}, d.Status == relief.StatusApproved
	case 3:
		return relief.ActionClaim, relief.Args{}, d.Owner.IsZero() && d.Status == relief.StatusPublished
	case 4:
		if d.Status != relief.StatusPublished || d.Owner != me.Key {
			return "", relief.Args{}, false
		}
		for _, it := range d.Items {
			if it.Needed != nil && *it.Needed >= 2 {
				return relief.ActionDeliver, relief.Args{Received: []relief.Receipt{{Item: it.Name, Qty: float64(int(*it.Needed / 2))}}}, true
			}
		}
	}
	return "", relief.Args{}, false
}
