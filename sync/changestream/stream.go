package changestream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
)

// DefaultBatch is how many changes Apply hands to ApplyRemote at a time.
const DefaultBatch = 256

// Source is what Send reads from; *store.Store implements it.
type Source interface {
	// ChangesSince calls fn with every change vv lacks, feed by feed in seq order.
	ChangesSince(vv ledger.VersionVector, fn func(*ledger.Change) error) error
}

// Sink is what Apply writes to; *store.Store implements it.
type Sink interface {
	// ApplyRemote verifies and applies changes; see store.Store.ApplyRemote.
	ApplyRemote(changes []*ledger.Change) (store.Result, error)
}

// ReceivedSink is a Sink that takes each change with the bytes it was read
// from and its id (ledger.Received), so that it neither encodes nor hashes
// it again; *store.Store implements it. Apply hands such a sink what
// Reader.NextReceived read.
type ReceivedSink interface {
	Sink
	// ApplyReceived is ApplyRemote for changes with their encodings; see
	// store.Store.ApplyReceived.
	ApplyReceived(changes []ledger.Received) (store.Result, error)
}

// BatchSink is a Sink that says how many changes it takes best in one
// call; *store.Store implements it (store.Store.PreferredBatch: a lean
// store commits long batches in pieces, the next prepared while the one
// before is written). Apply uses it when ApplyOptions.Batch is 0.
type BatchSink interface {
	Sink
	// PreferredBatch returns a count of changes, or 0 for no preference
	// (DefaultBatch).
	PreferredBatch() int
}

// CatchUpSink is a Sink that can take a large catch-up without keeping its
// views up to date change by change, building them once at its end;
// *store.Store implements it (store.Store.BeginCatchUp).
type CatchUpSink interface {
	Sink
	// BeginCatchUp says that a catch-up of expected changes begins; end is
	// called once when it ends, however it ended, and returns the error
	// building the views met.
	BeginCatchUp(expected int) (end func() error)
}

// EncodedSource is a Source that can also hand out the stored encodings of
// its changes, which Send then writes as they are instead of decoding and
// encoding each again; *store.Store implements it.
type EncodedSource interface {
	Source
	// EncodedChangesSince is ChangesSince with each change's device, seq and
	// canonical encoding (valid until fn returns) instead of the change.
	EncodedChangesSince(vv ledger.VersionVector, fn func(d ledger.DeviceID, seq uint64, b []byte) error) error
}

var errLimit = errors.New("limit reached")

// Send writes to w the changes of src that since lacks, but none beyond
// upTo (seq <= upTo[device]; nil upTo means no bound), at most limit of them
// (0 means no limit), feed by feed in seq order, then the end frame, and
// flushes. It returns how many changes it wrote. Errors: ctx's, the store's
// and w's; after an error the stream is unusable.
func Send(ctx context.Context, w *Writer, src Source, since, upTo ledger.VersionVector, limit int) (int, error) {
	sent := 0
	// send writes one change (its encoding, or c when b is nil) unless
	// upTo or limit leave it out.
	send := func(d ledger.DeviceID, seq uint64, b []byte, c *ledger.Change) error {
		if upTo != nil && seq > upTo.Get(d) {
			return nil
		}
		if limit > 0 && sent >= limit {
			return errLimit
		}
		if sent%DefaultBatch == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var err error
		if b != nil {
			err = w.WriteFrame(b)
		} else {
			err = w.WriteChange(c)
		}
		if err != nil {
			return fmt.Errorf("send %s/%d: %w", d.Short(), seq, err)
		}
		sent++
		return nil
	}
	var err error
	if es, ok := src.(EncodedSource); ok {
		err = es.EncodedChangesSince(since, func(d ledger.DeviceID, seq uint64, b []byte) error {
			return send(d, seq, b, nil)
		})
	} else {
		err = src.ChangesSince(since, func(c *ledger.Change) error {
			return send(c.Device, c.Seq, nil, c)
		})
	}
	if err != nil && !errors.Is(err, errLimit) {
		return sent, err
	}
	if err := w.End(); err != nil {
		return sent, fmt.Errorf("send end of changes: %w", err)
	}
	return sent, nil
}

// Count returns how many changes a peer holding have lacks of what a peer
// holding vv has: the sum of have.Missing(vv)'s ranges.
func Count(have, vv ledger.VersionVector) int {
	n := uint64(0)
	for _, r := range have.Missing(vv) {
		n += r.Len()
	}
	return int(n)
}

// Stats say what Apply did. Rejected counts changes refused by the store,
// by reason (the store counts them too, in store.Store.Rejected).
type Stats struct {
	Received   int                   // changes read and decoded
	Applied    int                   // changes stored
	Duplicates int                   // changes already held
	Held       int                   // changes with stamps too far ahead, held by the store until due
	Rejected   map[ledger.Reason]int // changes refused by the store, by reason
	// Undone are the changes the store had applied that a revocation
	// among these undid (store.Result.Undone of every batch, in order).
	Undone []store.Undone
	// RefusedAgain counts the changes refused before for the same reason
	// (a forked device's, imported again), not counted again in Rejected
	// (store.Result.RefusedAgain).
	RefusedAgain int
}

