package changestream

import (
	"bytes"
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// plainSource hides a store's EncodedChangesSince, so that Send decodes and
// encodes each change as it does for any Source.
type plainSource struct{ st *store.Store }

func (p plainSource) ChangesSince(vv ledger.VersionVector, fn func(*ledger.Change) error) error {
	return p.st.ChangesSince(vv, fn)
}

// TestSendEncodedSameStream checks that Send writes the same bytes from a
// store's stored encodings (EncodedSource) as from its decoded changes, with
// and without upTo and limit.
func TestSendEncodedSameStream(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CreateNetwork("net", "A"); err != nil {
		t.Fatal(err)
	}
	for range 12 {
		if _, err := st.RecordDemand(relief.Demand{Title: rand.Text(), District: "江岸区", Urgency: relief.UrgencyHigh}); err != nil {
			t.Fatalf("RecordDemand: %v", err)
		}
	}
	var _ EncodedSource = st
	vv := st.VersionVector()
	for _, tc := range []struct {
		name        string
		since, upTo ledger.VersionVector
		limit       int
	}{
		{"all", nil, nil, 0},
		{"since 3", ledger.VersionVector{st.Device(): 3}, nil, 0},
		{"up to 7", nil, ledger.VersionVector{st.Device(): 7}, 0},
		{"limit 5", nil, nil, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var enc, plain bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			n1, err1 := Send(ctx, NewWriter(&enc), st, tc.since, tc.upTo, tc.limit)
			n2, err2 := Send(ctx, NewWriter(&plain), plainSource{st}, tc.since, tc.upTo, tc.limit)
			if err1 != nil || err2 != nil || n1 != n2 || n1 == 0 || !bytes.Equal(enc.Bytes(), plain.Bytes()) {
				t.Errorf("Send(encoded) = %d, %v (%d bytes); Send(decoded) = %d, %v (%d bytes); want the same stream (of %v)",
					n1, err1, enc.Len(), n2, err2, plain.Len(), vv)
			}
		})
	}
}
