package relief

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Fork reports.
//
// A device whose feed holds two different changes with one seq has forked
// (typically its store was restored from an older copy, or lost its newest
// changes, and it wrote the same seq again with other content). A store that
// sees both keeps them as evidence and stops the feed there, but only the
// stores that happen to receive both sides would know. A fork report is a
// member's signed statement carrying both changes: every peer that receives it
// checks the two signatures itself, so the report proves the fork whoever
// sends it, and every peer (the forked device included) learns of it.

// OpReportFork reports that the feed of member op.ID forked: its body holds
// the two conflicting changes, each as the device signed it (ledger.Encode).
// It changes no field, set or step of the member's record; the store keeps
// the evidence. Any member may write one, observers too (see MayWrite).
const OpReportFork = "report_fork"

// ReplyFork (the store's inbox only, coordinators): a member's device wrote
// two different changes with one seq; its changes from that seq on are
// refused. Pending.Seq is the seq, Since when the later of the two was made.
const ReplyFork = "fork"

// forkBody is the body of a report_fork op: the two changes in order of
// (seq, id), so that two reports of one proof are the same op body.
type forkBody struct {
	A []byte `cbor:"64,keyasint"`
	B []byte `cbor:"65,keyasint"`
}

// ForkProof is a checked fork: two changes Device signed, of one network,
// that show two different changes at Seq (see CheckFork).
type ForkProof struct {
	Device  ledger.DeviceID
	Seq     uint64
	Network string
	A, B    *ledger.Change // in order of (seq, id)
	EncA    []byte         // A as signed (ledger.Encode)
	EncB    []byte
}

// Since returns the stamp of the later of the two changes: from then on the
// device's feed is known to have two branches.
func (p ForkProof) Since() ledger.Stamp {
	if p.A.Stamp.Compare(p.B.Stamp) > 0 {
		return p.A.Stamp
	}
	return p.B.Stamp
}

// ErrNoFork is wrapped by the errors of CheckFork: the two changes do not
// prove that a device forked.
var ErrNoFork = errors.New("not a fork")

// CheckFork decodes a and b (changes as ledger.Encode writes them) and checks
// that they prove a fork: both signed by the same device with valid
// signatures, of one network, and either with the same seq and different,
// or with consecutive seqs where the later one's Prev is not the earlier
// one's id (the device signed another change at the earlier seq). The
// proof's Seq is the seq with two different changes (the lower one); it
// holds the changes in order of (seq, id). Errors wrap ErrNoFork.
func CheckFork(a, b []byte) (ForkProof, error) {
	ca, err := ledger.Decode(a)
	if err != nil {
		return ForkProof{}, fmt.Errorf("%w: first change: %v", ErrNoFork, err)
	}
	cb, err := ledger.Decode(b)
	if err != nil {
		return ForkProof{}, fmt.Errorf("%w: second change: %v", ErrNoFork, err)
	}
	ia, ib := ca.ID(), cb.ID()
	if c := cmp.Compare(ca.Seq, cb.Seq); c > 0 || c == 0 && bytes.Compare(ia[:], ib[:]) > 0 {
		ca, cb, a, b, ia, ib = cb, ca, b, a, ib, ia
	}
	switch {
	case ca.Device != cb.Device:
		return ForkProof{}, fmt.Errorf("%w: changes of two devices, %s and %s", ErrNoFork, ca.Device.Short(), cb.Device.Short())
	case ca.Network != cb.Network:
		return ForkProof{}, fmt.Errorf("%w: changes of two networks", ErrNoFork)
	case ca.Seq == cb.Seq && ia == ib:
		return ForkProof{}, fmt.Errorf("%w: the same change twice", ErrNoFork)
	case ca.Seq != cb.Seq && (cb.Seq != ca.Seq+1 || cb.Prev == ia):
		return ForkProof{}, fmt.Errorf("%w: changes %d and %d of one feed that agree", ErrNoFork, ca.Seq, cb.Seq)
	}
	if err := ca.Verify(); err != nil {
		return ForkProof{}, fmt.Errorf("%w: %s/%d: %v", ErrNoFork, ca.Device.Short(), ca.Seq, err)
	}
	if err := cb.Verify(); err != nil {
		return ForkProof{}, fmt.Errorf("%w: %s/%d: %v", ErrNoFork, cb.Device.Short(), cb.Seq, err)
	}
	return ForkProof{Device: ca.Device, Seq: ca.Seq, Network: ca.Network, A: ca, B: cb, EncA: a, EncB: b}, nil
}

// ReportFork returns a report_fork op on the member record of the device
// that signed a and b (changes as ledger.Encode writes them), after checking
// that they prove its fork (CheckFork). Both changes travel in the op, so
// the report must fit in a change (ledger.MaxChangeSize).
func ReportFork(a, b []byte) (ledger.Op, error) {
	p, err := CheckFork(a, b)
	if err != nil {
		return ledger.Op{}, fmt.Errorf("report fork: %w", err)
	}
	return makeOp(KindMember, p.Device.String(), OpReportFork, forkBody{A: p.EncA, B: p.EncB})
}

// ForkOf returns the fork that a report_fork op proves. Errors wrap
// ErrInvalidOp when op is not a well-formed report_fork op, ErrNoFork (and
// ErrInvalidOp) when its changes prove no fork of member op.ID.
func ForkOf(op ledger.Op) (ForkProof, error) {
	b, err := decodeOp(op)
	if err != nil {
		return ForkProof{}, err
	}
	fb, ok := b.(forkBody)
	if !ok {
		return ForkProof{}, invalid(op, "not a fork report")
	}
	return CheckFork(fb.A, fb.B)
}

// decodeForkOp decodes and checks the body of a report_fork op.
func decodeForkOp(op ledger.Op) (any, error) {
	if op.Kind != KindMember {
		return nil, invalid(op, "member op on another kind")
	}
	d, err := ledger.ParseDeviceID(op.ID)
	if err != nil {
		return nil, invalid(op, "%v", err)
	}
	var b forkBody
	if err := decMode.Unmarshal(op.Body, &b); err != nil {
		return nil, invalid(op, "body: %v", err)
	}
	p, err := CheckFork(b.A, b.B)
	if err != nil {
		return nil, invalid(op, "%v", err)
	}
	if p.Device != d {
		return nil, invalid(op, "the changes are %s's, not this member's", p.Device.Short())
	}
	if !bytes.Equal(p.EncA, b.A) {
		return nil, invalid(op, "changes not in order of seq and id")
	}
	return b, nil
}
