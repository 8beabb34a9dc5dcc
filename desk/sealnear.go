package desk

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// NearMetres is how close, in metres, a form's exact position must be to a
// recorded demand's for the similar-demand warning to name it (ReasonNear).
const NearMetres = 50

// ReasonNear starts the reason of a similar demand found by its exact
// position: "near 12 m", the distance in whole metres.
const ReasonNear = "near "

// nearReason returns the reason of a demand at dist metres.
func nearReason(dist float64) string { return fmt.Sprintf("%s%d m", ReasonNear, int(math.Round(dist))) }

// nearestDemand returns the demand of district that may be an original
// (relief.IsOriginal) whose exact position is nearest to at, within
// NearMetres, among those this member sees exactly (none without a
// district: the walk is over one district's demands, whose sealed positions
// are looked up, not every demand's): plain positions its clearance shows, and sealed
// ones this device opens (Store.OpenedPositions; the others are compared by
// their district and address only, as every member's warning does); its
// distance in metres; ok false when none is that close. Errors: CodeStorage.
func (d *Desk) nearestDemand(at relief.Position, district string) (relief.Demand, float64, bool, error) {
	if district == "" {
		return relief.Demand{}, 0, false, nil
	}
	me, _ := d.st.Me()
	var seen placeSight
	// a degree of latitude is about 111 km; of longitude, less away from the
	// equator: a box of NearMetres either way, widened, leaves few to measure
	dLat := NearMetres / 111_000.0 * 1.5
	dLon := dLat / max(math.Cos(at.Lat*math.Pi/180), 0.01)
	inBox := func(p relief.Position) bool { return math.Abs(p.Lat-at.Lat) <= dLat && math.Abs(p.Lon-at.Lon) <= dLon }
	type near struct {
		id   string
		dist float64
	}
	var cands []near // the demands within NearMetres: few
	consider := func(id string, p relief.Position) {
		if !inBox(p) {
			return
		}
		if dist := relief.Haversine(at, p); dist <= NearMetres {
			cands = append(cands, near{id, dist})
		}
	}
	var sealed []string
	d.st.EachDemand(store.DemandQuery{District: district}, func(dm *relief.Demand) {
		if dm.Status.Terminal() {
			return
		}
		if position, _ := seen.of(dm, me); !position {
			return
		}
		if dm.Position != nil {
			consider(dm.ID, *dm.Position)
		} else if dm.PositionSealed {
			sealed = append(sealed, dm.ID)
		}
	})
	if len(sealed) > 0 {
		opened, err := d.st.OpenedPositions(sealed)
		if err != nil {
			return relief.Demand{}, 0, false, AsError(err)
		}
		for i, p := range opened {
			if p != nil {
				consider(sealed[i], *p)
			}
		}
	}
	slices.SortFunc(cands, func(a, b near) int { return cmp.Or(cmp.Compare(a.dist, b.dist), cmp.Compare(a.id, b.id)) })
	for _, c := range cands {
		if rows := d.st.DemandsByID([]string{c.id}); len(rows) == 1 && relief.IsOriginal(rows[0]) {
			return rows[0], c.dist, true, nil
		}
	}
	return relief.Demand{}, 0, false, nil
}
