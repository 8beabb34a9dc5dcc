package bundle

import (
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// TestReasonsForPeople: refusal counts in an error read as words and
// numbers, not as a Go map ("map[foreign_genesis:2]", seen by a tester).
func TestReasonsForPeople(t *testing.T) {
	got := reasons(map[ledger.Reason]int{ledger.ReasonWrongNetwork: 1, ledger.ReasonForeignGenesis: 2})
	if want := "foreign_genesis 2, wrong_network 1"; got != want {
		t.Errorf("reasons = %q; want %q", got, want)
	}
}
