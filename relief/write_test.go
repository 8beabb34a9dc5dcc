package relief

import (
	"errors"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

func TestMayWrite(t *testing.T) {
	demand := ledger.Op{Kind: KindDemand, ID: "d", Type: OpSet}
	network := ledger.Op{Kind: KindNetwork, ID: "n", Type: OpSet}
	for _, tc := range []struct {
		role Role
		op   ledger.Op
		ok   bool
	}{
		{RoleCoordinator, demand, true}, {RoleCoordinator, network, true},
		{RoleReviewer, demand, true}, {RoleReviewer, network, false},
		{RoleVolunteer, demand, true}, {RoleVolunteer, network, false},
		{RoleObserver, demand, false}, {RoleObserver, network, false},
	} {
		err := MayWrite(Member{Role: tc.role}, tc.op)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrReadOnly)) {
			t.Errorf("MayWrite(%s, %s) = %v; want ok=%v", tc.role, tc.op.Kind, err, tc.ok)
		}
	}
}
