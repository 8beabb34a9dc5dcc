package store

import (
	"crypto/ed25519"
	"fmt"
	"strings"
)

// StatementDomainPrefix starts every domain SignStatement signs under, so
// that a statement signed with the device key can never be taken for a
// change (whose signed bytes are CBOR, never these ASCII bytes) nor for a
// statement of another kind.
const StatementDomainPrefix = "reliefmesh "

// SignStatement signs domain ‖ msg with this device's key (ed25519) and
// returns the signature: a detached signature of something this device
// vouches for, a bulletin file for one (see bulletin.Sig). domain must start
// with StatementDomainPrefix and end with a NUL byte ("reliefmesh bulletin
// signature v1\x00"), so that statements of different kinds never share
// signed bytes. Errors: a domain of another shape.
func (s *Store) SignStatement(domain string, msg []byte) ([]byte, error) {
	if !strings.HasPrefix(domain, StatementDomainPrefix) || !strings.HasSuffix(domain, "\x00") || strings.Count(domain, "\x00") != 1 {
		return nil, fmt.Errorf("sign statement: domain %q must start with %q and end with one NUL", domain, StatementDomainPrefix)
	}
	return ed25519.Sign(s.key, append([]byte(domain), msg...)), nil
}
