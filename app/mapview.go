package app

import "context"

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
// withdrawn) and the offers, as this member may see them (desk.Desk.MapPoints).
func (s *MapService) Points() ([]MapPoint, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	ps, err := dk.MapPoints()
	if err != nil {
		return nil, err
	}
	out := make([]MapPoint, len(ps))
	for i, p := range ps {
		out[i] = MapPoint{Kind: p.Kind, ID: p.ID, Code: p.Code, Title: p.Title, Status: p.Status, Place: p.Place}
		if p.Position != nil {
			lat, lon := p.Position.Lat, p.Position.Lon
			out[i].Lat, out[i].Lon = &lat, &lon
		}
	}
	return out, nil
}
