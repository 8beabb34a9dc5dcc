package ledger

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// testKey returns a fixed device key, different for each n.
func testKey(n byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{n}, ed25519.SeedSize))
}

// fakeClock is a settable physical clock.
type fakeClock struct{ t time.Time }

func (f *fakeClock) Now() time.Time      { return f.t }
func (f *fakeClock) Add(d time.Duration) { f.t = f.t.Add(d) }
func (f *fakeClock) SetMilli(ms int64)   { f.t = time.UnixMilli(ms) }
func newFakeClock(ms int64) *fakeClock   { return &fakeClock{t: time.UnixMilli(ms)} }
func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := Marshal(v)
	must(t, err)
	return b
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

const t0 = 1_700_000_000_000 // a wall in ms, 2023-11-14

// testOps returns ops whose encoded bodies total roughly bodySize bytes.
func testOps(t testing.TB, n int, bodySize int) []Op {
	ops := make([]Op, n)
	for i := range ops {
		body := map[string]any{
			"title":  fmt.Sprintf("water for shelter %d", i),
			"count":  i * 10,
			"level":  "public",
			"region": "江岸区",
			"notes":  strings.Repeat("n", max(0, bodySize/n-80)),
		}
		ops[i] = Op{Kind: "demand", ID: fmt.Sprintf("d-%04d", i), Type: "set", Body: mustMarshal(t, body)}
	}
	return ops
}

// testFeed returns the first n changes of key's feed in network "net-1".
func testFeed(t testing.TB, key ed25519.PrivateKey, n int, bodySize int) []*Change {
	t.Helper()
	clk := newFakeClock(t0)
	a, err := NewAuthor(key, "net-1", Head{}, NewHLC(clk.Now, 0))
	must(t, err)
	feed := make([]*Change, n)
	for i := range feed {
		clk.Add(time.Second)
		c, err := a.Next(testOps(t, 1, bodySize))
		must(t, err)
		feed[i] = c
	}
	return feed
}

// testChange returns a valid signed change at seq (with a made-up Prev).
func testChange(t testing.TB, seq uint64) *Change {
	t.Helper()
	key := testKey(1)
	c := &Change{
		Network: "net-1",
		Device:  DeviceOf(key),
		Seq:     seq,
		Stamp:   Stamp{Wall: t0, Logical: 3},
		Ops:     testOps(t, 2, 200),
	}
	if seq > 1 {
		c.Prev = Hash{0xaa, byte(seq)}
	}
	must(t, Sign(key, c))
	return c
}

// wantReason fails unless err is a *RejectError with reason r (r == "" means err == nil).
func wantReason(t *testing.T, call string, err error, r Reason) *RejectError {
	t.Helper()
	if r == "" {
		if err != nil {
			t.Fatalf("%s = %v; want nil", call, err)
		}
		return nil
	}
	var re *RejectError
	if !errors.As(err, &re) || re.Reason != r {
		t.Fatalf("%s = %v; want reason %s", call, err, r)
	}
	return re
}
