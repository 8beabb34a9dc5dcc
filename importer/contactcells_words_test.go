package importer

import (
	"strings"
	"testing"
)

// TestSealedCellSaysItsCount: the English line of a sealed cell says "1
// contact" and "2 contacts", never "contact(s)" (it said "holds 1
// contact(s)" in the hub's import report; failed before).
func TestSealedCellSaysItsCount(t *testing.T) {
	for _, tc := range []struct {
		n     int
		whole bool
		want  string
	}{
		{1, false, "holds 1 contact (phone)"},
		{2, false, "holds 2 contacts (phone)"},
		{1, true, "holds 1 contact (phone)"},
		{3, true, "holds 3 contacts (phone)"},
	} {
		got := sealedCell{column: "地址", kinds: []string{"phone"}, count: tc.n}.msg(tc.whole)
		if !strings.Contains(got, tc.want) || strings.Contains(got, "(s)") {
			t.Errorf("%d contacts, whole %v: %q; want it to say %q, without (s)", tc.n, tc.whole, got, tc.want)
		}
	}
}
