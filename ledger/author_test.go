package ledger

import (
	"crypto/ed25519"
	"strings"
	"testing"
	"time"
)

func TestAuthorNext(t *testing.T) {
	clk := newFakeClock(t0)
	clock := NewHLC(clk.Now, 0)
	key := testKey(1)
	a, err := NewAuthor(key, "net-1", Head{}, clock)
	must(t, err)
	if a.Device() != DeviceOf(key) {
		t.Fatalf("Device() = %v; want %v", a.Device(), DeviceOf(key))
	}
	var feed []*Change
	for i := range 4 {
		if i == 2 {
			clk.Add(-time.Minute) // a clock going back still gives increasing stamps
		}
		c, err := a.Next(testOps(t, 2, 100))
		if err != nil {
			t.Fatalf("Next() #%d = %v; want nil", i+1, err)
		}
		if c.Seq != uint64(i+1) || c.Network != "net-1" || c.Device != a.Device() {
			t.Errorf("Next() #%d = seq %d network %q; want seq %d in net-1", i+1, c.Seq, c.Network, i+1)
		}
		if i > 0 && c.Stamp.Compare(feed[i-1].Stamp) <= 0 {
			t.Errorf("Next() #%d stamp %v; want after %v", i+1, c.Stamp, feed[i-1].Stamp)
		}
		if h := a.Head(); h != HeadOf(c) {
			t.Errorf("Head() after Next #%d = %v; want %v", i+1, h, HeadOf(c))
		}
		feed = append(feed, c)
	}
	if err := VerifyRun(Hash{}, feed); err != nil {
		t.Errorf("VerifyRun(authored feed) = %v; want nil", err)
	}
	for _, c := range feed {
		if err := c.Verify(); err != nil {
			t.Errorf("Verify(seq %d) = %v; want nil", c.Seq, err)
		}
	}

	// A restarted author continues the same feed.
	b, err := NewAuthor(key, "net-1", a.Head(), clock)
	must(t, err)
	c, err := b.Next(testOps(t, 1, 10))
	must(t, err)
	if err := VerifyRun(feed[3].ID(), []*Change{c}); err != nil || c.Seq != 5 {
		t.Errorf("restarted Next() = seq %d, VerifyRun %v; want seq 5, nil", c.Seq, err)
	}
}

func TestAuthorNextRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		ops  []Op
		want Reason
	}{
		{"no ops", nil, ReasonMalformed},
		{"op without kind", []Op{{ID: "d1", Type: "set"}}, ReasonMalformed},
		{"non-canonical body", []Op{{Kind: "demand", ID: "d1", Type: "set", Body: []byte{0xfb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0}}}, ReasonMalformed},
		{"not well-formed body", []Op{{Kind: "demand", ID: "d1", Type: "set", Body: []byte{0x62, 'a'}}}, ReasonMalformed},
		{"invalid utf-8 id", []Op{{Kind: "demand", ID: "\xff", Type: "set"}}, ReasonMalformed},
		{"too large", []Op{{Kind: "demand", ID: "d1", Type: "set", Body: mustMarshal(t, strings.Repeat("x", MaxChangeSize))}}, ReasonTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := NewAuthor(testKey(1), "net-1", Head{}, NewHLC(newFakeClock(t0).Now, 0))
			must(t, err)
			first, err := a.Next(testOps(t, 1, 10))
			must(t, err)
			_, err = a.Next(tc.ops)
			wantReason(t, "Next("+tc.name+")", err, tc.want)
			if h := a.Head(); h != HeadOf(first) {
				t.Errorf("Head() after failed Next = %v; want unchanged %v", h, HeadOf(first))
			}
		})
	}
}

func TestAuthorDiscard(t *testing.T) {
	a, err := NewAuthor(testKey(1), "net-1", Head{}, NewHLC(newFakeClock(t0).Now, 0))
	must(t, err)
	c1, err := a.Next(testOps(t, 1, 10))
	must(t, err)
	c2, err := a.Next(testOps(t, 1, 10))
	must(t, err)
	if err := a.Discard(c1); err == nil {
		t.Errorf("Discard(not the last change) = nil; want error")
	}
	if err := a.Discard(c2); err != nil {
		t.Fatalf("Discard(last change) = %v; want nil", err)
	}
	if err := a.Discard(c2); err == nil {
		t.Errorf("Discard twice = nil; want error")
	}
	if a.Head() != HeadOf(c1) {
		t.Errorf("Head() after Discard = %v; want %v", a.Head(), HeadOf(c1))
	}
	c2b, err := a.Next(testOps(t, 1, 20))
	must(t, err)
	if err := VerifyRun(Hash{}, []*Change{c1, c2b}); err != nil || c2b.Seq != 2 {
		t.Errorf("Next after Discard = seq %d, VerifyRun %v; want seq 2, nil", c2b.Seq, err)
	}
}

func TestNewAuthorRejects(t *testing.T) {
	clock := NewHLC(newFakeClock(t0).Now, 0)
	for _, tc := range []struct {
		name    string
		key     ed25519.PrivateKey
		network string
		head    Head
		clock   *HLC
	}{
		{"short key", testKey(1)[:10], "net-1", Head{}, clock},
		{"empty network", testKey(1), "", Head{}, clock},
		{"nil clock", testKey(1), "net-1", Head{}, nil},
		{"head seq without id", testKey(1), "net-1", Head{Seq: 3}, clock},
		{"head id without seq", testKey(1), "net-1", Head{ID: Hash{1}}, clock},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewAuthor(tc.key, tc.network, tc.head, tc.clock); err == nil {
				t.Errorf("NewAuthor(%s) = nil error; want error", tc.name)
			}
		})
	}
}

func TestGenerateKey(t *testing.T) {
	d, key, err := GenerateKey(strings.NewReader(strings.Repeat("seed", 8)))
	must(t, err)
	if DeviceOf(key) != d || d.IsZero() {
		t.Errorf("GenerateKey() = %v, key of %v; want matching non-zero ids", d, DeviceOf(key))
	}
	if _, _, err := GenerateKey(strings.NewReader("short")); err == nil {
		t.Errorf("GenerateKey(short reader) = nil error; want error")
	}
}