func (s *Stats) add(r store.Result) {
	s.Applied += r.Applied
	s.Duplicates += r.Duplicates
	s.Held += r.Held
	s.Undone = append(s.Undone, r.Undone...)
	s.RefusedAgain += r.RefusedAgain
	for reason, n := range r.Rejected {
		if s.Rejected == nil {
			s.Rejected = map[ledger.Reason]int{}
		}
		s.Rejected[reason] += n
	}
}

// Clone returns a copy of s sharing no memory with it.
func (s Stats) Clone() Stats {
	s.Rejected = maps.Clone(s.Rejected)
	s.Undone = slices.Clone(s.Undone)
	return s
}

// ApplyOptions configure Apply. The zero value applies batches of the
// sink's preferred size (BatchSink) or DefaultBatch, with no limit.
type ApplyOptions struct {
	// Batch is how many changes go to ApplyRemote at once; 0 means the
	// sink's PreferredBatch when it is a BatchSink that has one, else
	// DefaultBatch.
	Batch int
	// Limit is the most changes the sender may send; one more aborts Apply
	// with an error. 0 means no limit.
	Limit int
	// Check, if set, is called for every decoded change before it is
	// batched; an error aborts Apply (a protocol violation, e.g. a change
	// outside what the sender announced).
	Check func(*ledger.Change) error
	// Progress, if set, is called after each batch is applied, from the
	// goroutine that called Apply. It must not block for long.
	Progress func(Stats)
	// BeforeBatch, if set, is called by the reading goroutine before it reads
	// each batch, e.g. to push a network read deadline forward.
	BeforeBatch func()
	// Expected is how many changes the sender announced (0: not known).
	// When dst is a CatchUpSink, Apply tells it before the first batch and
	// ends the catch-up after the last (a large one is applied without
	// per-change view upkeep: store.Store.BeginCatchUp).
	Expected int
}

// Apply reads changes from r until the end frame and applies them to dst
// through ApplyRemote in batches, decoding the next batch while the current
// one is applied. Changes the store refuses are counted in Stats.Rejected and
// do not stop Apply. What was applied before an error stays applied.
//
// Errors: a *ledger.RejectError (ReasonTooLarge, ReasonMalformed) for a frame
// that is not a change — the stream cannot be trusted past it, so Apply
// stops; the Limit or Check errors; io.ErrUnexpectedEOF (wrapped) when r ends
// without the end frame (a truncated stream); read and store errors; ctx's.
//
// Apply returns only after its reading goroutine has stopped: if ctx ends
// while that goroutine is blocked reading, the caller must make r's
// underlying reader fail (close or reset the stream) — Apply cannot.
func Apply(ctx context.Context, r *Reader, dst Sink, opts ApplyOptions) (Stats, error) {
	n := opts.Batch
	if bs, ok := dst.(BatchSink); ok && n <= 0 {
		n = bs.PreferredBatch()
	}
	if n <= 0 {
		n = DefaultBatch
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A ReceivedSink is handed each change's bytes and id, read and hashed
	// here on the reading goroutine, a batch ahead of the store.
	rs, keep := dst.(ReceivedSink)
	batches := make(chan []ledger.Received, 1)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		received := 0
		for {
			if opts.BeforeBatch != nil {
				opts.BeforeBatch()
			}
			batch := make([]ledger.Received, 0, n)
			var err error
			for len(batch) < n {
				var c *ledger.Change
				var rc ledger.Received
				if keep {
					rc, err = r.NextReceived()
					c = rc.Change
				} else {
					c, err = r.Next()
					rc = ledger.Received{Change: c}
				}
				if err != nil {
					break
				}
				received++
				if opts.Limit > 0 && received > opts.Limit {
					err = fmt.Errorf("sender sent more than the %d changes announced", opts.Limit)
					break
				}
				if opts.Check != nil {
					if err = opts.Check(c); err != nil {
						break
					}
				}
				batch = append(batch, rc)
			}
			if len(batch) > 0 {
				select {
				case batches <- batch:
				case <-ctx.Done():
					readErr <- ctx.Err()
					return
				}
			}
			if err != nil {
				if errors.Is(err, io.EOF) {
					err = nil
				}
				readErr <- err
				return
			}
		}
	}()
	var st Stats
	var applyErr error
	end := func() error { return nil }
	if cs, ok := dst.(CatchUpSink); ok && opts.Expected > 0 {
		end = cs.BeginCatchUp(opts.Expected)
	}
	for batch := range batches {
		if applyErr != nil {
			continue // drain until the reader stops
		}
		st.Received += len(batch)
		var res store.Result
		var err error
		if keep {
			res, err = rs.ApplyReceived(batch)
		} else {
			changes := make([]*ledger.Change, len(batch))
			for i, rc := range batch {
				changes[i] = rc.Change
			}
			res, err = dst.ApplyRemote(changes)
		}
		st.add(res)
		if err != nil {
			applyErr = fmt.Errorf("apply: %w", err)
			cancel()
			continue
		}
		if opts.Progress != nil {
			opts.Progress(st.Clone())
		}
	}
	err := <-readErr
	if eerr := end(); eerr != nil && applyErr == nil {
		applyErr = fmt.Errorf("build the views after the catch-up: %w", eerr)
	}
	if applyErr != nil {
		return st, applyErr
	}
	return st, err
}
