package changestream

import (
	"bytes"
	"context"
	"crypto/rand"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// batchSink counts the changes of each call and asks for batches of want.
type batchSink struct {
	want  int
	sizes []int
}

func (b *batchSink) PreferredBatch() int { return b.want }

func (b *batchSink) ApplyRemote(cs []*ledger.Change) (store.Result, error) {
	b.sizes = append(b.sizes, len(cs))
	return store.Result{Applied: len(cs)}, nil
}

// TestApplyTakesTheSinksBatch: with ApplyOptions.Batch 0, Apply hands a
// BatchSink batches of the size it prefers (a lean store's 1024), and
// DefaultBatch to one without a preference; a Batch given in the options
// wins. A desktop's store has no preference; a lean one (the hub's) asks
// for 1024 (store's leanPrefersBatch).
func TestApplyTakesTheSinksBatch(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CreateNetwork("net", "A"); err != nil {
		t.Fatal(err)
	}
	for range 11 {
		if _, err := st.RecordDemand(relief.Demand{Title: rand.Text(), District: "江岸区", Urgency: relief.UrgencyHigh}); err != nil {
			t.Fatalf("RecordDemand: %v", err)
		}
	}
	var stream bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n, err := Send(ctx, NewWriter(&stream), st, nil, nil, 0)
	if err != nil || n < 12 {
		t.Fatalf("Send = %d, %v; want at least 12 changes", n, err)
	}
	for _, tc := range []struct {
		name       string
		want, opts int
		sizes      []int
	}{
		{"sink's 5", 5, 0, split(n, 5)},
		{"no preference", 0, 0, split(n, DefaultBatch)},
		{"options' 3 over the sink's 5", 5, 3, split(n, 3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sink := &batchSink{want: tc.want}
			if _, err := Apply(ctx, NewReader(bytes.NewReader(stream.Bytes())), sink, ApplyOptions{Batch: tc.opts}); err != nil {
				t.Fatalf("Apply = %v", err)
			}
			if !slices.Equal(sink.sizes, tc.sizes) {
				t.Errorf("batches %v; want %v", sink.sizes, tc.sizes)
			}
		})
	}
	var _ BatchSink = st
	if got := st.PreferredBatch(); got != 0 {
		t.Errorf("a desktop's store prefers batches of %d; want 0 (DefaultBatch)", got)
	}
	lean, err := store.Open(t.TempDir(), store.Options{Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	defer lean.Close()
	if got := lean.PreferredBatch(); got != 1024 {
		t.Errorf("a lean store prefers batches of %d; want 1024 (store's leanPrefersBatch)", got)
	}
}

// split returns the sizes of n changes in batches of k.
func split(n, k int) []int {
	var s []int
	for ; n > 0; n -= k {
		s = append(s, min(n, k))
	}
	return s
}
