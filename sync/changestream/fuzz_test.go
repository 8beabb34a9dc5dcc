package changestream

import (
	"bytes"
	"context"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
)

type countSink struct{ n int }

func (s *countSink) ApplyRemote(cs []*ledger.Change) (store.Result, error) {
	s.n += len(cs)
	return store.Result{Duplicates: len(cs)}, nil
}

// FuzzApply feeds arbitrary bytes to the stream reader: it must never panic,
// never hand more than Limit changes to the sink, and stop at the first bad frame.
func FuzzApply(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{0x05, 'h', 'e', 'l', 'l', 'o', 0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		sink := &countSink{}
		st, err := Apply(context.Background(), NewReader(bytes.NewReader(b)), sink, ApplyOptions{Batch: 4, Limit: 8})
		if sink.n > 8 || st.Received != sink.n {
			t.Fatalf("Apply = %+v, %v; sink got %d", st, err, sink.n)
		}
	})
}

func TestWriterReaderRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, f := range [][]byte{[]byte("a"), bytes.Repeat([]byte("b"), 300)} {
		if err := w.WriteFrame(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.End(); err != nil {
		t.Fatal(err)
	}
	r := NewReader(&buf)
	if b, err := r.ReadFrame(10); err != nil || string(b) != "a" {
		t.Fatalf("ReadFrame = %q, %v", b, err)
	}
	if _, err := r.ReadFrame(10); err == nil {
		t.Fatalf("ReadFrame of a 300-byte frame with max 10 = nil error")
	}
	if err := w.WriteFrame(nil); err == nil {
		t.Errorf("WriteFrame(nil) = nil error; an empty frame would read as the end")
	}
}
