package bulletin

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// A bulletin file FILE travels with FILE.sig, a detached signature that lets
// anyone check offline that a member of a network wrote it, unchanged, and
// who admitted that member: see docs/bulletin-signature.md.

// SigVersion is the version of the .sig format Sign writes and Verify reads.
const SigVersion = 1

// SigDomain is put before the statement a bulletin signature signs, so that
// the device key's signature of a bulletin can never be taken for one of a
// change or of another kind of statement (store.Store.SignStatement).
const SigDomain = "reliefmesh bulletin signature v1\x00"

// SigExt is the extension of the signature file written beside a bulletin.
const SigExt = ".sig"

// Limits of a .sig file: they bound what a damaged or hostile file can make a
// verifier allocate.
const (
	MaxSigSize  = 8 << 20 // bytes of a whole .sig file
	MaxChainLen = 1024    // changes in Sig.Chain
)

// Sig is the content of a .sig file (canonical CBOR, integer keys): a
// statement (version, network, signer, the file's name, size and SHA-256,
// when it was signed), the signer's ed25519 signature of SigDomain ‖ the
// statement's encoding (StatementBytes), and Chain: the signed changes of the
// network's feeds that hold the member steps admitting the signer (genesis,
// endorsements, promotions, each with their authors' own admissions, up to
// the founder), encoded as ledger.Encode writes them.
type Sig struct {
	Version   int             `cbor:"1,keyasint"`
	Network   string          `cbor:"2,keyasint"`           // relief.NetworkID of the network
	Signer    ledger.DeviceID `cbor:"3,keyasint"`           // the exporting member's device key
	Name      string          `cbor:"4,keyasint,omitempty"` // the file's name when signed (informative: a file may be renamed)
	Size      int64           `cbor:"5,keyasint"`           // the file's length in bytes
	SHA256    ledger.Hash     `cbor:"6,keyasint"`           // SHA-256 of the file's exact bytes
	SignedAt  int64           `cbor:"7,keyasint"`           // Unix milliseconds, the signer's clock
	Signature []byte          `cbor:"8,keyasint,omitempty"` // ed25519 over StatementBytes
	Chain     [][]byte        `cbor:"9,keyasint,omitempty"` // encoded ledger changes
}

var (
	sigEnc cbor.EncMode
	sigDec cbor.DecMode
)

func init() {
	var err error
	if sigEnc, err = cbor.CoreDetEncOptions().EncMode(); err != nil {
		panic("bulletin: cbor enc mode: " + err.Error())
	}
	sigDec, err = cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		IndefLength:       cbor.IndefLengthForbidden,
		MaxNestedLevels:   4,
		MaxArrayElements:  MaxChainLen,
		MaxMapPairs:       16,
		ExtraReturnErrors: cbor.ExtraDecErrorUnknownField,
		UTF8:              cbor.UTF8RejectInvalid,
	}.DecMode()
	if err != nil {
		panic("bulletin: cbor dec mode: " + err.Error())
	}
}

// NewSig returns the unsigned statement of data, a bulletin file called name,
// exported from network by signer at signedAt. The caller signs
// StatementBytes with the signer's key, then sets Signature and Chain.
func NewSig(data []byte, name, network string, signer ledger.DeviceID, signedAt time.Time) Sig {
	return Sig{Version: SigVersion, Network: network, Signer: signer, Name: name, Size: int64(len(data)),
		SHA256: sha256.Sum256(data), SignedAt: signedAt.UnixMilli()}
}

// StatementBytes returns what the signature covers, after SigDomain: the
// canonical encoding of s without its Signature and Chain.
func (s Sig) StatementBytes() []byte {
	s.Signature, s.Chain = nil, nil
	b, err := sigEnc.Marshal(s)
	if err != nil { // a struct of fixed shape always encodes
		panic("bulletin: encode statement: " + err.Error())
	}
	return b
}

// Encode returns the .sig file of s (canonical CBOR).
func (s Sig) Encode() ([]byte, error) {
	b, err := sigEnc.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode signature: %w", err)
	}
	return b, nil
}

