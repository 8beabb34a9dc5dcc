package relief

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"pgregory.net/rapid"
)

func TestLikenessReasons(t *testing.T) {
	phone := []Contact{{Phone: "+8613800000001"}}
	tests := []struct {
		name        string
		probe, orig Likeness
		want        []string
	}{
		{"same organisation, province and city dropped", LikenessOf("湖北省武汉市汉口医院（急需）", "", "", nil),
			LikenessOf("汉口医院", "江汉区", "", nil), []string{ReasonOrg}},
		{"same organisation, other district", LikenessOf("汉口医院", "江岸区", "", nil), LikenessOf("汉口医院", "江汉区", "", nil), nil},
		{"same key, other city", LikenessOf("深圳市人民医院", "", "", nil), LikenessOf("四川省人民医院", "", "", nil), nil},
		{"province against city", LikenessOf("湖北省人民医院", "", "", nil), LikenessOf("武汉市人民医院", "", "", nil), nil},
		{"same phone", LikenessOf("甲", "", "", append(phone, phone...)), LikenessOf("乙", "", "", phone), []string{ReasonPhone + "+8613800000001"}},
		{"hotline is no phone", LikenessOf("甲", "", "", []Contact{{Phone: "12345"}}), LikenessOf("乙", "", "", []Contact{{Phone: "12345"}}), nil},
		{"close address", LikenessOf("", "", "武汉市香港路100号住院部", nil), LikenessOf("", "", "香港路100号住院部3栋", nil), []string{ReasonAddress}},
		{"other house number", LikenessOf("", "", "武汉市香港路100号住院部", nil), LikenessOf("", "", "香港路10号住院部", nil), nil},
		{"short address", LikenessOf("", "", "香港路", nil), LikenessOf("", "", "香港路", nil), nil},
		{"own phone against the other's found in text", LikenessOf("甲", "", "", phone), LikenessOf("乙", "", "", []Contact{MarkFoundInText(phone[0])}),
			[]string{ReasonPhone + "+8613800000001"}},
		{"found in text against the other's own", LikenessOf("甲", "", "", []Contact{MarkFoundInText(phone[0])}), LikenessOf("乙", "", "", phone),
			[]string{ReasonPhone + "+8613800000001"}},
		{"two found in text: a hotline", LikenessOf("甲", "", "", []Contact{{Phone: "+8613800000002"}, MarkFoundInText(phone[0])}),
			LikenessOf("乙", "", "", []Contact{{Phone: "+8613800000003"}, MarkFoundInText(phone[0])}), nil},
		{"found in text and own in one demand counts as own", LikenessOf("甲", "", "", []Contact{MarkFoundInText(phone[0]), phone[0]}),
			LikenessOf("乙", "", "", []Contact{MarkFoundInText(phone[0])}), []string{ReasonPhone + "+8613800000001"}},
		{"all three, in order", LikenessOf("汉口医院", "", "香港路100号住院部", phone), LikenessOf("汉口医院", "", "香港路100号住院部", phone),
			[]string{ReasonOrg, ReasonPhone + "+8613800000001", ReasonAddress}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.probe.Reasons(tt.orig)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("Reasons(%+v, %+v) = %q; want %q", tt.probe, tt.orig, got, tt.want)
			}
			// Similar likenesses share a key: an index by key finds them.
			shared := slices.ContainsFunc(tt.probe.LookupKeys(), func(k string) bool { return slices.Contains(tt.orig.Keys(), k) })
			if len(got) > 0 && !shared {
				t.Fatalf("LookupKeys %q and Keys %q share none; want one", tt.probe.LookupKeys(), tt.orig.Keys())
			}
		})
	}
}

// likenessPhones draws the contacts of a likeness from a small pool: own
// phones, phones found in text, a hotline too short to compare.
func likenessPhones(t *rapid.T, label string) []Contact {
	var cs []Contact
	for range rapid.IntRange(0, 3).Draw(t, label+" contacts") {
		c := Contact{Phone: rapid.SampledFrom([]string{"+8613800000001", "+8613800000002", "+862785555555", "12345"}).Draw(t, label+" phone")}
		if rapid.Bool().Draw(t, label+" in text") {
			c = MarkFoundInText(c)
		}
		cs = append(cs, c)
	}
	return cs
}

