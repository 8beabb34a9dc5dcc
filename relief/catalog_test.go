package relief

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/internal/fixture"
)

// readRaw returns a real wuhan2020 file carried by the repository (see
// testdata/README.md). The tests that read it fail (never skip) when it is
// missing.
func readRaw(t testing.TB, name string) []byte {
	t.Helper()
	return fixture.Read(t, "wuhan2020/"+name)
}

func TestCatalogResolve(t *testing.T) {
	c := DefaultCatalog()
	tests := []struct {
		name string
		want string // item id; "" = unresolved
	}{
		{"N95", "mask_n95"},
		{"N95口罩", "mask_n95"},
		{"医用防护口罩 | N95口罩", "mask_n95"},
		{"n95 口罩", "mask_n95"},
		{"Ｎ９５口罩", "mask_n95"},
		{"N95（10万）", "mask_n95"},
		{":N95口罩", "mask_n95"},
		{"3M1860或3M9132口罩", "mask_n95"},
		{"口罩 | N95口罩", "mask_n95"},
		{"KN95", "mask_kn95"},
		{"kn95口罩", "mask_kn95"},
		{"FFP2", "mask_kn95"},
		{"N99", "mask_n99"},
		{"医用外科口罩", "mask_surgical"},
		{"一次性医用外科口罩", "mask_surgical"},
		{"外科口罩（20万）", "mask_surgical"},
		{"一次性医用口罩", "mask_medical"},
		{"普通口罩（1千）", "mask_medical"},
		{"防护服", "coverall"},
		{"需要防护服", "coverall"},
		{"3M4565防护服", "coverall"},
		{"防护服（已安排）", "coverall"},
		{"防护服（急需面罩", "coverall"},
		{"隔离衣（一万）", "isolation_gown"},
		{"一次性手术衣", "surgical_gown"},
		{"防冲击眼罩/护目镜/防护眼镜", "goggles"},
		{"护目眼镜", "goggles"},
		{"眼罩）", "goggles"},
		{"防护面罩", "face_shield"},
		{"医用面屏", "face_shield"},
		{"医用面罩式雾化器", "nebuliser"},
		{"面罩式雾化器（儿童）", "nebuliser"},
		{"乳胶手套", "gloves"},
		{"医用外科手套", "gloves"},
		{"Nitrile Gloves", "gloves"},
		{"防污染鞋套", "shoe_cover"},
		{"防污染靴套", "boot_cover"},
		{"长筒胶鞋/防污染靴", "rubber_boots"},
		{"防护帽/医用帽/圆帽", "medical_cap"},
		{"75%酒精", "alcohol_75"},
		{"医用消毒酒精", "alcohol_75"},
		{"酒精 500ml", "alcohol_75"},
		{"84消毒液（1千）", "disinfectant_chlorine"},
		{"测体温设备", "thermometer"},
		{"额温枪", "thermometer"},
		{"核酸检测试剂盒", "test_kit"},
		{"PCR检测产品", "test_kit"},
		{"实时荧光定量PCR仪", "pcr_instrument"},
		{"无创呼吸机", "ventilator"},
		{"医用有创/无创呼吸机", "ventilator"},
		{"多参数监护仪", "patient_monitor"},
		{"surgical mask", "mask_surgical"},
		{"Face Shield", "face_shield"},
		{"已审核\u200b防护服", "coverall"},
		// Unknown names stay unresolved.
		{"N109", ""},
		{"N96", ""},
		{"电梯", ""},
		{"武汉市公安局", ""},
		{"急需", ""},
		{"口罩", ""},
		{"", ""},
		{"  ｜ / ", ""},
		{"KN9", ""},
		{"n950", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := c.Resolve(tt.name)
			if ok != (tt.want != "") || got.ID != tt.want {
				t.Errorf("Resolve(%q) = %q, %v; want %q", tt.name, got.ID, ok, tt.want)
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"N95 口罩", "n95口罩"},
		{"Ｎ９５口罩", "n95口罩"},
		{"n95口罩", "n95口罩"},
		{"75%酒精", "75酒精"},
		{"已审核\u200b", "已审核"},
		{"\u3000 男", "男"},
		{"YY/T 0969-2013", "yyt09692013"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestResolveList(t *testing.T) {
	c := DefaultCatalog()
	tests := []struct {
		text string
		want []string // item id per part, "?" for an unresolved part
	}{
		{"N95/护目镜/外科口罩", []string{"mask_n95", "goggles", "mask_surgical"}},
		{"N95，防护服（急需面罩，眼罩）", []string{"mask_n95", "coverall", "face_shield", "goggles"}},
		{"需要: 护目镜、N95口罩", []string{"?", "goggles", "mask_n95"}},
		{"N95.防护服", []string{"mask_n95", "coverall"}},
		{"N95（10万）/外科口罩（20万）", []string{"mask_n95", "mask_surgical"}},
		{"武汉市公安局", []string{"?"}},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []string
			for _, r := range c.ResolveList(tt.text) {
				id := r.Item.ID
				if !r.OK {
					id = "?"
				}
				got = append(got, id)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ResolveList(%q) = %q; want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestResolveItem(t *testing.T) {
	c := DefaultCatalog()
	tests := []struct {
		it   Item
		want string
	}{
		{Item{Name: "口罩", Spec: "N95"}, "mask_n95"},
		{Item{Name: "外科口罩", Spec: "N95"}, "mask_surgical"},
		{Item{Name: "口罩"}, ""},
	}
	for _, tt := range tests {
		got, ok := c.ResolveItem(tt.it)
		if ok != (tt.want != "") || got.ID != tt.want {
			t.Errorf("ResolveItem(%+v) = %q, %v; want %q", tt.it, got.ID, ok, tt.want)
		}
	}
}

func TestNewCatalogErrors(t *testing.T) {
	ok := CatalogItem{ID: "a", Zh: "甲", Category: "other"}
	tests := []struct {
		name  string
		items []CatalogItem
	}{
		{"no id", []CatalogItem{{Zh: "甲", Category: "other"}}},
		{"duplicate id", []CatalogItem{ok, ok}},
		{"bad category", []CatalogItem{{ID: "b", Category: "weapons"}}},
		{"alias collision", []CatalogItem{ok, {ID: "b", Category: "other", Aliases: []string{" 甲 "}}}},
		{"empty alias", []CatalogItem{{ID: "b", Category: "other", Aliases: []string{"%%"}}}},
	}
	for _, tt := range tests {
		if _, err := NewCatalog(tt.items); err == nil {
			t.Errorf("NewCatalog(%s) = nil error; want an error", tt.name)
		}
	}
	if _, err := NewCatalog([]CatalogItem{ok, {ID: "b", Category: "other", Aliases: []string{"乙", "乙"}}}); err != nil {
		t.Errorf("NewCatalog(repeated own alias) = %v; want nil", err)
	}
}

func TestDefaultCatalogSeed(t *testing.T) {
	c := DefaultCatalog()
	if c != DefaultCatalog() {
		t.Errorf("DefaultCatalog() returned two values")
	}
	for _, it := range c.Items() {
		if it.Zh == "" || it.En == "" || it.Unit == "" {
			t.Errorf("seed item %s lacks a name or unit: %+v", it.ID, it)
		}
		if got, ok := c.Resolve(it.Zh); !ok || got.ID != it.ID {
			t.Errorf("Resolve(%q) = %q; want %q (its own name)", it.Zh, got.ID, it.ID)
		}
		for _, a := range it.Aliases {
			if got, ok := c.Resolve(a); !ok || got.ID != it.ID {
				t.Errorf("Resolve(%q) = %q; want %q (its alias)", a, got.ID, it.ID)
			}
		}
	}
}

// TestCatalogRealData resolves every supply name of the Wuhan 2020 hospital sheets
// and logs the coverage (distinct names resolved); it fails below the floor
// measured when the seed was written.
func TestCatalogRealData(t *testing.T) {
	c := DefaultCatalog()
	// coverage logs and checks the share of distinct names resolved; names
	// maps each name to its number of occurrences.
	coverage := func(t *testing.T, names map[string]int, floor float64) {
		t.Helper()
		var resolved, occ, occResolved int
		var missed []string
		for n, k := range names {
			occ += k
			if _, ok := c.Resolve(n); ok {
				resolved++
				occResolved += k
			} else {
				missed = append(missed, n)
			}
		}
		slices.Sort(missed)
		pct := 100 * float64(resolved) / float64(len(names))
		t.Logf("coverage: %d of %d distinct names resolved (%.1f%%), %d of %d occurrences (%.1f%%); unresolved: %q",
			resolved, len(names), pct, occResolved, occ, 100*float64(occResolved)/float64(occ), missed)
		if len(names) == 0 || pct < floor {
			t.Errorf("coverage %.1f%% of %d names; want ≥ %.1f%%", pct, len(names), floor)
		}
	}

	t.Run("hospital_needs_wuhan.json", func(t *testing.T) {
		var recs []struct {
			Supplies []struct {
				Key           string `json:"key"`
				Specification string `json:"specification"`
			} `json:"supplies"`
		}
		if err := json.Unmarshal(readRaw(t, "hospital_needs_wuhan.json"), &recs); err != nil {
			t.Fatal(err)
		}
		names := map[string]int{}
		for _, r := range recs {
			for _, s := range r.Supplies {
				names[s.Key]++
			}
		}
		if len(names) < 20 {
			t.Fatalf("only %d distinct supply names; the file changed?", len(names))
		}
		coverage(t, names, 100)
		// The three spellings the issue names are one item.
		for _, n := range []string{"N95", "N95口罩", "医用防护口罩 | N95口罩"} {
			if it, _ := c.Resolve(n); it.ID != "mask_n95" {
				t.Errorf("Resolve(%q) = %q; want mask_n95", n, it.ID)
			}
		}
	})

	t.Run("hospital_needs_wuhan_typed.json", func(t *testing.T) {
		var recs [][]*struct {
			Key  string `json:"key"`
			Type string `json:"type"`
		}
		if err := json.Unmarshal(readRaw(t, "hospital_needs_wuhan_typed.json"), &recs); err != nil {
			t.Fatal(err)
		}
		names := map[string]int{}
		for _, r := range recs {
			for _, cell := range r {
				if cell != nil && cell.Type == "supply" {
					names[cell.Key]++
				}
			}
		}
		coverage(t, names, 100)
	})

	t.Run("DemandOfWuhan.csv", func(t *testing.T) {
		rows, err := csv.NewReader(strings.NewReader(string(readRaw(t, "DemandOfWuhan.csv")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		// Free-form lists: split, then count distinct parts. The misses are
		// spreadsheet fill-down artefacts (N96 … N121 after N95) and non-items.
		parts := map[string]int{}
		for _, row := range rows[1:] {
			for _, r := range c.ResolveList(row[1]) {
				parts[r.Text]++
			}
		}
		coverage(t, parts, 50)
	})
}

func BenchmarkCatalogResolve(b *testing.B) {
	c := DefaultCatalog()
	names := []string{"医用防护口罩 | N95口罩", "防冲击眼罩/护目镜/防护眼镜", "医用消毒酒精", "N109", "Ｎ９５口罩", "3M1860或3M9132口罩"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c.Resolve(names[i%len(names)])
	}
}

// FuzzResolve: Resolve and ResolveList never panic, are deterministic, and
// NormalizeName is idempotent.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"ｶﾀｶﾅ", "Ｎ９５", "ＡＢＣ①", "ﬁ", "İ", "医用防护口罩 | N95口罩", "N95（10万", "眼罩）", "kn95", "\u200b", "(((", "3.5.防护服"} {
		f.Add(s)
	}
	c := DefaultCatalog()
	f.Fuzz(func(t *testing.T, s string) {
		a, okA := c.Resolve(s)
		b, okB := c.Resolve(s)
		if okA != okB || a.ID != b.ID {
			t.Fatalf("Resolve(%q) not deterministic", s)
		}
		c.ResolveList(s)
		n := NormalizeName(s)
		if NormalizeName(n) != n {
			t.Fatalf("NormalizeName(NormalizeName(%q)) = %q; want %q", s, NormalizeName(n), n)
		}
		if !normalizedEqual(s, n) {
			t.Fatalf("normalizedEqual(%q, %q) = false; want true", s, n)
		}
		if normalizedEqual(s, n+"x") {
			t.Fatalf("normalizedEqual(%q, %q) = true; want false", s, n+"x")
		}
	})
}
