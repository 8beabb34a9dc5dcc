package ledger

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"slices"
	"testing"
)

func TestSignVerify(t *testing.T) {
	c := testChange(t, 1)
	if err := c.Verify(); err != nil {
		t.Fatalf("Verify() = %v; want nil", err)
	}
	if !ed25519.Verify(c.Device[:], c.SigningBytes(), c.Sig) {
		t.Errorf("ed25519.Verify(SigningBytes) = false; want true")
	}
	b, err := Encode(c)
	must(t, err)
	if sb := c.SigningBytes(); len(sb) != len(b)-2-SignatureSize-1 {
		t.Errorf("len(SigningBytes()) = %d; want len(Encode) %d minus key 7 and a 64-byte string", len(sb), len(b))
	}
}

func TestSignWrongKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		key  ed25519.PrivateKey
	}{
		{"other device", testKey(2)},
		{"short key", testKey(1)[:32]},
		{"nil key", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := testChange(t, 1)
			sig := slices.Clone(c.Sig)
			if err := Sign(tc.key, c); err == nil {
				t.Fatalf("Sign(%s) = nil; want error", tc.name)
			}
			if !bytes.Equal(c.Sig, sig) {
				t.Errorf("Sign(%s) changed Sig; want it unchanged", tc.name)
			}
		})
	}
}

func TestVerifyForged(t *testing.T) {
	c := testChange(t, 2)
	for _, tc := range []struct {
		name   string
		mutate func(c *Change)
	}{
		{"network", func(c *Change) { c.Network = "net-2" }},
		{"device", func(c *Change) { c.Device = DeviceOf(testKey(2)) }},
		{"seq", func(c *Change) { c.Seq++ }},
		{"prev", func(c *Change) { c.Prev[31] ^= 1 }},
		{"stamp", func(c *Change) { c.Stamp.Logical++ }},
		{"op type", func(c *Change) { c.Ops[0].Type = "delete" }},
		{"op order", func(c *Change) { c.Ops[0], c.Ops[1] = c.Ops[1], c.Ops[0] }},
		{"ops dropped", func(c *Change) { c.Ops = c.Ops[:1] }},
		{"body", func(c *Change) { c.Ops[1].Body = mustMarshal(t, "other") }},
		{"sig", func(c *Change) { c.Sig[10] ^= 0x40 }},
		{"sig short", func(c *Change) { c.Sig = c.Sig[:63] }},
		{"sig missing", func(c *Change) { c.Sig = nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc := *c
			cc.Ops = slices.Clone(c.Ops)
			cc.Sig = slices.Clone(c.Sig)
			tc.mutate(&cc)
			wantReason(t, "Verify()", cc.Verify(), ReasonBadSignature)
		})
	}

	// Flip every bit of the encoding: whatever still decodes must not verify.
	b, err := Encode(c)
	must(t, err)
	decoded := 0
	for i := range len(b) * 8 {
		m := slices.Clone(b)
		m[i/8] ^= 1 << (i % 8)
		got, err := Decode(m)
		if err != nil {
			wantReason(t, fmt.Sprintf("Decode(bit %d flipped)", i), err, ReasonMalformed)
			continue
		}
		decoded++
		wantReason(t, fmt.Sprintf("Decode(bit %d flipped).Verify()", i), got.Verify(), ReasonBadSignature)
	}
	if decoded < len(b) {
		t.Errorf("only %d of %d bit flips decoded; the test is not exercising Verify", decoded, len(b)*8)
	}
}

func TestVerifyRun(t *testing.T) {
	key := testKey(1)
	feed := testFeed(t, key, 6, 100)
	other := testFeed(t, testKey(2), 6, 100)
	resign := func(c *Change) *Change { must(t, Sign(key, c)); return c }
	edit := func(c *Change, f func(c *Change)) *Change {
		cc := *c
		cc.Ops = slices.Clone(c.Ops)
		cc.Sig = slices.Clone(c.Sig)
		f(&cc)
		return &cc
	}
	replace := func(run []*Change, i int, c *Change) []*Change {
		run = slices.Clone(run)
		run[i] = c
		return run
	}
	otherNet := edit(feed[3], func(c *Change) { c.Network = "net-2" })
	resign(otherNet)

	for _, tc := range []struct {
		name    string
		prev    Hash
		run     []*Change
		want    Reason
		wantSeq uint64
	}{
		{"whole feed", Hash{}, feed, "", 0},
		{"tail", feed[1].ID(), feed[2:], "", 0},
		{"single", feed[3].ID(), feed[4:5], "", 0},
		{"empty", Hash{}, nil, "", 0},
		{"wrong prev", feed[0].ID(), feed[2:], ReasonBrokenLink, 3},
		{"first without zero prev", feed[0].ID(), feed, ReasonBrokenLink, 1},
		{"missing middle", Hash{}, slices.Concat(feed[:2], feed[3:]), ReasonBrokenLink, 4},
		{"swapped", Hash{}, []*Change{feed[0], feed[2], feed[1]}, ReasonBrokenLink, 3},
		{"broken link in middle", Hash{}, replace(feed, 3, resign(edit(feed[3], func(c *Change) { c.Prev[0] ^= 1 }))), ReasonBrokenLink, 4},
		{"tampered middle", Hash{}, replace(feed, 2, edit(feed[2], func(c *Change) { c.Ops[0].ID = "d-9999" })), ReasonBrokenLink, 4},
		{"tampered middle re-signed", Hash{}, replace(feed, 2, resign(edit(feed[2], func(c *Change) { c.Stamp.Wall++ }))), ReasonBrokenLink, 4},
		{"tampered middle sig", Hash{}, replace(feed, 2, edit(feed[2], func(c *Change) { c.Sig[0] ^= 1 })), ReasonBrokenLink, 4},
		{"wrong last sig", Hash{}, replace(feed, 5, edit(feed[5], func(c *Change) { c.Sig[63] ^= 1 })), ReasonBadSignature, 6},
		{"last signed by other", Hash{}, replace(feed, 5, edit(feed[5], func(c *Change) { c.Sig = other[5].Sig })), ReasonBadSignature, 6},
		{"other device", Hash{}, slices.Concat(feed[:3], other[3:]), ReasonBrokenLink, 4},
		{"other network", Hash{}, replace(feed[:4], 3, otherNet), ReasonWrongNetwork, 4},
		{"malformed middle", Hash{}, replace(feed, 1, edit(feed[1], func(c *Change) { c.Ops = nil })), ReasonMalformed, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			re := wantReason(t, fmt.Sprintf("VerifyRun(%.8s, %d changes)", tc.prev, len(tc.run)), VerifyRun(tc.prev, tc.run), tc.want)
			if re != nil && re.Seq != tc.wantSeq {
				t.Errorf("VerifyRun(...) failed at seq %d; want seq %d (%v)", re.Seq, tc.wantSeq, re)
			}
		})
	}
}
