package replicate_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/sync/changestream"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// boundsSetup starts a bare host for the second store of a two-member network
// (no replicator: the test speaks the protocol itself) connected to a hub.
func boundsSetup(t *testing.T) (hub *node, member *p2p.Host) {
	t.Helper()
	st := newStores(t, 2)
	hub = startNode(t, "hub", st[0], replicate.Config{Interval: time.Hour})
	h, err := p2p.New(st[1].PrivateKey(), st[1], p2p.Config{Listen: []string{"/ip4/127.0.0.1/tcp/0"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	connect(t, &node{name: "member", h: h}, hub)
	return hub, h
}

// writePrefix opens a catch-up stream to hub and writes only a frame length
// prefix of n bytes (no body).
func writePrefix(t *testing.T, h *p2p.Host, hub *node, n uint64) network.Stream {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := h.Libp2p().NewStream(ctx, hub.h.ID(), replicate.ProtocolID)
	if err != nil {
		t.Fatalf("open stream: %v", err)
	}
	var hdr [binary.MaxVarintLen64]byte
	k := binary.PutUvarint(hdr[:], n)
	if _, err := s.Write(hdr[:k]); err != nil {
		t.Fatalf("write prefix: %v", err)
	}
	return s
}

// A hello whose length prefix claims 1 MiB is refused on the prefix and
// counted, without waiting for (or allocating) its body.
func TestHelloAboveLimitRefusedOnPrefix(t *testing.T) {
	hub, member := boundsSetup(t)
	before := hub.r.Stats().Rejected[ledger.ReasonTooLarge]
	s := writePrefix(t, member, hub, 1<<20)
	defer s.Reset()
	waitFor(t, 30*time.Second, "hello of 1 MiB refused", func() error {
		if got := hub.r.Stats().Rejected[ledger.ReasonTooLarge]; got != before+1 {
			return fmt.Errorf("Rejected[too_large] = %d; want %d", got, before+1)
		}
		return nil
	})
}

// A member opening many catch-up streams at once gets only
// DefaultMaxRoundsPerPeer of them served; the rest are reset unread and
// counted.
func TestRoundsPerPeerLimited(t *testing.T) {
	hub, member := boundsSetup(t)
	const streams = 12
	var refused int
	var all []network.Stream
	defer func() {
		for _, s := range all {
			s.Reset()
		}
	}()
	for range streams {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		s, err := member.Libp2p().NewStream(ctx, hub.h.ID(), replicate.ProtocolID)
		cancel()
		if err != nil {
			t.Fatalf("open stream: %v", err)
		}
		all = append(all, s)
		// A served stream gets the hub's hello; a refused one is reset (at
		// once: the deadline only bounds a served hello that is slow, as it
		// can be under -race at a load of 50, and must not count it refused).
		s.SetReadDeadline(time.Now().Add(30 * time.Second))
		if _, err := changestream.NewReader(s).ReadFrame(replicate.MaxHelloSize); err != nil {
			refused++
		}
	}
	if want := streams - replicate.DefaultMaxRoundsPerPeer; refused != want {
		t.Errorf("%d of %d streams refused; want %d", refused, streams, want)
	}
	if got, want := hub.r.Stats().StreamsRefused, uint64(streams-replicate.DefaultMaxRoundsPerPeer); got != want {
		t.Errorf("StreamsRefused = %d; want %d", got, want)
	}
	// Once the served rounds end, the member is served again.
	for _, s := range all {
		s.Reset()
	}
	all = nil
	waitFor(t, 30*time.Second, "member served again", func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s, err := member.Libp2p().NewStream(ctx, hub.h.ID(), replicate.ProtocolID)
		if err != nil {
			return err
		}
		defer s.Reset()
		s.SetReadDeadline(time.Now().Add(2 * time.Second))
		_, err = changestream.NewReader(s).ReadFrame(replicate.MaxHelloSize)
		return err
	})
}

// heapMiB returns the live heap after a full collection, in MiB.
func heapMiB() float64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// floodBound is how much the live heap of the whole test process (hub and
// attacker) may grow while one member floods the hub, in MiB. Without the
// bounds, 250 hellos of 4 MiB held about 1 GiB.
const floodBound = 100

// A member floods a hub with 250 streams, half of them sending a hello of
// 4 MiB (a length prefix and as much body as the hub takes), half a hello of
// just MaxHelloSize without its last byte (so a served round waits for it):
// the heap stays under floodBound and comes back once the streams end.
func TestFloodOfLargeHellos(t *testing.T) {
	if testing.Short() {
		t.Skip("floods a hub")
	}
	hub, member := boundsSetup(t)
	base := heapMiB()
	st0 := hub.r.Stats()
	failed0, refused0, served0 := st0.RoundsFailed, st0.StreamsRefused, st0.StreamsServed
	body := make([]byte, 4<<20) // one buffer, shared by every stream's writes
	const streams = 250
	var wg sync.WaitGroup
	var mu sync.Mutex
	var opened []network.Stream
	for i := range streams {
		size, send := len(body), len(body)
		if i%2 == 1 {
			size, send = replicate.MaxHelloSize, replicate.MaxHelloSize-1
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			s, err := member.Libp2p().NewStream(ctx, hub.h.ID(), replicate.ProtocolID)
			if err != nil {
				return // refused by the resource manager: fine
			}
			mu.Lock()
			opened = append(opened, s)
			mu.Unlock()
			var hdr [binary.MaxVarintLen64]byte
			k := binary.PutUvarint(hdr[:], uint64(size))
			s.SetWriteDeadline(time.Now().Add(3 * time.Second))
			if _, err := s.Write(hdr[:k]); err != nil {
				return
			}
			s.Write(body[:send]) // the hub refuses it, or stops reading: either way this ends
		}()
	}
	wg.Wait()
	peak := heapMiB()
	t.Logf("heap: %.1f MiB before, %.1f MiB with %d streams open (%d refused by the hub, %d hellos too large)",
		base, peak, len(opened), hub.r.Stats().StreamsRefused, hub.r.Stats().Rejected[ledger.ReasonTooLarge])
	if peak-base > floodBound {
		t.Errorf("heap grew by %.1f MiB under the flood; want at most %d MiB", peak-base, floodBound)
	}
	// Every stream reaches the hub before the member resets it: a stream
	// reset while libp2p still negotiates its protocol never reaches the
	// replicator, which then has nothing to count (under -race at load 60,
	// 249 of 250 were counted below, 247 refused and 2 served, when the
	// streams were reset at once).
	waitFor(t, 60*time.Second, "every stream taken or refused by the hub", func() error {
		st := hub.r.Stats()
		if got := st.StreamsRefused - refused0 + st.StreamsServed - served0; got < uint64(len(opened)) {
			return fmt.Errorf("%d refused + %d served; want %d streams", st.StreamsRefused-refused0, st.StreamsServed-served0, len(opened))
		}
		return nil
	})
	for _, s := range opened {
		s.Reset()
	}
	waitFor(t, 20*time.Second, "heap released after the flood", func() error {
		if after := heapMiB(); after-base > 16 {
			return fmt.Errorf("heap %.1f MiB, %.1f MiB above the start", after, after-base)
		}
		return nil
	})
	// Every stream is told: refused unread, or served and failed (a hello
	// too large, or one cut short when the member reset it). Not "all but
	// MaxRoundsPerPeer refused": a served round that ends (a hello too large
	// is refused at once) frees its slot for a stream that comes later, so
	// more than MaxRoundsPerPeer are served over the flood. Under -race at
	// GOMAXPROCS=1 and load 40, 246 were refused and one too large, with
	// 248 wanted.
	waitFor(t, 30*time.Second, "every stream refused or served and counted", func() error {
		st := hub.r.Stats()
		if got := st.StreamsRefused - refused0 + st.RoundsFailed - failed0; got < uint64(len(opened)) {
			return fmt.Errorf("%d refused + %d served rounds failed (%d hellos too large); want %d streams",
				st.StreamsRefused-refused0, st.RoundsFailed-failed0, st.Rejected[ledger.ReasonTooLarge], len(opened))
		}
		return nil
	})
}
