package changestream

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// stream returns a store's changes as a stream (Send) and their encodings.
func stream(t testing.TB, n int) ([]byte, [][]byte) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CreateNetwork("net", "A"); err != nil {
		t.Fatal(err)
	}
	for range n {
		if _, err := st.RecordDemand(relief.Demand{Title: rand.Text(), District: "江岸区"}); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := Send(context.Background(), NewWriter(&buf), st, nil, nil, 0); err != nil {
		t.Fatal(err)
	}
	var encs [][]byte
	st.ChangesSince(nil, func(c *ledger.Change) error {
		b, err := ledger.Encode(c)
		encs = append(encs, b)
		return err
	})
	return buf.Bytes(), encs
}

// TestChangeLead checks that every signed change's encoding starts with
// changeLead, which the scan of a recovering Reader looks for.
func TestChangeLead(t *testing.T) {
	_, encs := stream(t, 5)
	for i, b := range encs {
		if len(b) < 2 || b[0] != changeLead[0] || b[1] != changeLead[1] {
			t.Fatalf("change %d starts % x; the scan looks for % x", i, b[:min(len(b), 4)], changeLead)
		}
	}
}

// TestRecoveringReaderSkipsDamage damages the first byte and zeroes bytes inside the 5th change of a
// stream: a plain Reader stops there (a network stream is not scanned), a
// recovering one reads every other change and says where it skipped.
func TestRecoveringReaderSkipsDamage(t *testing.T) {
	s, encs := stream(t, 12)
	at := bytes.Index(s, encs[4])
	damaged := bytes.Clone(s)
	damaged[at] = 0xff // not a change's first byte
	clear(damaged[at+10 : at+30])

	r := NewReader(bytes.NewReader(damaged))
	for i := range 4 {
		if _, err := r.Next(); err != nil {
			t.Fatalf("plain Next %d = %v", i, err)
		}
	}
	if _, err := r.Next(); ledger.ReasonOf(err) != ledger.ReasonMalformed {
		t.Fatalf("plain Next on the damaged change = %v; want malformed", err)
	}

	r = NewRecoveringReader(bytes.NewReader(damaged), 100, "")
	var got []uint64
	for {
		c, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("recovering Next after %v = %v", got, err)
		}
		got = append(got, c.Seq)
	}
	if len(got) != len(encs)-1 || got[3] != 4 || got[4] != 6 {
		t.Errorf("read seqs %v; want all of 1..%d but 5", got, len(encs))
	}
	d := r.Damage()
	if len(d) != 1 || d[0].Changes != 4 || d[0].ToEnd || d[0].Offset < 100+int64(at)-3 || d[0].Offset >= 100+int64(at) ||
		d[0].Offset+d[0].Bytes != 100+int64(at+len(encs[4])) {
		t.Errorf("Damage = %+v; want one run from the 5th change's frame (its body at %d, %d bytes) to its end", d, 100+at, len(encs[4]))
	}

	// cut inside the 5th change: read to it, then the end inside damage
	r = NewRecoveringReader(bytes.NewReader(s[:at+10]), 0, "")
	n := 0
	var err error
	for ; ; n++ {
		if _, err = r.Next(); err != nil {
			break
		}
	}
	if n != 4 || !errors.Is(err, io.ErrUnexpectedEOF) || len(r.Damage()) != 1 || !r.Damage()[0].Cut || !r.Damage()[0].ToEnd {
		t.Errorf("cut stream: %d changes, %v, damage %+v; want 4, unexpected EOF, one cut run to the end", n, err, r.Damage())
	}
}

// FuzzRecoveringReader: a recovering Reader never panics, returns only
// changes that decode, and reports damage runs in order, inside the input.
func FuzzRecoveringReader(f *testing.F) {
	s, _ := stream(f, 6)
	f.Add(s)
	f.Add(append(bytes.Clone(s[:40]), s[60:]...))
	f.Add([]byte{0})
	f.Add([]byte{0xa7, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := NewRecoveringReader(bytes.NewReader(b), 0, "TRAILER")
		for range len(b) + 1 {
			c, err := r.Next()
			if err != nil {
				break
			}
			if _, err := ledger.Encode(c); err != nil {
				t.Fatalf("Next returned a change that does not encode: %v", err)
			}
		}
		end := int64(0)
		for _, d := range r.Damage() {
			if d.Offset < end || d.Bytes < 0 || d.Offset+d.Bytes > int64(len(b)) {
				t.Fatalf("Damage %+v of %d bytes", r.Damage(), len(b))
			}
			end = d.Offset + d.Bytes
		}
	})
}
