package store

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// maxRunBatch is the most changes written in one Badger transaction. A longer
// run is written as consecutive shorter runs, each whole or absent after a crash.
const maxRunBatch = 512

// ErrNoNetwork is returned by writes before the store has a network.
var ErrNoNetwork = errors.New("no network: create or join one first")

// Result says what ApplyRemote did with a batch of changes.
type Result struct {
	Applied    int                   // changes verified, stored and indexed
	Duplicates int                   // changes already held (ignored)
	Held       int                   // stamps too far in the future, kept in memory until due
	Rejected   map[ledger.Reason]int // changes refused, by reason; none of them was stored
	// Undone are the changes this store had applied (and shown) that a
	// revocation which arrived in this call undid: by member, with who
	// revoked them and when (see Undone). Empty when none.
	Undone []Undone
	// Restored are the changes a revocation had undone (or refused and kept
	// as evidence) that this store applied again in this call because the
	// revocation no longer stands (its coordinator was demoted before it, or
	// revoked first): by member, Seqs the seqs restored, After the cut that
	// was lifted. Empty when none.
	Restored []Undone
	// RefusedAgain counts the changes refused here before for the same
	// reason (a forked device's, imported again): refused again, but not
	// counted again in Rejected or in the store's refusal counts.
	RefusedAgain int
}

func (r *Result) reject(reason ledger.Reason, n int) {
	if n == 0 {
		return
	}
	if r.Rejected == nil {
		r.Rejected = map[ledger.Reason]int{}
	}
	r.Rejected[reason] += n
}

// ApplyLocal makes ops a new change of this device's feed: it checks them, signs
// the change, stores it with the records it touches in one transaction, updates
// the indexes and publishes events. Errors: ErrNoNetwork; a *ledger.RejectError
// (ReasonNotMember, ReasonRevoked) when this device may not write; an
// relief.ErrInvalidOp wrapping error naming the op; storage errors. On error
// nothing is stored and the feed does not advance.
func (s *Store) ApplyLocal(ops []ledger.Op) (*ledger.Change, error) {
	s.waitSettled() // writes wait for the views the open builds after it returned
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.flushIndex()
	if s.db == nil {
		return nil, errClosed
	}
	if s.author == nil {
		return nil, ErrNoNetwork
	}
	for _, op := range ops {
		if err := relief.ValidateOp(op); err != nil {
			return nil, err
		}
	}
	if err := s.checkSpace(); err != nil {
		return nil, err
	}
	c, err := s.author.Next(ops)
	if err != nil {
		return nil, err
	}
	if err := s.checkWritable(c); err != nil {
		s.author.Discard(c)
		return nil, err
	}
	s.markRunning()
	if isGenesis(c) {
		if err := s.admitGenesis(c); err != nil {
			s.author.Discard(c)
			return nil, err
		}
	} else {
		if err := s.admit(c); err != nil {
			s.author.Discard(c)
			return nil, err
		}
	}
	e, err := encode(c)
	if err == nil {
		err = s.commitRun([]encoded{e})
	}
	if err != nil {
		s.author.Discard(c)
		return nil, err
	}
	if isGenesis(c) && s.recovering != "" {
		s.endRecovery("a new network: a new feed") // nothing of it can be lost
	}
	s.noteNetwork()
	return c, nil
}

// ApplyRemote applies changes received from peers or a bundle, in any order and
// of any feeds. Each change is checked before anything is stored: network id,
// feed continuity (gaps wait for catch-up, forks are kept as evidence and stop
// the feed), hash links and the last signature of each run (ledger.VerifyRun),
// the ops (relief.ValidateOp), the author's membership at that seq, and clock
// drift (a stamp too far ahead is held in memory until due). Rejections are
// counted by reason in the Result and in Rejected. The error is non-nil only
// when the store could not write. In a lean store (the hub's) a feed's run
// is committed in pieces, the next prepared while Badger writes the one
// before it (apply_pipe.go); a commit error names the piece, or the run,
// that failed ("commit run <device>/<first>-<last>: …"). What was committed before it stays, and Result.Applied
// counts exactly that; the failed piece and everything after it in the call
// are stored nowhere, as if they never arrived (they may come again), and
// the version vector and heads never run ahead of what Badger holds.
func (s *Store) ApplyRemote(changes []*ledger.Change) (Result, error) {
	return s.applyRemote(changes, nil)
}

