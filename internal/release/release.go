// Package release checks ReliefMesh release files: a SHA256SUMS file (the
// lines `sha256sum` writes: 64 hex digits, two spaces or " *", a file name)
// signed by the maintainers' ed25519 key in minisign's format
// (SHA256SUMS.minisig; aead.dev/minisign, compatible with the minisign
// tool), and a file carried on a USB stick checked against them. The
// maintainers' public keys are embedded (maintainers.pub); no network is
// needed. Sign makes the signature for `make dist` (internal/tools/relsign).
package release

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"

	"aead.dev/minisign"
)

// SumsFile and SigFile are the names `make dist` gives the sums and their
// signature in dist/.
const (
	SumsFile = "SHA256SUMS"
	SigFile  = "SHA256SUMS.minisig"
)

// maintainersText is the list of the maintainers' public keys the hub
// trusts: minisign public keys (base64, one a line; "#" comments).
//
//go:embed maintainers.pub
var maintainersText []byte

// Key is a trusted public key and where it comes from, for the verdict.
type Key struct {
	Key    minisign.PublicKey
	Origin string // "maintainers" for an embedded key, else the file it was read from
}

// ID returns the key's id as minisign prints it (16 upper-case hex digits).
func (k Key) ID() string { return fmt.Sprintf("%016X", k.Key.ID()) }

// Maintainers returns the maintainers' public keys embedded in this build
// (possibly none). Errors: a line of the list is not a minisign public key.
func Maintainers() ([]Key, error) { return ParseKeys(maintainersText, "maintainers") }

// ParseKeys reads minisign public keys, one a line (blank lines, lines
// starting with "#" and minisign's "untrusted comment:" lines are skipped),
// each with origin. Errors name the line.
func ParseKeys(text []byte, origin string) ([]Key, error) {
	var keys []Key
	sc := bufio.NewScanner(bytes.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "untrusted comment:") {
			continue
		}
		var k minisign.PublicKey
		if err := k.UnmarshalText([]byte(line)); err != nil {
			return nil, fmt.Errorf("public keys of %s, line %d: not a minisign public key: %w", origin, n, err)
		}
		keys = append(keys, Key{Key: k, Origin: origin})
	}
	return keys, sc.Err()
}

// Sum is one line of a SHA256SUMS file.
type Sum struct {
	Name   string // the file's name as listed (a path relative to the sums)
	SHA256 string // 64 lower-case hex digits
}

// ParseSums reads a SHA256SUMS file. Errors name the line that is not
// "<64 hex digits>  <name>" (or " *<name>").
func ParseSums(text []byte) ([]Sum, error) {
	var sums []Sum
	sc := bufio.NewScanner(bytes.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		if len(line) < 67 || (line[64:66] != "  " && line[64:66] != " *") {
			return nil, fmt.Errorf("%s line %d: want \"<sha-256 in hex>  <file name>\", got %q", SumsFile, n, line)
		}
		h := strings.ToLower(line[:64])
		if _, err := hex.DecodeString(h); err != nil {
			return nil, fmt.Errorf("%s line %d: %q is not a SHA-256 in hex", SumsFile, n, line[:64])
		}
		sums = append(sums, Sum{Name: line[66:], SHA256: h})
	}
	return sums, sc.Err()
}

// ParseSignature checks that sig (a SHA256SUMS.minisig file's bytes) is a
// minisign signature, without verifying it against any key, so that a
// damaged or wrong signature file is refused where it is carried, not only
// where it is checked. It returns the id of the key that made it, as
// Key.ID gives it (16 upper-case hex digits). Errors: minisign's reason it
// is not one.
func ParseSignature(sig []byte) (keyID string, err error) {
	var s minisign.Signature
	if err := s.UnmarshalText(sig); err != nil {
		return "", err
	}
	return fmt.Sprintf("%016X", s.KeyID), nil
}

// Sign returns the minisign signature of sums (the SHA256SUMS file's
// bytes) by the private key in keyText (minisign's format; password for an
// encrypted key, "" for an unencrypted one), with the trusted comment
// comment (e.g. "reliefmesh 0.1.0"). Errors: the key cannot be read or
// decrypted.
func Sign(sums, keyText []byte, password, comment string) ([]byte, error) {
	var key minisign.PrivateKey
	var err error
	if minisign.IsEncrypted(keyText) {
		key, err = minisign.DecryptKey(password, keyText)
	} else {
		err = key.UnmarshalText(keyText)
	}
	if err != nil {
		return nil, fmt.Errorf("release signing key: %w", err)
	}
	untrusted := "signature from ReliefMesh release key " + strings.ToUpper(strconv.FormatUint(key.ID(), 16))
	return minisign.SignWithComments(key, sums, comment, untrusted), nil
}

// Outcome says what Check found.
type Outcome int

// The outcomes of Check, from good to bad.
const (
	// Verified: the sums are signed by a trusted key and list the file's
	// SHA-256.
	Verified Outcome = iota
	// Unsigned: the sums' signature is missing or matches no trusted key.
	Unsigned
	// NotListed: the sums are signed but list no file with this content.
	NotListed
)

