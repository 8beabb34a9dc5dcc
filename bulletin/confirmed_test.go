package bulletin

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
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
	col := slices.Index(Header, "last_confirmed")
	if col < 0 || rows[0][col] != "2023-11-14T22:13:20Z" || rows[len(rows)-1][col] != "" {
		t.Errorf("Rows last column = %q … %q under %q; want the first demand's confirmation, the other's empty", rows[0][col], rows[len(rows)-1][col], Header[col])
	}
	for lang, want := range map[string]string{"zh-CN": "最后确认：2023-11-15 06:13", "en": "Last confirmed: 2023-11-15 06:13"} {
		if out := render(t, ds, Options{Format: "text", Lang: lang}); !strings.Contains(out, want) {
			t.Errorf("text bulletin (%s) lacks %q:\n%s", lang, want, out)
		}
	}
}

// TestVerifiedColumn: every table bulletin says how and when each demand was
// verified (never who), and the text summary says it in both languages.
func TestVerifiedColumn(t *testing.T) {
	ds := levelDemands()
	at := time.Date(2023, 11, 14, 22, 0, 0, 0, time.UTC)
	ds[0].Verified = &relief.Verification{How: relief.EvidenceCallback, Checked: at, Approved: ledger.Stamp{Wall: at.Add(time.Hour).UnixMilli()}}
	rows := Rows(Lines(ds))
	how, when := slices.Index(Header, "verified"), slices.Index(Header, "verified_at")
	if how < 0 || when < 0 || rows[0][how] != "callback" || rows[0][when] != "2023-11-14T22:00:00Z" || rows[len(rows)-1][how] != "" {
		t.Errorf("Rows verified = %q %q … %q; want callback at the call's time, the other empty", rows[0][how], rows[0][when], rows[len(rows)-1][how])
	}
	for lang, want := range map[string]string{"zh-CN": "核实：电话回访 2023-11-15 06:00", "en": "Verified: call-back 2023-11-15 06:00"} {
		if out := render(t, ds, Options{Format: "text", Lang: lang}); !strings.Contains(out, want) {
			t.Errorf("text bulletin (%s) lacks %q:\n%s", lang, want, out)
		}
	}
}