// ApplyReceived is ApplyRemote for changes read with their bytes
// (ledger.DecodeReceived, changestream.Reader.NextReceived): a change that
// holds its encoding is stored as those bytes, under the id computed when it
// was read, instead of being encoded and hashed again here; one without
// (ledger.Received{Change: c}) is encoded as ApplyRemote does. Checks,
// results and errors are ApplyRemote's: the bytes are the change's canonical
// encoding by construction (DecodeReceived accepts no other), so nothing is
// refused or kept differently.
func (s *Store) ApplyReceived(rs []ledger.Received) (Result, error) {
	changes := make([]*ledger.Change, len(rs))
	var kept map[*ledger.Change]encoded
	for i, r := range rs {
		changes[i] = r.Change
		if r.Change != nil && r.HasEncoding() {
			if kept == nil {
				kept = make(map[*ledger.Change]encoded, len(rs))
			}
			kept[r.Change] = encoded{c: r.Change, b: r.Encoding(), id: r.ID()}
		}
	}
	return s.applyRemote(changes, kept)
}

func (s *Store) applyRemote(changes []*ledger.Change, kept map[*ledger.Change]encoded) (Result, error) {
	s.lockRemote()
	defer s.mu.Unlock()
	s.received = kept
	defer func() { s.received = nil }()
	defer s.flushIndex()
	var res Result
	if s.db == nil {
		return res, errClosed
	}
	s.undone = nil // cuts made outside this call (a local revocation, Open) are not its own
	s.restored = nil
	if s.network == nil {
		res.reject(ledger.ReasonWrongNetwork, len(changes))
		s.count(res)
		return res, nil
	}
	if len(changes) > 0 {
		if err := s.checkSpace(); err != nil {
			return res, err
		}
	}
	changes = append(changes, s.takeDue()...)
	feeds := map[ledger.DeviceID][]*ledger.Change{}
	for _, c := range changes {
		if c == nil {
			continue
		}
		if c.Network != s.network.ID {
			res.reject(ledger.ReasonWrongNetwork, 1)
			continue
		}
		feeds[c.Device] = append(feeds[c.Device], c)
	}
	devices := make([]ledger.DeviceID, 0, len(feeds))
	for d, run := range feeds {
		slices.SortFunc(run, func(a, b *ledger.Change) int {
			if a.Seq != b.Seq {
				return cmp.Compare(a.Seq, b.Seq)
			}
			return compareHash(a.ID(), b.ID())
		})
		devices = append(devices, d)
	}
	slices.SortFunc(devices, ledger.DeviceID.Compare)

	// Feeds may depend on each other (an endorsement in one admits the author of
	// another), so apply in passes until no feed makes progress.
	for progress := true; progress; {
		progress = false
		for _, d := range devices {
			run := feeds[d]
			if len(run) == 0 {
				continue
			}
			rest, applied, err := s.applyFeed(run, &res)
			if err != nil {
				s.count(res)
				return res, err
			}
			feeds[d] = rest
			progress = progress || applied > 0
		}
	}
	for _, d := range devices {
		if rest := feeds[d]; len(rest) > 0 {
			_, err := s.roster.Admits(d, rest[0].Seq)
			s.rejectOnce(rest, admitReason(err), &res)
		}
	}
	if s.evRoster {
		// a refused revocation was kept as evidence: it may stand before
		// the one that refused it (evidence.go), which lifts that cut
		s.evRoster = false
		s.rebuildRoster()
		if err := s.enforceCuts(); err != nil {
			s.log.Error("enforce revocation cuts", "err", err)
		}
	}
	s.count(res)
	if len(res.Rejected) > 0 {
		s.events.publish(Event{Kind: EventRejected})
	}
	res.Undone, s.undone = s.undone, nil
	res.Restored, s.restored = s.restored, nil
	return res, nil
}

