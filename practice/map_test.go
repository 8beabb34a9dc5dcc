package practice

import (
	"context"
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/region"
)

// TestEveryPracticeRecordIsPlaced: on the practice network, every demand and
// offer on the map that has a place is placed (exactly, or at the centre of
// its county, city or province); only those with no place at all (the online
// clinics) are not.
func TestEveryPracticeRecordIsPlaced(t *testing.T) {
	st := openStore(t)
	dk := desk.New(st)
	net, member := Names("zh-CN")
	rep, err := Load(context.Background(), dk, net, member, nil)
	if err != nil {
		t.Fatal(err)
	}
	pts, err := dk.MapPoints()
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != rep.Demands+rep.Offers {
		t.Errorf("MapPoints = %d points; want every one of the %d demands and %d offers (none is rejected, duplicate or withdrawn)", len(pts), rep.Demands, rep.Offers)
	}
	levels := map[int]int{}
	named := 0
	for _, p := range pts {
		_, names := region.Resolve("", "", "", p.Place)
		if names {
			named++
		}
		switch {
		case p.Position != nil:
			levels[-1]++
		case p.Approx != nil:
			levels[p.ApproxOf]++
			if p.ApproxOf < region.LevelProvince || p.ApproxOf > region.LevelCounty {
				t.Errorf("%s %s at %+v of level %d; want a level", p.Code, p.Title, p.Approx, p.ApproxOf)
			}
		case names:
			t.Errorf("%s %s (%s) names a place (%q) but is not placed", p.Kind, p.Code, p.Title, p.Place)
		case p.Place != "":
			t.Errorf("%s %s (%s) at %q is not placed", p.Kind, p.Code, p.Title, p.Place)
		default: // the online clinics: no place at all
			levels[0]++
		}
	}
	t.Logf("practice map: %d points, %d name a division; placed exactly %d, at a county %d, city %d, province %d; unplaced %d",
		len(pts), named, levels[-1], levels[region.LevelCounty], levels[region.LevelCity], levels[region.LevelProvince], levels[0])
	if placed := len(pts) - levels[0]; placed < named || placed < 170 {
		t.Errorf("%d of %d points placed, %d name a division; want all that name one (174 of the practice data's 233: the 59 online clinics name no place)", placed, len(pts), named)
	}
	if levels[region.LevelCounty] == 0 {
		t.Error("no point placed at its county; the practice demands name Wuhan's districts")
	}
}
