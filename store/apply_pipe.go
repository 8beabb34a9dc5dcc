package store

// The commit pipeline (a lean store's: the hub's; see pipeDesktop). A run
// of one feed is committed in pieces, each in
// its own Badger transaction (whole or absent after a crash). Badger writes
// a transaction's value log and memtable on its single writer goroutine,
// and a new transaction waits for every earlier commit to be written
// (its read timestamp); so committing piece after piece leaves the cores
// idle while Badger writes. commitRuns therefore prepares piece n+1 —
// groups its ops by record, takes each record, applies the ops and encodes
// the records, and takes a lean store's counts and demand actors, in one
// pass on both cores — while Badger writes piece n, and only then
// opens piece n+1's transaction and hands it to Badger (CommitWith).
//
// Piece n+1 is prepared before piece n is known to be committed, so what
// it prepares stands only if nothing it read changes when piece n lands:
//
//   - a record piece n wrote is taken from piece n's own encoding (a cache
//     of its pending writes), decoded afresh, never the object piece n's
//     folds still read; any other record must be one the absent filter
//     (apply_absent.go) knows Badger does not hold — a record that would
//     have to be read stops the look-ahead, and the piece is prepared after
//     piece n lands, from a transaction, as before;
//   - piece n is plain: no member or network record, no fork report, and
//     landing it rebuilt no roster, enforced no cut and restored nothing
//     (landRun says) — otherwise the prepared piece is thrown away and
//     prepared again on the new state;
//   - the filter still answers when piece n+1's transaction begins (no
//     other writer came in between); otherwise it is prepared again.
//
// Piece n+1 is handed to Badger only after piece n's commit returned
// without error, so the feed in Badger never has a gap: a failed commit
// leaves the store as if that piece and everything after it in the call
// never arrived (the pieces before it stay committed), and the version
// vector, the heads and every index move only when a piece's commit has
// returned (landRun), never ahead of what Badger holds. The records and
// the feed entries of a piece are in one transaction, so a reader never
// sees a record of a piece without the piece's changes.

