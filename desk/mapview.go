package desk

import (
	"cmp"
	"strings"

	"github.com/reliefmesh/reliefmesh/region"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// MapPoint is one demand or offer to put on the map. Position is set only
// when an exact position exists and the viewer may see it (exact positions
// are restricted); otherwise Place names where it is (district and address
// for a demand, region for an offer) and Approx is the centre of the county,
// city or province it lies in (ApproxOf says which), from its resolved place
// or, when it has none, from Place's names (region.Resolve).
type MapPoint struct {
	Kind     string // relief.KindDemand or relief.KindOffer
	ID       string
	Code     string
	Title    string // a demand's title, an offer's supplier
	Status   string // the demand's status; MapOffer or MapExpired for an offer
	Position *relief.Position
	Place    string
	// Approx is the centre of the division the point lies in when Position
	// is nil (nil when Place names no division of China).
	Approx *relief.Position
	// ApproxOf is the level of the division whose centre Approx is:
	// region.LevelCounty, LevelCity or LevelProvince; 0 with no Approx.
	ApproxOf int
	// ApproxName is the official name of that division ("江汉区"); "" with
	// no Approx.
	ApproxName string
	// PositionSealed says that the demand's exact position is sealed and
	// this device cannot open it (relief.Demand.PositionSealed): the point
	// is drawn at Approx, and the map says that only reviewers,
	// coordinators and the owner see it. False once opened (Position set).
	PositionSealed bool
	// PositionOpening says that the demand's exact position is sealed, this
	// device may open it, and it is being opened in the background (the
	// draw opens store.PositionOpenBudget itself at most): the point is drawn
	// at Approx for now, and the store's EventPositionsOpened says when the
	// map may draw it again, exactly. PositionSealed is false then.
	PositionOpening bool
}

// mapOpenBudget is how many sealed positions MapPoints opens itself at most
// (store.OpenedPositionsWithin); a variable so that tests can draw with a
// small one.
var mapOpenBudget = store.PositionOpenBudget

// Status of an offer's MapPoint.
const (
	MapOffer   = "offer"
	MapExpired = "expired" // past its valid-until
)

// MapPoints returns the open and the fulfilled demands (not rejected,
// duplicate or withdrawn), then the offers, as this member may see them,
// each with its approximate place when it has no exact one (placeApprox).
// A sealed exact position is shown where this device opens it
// (Store.OpenedPositionsWithin, which keeps what it opened: a draw opens at
// most store.PositionOpenBudget itself and the rest in the background, the
// next draws look them up), else the point is approximate and
// PositionSealed, or PositionOpening while the background opens it. Errors:
// CodeStorage.
func (d *Desk) MapPoints() ([]MapPoint, error) {
	me, _ := d.st.Me()
	open := 0
	for st, n := range d.st.DemandCounts() {
		if onMap(st) {
			open += n
		}
	}
	out := make([]MapPoint, 0, open)
	var seen placeSight
	// Places naming an address ("district address") are written one after
	// the other into places, then cut out of it: one allocation, not one per
	// demand. spans[i] is where point spans[i].at's place lies.
	var places strings.Builder
	type span struct{ at, from, to int }
	spans := make([]span, 0, open)
	codes := make([]string, 0, open) // codes[i] is out[i]'s division code
	// the points whose sealed position this member may see, if this device
	// opens it: their indexes, ids, and addresses (placed by the address
	// when not opened, as a point without a position)
	var sealedAt []int
	var sealedIDs, sealedAddrs []string
	places.Grow(open * 64) // a district and an address are mostly shorter
	// The demand list's rows are read in place (no copy of every demand):
	// only the fields a point shows are taken.
	d.st.EachDemand(store.DemandQuery{}, func(dm *relief.Demand) {
		if !onMap(dm.Status) {
			return
		}
		p := MapPoint{Kind: relief.KindDemand, ID: dm.ID, Code: dm.Code, Title: dm.Title, Status: string(dm.Status), Place: dm.District}
		if !dm.Place.IsZero() {
			p.Place = placeName(dm.Place, dm.District)
		}
		position, address := seen.of(dm, me)
		p.PositionSealed = dm.PositionSealed
		if position && dm.Position != nil {
			pos := *dm.Position
			p.Position = &pos
		} else if position && dm.PositionSealed {
			addr := ""
			if address {
				addr = dm.Address // a string: never modified, safe to keep past the call
			}
			sealedAt, sealedIDs, sealedAddrs = append(sealedAt, len(out)), append(sealedIDs, dm.ID), append(sealedAddrs, addr)
		} else if address && dm.Address != "" {
			from := places.Len()
			places.WriteString(p.Place)
			places.WriteByte(' ')
			places.WriteString(dm.Address)
			spans = append(spans, span{len(out), from, places.Len()})
		}
		out = append(out, p)
		codes = append(codes, dm.Place.Code)
	})
	if len(sealedIDs) > 0 {
		opened, opening, err := d.st.OpenedPositionsWithin(sealedIDs, mapOpenBudget)
		if err != nil {
			return nil, AsError(err)
		}
		for i, at := range sealedAt {
			if pos := opened[i]; pos != nil {
				out[at].Position, out[at].PositionSealed = pos, false
				continue
			}
			if opening != nil && opening[i] {
				out[at].PositionSealed, out[at].PositionOpening = false, true
			}
			if sealedAddrs[i] != "" {
				from := places.Len()
				places.WriteString(out[at].Place)
				places.WriteByte(' ')
				places.WriteString(sealedAddrs[i])
				spans = append(spans, span{at, from, places.Len()})
			}
		}
	}
	all := places.String()
	for _, s := range spans {
		out[s.at].Place = all[s.from:s.to]
	}
	named := map[string]string{} // place words → the division they name, resolved once per call
	for i := range out {
		placeApprox(&out[i], codes[i], named)
	}
	os, err := d.st.OfferPoints() // from the offer view: no record read
	if err != nil {
		return nil, AsError(err)
	}
	now := d.st.Now()
	for _, o := range os {
		status := MapOffer
		if !o.ValidUntil.IsZero() && !o.ValidUntil.After(now) {
			status = MapExpired
		}
		place := o.Region
		if !o.Place.IsZero() {
			place = placeName(o.Place, o.Region)
		}
		p := MapPoint{Kind: relief.KindOffer, ID: o.ID, Code: o.Code, Title: o.Supplier, Status: status, Place: place}
		placeApprox(&p, o.Place.Code, named)
		out = append(out, p)
	}
	return out, nil
}

// MapLeftOut counts the demands MapPoints leaves out, by status (rejected,
// duplicate, withdrawn; statuses with none are absent), so that the map can
// say how many are not drawn and why. From the store's counts; no error.
func (d *Desk) MapLeftOut() map[relief.Status]int {
	out := map[relief.Status]int{}
	for st, n := range d.st.DemandCounts() {
		if !onMap(st) && n > 0 {
			out[st] = n
		}
	}
	return out
}

// onMap reports whether a demand of status st is on the map: open or
// fulfilled (what was delivered where), not rejected, duplicate or withdrawn.
func onMap(st relief.Status) bool {
	return !st.Terminal() || st == relief.StatusFulfilled
}

// placeApprox sets p's Approx, ApproxOf and ApproxName when it has no
// Position: the centre of division code (its resolved place's), else of the
// division its Place names (region.Resolve of its words, remembered in named
// for the points after it), else none.
func placeApprox(p *MapPoint, code string, named map[string]string) {
	if p.Position != nil {
		return
	}
	if code == "" && p.Place != "" {
		c, seen := named[p.Place]
		if !seen {
			if pl, ok := region.Resolve("", "", "", p.Place); ok {
				c = pl.Code
			}
			named[p.Place] = c
		}
		code = c
	}
	if c, ok := region.CentreOf(code); code != "" && ok {
		p.Approx, p.ApproxOf = &relief.Position{Lat: c.Lat, Lon: c.Lon}, c.Of
		// named as PlaceOf names the levels: a municipality's districts lie
		// in the municipality itself, not in the pseudo-city 市辖区
		if pl, ok := region.PlaceOf(code); ok {
			switch c.Of {
			case region.LevelProvince:
				p.ApproxName = pl.Province
			case region.LevelCity:
				p.ApproxName = cmp.Or(pl.City, pl.Province)
			default:
				p.ApproxName = pl.County
			}
		}
	}
}

// placeSight says whether a viewer sees a demand's exact position and its
// address, as relief.Project decides. A field's level is fixed (its struct
// tag), so the answer depends only on the viewer's clearance of the demand:
// one projection of a probe per clearance answers for every demand, instead
// of a projection (reflection over every field) per demand.
type placeSight struct {
	known             [relief.LevelRestricted + 1]bool
	position, address [relief.LevelRestricted + 1]bool
}

// of returns whether viewer sees dm's position and address.
func (s *placeSight) of(dm *relief.Demand, viewer relief.Member) (position, address bool) {
	lvl := relief.Clearance(dm, viewer)      // the pointer: no copy of the demand into the interface
	if lvl < 0 || int(lvl) >= len(s.known) { // not a level this cache knows: ask Project itself
		v, _ := relief.Project(*dm, viewer)
		return v.Position != nil, v.Address != ""
	}
	if !s.known[lvl] {
		probe := relief.Demand{ID: dm.ID, Owner: dm.Owner, Position: &relief.Position{}, Address: "x"}
		if relief.Clearance(probe, viewer) != lvl { // clearance rests on more than the owner: ask Project itself
			v, _ := relief.Project(*dm, viewer)
			return v.Position != nil, v.Address != ""
		}
		v, _ := relief.Project(probe, viewer)
		s.known[lvl], s.position[lvl], s.address[lvl] = true, v.Position != nil, v.Address != ""
	}
	return s.position[lvl], s.address[lvl]
}

// PlaceName is where a record is, in words: its place's names from the
// province down ("湖北省 荆门市 钟祥市"), then its district or region as
// written when the place does not end with it; "" when neither is known.
func PlaceName(p relief.Place, district string) string { return placeName(p, district) }

// placeName is PlaceName; the map finds a point's division by it.
func placeName(p relief.Place, district string) string {
	path := p.Path()
	if district != "" && (len(path) == 0 || path[len(path)-1] != district) {
		path = append(path, district)
	}
	return strings.Join(path, " ")
}
