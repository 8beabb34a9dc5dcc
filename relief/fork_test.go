package relief

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// TestCheckFork: two changes prove a fork exactly when one device signed
// them, of one network, and they differ at one seq or the later one links
// to another change than the earlier; a report carries both either way
// round and names the lower seq.
func TestCheckFork(t *testing.T) {
	clock := func() *ledger.HLC {
		return ledger.NewHLC(func() time.Time { return time.UnixMilli(1_800_000_000_000) }, time.Minute)
	}
	var key ed25519.PrivateKey
	author := func(network string) (*ledger.Author, ledger.DeviceID) {
		id, k, err := ledger.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		key = k
		a, err := ledger.NewAuthor(k, network, ledger.Head{}, clock())
		if err != nil {
			t.Fatal(err)
		}
		return a, id
	}
	next := func(a *ledger.Author, title string) []byte {
		op, err := SetFields(KindDemand, "d-"+title, map[string]any{FieldTitle: title})
		if err != nil {
			t.Fatal(err)
		}
		c, err := a.Next([]ledger.Op{op})
		if err != nil {
			t.Fatal(err)
		}
		b, err := ledger.Encode(c)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, dev := author("net")
	one := next(a, "one")
	two := next(a, "two") // seq 2, links to one
	// The same key, restored from before seq 2: another seq 2, then a seq 3.
	restored, err := ledger.NewAuthor(key, "net", ledger.Head{Seq: 1, ID: sha256.Sum256(one)}, clock())
	if err != nil {
		t.Fatal(err)
	}
	other := next(restored, "other")
	three := next(restored, "three")
	stranger, _ := author("net")
	foreign := next(stranger, "x")
	elsewhere, _ := author("other")
	foreignNet := next(elsewhere, "y")
	altered, err := ledger.Decode(other)
	if err != nil {
		t.Fatal(err)
	}
	altered.Ops[0].ID = "d-altered"
	alteredB, _ := ledger.Encode(altered)

	for _, tc := range []struct {
		name string
		a, b []byte
		fork bool
		seq  uint64
	}{
		{"two changes at seq 2", two, other, true, 2},
		{"the same, other way round", other, two, true, 2},
		{"seq 3 links to another seq 2", two, three, true, 2},
		{"seq 2 and the seq 3 after it", other, three, false, 0},
		{"seq 1 and seq 2 of one branch", one, two, false, 0},
		{"the same change twice", two, two, false, 0},
		{"two devices", one, foreign, false, 0},
		{"two devices of two networks", foreign, foreignNet, false, 0},
		{"an altered copy", two, alteredB, false, 0},
		{"seqs 1 and 3", one, three, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := CheckFork(tc.a, tc.b)
			if (err == nil) != tc.fork || err != nil && !errors.Is(err, ErrNoFork) {
				t.Fatalf("CheckFork = %v; want fork %v", err, tc.fork)
			}
			if !tc.fork {
				if _, err := ReportFork(tc.a, tc.b); err == nil {
					t.Errorf("ReportFork made a report of no fork")
				}
				return
			}
			if p.Device != dev || p.Seq != tc.seq {
				t.Errorf("CheckFork = %s at %d; want %s at %d", p.Device.Short(), p.Seq, dev.Short(), tc.seq)
			}
			op, err := ReportFork(tc.a, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ReportFork(tc.b, tc.a)
			if err != nil || string(back.Body) != string(op.Body) {
				t.Errorf("the report depends on the order of its changes")
			}
			got, err := ForkOf(op)
			if err != nil || got.Seq != tc.seq || got.Device != dev {
				t.Errorf("ForkOf(report) = %+v, %v", got, err)
			}
			rec := &Record{}
			if err := ApplyOp(rec, Meta{Device: dev, Seq: 9}, op); err != nil || rec.First != nil || len(rec.Transitions) != 0 {
				t.Errorf("ApplyOp(report) = %v, record %+v; want the record unchanged", err, rec)
			}
		})
	}
}