// DecodeSig reads a .sig file. Errors (a *VerifyError of ReasonMalformed or
// ReasonVersion) say what is wrong: too large, not CBOR of the expected
// shape, a version this program does not read.
func DecodeSig(b []byte) (Sig, error) {
	var s Sig
	if len(b) > MaxSigSize {
		return s, &VerifyError{Reason: ReasonMalformed, Detail: fmt.Sprintf("the signature file is %d bytes, more than %d", len(b), MaxSigSize)}
	}
	if err := sigDec.Unmarshal(b, &s); err != nil {
		return Sig{}, &VerifyError{Reason: ReasonMalformed, Detail: fmt.Sprintf("the signature file is not a ReliefMesh bulletin signature: %v", err)}
	}
	if s.Version != SigVersion {
		return Sig{}, &VerifyError{Reason: ReasonVersion, Detail: fmt.Sprintf("signature format version %d; this program reads version %d", s.Version, SigVersion)}
	}
	if len(s.Signature) != ed25519.SignatureSize {
		return Sig{}, &VerifyError{Reason: ReasonMalformed, Detail: fmt.Sprintf("the signature is %d bytes, want %d", len(s.Signature), ed25519.SignatureSize)}
	}
	for i, c := range s.Chain {
		if len(c) > ledger.MaxChangeSize {
			return Sig{}, &VerifyError{Reason: ReasonMalformed, Detail: fmt.Sprintf("change %d of the chain is %d bytes, more than %d", i+1, len(c), ledger.MaxChangeSize)}
		}
	}
	return s, nil
}

// Reasons a bulletin fails verification, in VerifyError.Reason.
const (
	ReasonMalformed     = "malformed"      // the .sig file cannot be read
	ReasonVersion       = "version"        // a .sig format this program does not read
	ReasonTampered      = "tampered"       // the file is not the one signed (size or SHA-256 differ)
	ReasonBadSignature  = "bad_signature"  // the signature is not the signer's over this statement
	ReasonWrongNetwork  = "wrong_network"  // not the network asked for, or the chain belongs to another
	ReasonBrokenChain   = "broken_chain"   // a change of the chain is damaged, or the chain does not reach the founder
	ReasonUnknownSigner = "unknown_signer" // the chain admits no member with the signer's key
	ReasonRevoked       = "revoked"        // the signer, or an endorser on the chain, is revoked
	ReasonNotFounded    = "no_founder"     // the chain holds no genesis that hashes to the network id
)

// VerifyError is why a bulletin did not verify: Reason (one of the Reason*
// constants) and, in Detail, the words a person reads.
type VerifyError struct {
	Reason string
	Detail string
}

func (e *VerifyError) Error() string { return e.Reason + ": " + e.Detail }

// Verified is what a bulletin that verified says: the network, the signer as
// the chain admits them, and the chain of endorsements from the signer up to
// the founder (Chain[0] is the signer, the last the founder).
type Verified struct {
	Network  string
	Name     string // the file's name when signed
	SignedAt time.Time
	Signer   relief.Member
	Chain    []relief.Member
	// Revoked are members of Chain revoked after they endorsed the next one
	// (their endorsements stand), to tell the reader.
	Revoked []relief.Member
}

// VerifyOptions say what a verifier knows besides the two files.
type VerifyOptions struct {
	// Network, when set, is the network id the bulletin must come from.
	Network string
	// Member, when set, looks a key up in the verifier's own roster of that
	// network (a member's or a hub's store): a signer it knows to be revoked
	// is refused even if the .sig's chain does not say so.
	Member func(ledger.DeviceID) (relief.Member, bool)
}

// member looks key up with o.Member; false without one.
func (o VerifyOptions) member(key ledger.DeviceID) (relief.Member, bool) {
	if o.Member == nil {
		return relief.Member{}, false
	}
	return o.Member(key)
}

// Verify checks data (a bulletin file) against sigFile (its .sig): the
// file's size and SHA-256 are the signed ones; every change of the chain is
// well formed, signed by its author and of the signed network; the network's
// genesis is in the chain and its founder's key and nonce hash to the
// network id (relief.GenesisNetwork); the roster folded from the chain's
// member steps (relief.NewRoster) admits the signer, not revoked, and the
// endorsements lead from the signer to the founder; and the signer's key
// signed SigDomain ‖ the statement. The first failure is returned as a
// *VerifyError saying what failed, in words.
func Verify(data, sigFile []byte, o VerifyOptions) (Verified, error) {
	s, err := DecodeSig(sigFile)
	if err != nil {
		return Verified{}, err
	}
	if o.Network != "" && s.Network != o.Network {
		return Verified{}, &VerifyError{Reason: ReasonWrongNetwork, Detail: fmt.Sprintf("signed for network %s, not %s", s.Network, o.Network)}
	}
	if int64(len(data)) != s.Size || sha256.Sum256(data) != s.SHA256 {
		return Verified{}, &VerifyError{Reason: ReasonTampered, Detail: tamperedDetail(data, s)}
	}
	return verifySigned(s, o)
}