// TestPhoneRuleAgainstPairs: for random contacts, the phone reasons are
// those of the rule stated pairwise (a number shared, own on at least one
// side; a contact found in text that the demand also has as its own counts
// as own), the same both ways, and the keys find every pair with a reason.
func TestPhoneRuleAgainstPairs(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ca, cb := likenessPhones(t, "a"), likenessPhones(t, "b")
		a, b := LikenessOf("甲", "", "", ca), LikenessOf("乙", "", "", cb)
		own := func(cs []Contact, p string) bool {
			return slices.ContainsFunc(cs, func(c Contact) bool { return c.Phone == p && !FoundInText(c) })
		}
		has := func(cs []Contact, p string) bool {
			return slices.ContainsFunc(cs, func(c Contact) bool { return c.Phone == p })
		}
		var want []string
		for _, c := range ca {
			p := c.Phone
			if !SimilarPhone(p) || slices.Contains(want, ReasonPhone+p) {
				continue
			}
			if has(cb, p) && (own(ca, p) || own(cb, p)) {
				want = append(want, ReasonPhone+p)
			}
		}
		got := a.FlagReasons(b)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("FlagReasons(%+v, %+v) = %q; want %q", a, b, got, want)
		}
		back := b.FlagReasons(a)
		slices.Sort(back)
		if !slices.Equal(back, want) {
			t.Fatalf("FlagReasons the other way = %q; want %q", back, want)
		}
		for _, x := range [][2]Likeness{{a, b}, {b, a}} {
			shared := slices.ContainsFunc(x[0].FlagLookupKeys(), func(k string) bool { return slices.Contains(x[1].FlagKeys(), k) })
			if len(want) > 0 && !shared {
				t.Fatalf("FlagLookupKeys %q and FlagKeys %q share none; want one", x[0].FlagLookupKeys(), x[1].FlagKeys())
			}
		}
	})
}

func TestMostSimilar(t *testing.T) {
	ids := []string{"c", "b", "a", "d"}
	reasons := [][]string{{ReasonOrg}, {ReasonOrg, ReasonAddress}, nil, {ReasonOrg, ReasonAddress}}
	if got := MostSimilar(ids, reasons); got != 1 {
		t.Fatalf("MostSimilar = %d; want 1 (most reasons, smallest id)", got)
	}
	if got := MostSimilar(ids[2:3], reasons[2:3]); got != -1 {
		t.Fatalf("MostSimilar(no reasons) = %d; want -1", got)
	}
}

func TestIsOriginal(t *testing.T) {
	for _, tt := range []struct {
		d    Demand
		want bool
	}{
		{Demand{Status: StatusCollected}, true},
		{Demand{Status: StatusDuplicate}, false},
		{Demand{Status: StatusCollected, Tags: []string{"x", TagPossibleDuplicate}}, false},
	} {
		if got := IsOriginal(tt.d); got != tt.want {
			t.Errorf("IsOriginal(%+v) = %v; want %v", tt.d, got, tt.want)
		}
	}
}

// orgPartsByRegex is OrgKey and the place as the importer computed them
// before orgParts (a regular expression each, over the same cleaned text,
// every step taken whatever the text).
func orgPartsByRegex(org string) (key, place string) {
	s := invisible.Replace(org)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.FieldsFunc(l, unicode.IsSpace), " ")
	}
	s = norm.NFKC.String(strings.Trim(strings.Join(lines, "\n"), "\n "))
	s = strings.TrimSpace(bracketed.ReplaceAllString(s, ""))
	key = NormalizeName(adminPrefix.ReplaceAllString(s, ""))
	m := adminPrefix.FindStringSubmatch(s)
	if m[3] != "" {
		return key, m[3]
	}
	return key, m[1]
}

// TestOrgPartsMatchesRegexes: orgParts, which skips the regular expressions
// when they cannot match and matches the province and city once, gives what
// the regular expressions give.
func TestOrgPartsMatchesRegexes(t *testing.T) {
	alphabet := []rune("湖北省武汉市深圳四川自治区州地盟人民医院第一汉口 　()（）[]【】\u200b\u200d\u2060\ufeff\u00adＮ95a,—“\r\n")
	rapid.Check(t, func(rt *rapid.T) {
		part := func(name string, max int) string {
			return string(rapid.SliceOfN(rapid.SampledFrom(alphabet), 0, max).Draw(rt, name))
		}
		// often a province and a city first, as the sheets write them
		org := part("lead", 2) + rapid.SampledFrom([]string{"", "湖北省", "广东省", "新疆维吾尔自治区", "香港特别行政区"}).Draw(rt, "province") +
			rapid.SampledFrom([]string{"", "武汉市", "深圳市", "恩施自治州", "锡林郭勒盟", "孝感地区"}).Draw(rt, "city") + part("rest", 12)
		gotKey, gotPlace := orgParts(org)
		wantKey, wantPlace := orgPartsByRegex(org)
		if gotKey != wantKey || gotPlace != wantPlace {
			rt.Fatalf("orgParts(%q) = %q, %q; want %q, %q", org, gotKey, gotPlace, wantKey, wantPlace)
		}
	})
}
