package bulletin

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/relief"
)

var mobile = regexp.MustCompile(`1[3-9]\d{9}`)

// TestNoRestrictedField: random demands carry a phone number and a secret
// marker in every restricted or team field; no format of the bulletin holds
// either.
func TestNoRestrictedField(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 5).Draw(t, "n")
		var ds []relief.Demand
		for i := range n {
			phone := "1" + rapid.StringMatching(`[3-9]\d{9}`).Draw(t, "phone")
			secret := "SECRET" + phone
			name := rapid.StringMatching(`[王李张][老师先生]{1,2}`).Draw(t, "name")
			ds = append(ds, relief.Demand{
				ID: rapid.StringMatching(`[a-z2-7]{26}`).Draw(t, "id"), Title: "医院" + string(rune('A'+i)),
				RequesterOrg: "某医院", District: "江汉区", Category: "medical_supplies", Status: relief.StatusPublished,
				Items:   []relief.Item{{Name: "N95口罩"}},
				Address: secret, Source: secret, ReviewNotes: secret, Description: secret,
				Contacts: []relief.Contact{{Name: name, Phone: phone, Role: secret}},
				Position: &relief.Position{Lat: 30.5, Lon: 114.3},
			})
		}
		for _, o := range allFormats() {
			format := o.Format + o.Lang
			var buf bytes.Buffer
			if err := WriteWith(&buf, ds, o); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if o.Format == "xlsx" {
				out = xlsxText(t, buf.Bytes())
			}
			for _, d := range ds {
				c := d.Contacts[0]
				for _, bad := range []string{c.Phone, c.Name, "SECRET"} {
					if strings.Contains(out, bad) {
						t.Fatalf("%s bulletin contains %q", format, bad)
					}
				}
			}
		}
	})
}

// allFormats are the public bulletins of every format, text in every language.
func allFormats() []Options {
	var out []Options
	for _, f := range Formats {
		if f != "hxl" { // hxl is in codes whatever the language
			for _, l := range Langs {
				out = append(out, Options{Format: f, Lang: l})
			}
			continue
		}
		out = append(out, Options{Format: f})
	}
	return out
}

// TestScrub: a phone typed into a public field is masked.
func TestScrub(t *testing.T) {
	for _, in := range []string{"王老师13800000000", "＋８６ １３８ ０００００ ０００", "027-85726035"} {
		if got := Scrub(in); strings.ContainsAny(strings.ReplaceAll(got, Masked, ""), "0123456789") {
			t.Errorf("Scrub(%q) = %q; want the number masked", in, got)
		}
	}
}

// orgWord: contact "names" that are really departments or labels, which may
// appear in organisation names ("设备科", "总机").
func orgWord(n string) bool {
	return strings.HasSuffix(n, "科") || strings.HasSuffix(n, "处") || n == "总机" || n == "物资" || n == "资金"
}

// TestScrubCases: standards, models, quantities and titles without a person
// are kept; numbers spaced or dotted, mobile numbers glued to letters, and
// names in titles are masked.
func TestScrubCases(t *testing.T) {
	for in, want := range map[string]string{
		"医用防护口罩 GB 19083-2010":        "医用防护口罩 GB 19083-2010",
		"手术衣 YY/T 0506.2-2016":        "手术衣 YY/T 0506.2-2016",
		"急需外科口罩1000000个":              "急需外科口罩1000000个",
		"感谢全体医护老师":                    "感谢全体医护老师",
		"武汉市第一医院 N95 口罩 5000 只":       "武汉市第一医院 N95 口罩 5000 只",
		"ISO 13485 certified 2000000": "ISO 13485 certified [***]",

		"联系139.1234.5678":       "联系[***]",
		"电话 139 1234 5678":      "电话 [***]",
		"Tel13912345678":        "Tel[***]",
		"(027)85726035":         "(027)[***]",
		"王老师：急需N95口罩":           "[***]：急需N95口罩",
		"请联系护理部李主任":             "请联系护理部[***]",
		"联系人：王小明，防护服200套":       "联系人：[***]，防护服200套",
		"协和医院 对接人 张华 口罩":        "协和医院 对接人 [***] 口罩",
		"请王小明老师转交":              "请[***]转交",
		"＋８６ １３８ ０００００ ０００":     "[***]",
		"13800000000 共1000000个": "[***] 共1000000个",
	} {
		if got := Scrub(in); got != want {
			t.Errorf("Scrub(%q) = %q; want %q", in, got, want)
		}
	}
}

// FuzzScrub: whatever the text, no mobile number survives Scrub, and text
// without digits or honorifics comes back unchanged.
func FuzzScrub(f *testing.F) {
	for _, s := range []string{"王老师13800000000", "GB 19083-2010", "139.1234.5678", "１３８００００００００", "GB 113800000000", "口罩1000000个"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Scrub(s)
		if m := mobile.FindString(strings.Map(foldDigitsForTest, got)); m != "" {
			t.Errorf("Scrub(%q) = %q keeps mobile %s", s, got, m)
		}
	})
}

func foldDigitsForTest(r rune) rune {
	if r >= '０' && r <= '９' {
		return '0' + (r - '０')
	}
	return r
}
