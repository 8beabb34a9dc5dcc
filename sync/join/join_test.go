package join

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	c := Code{Network: "abcdefghijklmnopqrstuvwxyz", Name: "武汉 2020",
		Addrs: []string{"/ip4/192.0.2.10/tcp/4001/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo"}}
	s := c.String()
	if !strings.HasPrefix(s, Prefix) {
		t.Fatalf("String() = %q; want prefix %s", s, Prefix)
	}
	// as typed: lower case, broken over lines, with spaces
	typed := strings.ToLower(s[:20]) + "\n  " + s[20:40] + " " + s[40:]
	got, err := Parse(typed)
	if err != nil {
		t.Fatalf("Parse(%q) = %v", typed, err)
	}
	if got.Network != c.Network || got.Name != c.Name || len(got.Addrs) != 1 || got.Addrs[0] != c.Addrs[0] {
		t.Errorf("Parse(String()) = %+v; want %+v", got, c)
	}
}

func TestParseErrors(t *testing.T) {
	noNet := Code{Name: "x"}.String()
	badAddr := Code{Network: "abcdefghij", Addrs: []string{"not an address"}}.String()
	badNet := Code{Network: "6bo44@ry"}.String()
	for _, tc := range []struct{ in, want string }{
		{"", "does not start"},
		{"hello", "does not start"},
		{Prefix + "!!!", "not base32"},
		{Prefix + "AAAA", "damaged"},
		{badNet, "is not one"},
		{noNet, "no network id"},
		{badAddr, "address 1"},
		{Prefix + strings.Repeat("A", MaxLen), "at most"},
	} {
		if _, err := Parse(tc.in); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%.30q) = %v; want an error containing %q", tc.in, err, tc.want)
		}
	}
	// a code cut short by one or more characters, or with one changed, says so
	good := Code{Network: "kcqlddntplv5yvh664ig2vojoq", Name: "Wuhan 2020"}.String()
	for cut := 1; cut <= 8; cut++ {
		_, err := Parse(good[:len(good)-cut])
		if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrMistyped) {
			t.Errorf("Parse(code less %d characters) = %v; want ErrTruncated or ErrMistyped", cut, err)
		}
	}
	if _, err := Parse(good[:len(good)-1]); !errors.Is(err, ErrTruncated) && !strings.Contains(fmt.Sprint(err), "checksum") {
		t.Errorf("Parse(code less its last character) = %v; want it called truncated or its checksum named", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(Code{Network: "abcdefghij", Name: "x", Addrs: []string{"/ip4/127.0.0.1/tcp/1"}}.String())
	f.Add("RMJ1-")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			return
		}
		if _, err := Parse(c.String()); err != nil {
			t.Fatalf("Parse(String()) of an accepted code failed: %v", err)
		}
	})
}

// TestTyposAreCaught: every single-character substitution of a code is
// refused (the checksum), instead of joining a network that does not exist.
func TestTyposAreCaught(t *testing.T) {
	s := Code{Network: "kcqlddntplv5yvh664ig2vojoq", Name: "Wuhan 2020",
		Addrs: []string{"/ip4/192.0.2.10/tcp/4717/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo"}}.String()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	accepted := 0
	for i := len(Prefix); i < len(s); i++ {
		for _, r := range alphabet {
			if byte(r) == s[i] {
				continue
			}
			typo := s[:i] + string(r) + s[i+1:]
			if _, err := Parse(typo); err == nil {
				accepted++
			}
		}
	}
	// a 32-bit checksum lets through about one typo in 4 billion
	if accepted != 0 {
		t.Errorf("%d single-character typos were accepted", accepted)
	}
}