// encoded is a change with its canonical encoding and id, computed once on the
// write path (encoding a change costs about as much as applying it).
type encoded struct {
	c  *ledger.Change
	b  []byte      // ledger.Encode(c)
	id ledger.Hash // SHA-256 of b, which is c.ID()
}

// encodeOf returns c's encoding and id: those ApplyReceived was handed, or
// encode's.
func (s *Store) encodeOf(c *ledger.Change) (encoded, error) {
	if e, ok := s.received[c]; ok {
		return e, nil
	}
	return encode(c)
}

func encode(c *ledger.Change) (encoded, error) {
	b, err := ledger.Encode(c)
	if err != nil {
		return encoded{}, err
	}
	return encoded{c: c, b: b, id: sha256.Sum256(b)}, nil
}

// applyFeed applies the longest acceptable prefix of run (one device's changes,
// sorted by seq). It returns the changes left for a later pass (authors not yet
// admitted) and how many were applied.
func (s *Store) applyFeed(run []*ledger.Change, res *Result) (rest []*ledger.Change, applied int, err error) {
	d := run[0].Device
	head := s.heads[d]
	var next []encoded
	stored := s.knownID(d)
	// known also answers for the changes accepted earlier in this batch, so
	// that a change delivered twice in one batch is a duplicate.
	known := func(seq uint64) (ledger.Hash, bool) {
		if len(next) > 0 && seq >= next[0].c.Seq {
			return next[seq-next[0].c.Seq].id, true
		}
		return stored(seq)
	}
	// A run that continues the feed is encoded and hashed on both cores
	// before the loop below links each change to the one before it by id
	// (the ids are the links, so they cannot be taken one by one beside the
	// loop); other runs (duplicates, a fork) are encoded where needed.
	var pre []encoded
	var preErr []error
	// Changes handed with their encodings (ApplyReceived) need neither.
	if len(run) >= 64 && run[0].Seq == head.Seq+1 && s.received == nil {
		pre, preErr = make([]encoded, len(run)), make([]error, len(run))
		eachParallel(len(run), func(i int) { pre[i], preErr[i] = encode(run[i]) })
	}
feed:
	for i, c := range run {
		if at, ok := s.forked[d]; ok && c.Seq >= at {
			s.rejectFork(run[i:], res)
			break
		}
		tip := head
		if len(next) > 0 {
			last := next[len(next)-1]
			tip = ledger.Head{Seq: last.c.Seq, ID: last.id}
		}
		switch ledger.Classify(tip, c, known) {
		case ledger.Duplicate:
			res.Duplicates++
			continue
		case ledger.Gap:
			res.reject(ledger.ReasonGap, 1)
			continue
		case ledger.Fork:
			if len(next) > 0 {
				// c does not follow the unverified changes before it in this
				// batch: one of those was altered (VerifyRun below refuses it),
				// which proves nothing against the device.
				res.reject(ledger.ReasonBrokenLink, len(run)-i)
				break feed
			}
			// Only a change the device really signed proves a fork: anyone can
			// alter a copy of a change (in a bundle, on a stream), and that must
			// not get an honest member's feed stopped.
			if err := c.Verify(); err != nil {
				res.reject(ledger.ReasonBadSignature, 1)
				continue
			}
			at := c.Seq // two different changes at c.Seq …
			if c.Seq == tip.Seq+1 {
				at = tip.Seq // … or c links to another change than the one held at c.Seq-1
			}
			if err := s.recordFork(c, at); err != nil {
				return nil, 0, err
			}
			s.rejectFork(run[i:], res)
			break feed
		case ledger.Next:
		default:
			res.reject(ledger.ReasonMalformed, 1)
			continue
		}
		if isGenesis(c) {
			// Only the genesis bound to this network's id founds it; any
			// other (a stranger's, or a member's of its own) is refused
			// before anything else is asked of it, with the rest of its
			// feed, which can never follow it.
			if err := s.admitGenesis(c); err != nil {
				s.log.Warn("refused a genesis that does not found this network: a stranger's or a forged one", "device", c.Device.String(), "err", err)
				res.reject(ledger.ReasonForeignGenesis, len(run)-i)
				break feed
			}
		}
		if !(isGenesis(c) && s.genesisOpen()) {
			// Remote changes are admitted by membership and revocation only,
			// which every peer decides alike once rosters converge (revocations
			// cut feeds at a seq). Roles change over time without such a cut,
			// so they are checked where the change is made (admit, in
			// ApplyLocal) and where steps are folded, not here.
			if _, aerr := s.roster.Admits(c.Device, c.Seq); aerr != nil {
				if admitReason(aerr) == ledger.ReasonNotMember {
					rest = run[i:] // an endorsement may arrive in this batch
				} else {
					s.rejectOnce(run[i:], admitReason(aerr), res)
					if admitReason(aerr) == ledger.ReasonRevoked {
						s.keepRefused(run[i:]) // for coordinators to adopt (undone.go)
					}
				}
				break feed
			}
		}
		if s.beforeGenesis(c) {
			res.reject(ledger.ReasonBeforeGenesis, len(run)-i)
			break feed
		}
		// The clock is asked only about admitted authors' stamps, so that a
		// stranger's far-future stamps neither wait in memory nor make this
		// computer's clock look wrong (HLC.Behind).
		if err := s.clock.ObserveFrom(c.Device, c.Stamp); err != nil {
			held, over := s.hold(run[i:])
			res.Held += held
			if over > 0 {
				res.reject(ledger.ReasonTooFarAhead, over)
			}
			break feed
		}
		// The ops are checked by relief.ApplyOp in prepareRun (a malformed op
		// stops the run there), so that each op body is decoded once.
		var e encoded
		var err error
		if pre != nil {
			e, err = pre[i], preErr[i]
		} else {
			e, err = s.encodeOf(c)
		}
		if err != nil {
			res.reject(ledger.ReasonOf(err), len(run)-i)
			break feed
		}
		next = append(next, e)
	}
	if len(next) == 0 {
		return rest, 0, nil
	}
	changes := make([]*ledger.Change, len(next))
	ids := make([]ledger.Hash, len(next))
	for i, e := range next {
		changes[i], ids[i] = e.c, e.id
	}
	// The links are checked against the ids encode computed from the bytes
	// about to be stored, not by encoding every change again.
	if err := ledger.VerifyRunIDs(head.ID, changes, ids); err != nil {
		// Classify saw every link in next, so only the last change can be
		// altered (altering any other breaks the next link): the prefix before
		// it stands if its own last signature holds, as a damaged bundle or an
		// interrupted stream must not lose the intact changes before the damage.
		k := len(next) - 1
		if k == 0 || ledger.VerifyRunIDs(head.ID, changes[:k], ids[:k]) != nil {
			res.reject(ledger.ReasonOf(err), len(next))
			return nil, 0, nil
		}
		res.reject(ledger.ReasonOf(err), 1)
		next, rest = next[:k], nil
	}
	applied, err = s.commitRuns(next, res)
	if applied < len(next) {
		rest = nil // the feed stopped at a malformed change; later ones cannot follow it
	}
	return rest, applied, err
}

