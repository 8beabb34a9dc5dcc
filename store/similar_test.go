package store

import (
	"crypto/ed25519"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"

	"github.com/reliefmesh/reliefmesh/relief"
)

// Small pools, so that random demands often share an organisation, a phone
// or an address, and sometimes differ only by their city, district or house
// number.
var (
	simOrgs      = []string{"", "汉口医院", "湖北省武汉市汉口医院", "深圳市人民医院", "四川省人民医院", "人民医院（急需）", "协和医院"}
	simDistricts = []string{"", "江汉区", "江岸区"}
	simAddresses = []string{"", "香港路", "武汉市香港路100号住院部", "香港路100号住院部3栋", "香港路10号住院部", "解放大道1277号门诊楼"}
	simPhones    = []string{"", "+8613800000001", "+8613800000002", "12345"}
)

func drawLikeDemand(t *rapid.T) map[string]any {
	f := map[string]any{
		relief.FieldTitle:    rapid.SampledFrom([]string{"需求", "协和医院", "湖北省人民医院"}).Draw(t, "title"),
		relief.FieldCategory: "protective_equipment",
	}
	if v := rapid.SampledFrom(simOrgs).Draw(t, "org"); v != "" {
		f[relief.FieldRequesterOrg] = v
	}
	if v := rapid.SampledFrom(simDistricts).Draw(t, "district"); v != "" {
		f[relief.FieldDistrict] = v
	}
	if v := rapid.SampledFrom(simAddresses).Draw(t, "address"); v != "" {
		f[relief.FieldAddress] = v
	}
	var cs []relief.Contact
	for _, p := range rapid.SliceOfN(rapid.SampledFrom(simPhones), 0, 3).Draw(t, "phones") {
		if p != "" {
			cs = append(cs, drawInText(t, relief.Contact{Name: "联系人", Phone: p}))
		}
	}
	if len(cs) > 0 {
		f[relief.FieldContacts] = cs
	}
	return f
}

// drawInText returns c, or c marked as found in a sheet's text
// (relief.MarkFoundInText: it matches only another demand's own phone).
func drawInText(t *rapid.T, c relief.Contact) relief.Contact {
	if rapid.IntRange(0, 2).Draw(t, "found in text") == 0 {
		return relief.MarkFoundInText(c)
	}
	return c
}

func drawProbe(t *rapid.T) relief.Likeness {
	var cs []relief.Contact
	for _, p := range rapid.SliceOfN(rapid.SampledFrom(simPhones), 0, 3).Draw(t, "probe phones") {
		cs = append(cs, drawInText(t, relief.Contact{Phone: p}))
	}
	return relief.LikenessOf(rapid.SampledFrom(simOrgs).Draw(t, "probe org"), rapid.SampledFrom(simDistricts).Draw(t, "probe district"),
		rapid.SampledFrom(simAddresses).Draw(t, "probe address"), cs)
}

