package ledger

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// seqAt returns the offset of the seq's head in b, a change's canonical
// encoding with a network of fewer than 24 bytes: map, key 1, network, key 2,
// device (0x58 0x20 and 32 bytes), key 3.
func seqAt(t testing.TB, c *Change) int {
	t.Helper()
	if len(c.Network) >= 24 {
		t.Fatalf("network %q too long for seqAt", c.Network)
	}
	return 1 + 1 + 1 + len(c.Network) + 1 + 2 + 32 + 1
}

// DecodeReceived keeps exactly the bytes it decoded (its own copy) and their
// SHA-256, which are the change's canonical encoding and id.
func TestDecodeReceivedKeepsTheCanonicalBytes(t *testing.T) {
	for _, c := range testFeed(t, testKey(1), 5, 300) {
		b, err := Encode(c)
		must(t, err)
		r, err := DecodeReceived(b)
		must(t, err)
		want := slices.Clone(b)
		clear(b) // the caller's buffer is reused
		if !r.HasEncoding() || !bytes.Equal(r.Encoding(), want) || r.ID() != c.ID() || r.ID() != r.Change.ID() {
			t.Fatalf("seq %d: kept %d bytes, id %s; want the %d bytes encoded, id %s", c.Seq, len(r.Encoding()), r.ID(), len(want), c.ID())
		}
		if !reflect.DeepEqual(r.Change, c) {
			t.Fatalf("seq %d: decoded %+v; want %+v", c.Seq, r.Change, c)
		}
		if again, err := Encode(r.Change); err != nil || !bytes.Equal(again, want) {
			t.Fatalf("seq %d: the change kept encodes to %x, %v; want its kept bytes", c.Seq, again, err)
		}
		if err := r.Change.Verify(); err != nil {
			t.Fatalf("seq %d: signature: %v", c.Seq, err)
		}
	}
	if r := (Received{Change: testChange(t, 3)}); r.HasEncoding() || r.ID() != r.Change.ID() {
		t.Fatalf("a Received made by hand: HasEncoding %v, ID %s; want false and the change's own id", r.HasEncoding(), r.ID())
	}
}

// A change sent in a form that is not its canonical encoding (here its seq
// in a longer head than needed) is refused as malformed, as Decode refuses
// it: its id could otherwise be the hash of bytes no other peer holds.
func TestDecodeReceivedRefusesNonCanonical(t *testing.T) {
	c := testFeed(t, testKey(1), 3, 100)[2]
	b, err := Encode(c)
	must(t, err)
	at := seqAt(t, c)
	if b[at] != byte(c.Seq) {
		t.Fatalf("byte %d is %#x; want the seq %d", at, b[at], c.Seq)
	}
	nc := slices.Concat(b[:at], []byte{0x18, byte(c.Seq)}, b[at+1:]) // the same seq, not in its shortest form
	_, derr := Decode(nc)
	_, rerr := DecodeReceived(nc)
	var de, re *RejectError
	if !errors.As(derr, &de) || !errors.As(rerr, &re) || de.Reason != ReasonMalformed || re.Reason != ReasonMalformed {
		t.Fatalf("Decode = %v, DecodeReceived = %v; want both refused as %s", derr, rerr, ReasonMalformed)
	}
}

// Over any damage to a change's bytes, DecodeReceived refuses what Decode
// refuses, for the same reason, and what it accepts it keeps as the
// change's canonical encoding.
func TestDecodeReceivedAgreesWithDecode(t *testing.T) {
	feed := testFeed(t, testKey(2), 4, 200)
	rapid.Check(t, func(t *rapid.T) {
		b, err := Encode(feed[rapid.IntRange(0, len(feed)-1).Draw(t, "change")])
		if err != nil {
			t.Fatal(err)
		}
		for range rapid.IntRange(0, 3).Draw(t, "damages") {
			i := rapid.IntRange(0, len(b)-1).Draw(t, "at")
			switch rapid.IntRange(0, 2).Draw(t, "how") {
			case 0:
				b[i] = rapid.Byte().Draw(t, "byte")
			case 1:
				b = slices.Delete(b, i, i+1)
			default:
				b = slices.Insert(b, i, rapid.Byte().Draw(t, "inserted"))
			}
			if len(b) == 0 {
				return
			}
		}
		c, derr := Decode(b)
		r, rerr := DecodeReceived(b)
		if (derr == nil) != (rerr == nil) {
			t.Fatalf("Decode = %v; DecodeReceived = %v", derr, rerr)
		}
		if derr != nil {
			if ReasonOf(derr) != ReasonOf(rerr) {
				t.Fatalf("Decode refused for %s, DecodeReceived for %s", ReasonOf(derr), ReasonOf(rerr))
			}
			return
		}
		if !reflect.DeepEqual(c, r.Change) || !bytes.Equal(r.Encoding(), b) || r.ID() != c.ID() {
			t.Fatalf("DecodeReceived = %+v (id %s); Decode = %+v (id %s)", r.Change, r.ID(), c, c.ID())
		}
		// the bytes kept are what the store would have written: the change's
		// own encoding (the store no longer encodes a received change again)
		if again, err := Encode(r.Change); err != nil || !bytes.Equal(again, b) {
			t.Fatalf("kept bytes %x; the decoded change encodes as %x, %v", b, again, err)
		}
	})
}
