package store

import (
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// TestCompareDeviceOrdersAndAllocatesNothing: the inbox's To and By
// indexes compare member ids in every insertion's search; the comparison
// orders them bytewise and allocates nothing (it made two strings each
// time before: about 2,500 allocations per catch-up batch of 256 changes).
func TestCompareDeviceOrdersAndAllocatesNothing(t *testing.T) {
	var a, b ledger.DeviceID
	a[0], b[0] = 1, 2
	b[31] = 0xff
	if compareDevice(a, b) >= 0 || compareDevice(b, a) <= 0 || compareDevice(a, a) != 0 {
		t.Fatalf("compareDevice: %d %d %d, want -1 1 0", compareDevice(a, b), compareDevice(b, a), compareDevice(a, a))
	}
	if raceEnabled {
		return // allocation counts differ with -race
	}
	if n := testing.AllocsPerRun(100, func() { compareDevice(a, b) }); n != 0 {
		t.Errorf("compareDevice: %.0f allocations per call, want none", n)
	}
}