// VerifyHashed is Verify of a file known by its size and SHA-256 (read as a
// stream, never whole in memory): a size or hash other than the
// statement's is ReasonTampered.
func VerifyHashed(size int64, sum ledger.Hash, sigFile []byte, o VerifyOptions) (Verified, error) {
	s, err := DecodeSig(sigFile)
	if err != nil {
		return Verified{}, err
	}
	if o.Network != "" && s.Network != o.Network {
		return Verified{}, &VerifyError{Reason: ReasonWrongNetwork, Detail: fmt.Sprintf("signed for network %s, not %s", s.Network, o.Network)}
	}
	if size != s.Size || sum != s.SHA256 {
		return Verified{}, &VerifyError{Reason: ReasonTampered, Detail: fmt.Sprintf("the file is %d bytes with SHA-256 %x; the signature is of %d bytes with SHA-256 %x", size, sum[:8], s.Size, s.SHA256[:8])}
	}
	return verifySigned(s, o)
}

// NewSigHashed is NewSig of a file known by its size and SHA-256.
func NewSigHashed(size int64, sum ledger.Hash, name, network string, signer ledger.DeviceID, signedAt time.Time) Sig {
	return Sig{Version: SigVersion, Network: network, Signer: signer, Name: name, Size: size, SHA256: sum, SignedAt: signedAt.UnixMilli()}
}

// verifySigned is Verify after the file's size and hash matched s: the
// chain, the signer's admission and signature, revocations.
func verifySigned(s Sig, o VerifyOptions) (Verified, error) {
	roster, founder, err := chainRoster(s)
	if err != nil {
		return Verified{}, err
	}
	signer, ok := roster.Member(s.Signer)
	if !ok {
		return Verified{}, notAdmitted(roster, s)
	}
	if !ed25519.Verify(s.Signer[:], append([]byte(SigDomain), s.StatementBytes()...), s.Signature) {
		return Verified{}, &VerifyError{Reason: ReasonBadSignature, Detail: fmt.Sprintf("the signature is not %s's (%s) over this file: the signer or the statement was swapped", signer.Name, s.Signer.Short())}
	}
	if signer.Revoked {
		return Verified{}, &VerifyError{Reason: ReasonRevoked, Detail: fmt.Sprintf("the signer %s (%s) is revoked (changes after %d no longer count); the chain says so", signer.Name, s.Signer.Short(), signer.RevokedAfter)}
	}
	if m, ok := o.member(s.Signer); ok && m.Revoked {
		return Verified{}, &VerifyError{Reason: ReasonRevoked, Detail: fmt.Sprintf("the signer %s (%s) is revoked in this device's roster (changes after %d no longer count)", m.Name, s.Signer.Short(), m.RevokedAfter)}
	}
	chain := roster.Chain(s.Signer)
	if last := chain[len(chain)-1]; !last.Genesis || last.Key != founder {
		return Verified{}, &VerifyError{Reason: ReasonBrokenChain, Detail: fmt.Sprintf("%s (%s) was endorsed by %s, whose own admission is not in the chain: the chain stops before the founder",
			last.Name, last.Key.Short(), last.EndorsedBy.Short())}
	}
	v := Verified{Network: s.Network, Name: s.Name, SignedAt: time.UnixMilli(s.SignedAt).UTC(), Signer: signer, Chain: chain}
	for _, m := range chain[1:] {
		if m.Revoked {
			v.Revoked = append(v.Revoked, m)
		} else if lm, ok := o.member(m.Key); ok && lm.Revoked {
			v.Revoked = append(v.Revoked, lm)
		}
	}
	return v, nil
}

// notAdmitted says why the chain's roster does not admit s's signer: an
// endorsement of the signer that did not apply (its author's own admission
// missing from the chain: a broken link, or the author not allowed), or no
// step about the signer at all (an unknown signer).
func notAdmitted(roster *relief.Roster, s Sig) error {
	for _, c := range roster.Conflicts() {
		if c.Target != s.Signer || c.Action != relief.OpEndorse {
			continue
		}
		if c.Reason == relief.ReasonNotMember {
			return &VerifyError{Reason: ReasonBrokenChain, Detail: fmt.Sprintf("the signer %s was endorsed by %s, whose own admission is missing from the chain: a link is missing", s.Signer.Short(), c.By.Short())}
		}
		return &VerifyError{Reason: ReasonBrokenChain, Detail: fmt.Sprintf("the signer %s was endorsed by %s, but that endorsement does not count (%s)", s.Signer.Short(), c.By.Short(), c.Reason)}
	}
	return &VerifyError{Reason: ReasonUnknownSigner, Detail: fmt.Sprintf("the signer %s is not a member the chain admits to network %s", s.Signer.Short(), s.Network)}
}

