package app

import (
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestClockWarnsWhenBehind: changes from a coordinator whose stamps run ahead
// of this computer's clock make Clock warn — held when beyond the drift
// allowed, not when within a few seconds.
func TestClockWarnsWhenBehind(t *testing.T) {
	for _, tc := range []struct {
		ahead    time.Duration
		warn     bool
		wantHeld bool
	}{
		{ahead: 10 * time.Second, warn: false},
		{ahead: 3 * time.Minute, warn: true},
		{ahead: 2 * time.Hour, warn: true, wantHeld: true},
	} {
		a := newApp(t, t.TempDir())
		if v, err := a.Network.Clock(); err != nil || v.Warn {
			t.Fatalf("Clock before any change = %+v, %v; want no warning", v, err)
		}
		fast := func() time.Time { return time.Now().Add(tc.ahead) }
		coord, err := store.Open(t.TempDir(), store.Options{Clock: fast})
		if err != nil {
			t.Fatal(err)
		}
		n, err := coord.CreateNetwork("Flood", "甲")
		if err != nil {
			t.Fatal(err)
		}
		st, _ := a.store()
		if err := coord.Endorse(st.Device(), relief.RoleVolunteer, "乙"); err != nil {
			t.Fatal(err)
		}
		if err := st.JoinNetwork(n.ID); err != nil {
			t.Fatal(err)
		}
		var cs []*ledger.Change
		coord.ChangesSince(nil, func(c *ledger.Change) error { cs = append(cs, c); return nil })
		coord.Close()
		if _, err := st.ApplyRemote(cs); err != nil {
			t.Fatal(err)
		}
		v, err := a.Network.Clock()
		if err != nil {
			t.Fatal(err)
		}
		if v.Warn != tc.warn || (v.Held > 0) != tc.wantHeld || v.BehindMs < (tc.ahead-time.Second).Milliseconds() {
			t.Errorf("%v ahead: Clock = %+v; want warn %v, held %v, behind ≈ %v", tc.ahead, v, tc.warn, tc.wantHeld, tc.ahead)
		}
	}
}
