package desk

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/bulletin"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// sigNetwork returns a network of three: the founder A (coordinator 甲), B
// (volunteer 乙, endorsed by A) and C (volunteer 丙, endorsed by B), all
// caught up, and a bulletin file written by C with C's signature.
func sigNetwork(t *testing.T) (a, b, c *Desk, file, sig []byte) {
	t.Helper()
	a, b = peopleNetwork(t)
	c = New(peopleStore(t))
	if err := b.Endorse(c.Status().Device, "volunteer", "丙"); err != nil {
		t.Fatal(err)
	}
	n, _ := a.Store().Network()
	if err := c.Store().JoinNetwork(n.ID); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, a.Store(), c.Store())
	peopleSync(t, b.Store(), c.Store())
	peopleSync(t, b.Store(), a.Store())
	var buf bytes.Buffer
	if _, err := c.WriteBulletin(&buf, BulletinRequest{Format: "csv", IncludeUnpublished: true}); err != nil {
		t.Fatal(err)
	}
	file = buf.Bytes()
	sig, err := c.SignBulletin(file, "bulletin.csv", time.Unix(1700000000, 0))
	if err != nil {
		t.Fatalf("SignBulletin = %v", err)
	}
	return a, b, c, file, sig
}

// wantRefused fails unless err is a *bulletin.VerifyError of reason whose
// words hold each of words.
func wantRefused(t *testing.T, what string, err error, reason string, words ...string) {
	t.Helper()
	var ve *bulletin.VerifyError
	if !errors.As(err, &ve) || ve.Reason != reason {
		t.Errorf("%s: Verify = %v; want %s", what, err, reason)
		return
	}
	for _, w := range words {
		if !strings.Contains(ve.Detail, w) {
			t.Errorf("%s: %q does not say %q", what, ve.Detail, w)
		}
	}
}

// TestSignedBulletinVerifies: a bulletin signed by C verifies offline from
// the two files alone, naming C, who endorsed C (B) and who endorsed B (the
// founder A), with their roles.
func TestSignedBulletinVerifies(t *testing.T) {
	a, _, c, file, sig := sigNetwork(t)
	n, _ := a.Store().Network()
	v, err := bulletin.Verify(file, sig, bulletin.VerifyOptions{Network: n.ID})
	if err != nil {
		t.Fatalf("Verify = %v", err)
	}
	var names []string
	for _, m := range v.Chain {
		names = append(names, m.Name+"/"+string(m.Role))
	}
	if got := strings.Join(names, " "); got != "丙/volunteer 乙/volunteer 甲/coordinator" || v.Signer.Key != c.Store().Device() || v.Network != n.ID {
		t.Errorf("Verify = chain %q, signer %s, network %s; want 丙 乙 甲 signed by C of %s", got, v.Signer.Key.Short(), v.Network, n.ID)
	}
	if d := v.Describe(); !strings.Contains(d, "signed by 丙") || !strings.Contains(d, "endorsed by 乙") || !strings.Contains(d, "endorsed by 甲 ("+a.Store().Device().Short()+"), coordinator") {
		t.Errorf("Describe() = %q; want the chain in words", d)
	}
	if _, err := a.VerifyBulletin(file, sig, ""); err != nil {
		t.Errorf("VerifyBulletin on the founder's device = %v", err)
	}
}