// tamperedDetail says how data differs from what s signed.
func tamperedDetail(data []byte, s Sig) string {
	if int64(len(data)) != s.Size {
		return fmt.Sprintf("the file is %d bytes, the signed one was %d: it was changed after it was signed", len(data), s.Size)
	}
	return fmt.Sprintf("the file's SHA-256 is not the signed one (%x…): at least one byte was changed after it was signed", s.SHA256[:6])
}

// chainRoster checks the changes of s's chain and folds their member steps
// into a roster; it returns the roster and the founder whose genesis hashes
// to s.Network.
func chainRoster(s Sig) (*relief.Roster, ledger.DeviceID, error) {
	var founder ledger.DeviceID
	recs := map[string]*relief.Record{}
	for i, b := range s.Chain {
		c, err := ledger.Decode(b)
		if err != nil {
			return nil, founder, &VerifyError{Reason: ReasonBrokenChain, Detail: fmt.Sprintf("change %d of the chain is damaged: %v", i+1, err)}
		}
		if err := c.Verify(); err != nil {
			return nil, founder, &VerifyError{Reason: ReasonBrokenChain, Detail: fmt.Sprintf("change %d of the chain (%s seq %d) is not signed by its author: %v", i+1, c.Device.Short(), c.Seq, err)}
		}
		if c.Network != s.Network {
			return nil, founder, &VerifyError{Reason: ReasonWrongNetwork, Detail: fmt.Sprintf("change %d of the chain (%s seq %d) belongs to network %s, the signature to %s", i+1, c.Device.Short(), c.Seq, c.Network, s.Network)}
		}
		id := c.ID()
		for j, op := range c.Ops {
			if op.Kind != relief.KindMember {
				continue
			}
			if op.Type == relief.OpGenesis && c.Seq == 1 && j == 0 && op.ID == c.Device.String() {
				if n, err := relief.GenesisNetwork(op); err == nil && n == s.Network {
					founder = c.Device
				}
			}
			rec := recs[op.ID]
			if rec == nil {
				rec = &relief.Record{}
				recs[op.ID] = rec
			}
			if err := relief.ApplyOp(rec, relief.Meta{Stamp: c.Stamp, Device: c.Device, Seq: c.Seq, Index: j, Change: id}, op); err != nil {
				return nil, founder, &VerifyError{Reason: ReasonBrokenChain, Detail: fmt.Sprintf("change %d of the chain (%s seq %d) holds a member step that does not apply: %v", i+1, c.Device.Short(), c.Seq, err)}
			}
		}
	}
	if founder.IsZero() {
		return nil, founder, &VerifyError{Reason: ReasonNotFounded, Detail: fmt.Sprintf("the chain holds no genesis whose founder's key hashes to network %s", s.Network)}
	}
	keys := make([]string, 0, len(recs))
	for k := range recs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	list := make([]*relief.Record, 0, len(keys))
	for _, k := range keys {
		list = append(list, recs[k])
	}
	return relief.NewRoster(list), founder, nil
}

// Describe says in words who signed a verified bulletin: the signer with
// their role, who endorsed them, and so on up to the founder; and any member
// of the chain revoked since. English, as the hub's messages are.
func (v Verified) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "signed by %s, %s", who(v.Signer), v.Signer.Role)
	for _, m := range v.Chain[1:] {
		fmt.Fprintf(&b, ",\n  endorsed by %s, %s", who(m), m.Role)
	}
	fmt.Fprintf(&b, ",\n  the founder of network %s", v.Network)
	if !v.SignedAt.IsZero() {
		fmt.Fprintf(&b, "\nsigned at %s (the signer's clock)", v.SignedAt.In(relief.IncidentZone).Format("2006-01-02 15:04 UTC+8"))
	}
	for _, m := range v.Revoked {
		fmt.Fprintf(&b, "\nnote: %s was revoked later; their endorsement was made before and stands", who(m))
	}
	return b.String()
}

func who(m relief.Member) string {
	if m.Name == "" {
		return m.Key.Short()
	}
	return m.Name + " (" + m.Key.Short() + ")"
}
