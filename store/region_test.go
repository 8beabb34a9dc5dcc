package store

import (
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestDemandsByRegion: the region filter matches a prefix of the place's
// hierarchy at every level, by code or by names, and a district written
// without a resolved place by its name.
func TestDemandsByRegion(t *testing.T) {
	s := openStore(t, t.TempDir(), newClock())
	s.CreateNetwork("n", "me")
	zx := sampleDemand("钟祥市人民医院")
	zx.District, zx.Place = "钟祥市", relief.Place{Code: "420881", Province: "湖北省", City: "荆门市", County: "钟祥市"}
	jm := sampleDemand("荆门市第二人民医院")
	jm.District, jm.Place = "", relief.Place{Code: "4208", Province: "湖北省", City: "荆门市"}
	wh := sampleDemand("武汉市第一医院")
	wh.Place = relief.Place{Code: "420103", Province: "湖北省", City: "武汉市", County: "江汉区"}
	zone := sampleDemand("光谷社区")
	zone.District, zone.Place = "东湖高新区", relief.Place{}
	var ids []string
	for _, d := range []relief.Demand{zx, jm, wh, zone} {
		got, err := s.RecordDemand(d)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got.ID)
	}
	for _, tc := range []struct {
		region string
		want   []int
	}{
		{"42", []int{0, 1, 2}}, {"湖北省", []int{0, 1, 2}}, {"4208", []int{0, 1}}, {"荆门市", []int{0, 1}},
		{"湖北省/荆门市", []int{0, 1}}, {"420881", []int{0}}, {"钟祥市", []int{0}}, {"江汉区", []int{2}},
		{"东湖高新区", []int{3}}, {"43", nil}, {"", []int{0, 1, 2, 3}},
	} {
		got, err := s.Demands(DemandQuery{Region: tc.region})
		if err != nil {
			t.Fatal(err)
		}
		var have, want []string
		for _, d := range got {
			have = append(have, d.ID)
		}
		for i := len(tc.want) - 1; i >= 0; i-- { // newest first
			want = append(want, ids[tc.want[i]])
		}
		if strings.Join(have, ",") != strings.Join(want, ",") {
			t.Errorf("Demands(Region %q) = %v; want %v", tc.region, have, want)
		}
	}
}