// TestTamperedBulletinRefused: each kind of forgery is refused with its own
// reason and words: a flipped byte of the file, a signer swapped for another
// member, a chain with a link taken out, another network, a signer revoked
// (in the chain, or in the verifier's roster), a damaged change of the chain.
func TestTamperedBulletinRefused(t *testing.T) {
	a, b, c, file, sig := sigNetwork(t)
	n, _ := a.Store().Network()
	s, err := bulletin.DecodeSig(sig)
	if err != nil {
		t.Fatal(err)
	}
	reencode := func(s bulletin.Sig) []byte {
		out, err := s.Encode()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	flipped := bytes.Clone(file)
	flipped[len(flipped)/2] ^= 0x01
	_, err = bulletin.Verify(flipped, sig, bulletin.VerifyOptions{})
	wantRefused(t, "a flipped byte", err, bulletin.ReasonTampered, "SHA-256", "changed after it was signed")
	_, err = bulletin.Verify(append(bytes.Clone(file), '\n'), sig, bulletin.VerifyOptions{})
	wantRefused(t, "a byte added", err, bulletin.ReasonTampered, "bytes")

	swapped := s
	swapped.Signer = b.Store().Device()
	_, err = bulletin.Verify(file, reencode(swapped), bulletin.VerifyOptions{})
	wantRefused(t, "a swapped signer", err, bulletin.ReasonBadSignature, "乙", "swapped")

	stranger := s
	stranger.Signer = ledger.DeviceID{7}
	_, err = bulletin.Verify(file, reencode(stranger), bulletin.VerifyOptions{})
	wantRefused(t, "an unknown signer", err, bulletin.ReasonUnknownSigner, "not a member")

	// the change that endorses B taken out: B's endorsement of C no longer counts
	missing := s
	missing.Chain = nil
	for _, raw := range s.Chain {
		ch, err := ledger.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		if ch.Ops[0].Type == string(relief.OpEndorse) && ch.Ops[0].ID == b.Store().Device().String() {
			continue
		}
		missing.Chain = append(missing.Chain, raw)
	}
	if len(missing.Chain) != len(s.Chain)-1 {
		t.Fatalf("chain of %d changes holds no endorsement of B", len(s.Chain))
	}
	_, err = bulletin.Verify(file, reencode(missing), bulletin.VerifyOptions{})
	wantRefused(t, "a missing link", err, bulletin.ReasonBrokenChain, "missing", b.Store().Device().Short())

	noGenesis := s
	noGenesis.Chain = nil
	for _, raw := range s.Chain {
		if ch, _ := ledger.Decode(raw); ch.Ops[0].Type != string(relief.OpGenesis) {
			noGenesis.Chain = append(noGenesis.Chain, raw)
		}
	}
	_, err = bulletin.Verify(file, reencode(noGenesis), bulletin.VerifyOptions{})
	wantRefused(t, "no genesis", err, bulletin.ReasonNotFounded, n.ID)

	damaged := s
	damaged.Chain = append([][]byte{}, s.Chain...)
	damaged.Chain[0] = bytes.Clone(damaged.Chain[0])
	damaged.Chain[0][len(damaged.Chain[0])-1] ^= 0x01 // in the change's own signature
	_, err = bulletin.Verify(file, reencode(damaged), bulletin.VerifyOptions{})
	wantRefused(t, "a damaged change", err, bulletin.ReasonBrokenChain, "not signed by its author")

	_, err = bulletin.Verify(file, sig, bulletin.VerifyOptions{Network: "another"})
	wantRefused(t, "another network", err, bulletin.ReasonWrongNetwork, "another", n.ID)

	// A revokes C: C's old signature is refused by a device that knows it,
	// and a signature C makes afterwards (with what its store then holds)
	// carries the revocation and is refused by anyone
	if err := a.Revoke(c.Store().Device().String(), "laptop lost"); err != nil {
		t.Fatal(err)
	}
	_, err = a.VerifyBulletin(file, sig, "")
	wantRefused(t, "a signer revoked in the verifier's roster", err, bulletin.ReasonRevoked, "丙", "this device's roster")
	peopleSync(t, a.Store(), c.Store())
	if _, err := c.SignBulletin(file, "bulletin.csv", time.Unix(1700000100, 0)); err == nil {
		t.Errorf("SignBulletin by a revoked member = nil; want a refusal")
	}
	late, err := c.signBulletin(file, "bulletin.csv", time.Unix(1700000100, 0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = bulletin.Verify(file, late, bulletin.VerifyOptions{})
	wantRefused(t, "a signer revoked in the chain", err, bulletin.ReasonRevoked, "丙", "the chain says so")
}

// TestSignNeedsMember: a device that is no member cannot sign (nobody could
// check who wrote the file).
func TestSignNeedsMember(t *testing.T) {
	st := peopleStore(t)
	if err := st.JoinNetwork("some-network"); err != nil {
		t.Fatal(err)
	}
	_, err := New(st).SignBulletin([]byte("x"), "x.csv", time.Unix(1700000000, 0))
	wantDeskError(t, "SignBulletin(not a member)", err, CodeNotAllowed, "")
}