import (
	"errors"
	"fmt"
	"sync/atomic"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// pipeRun is the size of the pieces a run of at least two of them is
// committed in, so that one is prepared while Badger writes the other. A
// variable so that tests can make the pipeline turn with a few changes.
var pipeRun = 64

// pipeLeanRun is the size of the pieces a lean store (the hub's) commits a
// run of at least two of them in, by default (neither
// Options.CommitPipeline nor a test's pipeLean asking for pipeRun's), when
// a caller hands it batches of 512 or more (rmingest -batch 1024; a lean
// store asks for them, PreferredBatch, only when leanPrefersBatch is on),
// so that a feed's run is long enough to be committed in pieces: at 1,000,000 changes
// the applier otherwise waited for Badger's writer after every batch of 256,
// 8.5 s of a 20 s ingest, with one of the two cores idle (BENCHMARKS.md,
// "tenth pass"). Pieces of 256 keep today's transactions (one a batch of
// 256), so the pipeline costs no more transactions than the whole-run
// commit; pieces of 64 (session 9, below) cost ≈ 10 % more CPU. A variable
// so that tests can change it.
var pipeLeanRun = 256

// leanBatch is how many changes a lean store asks for in one call
// (PreferredBatch) when leanPrefersBatch is on: four pieces of
// pipeLeanRun, three of which are prepared while Badger writes the one
// before.
const leanBatch = 1024

// leanPrefersBatch makes a lean store ask for batches of leanBatch. On
// since session 15's quiet sitting (BENCHMARKS.md, "Where the targets stand
// after session 15"): 1,000,000 changes into an empty lean hub at load
// 1.6–4, the same binary alternated, took 15.2, 18.4, 18.0 s with batches
// of 1024 against 20.1, 20.4, 19.2 s with 256 (65.8k, 54.4k, 55.6k against
// 49.7k, 49.1k, 52.2k changes/s; busy Ps 1.63 against 1.48). At load
// 9–27 (wt-ingest8, "tenth pass") it was the other way round in 7 of 7
// pairs, for reasons not found: a busy machine gives the pipeline's extra
// goroutine less. Off does not bring the older path back whole: a run of
// 512 changes or more that a caller hands any store with its absent
// filter on (held changes come due, a bundle, rmingest -batch) is
// committed in pieces and read ahead either way, as the tests of the
// pipeline check.
var leanPrefersBatch = true

// PreferredBatch returns how many changes s takes best in one ApplyRemote
// or ApplyReceived call, or 0 when it has no preference (the caller's
// default: changestream.DefaultBatch). A lean store (the hub's)
// returns 1024 (leanPrefersBatch): it commits a feed's
// run of 512 changes or more in pieces of 256, each prepared on both cores
// while Badger writes the one before (commitRuns), and only a batch longer
// than a piece lets them overlap. Safe for concurrent use; it reads only
// what Open set.
func (s *Store) PreferredBatch() int {
	if s.lean.on && leanPrefersBatch {
		return leanBatch
	}
	return 0
}

// pipeLean lets a lean store (the hub's) commit in pieces of pipeRun. Off: measured
// at a quiet load (load 2–4, session 9, BENCHMARKS.md "Where the targets
// stand after session 9"), 1,000,000 changes into an empty lean hub took
// 38–41 CPU µs per change in pieces against 34.3–34.6 whole (37.5–39.2k
// against 43.3–44.0k changes/s; the pieces' prepared work, held under the
// hub's 256 MiB memory limit, doubles the collections), and at 100,000 the
// two were level (25.5 against 25.6 µs). Tests turn it on (withPipeRun).
var pipeLean = false

// pipeDesktop lets a store that is not lean (the app's) commit in pieces
// too. Off: measured at 100k changes, the app's store took ≈ 8 % more CPU
// per change in pieces (its folds per piece beside Badger's writer) and its
// chain is bound by its views, not by Badger (BENCHMARKS.md, "Ingest in a
// commit pipeline"). Tests turn it on to hold the pipeline to the whole-run
// commit on full stores.
var pipeDesktop = false

// commitFault, when set (tests only), is asked before each piece is handed
// to Badger; an error it returns is that piece's commit error, and nothing
// of the piece is written.
var commitFault func(d ledger.DeviceID, first, last uint64) error

// piecesAhead counts the pieces committed as prepared while the piece
// before them was written (tests ask whether the pipeline turned).
var piecesAhead atomic.Int64

// errNeedRead stops a look-ahead that would have to read a record.
var errNeedRead = errors.New("record must be read")

// runWork is a piece of a run on its way through the pipeline: prepared
// (prepareRun), handed to Badger (issueRun), landed (landRun).
type runWork struct {
	run        []encoded
	recs       []*recordOps
	prior, now []leanPrior    // a lean store's counts before and after the piece (leanStatus); nil when not counting
	roster     *relief.Roster // the roster its records were applied with
	usedAbsent bool           // some record was taken as absent on the filter's word, or read ahead (read), without the piece's transaction

	// read is a read-only transaction begun just before the piece's own
	// (so before it was handed to Badger: begun after, it would wait for
	// the commit), from which the next piece, prepared while Badger writes
	// this one, reads a record the absent filter cannot vouch for and this
	// piece does not write. Set by commitRuns; nil when no piece follows.
	read *badger.Txn

	// set by issueRun
	txn   *badger.Txn
	forks []relief.ForkProof
	head  ledger.Head
	fold  *foldTask
	done  chan error // the commit's result
}

// plain reports whether landing w can change nothing a piece prepared
// before it read (see the file's comment); landRun says the rest.
func (w *runWork) plain() bool {
	for _, r := range w.recs {
		if r.rec.Kind == relief.KindMember || r.rec.Kind == relief.KindNetwork {
			return false
		}
	}
	for _, e := range w.run {
		for _, op := range e.c.Ops {
			if op.Type == relief.OpReportFork {
				return false
			}
		}
	}
	return true
}

// commitRuns commits a verified, admitted run in transactions of at most
// maxRunBatch changes (pipeLeanRun, or pipeRun when asked for, in a lean
// store when the run is long enough to pipeline, see the file's comment), fewer when Badger finds a transaction too big. A
// change with a malformed op is rejected (ReasonMalformed) with the rest of
// the run; the changes before it are committed. It returns how many were
// committed; on a storage error, the error names the piece whose commit
// failed, the pieces before it are committed and counted in res.Applied,
// and nothing of it or after it is stored.
func (s *Store) commitRuns(run []encoded, res *Result) (applied int, err error) {
	limit := maxRunBatch
	switch {
	case len(run) >= 2*pipeRun && ((s.lean.on && (pipeLean || s.lean.pipe)) || pipeDesktop):
		limit = pipeRun
	case s.lean.on && len(run) >= 2*pipeLeanRun:
		limit = pipeLeanRun
	}
	var fly *runWork // handed to Badger, not landed
	var reads []*badger.Txn
	defer func() {
		for _, t := range reads {
			t.Discard()
		}
	}()
	land := func() (plain bool, err error) {
		if fly == nil {
			return true, nil
		}
		w := fly
		fly = nil
		plain, err = s.landRun(w)
		if err == nil {
			applied += len(w.run)
			res.Applied += len(w.run)
		}
		return plain, err
	}
	for len(run) > 0 {
		n := min(len(run), limit)
		piece := run[:n]
		var w, ahead *runWork // ahead: w as prepared while fly was written
		var perr error
		if fly != nil && fly.plain() {
			// while Badger writes fly
			w, perr = s.prepareRun(piece, s.aheadLoader(fly))
			if errors.Is(perr, errNeedRead) {
				w, perr = nil, nil
			}
			ahead = w
		}
		plain, err := land()
		if err != nil {
			return applied, err // w is dropped: nothing after a failed piece is stored
		}
		if !plain || (ahead != nil && ahead.roster != s.roster) {
			w, perr = nil, nil // prepared on a state that has changed
		}
		txn := s.absent.newTxn(s.db)
		var read *badger.Txn
		if limit < len(run) && s.absent.on() {
			// a piece follows: it may read ahead (aheadLoader)
			read = s.db.NewTransaction(false)
			reads = append(reads, read)
		}
		if w != nil && w.usedAbsent && !s.absent.on() {
			w = nil // another writer came in: the filter no longer answers
		}
		if w == nil && perr == nil {
			w, perr = s.prepareRun(piece, s.txnLoader(txn))
		}
		if perr == nil {
			perr = s.issueRun(txn, w)
		} else {
			txn.Discard()
			s.absent.unchanged(txn)
		}
		var bad *invalidOpError
		switch {
		case perr == nil:
		case errors.Is(perr, badger.ErrTxnTooBig) && n > 1:
			limit = n / 2
			continue
		case errors.As(perr, &bad):
			if bad.at > 0 {
				k, err := s.commitRuns(piece[:bad.at], res)
				applied += k
				if err != nil {
					return applied, err
				}
			}
			res.reject(ledger.ReasonMalformed, len(run)-bad.at)
			return applied, nil
		default:
			return applied, perr
		}
		if w == ahead {
			piecesAhead.Add(1)
		}
		w.read = read
		fly = w
		run = run[n:]
	}
	_, err = land()
	return applied, err
}

// commitRun stores a verified, admitted run of one feed and the records it
// touches in one transaction, then updates memory, indexes and subscribers.
// Nothing is stored when it fails: with an *invalidOpError when an op is
// malformed, with badger.ErrTxnTooBig when the run must be split.
func (s *Store) commitRun(run []encoded) error {
	txn := s.absent.newTxn(s.db)
	w, err := s.prepareRun(run, s.txnLoader(txn))
	if err == nil {
		err = s.issueRun(txn, w)
	} else {
		txn.Discard()
		s.absent.unchanged(txn)
	}
	if err != nil {
		return err
	}
	_, err = s.landRun(w)
	return err
}

// recordLoader returns the record of kind and id (key its record key) as
// the piece being prepared must start from.
type recordLoader func(w *runWork, key, kind, id string) (*relief.Record, error)

// txnLoader reads records in txn, but not those the absent filter knows
// Badger does not hold (the filter answers for txn: newTxn asked it).
func (s *Store) txnLoader(txn *badger.Txn) recordLoader {
	return func(_ *runWork, key, kind, id string) (*relief.Record, error) {
		if s.absent.absent(key) {
			return &relief.Record{Kind: kind, ID: id}, nil
		}
		return s.loadRecord(txn, kind, id)
	}
}

// aheadLoader takes records for a piece prepared while fly is written: a
// record of fly from fly's encoding, a record the filter knows absent as
// new, any other from fly.read (a snapshot taken before fly was handed to
// Badger: fly does not write that record, and the filter, which must
// still answer when the piece's own transaction begins, says that nothing
// else wrote since), and with errNeedRead when fly has no such snapshot.
// At 1,000,000 changes into a lean hub, more than half the pieces of 256
// held a record key the filter could not rule out (its ≈ 0.3 % false
// positives), and each of those stopped the look-ahead before fly.read.
func (s *Store) aheadLoader(fly *runWork) recordLoader {
	var pending map[string][]byte
	return func(w *runWork, key, kind, id string) (*relief.Record, error) {
		if pending == nil {
			pending = make(map[string][]byte, len(fly.recs))
			for _, r := range fly.recs {
				pending[r.key] = r.enc
			}
		}
		if b, ok := pending[key]; ok {
			rec, err := relief.DecodeRecord(b)
			if err != nil {
				return nil, fmt.Errorf("decode record %s/%s: %w", kind, id, err)
			}
			return rec, nil
		}
		if s.absent.absent(key) {
			w.usedAbsent = true
			return &relief.Record{Kind: kind, ID: id}, nil
		}
		if fly.read != nil && s.absent.on() {
			w.usedAbsent = true
			return s.loadRecord(fly.read, kind, id)
		}
		return nil, errNeedRead
	}
}

// prepareRun groups run's ops by the record they touch (each record taken
// once, by load), applies them with the current roster and encodes each
// record, and takes what a lean store counts before and after the ops and
// each demand's actors: one pass, records spread over the cores. It writes nothing and changes no
// state of s but the filter's count of skipped reads. Errors: an
// *invalidOpError when an op is malformed; load's.
func (s *Store) prepareRun(run []encoded, load recordLoader) (*runWork, error) {
	w := &runWork{run: run, roster: s.roster}
	byKey := map[string]*recordOps{}
	for i, e := range run {
		for j, op := range e.c.Ops {
			k := string(recordKey(op.Kind, op.ID))
			r, ok := byKey[k]
			if !ok {
				rec, err := load(w, k, op.Kind, op.ID)
				if err != nil {
					return nil, err
				}
				r = &recordOps{key: k, rec: rec, fresh: rec.First == nil}
				byKey[k] = r
				w.recs = append(w.recs, r)
			}
			r.ops = append(r.ops, opAt{change: i, op: j})
		}
	}
	recs := w.recs
	lean, counting := s.lean.on, s.leanCounting()
	if counting { // a lean store's counts before and after the ops (lean.go)
		w.prior, w.now = make([]leanPrior, len(recs)), make([]leanPrior, len(recs))
	}
	eachParallel(len(recs), func(i int) {
		r := recs[i]
		if counting {
			w.prior[i] = leanStatus(r.rec, w.roster)
		}
		r.apply(run, w.roster)
		if r.err != nil {
			return
		}
		if counting {
			w.now[i] = leanStatus(r.rec, w.roster)
		}
		if lean && r.rec.Kind == relief.KindDemand {
			r.actors = actorsOf(r.rec) // for the actor index (leanIndexActors)
		}
	})
	var first *recordOps // the record whose failing op comes first in the run
	for _, r := range recs {
		if r.err != nil && (first == nil || r.failAt < first.failAt) {
			first = r
		}
	}
	if first != nil {
		if errors.Is(first.err, relief.ErrInvalidOp) {
			return nil, &invalidOpError{at: first.failAt, err: first.err}
		}
		return nil, first.err
	}
	return w, nil
}

// issueRun writes w's changes, head and records in txn (a transaction of
// s.absent.newTxn), starts the folds that overlap the commit, and hands
// txn to Badger; landRun waits for it. On an error (badger.ErrTxnTooBig
// when the piece must be split) txn is discarded and nothing is stored.
func (s *Store) issueRun(txn *badger.Txn, w *runWork) (err error) {
	defer func() {
		if err != nil {
			txn.Discard()
			s.absent.unchanged(txn)
		}
	}()
	run := w.run
	for _, e := range run {
		if err := txn.Set(feedKey(e.c.Device, e.c.Seq), e.b); err != nil {
			return fmt.Errorf("store change %s/%d: %w", e.c.Device.Short(), e.c.Seq, err)
		}
	}
	if w.forks, err = s.forkReports(txn, run); err != nil {
		return err
	}
	last := run[len(run)-1]
	w.head = ledger.Head{Seq: last.c.Seq, ID: last.id}
	if err := txn.Set(headKey(last.c.Device), encodeHead(w.head)); err != nil {
		return fmt.Errorf("store head %s: %w", last.c.Device.Short(), err)
	}
	if err := s.leanIndexActors(txn, w.recs); err != nil { // a lean store's actor index (lean_actors.go)
		return err
	}
	var demands []*relief.Record
	for _, r := range w.recs {
		if err := txn.Set([]byte(r.key), r.enc); err != nil {
			return fmt.Errorf("store record %q: %w", r.key[1:], err)
		}
		if r.rec.Kind == relief.KindDemand {
			demands = append(demands, r.rec)
		}
	}
	// The records are final: fold the demands while Badger commits.
	if len(demands) > 0 && s.bulkOn() { // rows kept for the catch-up's end (catchup.go)
		w.fold = startFoldAs(&foldTask{recs: demands, keep: true, gen: s.settle.bulk.gen}, s.roster, s.idx, s.lastFold())
	} else if len(demands) > 0 && !(s.lean.on && s.skipList) {
		w.fold = startFold(demands, s.roster, s.idx, s.lastFold())
	}
	w.txn, w.done = txn, make(chan error, 1)
	if commitFault != nil {
		if ferr := commitFault(last.c.Device, run[0].c.Seq, last.c.Seq); ferr != nil {
			txn.Discard()
			w.done <- ferr
			return nil
		}
	}
	txn.CommitWith(func(err error) { w.done <- err })
	return nil
}

// landRun waits for w's commit and, when it succeeded, moves memory,
// indexes and subscribers to it. plain is false when landing changed what
// a piece prepared before it may have read (the roster, cuts, restored
// changes, forks; see the file's comment). The error names the piece whose
// commit failed; nothing of it is stored or shown.
func (s *Store) landRun(w *runWork) (plain bool, err error) {
	err = <-w.done
	s.absent.committed(w.txn, err, w.recs)
	if w.fold != nil {
		w.fold.settle(err == nil)
	}
	run, last := w.run, w.run[len(w.run)-1]
	if err != nil {
		if w.fold != nil {
			<-w.fold.done
		}
		return false, fmt.Errorf("commit run %s/%d-%d: %w", last.c.Device.Short(), run[0].c.Seq, last.c.Seq, err)
	}
	plain = w.plain()
	head := w.head
	if last.c.Device == s.device {
		// Own changes are durable before anything (gossip, catch-up) can send
		// them; remote runs are not synced (see syncOwn).
		if err := s.syncOwn(); err != nil {
			s.log.Error("own change committed but not synced: an unclean stop now puts the device in recovery", "err", err)
		}
	}
	s.heads[last.c.Device] = head
	s.vv.Set(last.c.Device, head.Seq)
	if s.bulkOn() {
		s.settle.bulk.n += len(run)
	}
	if last.c.Device == s.device {
		if err := s.followOwnHead(head); err != nil {
			s.log.Error("continue own feed after its recovered head", "err", err)
		}
	}
	s.noteForkReports(w.forks)
	s.leanMove(w.recs, w.prior, w.now)
	touched := make([]*relief.Record, len(w.recs))
	for i, r := range w.recs {
		touched[i] = r.rec
	}
	if s.indexRecords(touched, w.fold) || len(s.pendingCuts()) > 0 || (!s.restoring && s.heldEvidence(last.c.Device)) {
		// The run is committed whatever happens now; a cut that fails here is
		// finished when the store is next opened. (A fork found or reported
		// in this run cuts its device's feed too: forkCut.)
		plain = false
		if err := s.enforceCuts(); err != nil {
			s.log.Error("enforce revocation cuts", "err", err)
		}
	}
	return plain, nil
}
