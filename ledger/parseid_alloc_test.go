package ledger

import (
	"strings"
	"testing"
)

// TestParseDeviceIDAllocations: parsing a member id makes its upper-case
// copy and the decoded bytes, not a replacer of its own each call (which
// made about 20 allocations, 6 KB, every volunteer fold).
func TestParseDeviceIDAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ with -race")
	}
	var d DeviceID
	for i := range d {
		d[i] = byte(7 * i)
	}
	s := d.String()
	spaced := strings.ToUpper(s[:10]) + " " + s[10:30] + "-" + s[30:]
	for _, in := range []string{s, spaced} {
		got, err := ParseDeviceID(in)
		if err != nil || got != d {
			t.Fatalf("ParseDeviceID(%q) = %v, %v; want %v", in, got, err, d)
		}
		if n := testing.AllocsPerRun(100, func() { _, _ = ParseDeviceID(in) }); n > 4 {
			t.Errorf("ParseDeviceID(%q): %.0f allocations per call, want at most 4", in, n)
		}
	}
}
