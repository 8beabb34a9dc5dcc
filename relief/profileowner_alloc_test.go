package relief

import (
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// TestProfileOwnerOfPlainIDs: a volunteer id that is not a profile id
// (most are, like "v-00042", an import's) is no member's profile, and
// telling so allocates nothing (it parsed the id and made an error before,
// at every fold of every volunteer).
func TestProfileOwnerOfPlainIDs(t *testing.T) {
	var key ledger.DeviceID
	key[0], key[31] = 1, 2
	if got := profileOwner(ProfileID(key)); got != key {
		t.Fatalf("profileOwner(ProfileID(key)) = %v, want %v", got, key)
	}
	for _, id := range []string{"v-00042", "v-", "", "d-" + key.String(), "v-" + key.String() + "x"} {
		if got := profileOwner(id); !got.IsZero() {
			t.Errorf("profileOwner(%q) = %v, want none", id, got)
		}
	}
	if raceEnabled {
		return // allocation counts differ with -race
	}
	if n := testing.AllocsPerRun(100, func() { profileOwner("v-00042") }); n != 0 {
		t.Errorf("profileOwner(%q): %.0f allocations per call, want none", "v-00042", n)
	}
}
