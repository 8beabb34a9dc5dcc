package store

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/seal"
)

// sealBenchLen is the length of the feeds BenchmarkApplyRemoteSealing
// compares (shorter than benchRunLen: each sealed change costs its author
// three X25519 wraps to make).
const sealBenchLen = 20_000

// sealBenchFeed makes a feed of n demands as benchRun does; sealed, each
// change carries the demand with its contacts sealed (relief.SealSet) and
// the grant of its key to recipients members, as the desk writes them.
func sealBenchFeed(tb testing.TB, n, recipients int, sealed bool) (ledger.DeviceID, []*ledger.Change, int) {
	tb.Helper()
	id, key, err := ledger.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	to := map[ledger.DeviceID]seal.PublicKey{}
	for range recipients {
		m, _, _ := ledger.GenerateKey(rand.Reader)
		x, err := seal.NewIdentity(rand.Reader)
		if err != nil {
			tb.Fatal(err)
		}
		to[m] = x.Public()
	}
	start := time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC)
	var tick int64
	clk := ledger.NewHLC(func() time.Time { tick++; return start.Add(time.Duration(tick) * time.Millisecond) }, ledger.DefaultMaxDrift)
	a, err := ledger.NewAuthor(key, benchNetwork, ledger.Head{}, clk)
	if err != nil {
		tb.Fatal(err)
	}
	var out []*ledger.Change
	bytes := 0
	for i := range n {
		ops := []ledger.Op{benchDemandOp(tb, i)}
		if sealed {
			k, err := seal.NewKey(rand.Reader)
			if err != nil {
				tb.Fatal(err)
			}
			op, _, err := relief.SealSet(ops[0], k, rand.Reader)
			if err != nil {
				tb.Fatal(err)
			}
			g, err := relief.GrantKey(op.Kind, op.ID, k, to, rand.Reader)
			if err != nil {
				tb.Fatal(err)
			}
			ops = []ledger.Op{op, g}
		}
		c, err := a.Next(ops)
		if err != nil {
			tb.Fatal(err)
		}
		b, _ := ledger.Encode(c)
		bytes += len(b)
		out = append(out, c)
	}
	return id, out, bytes
}

// BenchmarkApplyRemoteSealing applies a feed of sealBenchLen demands into an
// empty store, as BenchmarkApplyRemote does, once with the contacts plain
// and once sealed and granted to three members (the store opens nothing
// while it applies), and reports changes per second and bytes per change.
func BenchmarkApplyRemoteSealing(b *testing.B) {
	for _, sealed := range []bool{false, true} {
		name := "plain"
		if sealed {
			name = "sealed"
		}
		b.Run(name, func(b *testing.B) {
			id, changes, size := sealBenchFeed(b, sealBenchLen, 3, sealed)
			b.ResetTimer()
			var elapsed time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s := benchStore(b, id)
				b.StartTimer()
				start := time.Now()
				applyAll(b, s, changes)
				elapsed += time.Since(start)
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(b.N*len(changes))/elapsed.Seconds(), "changes/s")
			b.ReportMetric(float64(size)/float64(len(changes)), "B/change")
		})
	}
}