// invalidOpError says that change at of a run has an op relief rejects.
type invalidOpError struct {
	at  int
	err error
}

func (e *invalidOpError) Error() string { return e.err.Error() }
func (e *invalidOpError) Unwrap() error { return e.err }

// recordOps is one record touched by a run: the ops of the run on it, in
// order, and after apply the record's encoding or the first error.
type recordOps struct {
	key    string
	rec    *relief.Record
	ops    []opAt
	enc    []byte
	err    error
	failAt int // the change of the run whose op failed, when err != nil
	// actors are a demand's actorsOf for a lean store's actor index, taken
	// by prepareRun beside the apply; nil when not taken.
	actors []ledger.DeviceID
	// fresh says the record was absent before the run (it had no First
	// write): a lean store's actor index lists it in the run's entries;
	// a record indexed before gets its own, idempotent entries.
	fresh bool
}

// opAt names op number op of change number change of a run.
type opAt struct{ change, op int }

// apply applies r's ops of run to r.rec, purges what its latest erasure
// allowed by roster erases (relief.Purge: the keys of erased values leave
// the disk), and encodes it. It touches nothing but r, so records may be
// applied concurrently.
func (r *recordOps) apply(run []encoded, roster *relief.Roster) {
	for _, at := range r.ops {
		e := run[at.change]
		c := e.c
		m := relief.Meta{Stamp: c.Stamp, Device: c.Device, Seq: c.Seq, Index: at.op, Change: e.id}
		if err := relief.ApplyOp(r.rec, m, c.Ops[at.op]); err != nil {
			r.err = fmt.Errorf("apply %s/%d op %d: %w", c.Device.Short(), c.Seq, at.op, err)
			r.failAt = at.change
			return
		}
	}
	relief.Purge(r.rec, roster)
	r.enc, r.err = relief.EncodeRecordStored(r.rec)
	r.failAt = len(run)
}

