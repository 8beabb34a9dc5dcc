package importer

import (
	"fmt"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

func TestCloseAddress(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"武汉市江汉区香港路100号", "武汉市江汉区香港路10号", false},
		{"武汉市江汉区香港路100号", "湖北省武汉市江汉区香港路100号", true},
		{"江汉区香港路100号", "江汉区香港路100号3栋", true},
		{"江汉区香港路100号3栋", "江汉区香港路100号5栋", false},
		{"武汉市江岸区胜利街155号", "江岸区胜利街155号（急诊楼）", true},
		{"武汉市江岸区胜利街155号", "武汉市江岸区解放大道155号", false},
		{"武汉市江岸区解放大道", "武汉市江岸区解放大道1001号", false}, // a road, no number: shared by many places
		{"武汉市江岸区解放大道", "武汉市江岸区解放大道", true},
		{"武汉市武昌区中山路100号", "武汉市洪山区珞喻路100号", false},
	}
	for _, tt := range tests {
		a, b := addrKey(tt.a), addrKey(tt.b)
		if got := closeAddress(a, b); got != tt.want {
			t.Errorf("closeAddress(%q, %q) = %v; want %v", a, b, got, tt.want)
		}
		if got := closeAddress(b, a); got != tt.want {
			t.Errorf("closeAddress(%q, %q) = %v; want %v (swapped)", b, a, got, tt.want)
		}
	}
}

// TestSimilarAddressesDoNotFlagEverything: a sheet of many places on the
// same few roads, each with its own number and organisation, flags nothing.
func TestSimilarAddressesDoNotFlagEverything(t *testing.T) {
	var existing []relief.Demand
	roads := []string{"解放大道", "中山大道", "香港路", "武珞路"}
	for i := range 400 {
		existing = append(existing, relief.Demand{ID: fmt.Sprintf("d%03d", i), RequesterOrg: fmt.Sprintf("社区卫生服务站%d", i),
			Address: fmt.Sprintf("武汉市江汉区%s%d号", roads[i%4], i+1)})
	}
	flagged := 0
	for i := range 400 {
		r := Record{Kind: relief.KindDemand, Org: fmt.Sprintf("药房%d", i), Address: fmt.Sprintf("武汉市江汉区%s%d号", roads[(i+1)%4], i+1)}
		if d, ok := Similar(existing, r); ok {
			flagged++
			if flagged < 4 {
				t.Logf("%s ~ %s: %v", r.Address, d.OriginalOrg, d.Reasons)
			}
		}
	}
	if flagged != 0 {
		t.Errorf("Similar flagged %d of 400 records at other numbers or roads; want 0", flagged)
	}
	same := Record{Kind: relief.KindDemand, Org: "另一家药房", Address: "湖北省武汉市江汉区香港路3号"}
	if d, ok := Similar(existing, same); !ok || d.Original != "d002" || !slices.Contains(d.Reasons, "close address") {
		t.Errorf("Similar(香港路3号) = %+v, %v; want d002 by close address", d, ok)
	}
}

// TestSameOrganisation: a generic name left once the province and city are
// dropped ("人民医院") does not make every city's hospital the same.
func TestSameOrganisation(t *testing.T) {
	existing := []relief.Demand{
		{ID: "sz", RequesterOrg: "深圳市人民医院"},
		{ID: "wh1", RequesterOrg: "武汉市第一医院"},
	}
	tests := []struct {
		org, want string // want: the original's id, "" for none
	}{
		{"四川省人民医院", ""},
		{"上海市人民医院", ""},
		{"广东省人民医院", ""}, // the provincial hospital, not the city's
		{"广东省深圳市人民医院", "sz"},
		{"人民医院（急需）", "sz"}, // no place named: ambiguous, a reviewer decides
		{"湖北省武汉市第一医院", "wh1"},
		{"武汉市第一医院（光谷院区）", "wh1"},
		{"湖北省黄石市第一医院", ""},
	}
	for _, tt := range tests {
		d, ok := Similar(existing, Record{Kind: relief.KindDemand, Org: tt.org})
		if got := d.Original; !ok && got != "" || ok != (tt.want != "") || got != tt.want {
			t.Errorf("Similar(%s) = %q, %v; want %q", tt.org, got, ok, tt.want)
		}
	}
}