// Verdict is what Check found about one file.
type Verdict struct {
	Outcome Outcome
	File    string // the file checked
	SHA256  string // its SHA-256 (hex)
	Listed  string // the name the sums list for this content ("" when none)
	Renamed bool   // Listed differs from the file's base name
	Key     *Key   // the key that signed the sums (nil when none did)
	Comment string // the signature's trusted comment, e.g. "reliefmesh 0.1.0"
	Why     string // for Unsigned and NotListed: what is wrong, in words
	// Problem says, for Unsigned and NotListed, which of the Problem*
	// cases it is, for a UI to word it; "" when Verified.
	Problem string
}

// Problems of a Verdict that is not Verified (Verdict.Problem).
const (
	ProblemNoKeys       = "no_keys"       // this build trusts no key: nothing can be verified
	ProblemNoSignature  = "no_signature"  // the signature is missing
	ProblemBadSignature = "bad_signature" // a trusted key's signature that does not match (the sums were changed), or no signature at all
	ProblemUnknownKey   = "unknown_key"   // signed by a key this build does not trust
	ProblemNotListed    = "not_listed"    // the signed sums do not list the file's content (damaged, altered or of another release)
)

// Words says the verdict in an English sentence a person can act on.
func (v Verdict) Words() string {
	switch v.Outcome {
	case Verified:
		who := "the maintainers' key " + v.Key.ID()
		if v.Key.Origin != "maintainers" {
			who = "the key " + v.Key.ID() + " from " + v.Key.Origin + " (NOT one of the maintainers' keys built into this program)"
		}
		s := fmt.Sprintf("VERIFIED: %s is %s of the release %q, whose list of SHA-256 sums is signed by %s.", v.File, v.Listed, v.Comment, who)
		if v.Renamed {
			s += " (The file was renamed; its content is that of " + v.Listed + ".)"
		}
		return s + " SHA-256 " + v.SHA256 + "."
	case Unsigned:
		return fmt.Sprintf("NOT VERIFIED: %s; do not install %s. Ask for a release whose %s and %s come from the maintainers.", v.Why, v.File, SumsFile, SigFile)
	default:
		return fmt.Sprintf("NOT VERIFIED: %s; do not install %s: it is damaged, altered or from another release. Copy it again from the release, with its %s and %s.", v.Why, v.File, SumsFile, SigFile)
	}
}

// Check checks the file at file against sums (a SHA256SUMS file's bytes)
// and sig (its minisign signature) with the trusted keys: the signature
// must be by one of the keys, and the sums must list the file's SHA-256
// (under any name: a renamed copy is found by its content). Errors: the
// file cannot be read; sums do not parse. A bad signature or an unlisted
// file is a Verdict, not an error.
func Check(file string, sums, sig []byte, keys []Key) (Verdict, error) {
	v := Verdict{File: file}
	f, err := os.Open(file)
	if err != nil {
		return v, fmt.Errorf("verify release: %w", err)
	}
	h := sha256.New()
	_, err = io.Copy(h, f)
	f.Close()
	if err != nil {
		return v, fmt.Errorf("verify release: read %s: %w", file, err)
	}
	v.SHA256 = hex.EncodeToString(h.Sum(nil))
	list, err := ParseSums(sums)
	if err != nil {
		return v, fmt.Errorf("verify release: %w", err)
	}
	if len(keys) == 0 {
		v.Outcome, v.Why, v.Problem = Unsigned, "this program has no maintainers' public key built in (and none was given with --key), so no release can be verified", ProblemNoKeys
		return v, nil
	}
	var s minisign.Signature
	if len(sig) == 0 {
		v.Outcome, v.Why, v.Problem = Unsigned, "there is no signature of "+SumsFile+" ("+SigFile+" is missing or empty)", ProblemNoSignature
		return v, nil
	}
	if err := s.UnmarshalText(sig); err != nil {
		v.Outcome, v.Why, v.Problem = Unsigned, SigFile+" is not a minisign signature ("+err.Error()+")", ProblemBadSignature
		return v, nil
	}
	for i := range keys {
		if minisign.Verify(keys[i].Key, sums, sig) {
			v.Key, v.Comment = &keys[i], s.TrustedComment
			break
		}
	}
	if v.Key == nil {
		v.Outcome, v.Problem = Unsigned, ProblemUnknownKey
		for _, k := range keys {
			if k.Key.ID() == s.KeyID {
				v.Problem = ProblemBadSignature // a trusted key's id, but the sums were changed after signing
			}
		}
		v.Why = fmt.Sprintf("%s is not signed by a trusted key (its signature names key %016X; it does not match, or %s was changed after signing)", SumsFile, s.KeyID, SumsFile)
		return v, nil
	}
	base := path.Base(strings.ReplaceAll(file, "\\", "/"))
	var byName *Sum
	for i, e := range list {
		if e.SHA256 == v.SHA256 {
			v.Listed, v.Renamed = e.Name, path.Base(e.Name) != base
			if !v.Renamed {
				break
			}
		}
		if path.Base(e.Name) == base {
			byName = &list[i]
		}
	}
	if v.Listed != "" {
		return v, nil
	}
	v.Outcome, v.Problem = NotListed, ProblemNotListed
	if byName != nil {
		v.Why = fmt.Sprintf("its SHA-256 %s is not the %s that the signed %s lists for %s", v.SHA256, byName.SHA256, SumsFile, byName.Name)
	} else {
		v.Why = fmt.Sprintf("the signed %s (%q) lists no file with its SHA-256 %s", SumsFile, v.Comment, v.SHA256)
	}
	return v, nil
}
