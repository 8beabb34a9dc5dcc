package relief

import (
	"crypto/sha256"
	"encoding/binary"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// dev returns a test device id; dev(1) < dev(2) < ….
func dev(n byte) ledger.DeviceID {
	var d ledger.DeviceID
	d[0] = n
	d[31] = n
	return d
}

// world is a set of records fed through ApplyOp, with per-device feeds.
type world struct {
	t    testing.TB
	recs map[string]*Record
	seq  map[ledger.DeviceID]uint64
}

func newWorld(t testing.TB) *world {
	return &world{t: t, recs: make(map[string]*Record), seq: make(map[ledger.DeviceID]uint64)}
}

func changeID(d ledger.DeviceID, seq uint64) ledger.Hash {
	var b [40]byte
	copy(b[:], d[:])
	binary.BigEndian.PutUint64(b[32:], seq)
	return sha256.Sum256(b[:])
}

// metas returns the metas of the next change of device d at wall ms.
func (w *world) next(d ledger.DeviceID, wall int64) Meta {
	w.seq[d]++
	s := w.seq[d]
	return Meta{Stamp: ledger.Stamp{Wall: wall}, Device: d, Seq: s, Change: changeID(d, s)}
}

// do applies ops as one change of device d at wall ms and returns its meta.
func (w *world) do(d ledger.DeviceID, wall int64, ops ...ledger.Op) Meta {
	w.t.Helper()
	m := w.next(d, wall)
	for i, op := range ops {
		mi := m
		mi.Index = i
		w.apply(mi, op)
	}
	return m
}

func (w *world) apply(m Meta, op ledger.Op) {
	w.t.Helper()
	k := op.Kind + "/" + op.ID
	rec := w.recs[k]
	if rec == nil {
		rec = &Record{}
		w.recs[k] = rec
	}
	if err := ApplyOp(rec, m, op); err != nil {
		w.t.Fatalf("ApplyOp(%s %s) = %v; want nil", k, op.Type, err)
	}
}

func (w *world) rec(kind, id string) *Record {
	if r := w.recs[kind+"/"+id]; r != nil {
		return r
	}
	return &Record{Kind: kind, ID: id}
}

func (w *world) all() []*Record {
	var out []*Record
	for _, r := range w.recs {
		out = append(out, r)
	}
	return out
}

func (w *world) roster() *Roster { return NewRoster(w.all()) }

func (w *world) demand(id string) Demand {
	rec, roster := w.rec(KindDemand, id), w.roster()
	d := FoldDemand(rec, roster)
	if got := DemandStatus(rec, roster); got != d.Status {
		// every test that folds a demand holds DemandStatus to FoldDemand
		w.t.Helper()
		w.t.Fatalf("DemandStatus(%s) = %s; FoldDemand says %s", id, got, d.Status)
	}
	return d
}

// must returns op, panicking on a constructor error (a bug in the test).
func must(op ledger.Op, err error) ledger.Op {
	if err != nil {
		panic(err)
	}
	return op
}

// Test members: coordinator (genesis), reviewer, two volunteers, an observer, and
// a spare coordinator and reviewer for acting without being creator or owner.
var (
	coord  = dev(1)
	rev    = dev(2)
	vol    = dev(3)
	vol2   = dev(4)
	obs    = dev(5)
	coord2 = dev(6)
	rev2   = dev(7)
	vol3   = dev(8)
	nobody = dev(99)
)

// seeded returns a world whose roster has the test members, set up at wall 1–2.
func seeded(t testing.TB) *world {
	w := newWorld(t)
	w.do(coord, 1,
		must(Genesis(coord, "Coordinator")),
		must(Endorse(rev, RoleReviewer, "Reviewer")),
		must(Endorse(vol, RoleVolunteer, "Volunteer")),
		must(Endorse(vol2, RoleVolunteer, "Volunteer 2")),
		must(Endorse(obs, RoleObserver, "Observer")),
		must(Endorse(coord2, RoleCoordinator, "Coordinator 2")),
		must(Endorse(rev2, RoleReviewer, "Reviewer 2")),
		must(Endorse(vol3, RoleVolunteer, "Volunteer 3")),
	)
	return w
}

func tr(t testing.TB, id string, a Action, args Args) ledger.Op {
	t.Helper()
	return must(Transition(KindDemand, id, a, withEvidence(a, args)))
}

// withEvidence gives an approve without evidence or reason a call-back as
// its evidence, as the desk asks of every approval (evidence.go); tests of
// the evidence rule itself build their steps with Transition.
func withEvidence(a Action, args Args) Args {
	if a == ActionApprove && ApproveNeeds(args) != "" {
		args.Evidence = &Evidence{Kind: EvidenceCallback, At: 1}
	}
	return args
}