// bruteSimilar is SimilarDemands by a scan of every demand.
func bruteSimilar(t *rapid.T, s *Store, l relief.Likeness) []string {
	ds, err := s.Demands(DemandQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range ds {
		if relief.IsOriginal(d) && len(l.Reasons(relief.DemandLikeness(d))) > 0 {
			ids = append(ids, d.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func viewSimilar(s *Store, l relief.Likeness) []string {
	var ids []string
	for _, d := range s.SimilarDemands(l) {
		if !slices.Equal(d.Reasons, l.Reasons(relief.DemandLikeness(d.Demand))) {
			return append(ids, "wrong reasons for "+d.Demand.ID)
		}
		ids = append(ids, d.Demand.ID)
	}
	slices.Sort(ids)
	return ids
}

// TestSimilarViewMatchesScan: after random demands, edits of the fields the
// rules compare, possible-duplicate tags set and removed, and reopening the
// store or changing the roster (the view rebuilt), SimilarDemands answers every probe exactly as a
// scan of every demand does.
func TestSimilarViewMatchesScan(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		dir := t.TempDir()
		clk := newClock()
		s, err := Open(dir, Options{Clock: clk.now})
		if err != nil {
			rt.Fatal(err)
		}
		defer func() { s.Close() }()
		if _, err := s.CreateNetwork("相似", "甲"); err != nil {
			rt.Fatal(err)
		}
		var ids []string
		check := func(when string) {
			for range 4 {
				l := drawProbe(rt)
				if got, want := viewSimilar(s, l), bruteSimilar(rt, s, l); !slices.Equal(got, want) {
					rt.Fatalf("%s: SimilarDemands(%+v) = %v; want %v (scan)", when, l, got, want)
				}
			}
		}
		steps := rapid.IntRange(1, 25).Draw(rt, "steps")
		for range steps {
			clk.advance(1e9)
			switch action := rapid.IntRange(0, 10).Draw(rt, "action"); {
			case action < 4 || len(ids) == 0: // record
				d, err := s.RecordDemand(relief.Demand{Title: "需求", Category: "protective_equipment"})
				if err != nil {
					rt.Fatal(err)
				}
				ids = append(ids, d.ID)
				fallthrough
			case action < 7: // edit what the rules compare
				id := ids[len(ids)-1]
				if action >= 4 {
					id = rapid.SampledFrom(ids).Draw(rt, "edit")
				}
				op, err := relief.SetFields(relief.KindDemand, id, drawLikeDemand(rt))
				if err != nil {
					rt.Fatal(err)
				}
				if _, err := s.ApplyLocal([]ledger.Op{op}); err != nil {
					rt.Fatal(err)
				}
			case action < 8: // flag as a possible duplicate
				op, err := relief.Add(relief.KindDemand, rapid.SampledFrom(ids).Draw(rt, "flag"), relief.SetTags, relief.TagPossibleDuplicate)
				if err != nil {
					rt.Fatal(err)
				}
				if _, err := s.ApplyLocal([]ledger.Op{op}); err != nil {
					rt.Fatal(err)
				}
			case action < 9: // clear a flag
				id := rapid.SampledFrom(ids).Draw(rt, "unflag")
				rec, err := s.Record(relief.KindDemand, id)
				if err != nil {
					rt.Fatal(err)
				}
				op, err := relief.Remove(rec, relief.SetTags, relief.TagPossibleDuplicate)
				if err != nil {
					break // not flagged
				}
				if _, err := s.ApplyLocal([]ledger.Op{op}); err != nil {
					rt.Fatal(err)
				}
			case action < 10: // a roster change: every demand is folded again, the view rebuilt reusing its likenesses
				_, key, err := ed25519.GenerateKey(nil)
				if err != nil {
					rt.Fatal(err)
				}
				op, err := relief.Endorse(ledger.DeviceOf(key), relief.RoleVolunteer, "乙")
				if err != nil {
					rt.Fatal(err)
				}
				if _, err := s.ApplyLocal([]ledger.Op{op}); err != nil {
					rt.Fatal(err)
				}
			default: // reopen: the view is rebuilt with the list
				s.Close()
				if s, err = Open(dir, Options{Clock: clk.now}); err != nil {
					rt.Fatal(err)
				}
			}
			check("after a step")
		}
	})
}

// TestSimilarViewKeyCollisions: the duplicate-key view keeps a key as its
// 64-bit hash, so keys whose hashes collide share one list. With every key
// hashed into one of three lists, the similar demands and the duplicate
// flags are still those of a scan and of every pair compared.
func TestSimilarViewKeyCollisions(t *testing.T) {
	defer func(h func(string) uint64) { keyHash = h }(keyHash)
	keyHash = func(k string) uint64 { return uint64(len(k) % 3) }
	t.Run("flags", TestFlagsSortedScanAgrees)
	t.Run("similar", TestSimilarViewMatchesScan)
	t.Run("any order", TestDuplicateFlagsAnyOrder)
}
