package desk

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/reliefmesh/reliefmesh/bulletin"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// SignBulletin returns the detached signature (the .sig file,
// bulletin.Sig) of data, a bulletin file called name, signed now by this
// device's key, with the chain of signed member changes that admitted this
// device's member up to the network's founder. A receiving group checks it
// offline with `reliefmesh-hub verify`. Errors: CodeNoNetwork; CodeNotAllowed
// when this device is not a member; CodeRevoked when its member was revoked
// (a revoked member's bulletin would not verify); CodeStorage when a change
// of the chain cannot be read.
func (d *Desk) SignBulletin(data []byte, name string, now time.Time) ([]byte, error) {
	if err := d.maySign(); err != nil {
		return nil, err
	}
	sig, err := d.signBulletin(data, name, now)
	if err != nil {
		return nil, err
	}
	// what this device holds may not be enough (a chain change it never
	// received): say so now rather than hand out a signature that fails
	if _, err := d.VerifyBulletin(data, sig, ""); err != nil {
		return nil, &Error{Code: CodeStorage, Message: fmt.Sprintf("sign bulletin %s: the signature would not verify: %v", name, err),
			Args: map[string]string{"reason": ReasonUnverifiable}}
	}
	return sig, nil
}

// signBulletin is SignBulletin without the checks of this device's standing
// (the tests make a revoked member's signature with it, to see it refused).
func (d *Desk) signBulletin(data []byte, name string, now time.Time) ([]byte, error) {
	n, _ := d.st.Network()
	s := bulletin.NewSig(data, name, n.ID, d.st.Device(), now)
	sig, err := d.st.SignStatement(bulletin.SigDomain, s.StatementBytes())
	if err != nil {
		return nil, &Error{Code: CodeStorage, Message: fmt.Sprintf("sign bulletin %s: %v", name, err)}
	}
	s.Signature = sig
	if s.Chain, err = d.admissionChain(d.st.Device()); err != nil {
		return nil, err
	}
	b, err := s.Encode()
	if err != nil {
		return nil, &Error{Code: CodeStorage, Message: fmt.Sprintf("sign bulletin %s: %v", name, err)}
	}
	return b, nil
}

// admissionChain returns the encoded changes (ledger.Encode) that hold the
// member steps a verifier needs to admit key: the genesis, endorse and
// promote steps on key's roster entry and, in turn, on the entries of the
// authors of those steps, up to the founder; and the revoke steps on key's
// own entry. Revocations of others are left out (their notes are
// restricted, and an endorsement made before a revocation stands). Ordered
// by device and seq.
func (d *Desk) admissionChain(key ledger.DeviceID) ([][]byte, error) {
	type at struct {
		dev ledger.DeviceID
		seq uint64
	}
	want := map[at]bool{}
	seen := map[ledger.DeviceID]bool{}
	queue := []ledger.DeviceID{key}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		if seen[k] || k.IsZero() {
			continue
		}
		seen[k] = true
		rec, err := d.st.Record(relief.KindMember, k.String())
		if err != nil {
			return nil, &Error{Code: CodeStorage, Message: fmt.Sprintf("read the roster entry of %s: %v", k.Short(), err)}
		}
		if rec == nil {
			continue
		}
		for _, s := range rec.Transitions {
			switch {
			case s.Action == relief.OpRevoke && k != key:
				continue
			case s.Action != relief.OpGenesis && s.Action != relief.OpEndorse && s.Action != relief.OpPromote && s.Action != relief.OpRevoke:
				continue
			}
			want[at{s.Meta.Device, s.Meta.Seq}] = true
			queue = append(queue, s.Meta.Device)
		}
	}
	keys := make([]at, 0, len(want))
	for a := range want {
		keys = append(keys, a)
	}
	slices.SortFunc(keys, func(a, b at) int {
		if c := a.dev.Compare(b.dev); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	var out [][]byte
	for _, a := range keys {
		err := d.st.FeedRange(a.dev, a.seq, a.seq, func(c *ledger.Change) error {
			b, err := ledger.Encode(c)
			if err == nil {
				out = append(out, b)
			}
			return err
		})
		if err != nil {
			return nil, &Error{Code: CodeStorage, Message: fmt.Sprintf("read change %d of %s for the signature: %v", a.seq, a.dev.Short(), err)}
		}
	}
	return out, nil
}

// VerifyBulletin checks data (a bulletin file) against sig (its .sig) as
// bulletin.Verify does, and also against this device's roster when it is of
// the same network (a signer this device knows to be revoked is refused).
// network, when not "", is the network the bulletin must come from. Errors:
// *bulletin.VerifyError saying what failed.
func (d *Desk) VerifyBulletin(data, sig []byte, network string) (bulletin.Verified, error) {
	o := bulletin.VerifyOptions{Network: network}
	if s, err := bulletin.DecodeSig(sig); err == nil {
		if n, ok := d.st.Network(); ok && n.ID == s.Network {
			o.Member = d.st.Member
		}
	}
	return bulletin.Verify(data, sig, o)
}

// maySign checks that this device may sign a bulletin: it is in a network
// (CodeNoNetwork), a member (CodeNotAllowed: nobody could check who wrote
// it) and not revoked (CodeRevoked).
func (d *Desk) maySign() error {
	if _, ok := d.st.Network(); !ok {
		return &Error{Code: CodeNoNetwork, Message: "create or join a network first"}
	}
	me, ok := d.st.Me()
	if !ok || me.Key.IsZero() {
		return &Error{Code: CodeNotAllowed, Message: "sign a bulletin: this device is not a member yet, so nobody could check who wrote it"}
	}
	return d.revokedError()
}
