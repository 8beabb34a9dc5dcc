package bulletin

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// foundedSig returns a bulletin file and its .sig signed by the founder of
// a network of one, with the genesis change as the chain.
func foundedSig(t testing.TB) (file, sig []byte) {
	t.Helper()
	founder, key, err := ledger.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{3}, 64)))
	if err != nil {
		t.Fatal(err)
	}
	op, network, err := relief.Found(founder, "甲", []byte("nonce-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	au, err := ledger.NewAuthor(key, network, ledger.Head{}, ledger.NewHLC(func() time.Time { return time.Unix(1700000000, 0) }, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	c, err := au.Next([]ledger.Op{op})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := ledger.Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	file = []byte("编号,标题\nD-1,口罩\n")
	s := NewSig(file, "b.csv", network, founder, time.Unix(1700000000, 0))
	s.Signature = ed25519.Sign(key, append([]byte(SigDomain), s.StatementBytes()...))
	s.Chain = [][]byte{raw}
	if sig, err = s.Encode(); err != nil {
		t.Fatal(err)
	}
	return file, sig
}

// TestFounderSigVerifies: the founder's own signature verifies with a chain
// of one genesis, and a statement signed without the domain does not.
func TestFounderSigVerifies(t *testing.T) {
	file, sig := foundedSig(t)
	v, err := Verify(file, sig, VerifyOptions{})
	if err != nil || len(v.Chain) != 1 || !v.Chain[0].Genesis || v.Signer.Name != "甲" {
		t.Fatalf("Verify = %+v, %v; want the founder 甲 alone", v, err)
	}
	s, _ := DecodeSig(sig)
	s.Name = "renamed.csv" // the name is signed too
	b, _ := s.Encode()
	var ve *VerifyError
	if _, err := Verify(file, b, VerifyOptions{}); !errors.As(err, &ve) || ve.Reason != ReasonBadSignature {
		t.Errorf("Verify(statement changed) = %v; want %s", err, ReasonBadSignature)
	}
}

// FuzzDecodeSig: any bytes given as a .sig decode or are refused with a
// *VerifyError, never a panic; what decodes encodes back to a .sig that
// decodes to the same; and Verify never panics on it.
func FuzzDecodeSig(f *testing.F) {
	file, sig := foundedSig(f)
	f.Add(sig)
	f.Add([]byte{})
	f.Add([]byte{0xa0})
	f.Add(sig[:len(sig)/2])
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSig(b)
		if err != nil {
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("DecodeSig error %v is not a *VerifyError", err)
			}
			return
		}
		again, err := s.Encode()
		if err != nil {
			t.Fatalf("Encode of a decoded sig: %v", err)
		}
		s2, err := DecodeSig(again)
		if err != nil || !bytes.Equal(s2.StatementBytes(), s.StatementBytes()) || len(s2.Chain) != len(s.Chain) {
			t.Fatalf("decode(encode(s)) = %+v, %v; want %+v", s2, err, s)
		}
		_, _ = Verify(file, b, VerifyOptions{})
	})
}
