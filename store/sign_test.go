package store

import (
	"crypto/ed25519"
	"testing"
)

// TestSignStatement: a statement signed under a "reliefmesh …\x00" domain
// verifies with the device key over domain ‖ msg; a domain of another shape
// (empty, another prefix, no NUL, two NULs) is refused, so the device key
// never signs bytes that could be a change's.
func TestSignStatement(t *testing.T) {
	s, err := Open(t.TempDir(), Options{ValueLogGCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dev := s.Device()
	sig, err := s.SignStatement("reliefmesh test v1\x00", []byte("msg"))
	if err != nil || !ed25519.Verify(dev[:], []byte("reliefmesh test v1\x00msg"), sig) {
		t.Errorf("SignStatement = %x, %v; want a signature of domain ‖ msg by the device key", sig, err)
	}
	for _, d := range []string{"", "\x00", "other v1\x00", "reliefmesh test v1", "reliefmesh a\x00b\x00"} {
		if _, err := s.SignStatement(d, []byte("msg")); err == nil {
			t.Errorf("SignStatement(domain %q) = nil error; want a refusal", d)
		}
	}
}