// eachParallel calls f(0) … f(n-1), spread over the cores when n is large
// enough to pay for the goroutines, and returns when all have returned.
func eachParallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n/32+1)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				f(i)
			}
		})
	}
	wg.Wait()
}

// applyChange applies the ops of e, one after the other, to the records they
// touch: the plain sequential form of what commitRun does (grouped by record
// and in parallel), which tests replay feeds with. It loads each record
// (with load) the first time it is touched and appends its key to
// order. An op relief rejects is returned as an error wrapping
// relief.ErrInvalidOp; the records may then hold part of e.
func applyChange(touched map[string]*relief.Record, order []string, e encoded, load func(kind, id string) (*relief.Record, error)) ([]string, error) {
	c := e.c
	for i, op := range c.Ops {
		k := string(recordKey(op.Kind, op.ID))
		rec, ok := touched[k]
		if !ok {
			var err error
			if rec, err = load(op.Kind, op.ID); err != nil {
				return order, err
			}
			touched[k] = rec
			order = append(order, k)
		}
		m := relief.Meta{Stamp: c.Stamp, Device: c.Device, Seq: c.Seq, Index: i, Change: e.id}
		if err := relief.ApplyOp(rec, m, op); err != nil {
			return order, fmt.Errorf("apply %s/%d op %d: %w", c.Device.Short(), c.Seq, i, err)
		}
	}
	return order, nil
}

