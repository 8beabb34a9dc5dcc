package changestream

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
)

// plainSink hides a store's ApplyReceived: Apply then hands it changes
// without their bytes, as it did before there were ReceivedSinks.
type plainSink struct{ st *store.Store }

func (p plainSink) ApplyRemote(cs []*ledger.Change) (store.Result, error) {
	return p.st.ApplyRemote(cs)
}

// joined opens an empty store in the network of the feed encs.
func joined(t *testing.T, encs [][]byte) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c, err := ledger.Decode(encs[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := st.JoinNetwork(c.Network); err != nil {
		t.Fatal(err)
	}
	return st
}

// stored returns the encodings a store holds, in its feed's order.
func stored(t *testing.T, st *store.Store) [][]byte {
	t.Helper()
	var out [][]byte
	if err := st.EncodedChangesSince(nil, func(_ ledger.DeviceID, _ uint64, b []byte) error {
		out = append(out, slices.Clone(b))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func frames(t *testing.T, encs ...[]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, b := range encs {
		if err := w.WriteFrame(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.End(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A store that takes changes with their bytes (ApplyReceived) keeps exactly
// those bytes and the ids of their canonical form: changes applied after
// them without bytes (ApplyRemote) link to them, and it holds what a store
// fed through ApplyRemote holds.
func TestReceivedSinkStoresTheCanonicalBytes(t *testing.T) {
	_, encs := stream(t, 12)
	var _ ReceivedSink = (*store.Store)(nil)
	kept, plain := joined(t, encs), joined(t, encs)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	half := len(encs) / 2
	// the first half with their bytes, the rest without: a wrong id kept
	// for the first half would break the second half's first link
	if _, err := Apply(ctx, NewReader(bytes.NewReader(frames(t, encs[:half]...))), kept, ApplyOptions{Batch: 4}); err != nil {
		t.Fatal(err)
	}
	st, err := Apply(ctx, NewReader(bytes.NewReader(frames(t, encs[half:]...))), plainSink{kept}, ApplyOptions{Batch: 4})
	if err != nil || st.Applied != len(encs)-half {
		t.Fatalf("the second half without bytes: %+v, %v; want %d applied", st, err, len(encs)-half)
	}
	if _, err := Apply(ctx, NewReader(bytes.NewReader(frames(t, encs...))), plainSink{plain}, ApplyOptions{Batch: 4}); err != nil {
		t.Fatal(err)
	}
	got, want := stored(t, kept), stored(t, plain)
	if !slices.EqualFunc(got, encs, bytes.Equal) || !slices.EqualFunc(want, encs, bytes.Equal) {
		t.Fatalf("stored %d and %d changes; want the %d sent, byte for byte", len(got), len(want), len(encs))
	}
}

// A change whose bytes are not its canonical encoding stops Apply as
// malformed, with the changes before it applied, whether the sink takes
// the bytes or not: the stream cannot be trusted past it.
func TestReceivedSinkRefusesNonCanonical(t *testing.T) {
	_, encs := stream(t, 12)
	c, err := ledger.Decode(encs[6])
	if err != nil {
		t.Fatal(err)
	}
	// The seq's head, after the map, key 1, the network, key 2, the device
	// (0x58 0x20 and 32 bytes) and key 3, written in two bytes instead of one.
	at := 1 + 1 + 2 + len(c.Network) + 1 + 2 + 32 + 1
	if len(c.Network) < 24 {
		at--
	}
	if encs[6][at] != byte(c.Seq) {
		t.Fatalf("byte %d is %#x; want the seq %d", at, encs[6][at], c.Seq)
	}
	nc := slices.Concat(encs[6][:at], []byte{0x18, byte(c.Seq)}, encs[6][at+1:])
	if _, err := ledger.Decode(nc); err == nil {
		t.Fatal("the non-canonical change decodes")
	}
	sent := frames(t, slices.Concat(encs[:6], [][]byte{nc}, encs[7:])...)
	for _, tc := range []struct {
		name string
		sink func(*store.Store) Sink
	}{
		{"with bytes", func(st *store.Store) Sink { return st }},
		{"without", func(st *store.Store) Sink { return plainSink{st} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := joined(t, encs)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			stats, err := Apply(ctx, NewReader(bytes.NewReader(sent)), tc.sink(st), ApplyOptions{Batch: 4})
			var re *ledger.RejectError
			if !errors.As(err, &re) || re.Reason != ledger.ReasonMalformed {
				t.Fatalf("Apply = %+v, %v; want refused as %s", stats, err, ledger.ReasonMalformed)
			}
			if got := stored(t, st); stats.Applied != 6 || !slices.EqualFunc(got, encs[:6], bytes.Equal) {
				t.Fatalf("applied %d, stored %d; want the 6 before the non-canonical one", stats.Applied, len(got))
			}
		})
	}
}
