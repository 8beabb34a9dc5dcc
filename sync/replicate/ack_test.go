package replicate_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// TestAckRecorded: after catching up, each side has recorded up to which of
// its own changes the other acknowledged, with the time it did: the whole
// of its feed once they are in sync.
func TestAckRecorded(t *testing.T) {
	st := newStores(t, 2)
	a := startNode(t, "A", st[0], replicate.Config{})
	b := startNode(t, "B", st[1], replicate.Config{})
	if _, ok := a.st.PeerAck(b.st.Device()); ok {
		t.Fatalf("A has an acknowledgement from B before they met")
	}
	connect(t, a, b)
	for i := range 3 {
		if _, err := a.st.RecordDemand(demand(fmt.Sprintf("需求 %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 20*time.Second, "all in sync", sameVV(a, b))
	own := a.st.VersionVector().Get(a.st.Device())
	waitFor(t, 20*time.Second, "B's acknowledgement of A's whole feed recorded on A", func() error {
		ack, ok := a.st.PeerAck(b.st.Device())
		if !ok || ack.Seq != own || ack.At.IsZero() {
			return fmt.Errorf("A's PeerAck(B) = %+v, %v; want seq %d with a time", ack, ok, own)
		}
		return nil
	})
}
