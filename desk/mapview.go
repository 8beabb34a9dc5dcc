package desk

import (
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// MapPoint is one demand or offer to put on the map. Position is set only
// when an exact position exists and the viewer may see it (exact positions
// are restricted); otherwise Place names where it is (district and address
// for a demand, region for an offer) and the map places it approximately by
// name.
type MapPoint struct {
	Kind     string // relief.KindDemand or relief.KindOffer
	ID       string
	Code     string
	Title    string // a demand's title, an offer's supplier
	Status   string // the demand's status; MapOffer or MapExpired for an offer
	Position *relief.Position
	Place    string
}

// Status of an offer's MapPoint.
const (
	MapOffer   = "offer"
	MapExpired = "expired" // past its valid-until
)

// MapPoints returns the open demands (not fulfilled, rejected, duplicate or
// withdrawn), then the offers, as this member may see them. Errors:
// CodeStorage.
func (d *Desk) MapPoints() ([]MapPoint, error) {
	me, _ := d.st.Me()
	ds, err := d.st.Demands(store.DemandQuery{})
	if err != nil {
		return nil, AsError(err)
	}
	out := []MapPoint{}
	for _, dm := range ds {
		if dm.Status.Terminal() {
			continue
		}
		p := MapPoint{Kind: relief.KindDemand, ID: dm.ID, Code: dm.Code, Title: dm.Title, Status: string(dm.Status), Place: dm.District}
		if v, _ := relief.Project(dm, me); v.Position != nil {
			pos := *v.Position
			p.Position = &pos
		} else if v.Address != "" {
			p.Place += " " + v.Address
		}
		out = append(out, p)
	}
	os, err := d.st.Offers()
	if err != nil {
		return nil, AsError(err)
	}
	now := d.st.Now()
	for _, o := range os {
		status := MapOffer
		if !o.ValidUntil.IsZero() && !o.ValidUntil.After(now) {
			status = MapExpired
		}
		out = append(out, MapPoint{Kind: relief.KindOffer, ID: o.ID, Code: o.Code, Title: o.Supplier, Status: status, Place: o.Region})
	}
	return out, nil
}
