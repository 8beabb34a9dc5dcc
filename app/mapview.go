package app

import (
	"context"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// MapPoint is one demand or offer to put on the map. Lat and Lon are set only
// when an exact position exists and the viewer may see it (exact positions are
// restricted); otherwise Place names where it is (district, address, region)
// and the map places it approximately by name.
type MapPoint struct {
	Kind   string   `json:"kind"` // demand or offer
	ID     string   `json:"id"`
	Code   string   `json:"code"`
	Title  string   `json:"title"`
	Status string   `json:"status"` // demand status; "offer" for offers ("expired" when past valid-until)
	Lat    *float64 `json:"lat"`
	Lon    *float64 `json:"lon"`
	Place  string   `json:"place"`
}

// MapService gives the map its points.
type MapService struct{ a *App }

// Startup is called by Wails when the window opens.
func (s *MapService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *MapService) Shutdown() {}

// Points returns the open demands (not fulfilled, rejected, duplicate or
// withdrawn) and the offers, as this member may see them.
func (s *MapService) Points() ([]MapPoint, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	me, _ := st.Me()
	ds, err := st.Demands(store.DemandQuery{})
	if err != nil {
		return nil, asError(err)
	}
	out := []MapPoint{}
	for _, d := range ds {
		if d.Status.Terminal() {
			continue
		}
		p := MapPoint{Kind: "demand", ID: d.ID, Code: d.Code, Title: d.Title, Status: string(d.Status), Place: d.District}
		if v, _ := relief.Project(d, me); v.Position != nil {
			lat, lon := v.Position.Lat, v.Position.Lon
			p.Lat, p.Lon = &lat, &lon
		} else if v.Address != "" {
			p.Place += " " + v.Address
		}
		out = append(out, p)
	}
	os, err := st.Offers()
	if err != nil {
		return nil, asError(err)
	}
	now := st.Now()
	for _, o := range os {
		status := "offer"
		if !o.ValidUntil.IsZero() && !o.ValidUntil.After(now) {
			status = "expired"
		}
		out = append(out, MapPoint{Kind: "offer", ID: o.ID, Code: o.Code, Title: o.Supplier, Status: status, Place: o.Region})
	}
	return out, nil
}
