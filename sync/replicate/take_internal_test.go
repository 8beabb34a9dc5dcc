package replicate

import "testing"

// TestTakeOrdersRoundsWithAPeer: how round n takes what it learnt of its
// peer, the newest round that already did being by and the current
// connection having opened after round connAt started. Within a connection
// the peer's store only grows: every round raises (an older round's done
// frame may be the later one). The first round of a new connection replaces
// (the peer may have come back from an older copy); a round of an older
// connection no longer counts once one of the current connection did.
func TestTakeOrdersRoundsWithAPeer(t *testing.T) {
	for _, c := range []struct {
		name          string
		n, by, connAt uint64
		want          taking
	}{
		{"first round ever", 1, 0, 0, replace},
		{"the same round's done after its hello", 3, 3, 0, raise},
		{"a newer round of the connection", 4, 3, 0, raise},
		{"an older round of the connection written down last", 3, 4, 0, raise},
		{"the first round of a new connection", 6, 4, 5, replace},
		{"a round of the old connection written down after the new one's", 5, 6, 5, skip},
		{"a round of the old connection, none of the new one yet", 5, 4, 5, replace},
		{"an older round of the old connection, none of the new one yet", 3, 4, 5, skip},
	} {
		if got := take(c.n, c.by, c.connAt); got != c.want {
			t.Errorf("%s: take(%d, %d, %d) = %d, want %d", c.name, c.n, c.by, c.connAt, got, c.want)
		}
	}
}
