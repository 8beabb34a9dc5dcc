package bulletin

import (
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// TestLastConfirmed: every table bulletin has a last_confirmed column with
// when each demand was last confirmed (empty if never), and the text summary
// says it in both languages.
func TestLastConfirmed(t *testing.T) {
	ds := levelDemands()
	ds[0].Confirmed = ledger.Stamp{Wall: 1700000000000} // 2023-11-14T22:13:20Z
	for _, format := range []string{"csv", "hxl", "json"} {
		out := render(t, ds, Options{Format: format, Lang: "en"})
		if !strings.Contains(out, "last_confirmed") || !strings.Contains(out, "2023-11-14T22:13:20Z") {
			t.Errorf("%s bulletin lacks the last_confirmed column or its value:\n%s", format, out)
		}
	}
	rows := Rows(Lines(ds))
	col := len(Header) - 1
	if Header[col] != "last_confirmed" || rows[0][col] != "2023-11-14T22:13:20Z" || rows[len(rows)-1][col] != "" {
		t.Errorf("Rows last column = %q … %q under %q; want the first demand's confirmation, the other's empty", rows[0][col], rows[len(rows)-1][col], Header[col])
	}
	for lang, want := range map[string]string{"zh-CN": "最后确认：2023-11-15 06:13", "en": "Last confirmed: 2023-11-15 06:13"} {
		if out := render(t, ds, Options{Format: "text", Lang: lang}); !strings.Contains(out, want) {
			t.Errorf("text bulletin (%s) lacks %q:\n%s", lang, want, out)
		}
	}
}
