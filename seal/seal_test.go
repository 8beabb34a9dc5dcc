package seal

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"
)

func testKey(t testing.TB) Key {
	t.Helper()
	k, err := NewKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testIdentity(t testing.TB) Identity {
	t.Helper()
	i, err := NewIdentity(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func TestSealOpen(t *testing.T) {
	k := testKey(t)
	aad := AAD("demand", "d1", "contacts")
	plain := []byte("王医生 +8613800000001")
	env, err := Seal(k, rand.Reader, aad, plain)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(env, plain[:9]) {
		t.Fatalf("Seal(%q) = %x; holds the plaintext", plain, env)
	}
	got, err := Open(k, env, aad)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v; want %q", got, err, plain)
	}
	e, err := DecodeEnvelope(env)
	if err != nil || e.KeyID != k.ID() {
		t.Fatalf("DecodeEnvelope = %x, %v; want key id %x", e.KeyID, err, k.ID())
	}
}

func TestOpenRefuses(t *testing.T) {
	k, other := testKey(t), testKey(t)
	aad := AAD("demand", "d1", "contacts")
	env, err := Seal(k, rand.Reader, aad, []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		key  Key
		env  []byte
		aad  []byte
		want error
	}{
		{"another key", other, env, aad, ErrOpen},
		{"another record", k, env, AAD("demand", "d2", "contacts"), ErrOpen},
		{"another field", k, env, AAD("demand", "d1", "position"), ErrOpen},
		{"another kind", k, env, AAD("volunteer", "d1", "contacts"), ErrOpen},
		{"truncated", k, env[:len(env)-1], aad, ErrMalformed},
		{"empty", k, nil, aad, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Open(tc.key, tc.env, tc.aad); !errors.Is(err, tc.want) {
				t.Fatalf("Open = %v; want %v", err, tc.want)
			}
		})
	}
	// Every flipped bit of the envelope is refused.
	for i := range env {
		for bit := range 8 {
			b := bytes.Clone(env)
			b[i] ^= 1 << bit
			if p, err := Open(k, b, aad); err == nil {
				t.Fatalf("Open(envelope with byte %d bit %d flipped) = %q; want an error", i, bit, p)
			}
		}
	}
}

func TestAADUnambiguous(t *testing.T) {
	if bytes.Equal(AAD("demand", "ab", "c"), AAD("demand", "a", "bc")) {
		t.Fatal("AAD(demand, ab, c) = AAD(demand, a, bc)")
	}
}

func TestWrapUnwrap(t *testing.T) {
	k := testKey(t)
	alice, bob := testIdentity(t), testIdentity(t)
	w, err := Wrap(k, alice.Public(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	got, err := alice.Unwrap(w, k.ID())
	if err != nil || got != k {
		t.Fatalf("Unwrap = %x, %v; want %x", got, err, k)
	}
	if _, err := bob.Unwrap(w, k.ID()); !errors.Is(err, ErrOpen) {
		t.Fatalf("Unwrap by another identity = %v; want ErrOpen", err)
	}
	if _, err := alice.Unwrap(w, testKey(t).ID()); !errors.Is(err, ErrOpen) {
		t.Fatalf("Unwrap for another key id = %v; want ErrOpen", err)
	}
	for i := range w {
		b := bytes.Clone(w)
		b[i] ^= 0x40
		if got, err := alice.Unwrap(b, k.ID()); err == nil {
			t.Fatalf("Unwrap(byte %d altered) = %x; want an error", i, got)
		}
	}
	var zero Identity
	if _, err := zero.Unwrap(w, k.ID()); !errors.Is(err, ErrOpen) {
		t.Fatalf("zero Identity Unwrap = %v; want ErrOpen", err)
	}
}

func TestWrapLowOrderRecipient(t *testing.T) {
	var zero PublicKey // the all-zero point: the shared secret would be zero
	if _, err := Wrap(testKey(t), zero, rand.Reader); err == nil {
		t.Fatal("Wrap to the zero point succeeded; want an error")
	}
}

func TestIdentityFromSeed(t *testing.T) {
	seed := bytes.Repeat([]byte{7}, 32)
	a, err := IdentityFromSeed(seed)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := IdentityFromSeed(seed)
	c, _ := IdentityFromSeed(bytes.Repeat([]byte{8}, 32))
	if a.Public() != b.Public() || a.Public() == c.Public() {
		t.Fatalf("IdentityFromSeed: same seed %x/%x, other seed %x", a.Public(), b.Public(), c.Public())
	}
	if _, err := IdentityFromSeed(seed[:31]); err == nil {
		t.Fatal("IdentityFromSeed(31 bytes) succeeded")
	}
	if _, err := ParsePublicKey(make([]byte, 31)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("ParsePublicKey(31 bytes) = %v; want ErrMalformed", err)
	}
}

func FuzzDecodeEnvelope(f *testing.F) {
	k := Key{1, 2, 3}
	aad := AAD("demand", "d1", "contacts")
	env, err := Seal(k, bytes.NewReader(make([]byte, 64)), aad, []byte("+8613800000001"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(env)
	f.Add([]byte{})
	f.Add([]byte{0x84, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := DecodeEnvelope(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("DecodeEnvelope error %v does not wrap ErrMalformed", err)
			}
			return
		}
		p, err := e.Open(k, aad)
		if err == nil && !bytes.Equal(b, env) {
			// Only the one envelope sealed under k opens (CBOR is canonical here).
			if e2, _ := DecodeEnvelope(env); e2.Nonce != e.Nonce || !bytes.Equal(e2.Ciphertext, e.Ciphertext) {
				t.Fatalf("a fuzzed envelope opened to %q", p)
			}
		}
	})
}

func FuzzDecodeWrapped(f *testing.F) {
	id, err := IdentityFromSeed(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		f.Fatal(err)
	}
	k := Key{4, 5, 6}
	w, err := Wrap(k, id.Public(), bytes.NewReader(bytes.Repeat([]byte{3}, 32)))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(w)
	f.Add([]byte{})
	f.Add([]byte{0x83, 0x01, 0x58, 0x20})
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := DecodeWrapped(b); err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("DecodeWrapped error %v does not wrap ErrMalformed", err)
		}
		got, err := id.Unwrap(b, k.ID())
		if err == nil && got != k {
			t.Fatalf("Unwrap = %x without error; want %x or an error", got, k)
		}
		if err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrOpen) {
			t.Fatalf("Unwrap error %v wraps neither ErrMalformed nor ErrOpen", err)
		}
	})
}

func BenchmarkSeal(b *testing.B) {
	k := testKey(b)
	aad := AAD("demand", "01J0000000000000000000000", "contacts")
	plain := bytes.Repeat([]byte("x"), 80) // two contacts of a demand, CBOR
	b.SetBytes(int64(len(plain)))
	for b.Loop() {
		if _, err := Seal(k, rand.Reader, aad, plain); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	k := testKey(b)
	aad := AAD("demand", "01J0000000000000000000000", "contacts")
	plain := bytes.Repeat([]byte("x"), 80)
	env, err := Seal(k, rand.Reader, aad, plain)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(plain)))
	for b.Loop() {
		if _, err := Open(k, env, aad); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrap(b *testing.B) {
	k := testKey(b)
	to := testIdentity(b).Public()
	for b.Loop() {
		if _, err := Wrap(k, to, rand.Reader); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnwrap(b *testing.B) {
	k := testKey(b)
	id := testIdentity(b)
	w, err := Wrap(k, id.Public(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := id.Unwrap(w, k.ID()); err != nil {
			b.Fatal(err)
		}
	}
}