func (s *Store) loadRecord(txn *badger.Txn, kind, id string) (*relief.Record, error) {
	it, err := txn.Get(recordKey(kind, id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return &relief.Record{Kind: kind, ID: id}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read record %s/%s: %w", kind, id, err)
	}
	var rec *relief.Record
	err = it.Value(func(b []byte) error {
		var derr error
		rec, derr = relief.DecodeRecord(b)
		return derr
	})
	if err != nil {
		return nil, fmt.Errorf("decode record %s/%s: %w", kind, id, err)
	}
	return rec, nil
}

// knownID returns a lookup of the stored change ids of device d, for fork and
// duplicate detection. A change is stored as its canonical encoding, so its id
// is the SHA-256 of the stored bytes; nothing is decoded.
func (s *Store) knownID(d ledger.DeviceID) func(seq uint64) (ledger.Hash, bool) {
	return func(seq uint64) (ledger.Hash, bool) {
		var id ledger.Hash
		err := s.db.View(func(txn *badger.Txn) error {
			it, err := txn.Get(feedKey(d, seq))
			if err != nil {
				return err
			}
			return it.Value(func(b []byte) error {
				id = sha256.Sum256(b)
				return nil
			})
		})
		return id, err == nil
	}
}

// MaxHeld bounds the changes kept in memory because their stamps are too far
// ahead of this device's clock; beyond it they are refused as too far ahead
// (the author still has them: catch-up brings them again when due).
const MaxHeld = 10_000

// hold keeps cs (changes of one device, by seq) until their stamps are due,
// skipping those already held. It returns how many it newly holds and how
// many it refused because MaxHeld was reached.
func (s *Store) hold(cs []*ledger.Change) (held, over int) {
	for _, c := range cs {
		if slices.ContainsFunc(s.held, func(h *ledger.Change) bool { return h.Device == c.Device && h.Seq == c.Seq }) {
			continue
		}
		if len(s.held) >= MaxHeld {
			over++
			continue
		}
		s.held = append(s.held, c)
		held++
	}
	return held, over
}

// takeDue removes held changes whose stamps are now acceptable and returns them.
func (s *Store) takeDue() []*ledger.Change {
	var due, keep []*ledger.Change
	now := s.now()
	for _, c := range s.held {
		if !s.clock.Due(c.Stamp).After(now) {
			due = append(due, c)
		} else {
			keep = append(keep, c)
		}
	}
	s.held = keep
	return due
}

// RetryHeld applies held changes that have become due; the sync layer calls it
// periodically (and any ApplyRemote retries them too).
func (s *Store) RetryHeld() (Result, error) { return s.ApplyRemote(nil) }

func (s *Store) count(res Result) {
	if len(res.Rejected) == 0 {
		return
	}
	err := s.db.Update(func(txn *badger.Txn) error {
		for r, n := range res.Rejected {
			s.rejected[r] += uint64(n)
			if err := txn.Set(refusedKey(r), binary.BigEndian.AppendUint64(nil, s.rejected[r])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil { // the counts stay right in memory; only a restart would lose them
		s.log.Warn("store: keep the refusal counts", "err", err)
	}
}

// isGenesis reports whether c is the first change of a feed whose first op is a
// genesis of its own author: the one change admitted before any roster exists.
func isGenesis(c *ledger.Change) bool {
	return c.Seq == 1 && len(c.Ops) > 0 && c.Ops[0].Kind == relief.KindMember &&
		c.Ops[0].Type == relief.OpGenesis && c.Ops[0].ID == c.Device.String()
}

// admit checks that this device may write c now: a member not revoked at c's
// seq (relief.Roster.Admits) whose role allows each op (relief.MayWrite).
// Errors are *ledger.RejectError with ReasonNotMember, ReasonRevoked or
// ReasonRole. ApplyLocal uses it; ApplyRemote checks membership only (see
// applyFeed).
func (s *Store) admit(c *ledger.Change) error {
	m, err := s.roster.Admits(c.Device, c.Seq)
	if err != nil {
		return &ledger.RejectError{Reason: admitReason(err), Device: c.Device, Seq: c.Seq, Err: err}
	}
	for _, op := range c.Ops {
		if err := relief.MayWrite(m, op); err != nil {
			return &ledger.RejectError{Reason: ledger.ReasonRole, Device: c.Device, Seq: c.Seq, Err: err}
		}
	}
	return nil
}

// admitGenesis checks that the genesis c founds this store's network: its
// founder's key and nonce hash to the network id (relief.GenesisNetwork), so
// that no key but the founder's can make a genesis a joined node accepts.
// The error is a *ledger.RejectError with ReasonForeignGenesis.
func (s *Store) admitGenesis(c *ledger.Change) error {
	id, err := relief.GenesisNetwork(c.Ops[0])
	if err == nil && id != s.network.ID {
		err = fmt.Errorf("it founds network %s, not %s: only the founder of this network signs its genesis", id, s.network.ID)
	}
	if err != nil {
		return &ledger.RejectError{Reason: ledger.ReasonForeignGenesis, Device: c.Device, Seq: c.Seq, Err: err}
	}
	return nil
}

// genesisOpen reports whether a genesis change may still be admitted: only while
// the roster has none.
func (s *Store) genesisOpen() bool {
	_, ok := s.roster.Genesis()
	return !ok
}

func admitReason(err error) ledger.Reason {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, relief.ErrRevoked):
		return ledger.ReasonRevoked
	default:
		return ledger.ReasonNotMember
	}
}

func compareHash(a, b ledger.Hash) int { return slices.Compare(a[:], b[:]) }
