package store

// A store that was empty when it first applied a change (a hub or a laptop
// catching up from nothing) need not read each record before writing it
// when it can tell that the record does not exist: commitRun then starts
// from an empty record, as loadRecord would have given it. absentKeys tells
// it, from a filter of every record key the store's own commitRuns wrote:
// a key the filter never saw is absent from Badger — provided nothing but
// those commitRuns wrote to Badger since the store held no record. That
// proviso is checked, not assumed: Badger numbers each committed write
// transaction, so commitRun compares the read timestamp of its transaction
// with the one it expects (its previous transaction's + 1, or the same one
// when that transaction committed nothing). Any other write in between —
// a cut's or a check's rebuild of records, a refill, a setting, the
// refusal counts, a failed commit — turns the filter off for the life of
// the Store, and every record is read again. A filter that said "seen"
// for a key never written only costs a read (a false positive); it never
// says "absent" for a key it was given.
//
// BENCHMARKS.md ("Ingest at the machine's limit") has what the read cost.

import (
	"bytes"
	"hash/maphash"
	"sync"

	badger "github.com/dgraph-io/badger/v4"
)

// absentState is the state of a Store's filter of record keys.
type absentState uint8

const (
	absentUnknown absentState = iota // not decided yet: decided at the first commitRun
	absentOn                         // every record in Badger was written by commitRun and is in the filter
	absentOff                        // the filter does not answer: read every record
)

// absentKeys is the filter of the record keys a store wrote itself, used
// by commitRun (guarded by Store.mu).
type absentKeys struct {
	// mu is held by commitRun from the creation of its transaction to the
	// end of its commit, and by SetSetting around its own (settingTxn), so
	// that the filter can tell their transactions' timestamps from any
	// other writer's. No other lock is taken while it is held.
	mu    sync.Mutex
	state absentState
	// expect is the read timestamp commitRun's next transaction must have
	// for the filter to answer for it.
	expect uint64
	seed   maphash.Seed
	layers []bloomLayer
	// disabled keeps the filter off (tests compare a store with it and one
	// without; a variable, not an Option, as it changes no result).
	disabled bool
	// skipped counts the reads skipped, for tests and benchmarks.
	skipped int64
}

// bloomLayer is one Bloom filter of a layered set: when a layer holds as
// many keys as it answers for well, the next one, four times as large,
// takes the new keys; a key is absent when every layer says so.
type bloomLayer struct {
	bits []uint64
	n    int // keys added
}

const (
	bloomFirstBits   = 1 << 18 // 32 KiB: a few thousand records cost little
	bloomBitsPerKey  = 12      // ≈ 0.3 % false positives with bloomHashes
	bloomHashes      = 4
	bloomGrowthShift = 2 // each layer 4× the previous
)

// newTxn locks a.mu and returns a new write transaction of db, for which
// begin decides whether the filter answers. committed or unchanged unlock.
func (a *absentKeys) newTxn(db *badger.DB) *badger.Txn {
	a.mu.Lock()
	txn := db.NewTransaction(true)
	a.begin(txn)
	return txn
}

// begin decides, for a write transaction of commitRun, whether the filter
// answers for it (see the file's comment); it must be called before
// anything is read or written in txn. The first call looks for any record
// in Badger and turns the filter on only when there is none.
func (a *absentKeys) begin(txn *badger.Txn) {
	switch a.state {
	case absentOff:
		return
	case absentUnknown:
		if a.disabled || anyRecord(txn) {
			a.state = absentOff
			return
		}
		a.state, a.expect, a.seed = absentOn, txn.ReadTs(), maphash.MakeSeed()
		a.layers = []bloomLayer{{bits: make([]uint64, bloomFirstBits/64)}}
	case absentOn:
		if txn.ReadTs() != a.expect {
			a.off()
		}
	}
}

// on reports whether the filter answers (for the transaction begin was
// last asked about).
func (a *absentKeys) on() bool { return a.state == absentOn }

// off turns the filter off for good and hands its memory back.
func (a *absentKeys) off() {
	a.state, a.layers = absentOff, nil
}

// absent reports whether the record key k is certainly not in Badger (the
// filter is on and never saw k).
func (a *absentKeys) absent(k string) bool {
	if a.state != absentOn {
		return false
	}
	h := maphash.String(a.seed, k)
	for i := range a.layers {
		if a.layers[i].has(h) {
			return false
		}
	}
	a.skipped++
	return true
}

// committed records the end of the commit of commitRun's transaction txn
// (err its error) with the record keys of recs, and unlocks a.mu: the next
// transaction must read at the following timestamp. A failed commit turns
// the filter off (what it left is not known).
func (a *absentKeys) committed(txn *badger.Txn, err error, recs []*recordOps) {
	defer a.mu.Unlock()
	if a.state != absentOn {
		return
	}
	if err != nil {
		a.off()
		return
	}
	a.expect = txn.ReadTs() + 1
	for _, r := range recs {
		a.add(r.key)
	}
}

// unchanged records that commitRun's transaction txn wrote nothing (it
// returned before its commit), and unlocks a.mu: the next one reads at the
// same timestamp.
func (a *absentKeys) unchanged(txn *badger.Txn) {
	defer a.mu.Unlock()
	if a.state == absentOn {
		a.expect = txn.ReadTs()
	}
}

// settingTxn runs write in a transaction of db and commits it, as
// db.Update does, for a write that holds no record (SetSetting): the
// filter counts its commit as known, so that settings written while a
// store catches up (a peer's acknowledgement, the check's date) do not
// turn it off.
func (a *absentKeys) settingTxn(db *badger.DB, write func(*badger.Txn) error) error {
	if db.IsClosed() {
		return badger.ErrDBClosed
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	txn := db.NewTransaction(true)
	defer txn.Discard()
	if err := write(txn); err != nil {
		return err
	}
	known := a.state == absentOn && txn.ReadTs() == a.expect
	err := txn.Commit()
	switch {
	case a.state != absentOn:
	case err != nil:
		a.off()
	case known:
		a.expect = txn.ReadTs() + 1
	}
	return err
}

func (a *absentKeys) add(k string) {
	last := &a.layers[len(a.layers)-1]
	if last.n >= len(last.bits)*64/bloomBitsPerKey {
		a.layers = append(a.layers, bloomLayer{bits: make([]uint64, len(last.bits)<<bloomGrowthShift)})
		last = &a.layers[len(a.layers)-1]
	}
	last.set(maphash.String(a.seed, k))
}

// probes calls f with the bloomHashes bit positions of h in a layer of
// m bits (double hashing: h1 + i·h2).
func probes(h uint64, m uint64, f func(bit uint64) bool) bool {
	h1, h2 := h, (h>>33|h<<31)|1
	for i := range uint64(bloomHashes) {
		if !f((h1 + i*h2) % m) {
			return false
		}
	}
	return true
}

func (l *bloomLayer) set(h uint64) {
	probes(h, uint64(len(l.bits))*64, func(b uint64) bool { l.bits[b/64] |= 1 << (b % 64); return true })
	l.n++
}

func (l *bloomLayer) has(h uint64) bool {
	return probes(h, uint64(len(l.bits))*64, func(b uint64) bool { return l.bits[b/64]&(1<<(b%64)) != 0 })
}

// anyRecord reports whether txn sees any record key (one seek, no value).
func anyRecord(txn *badger.Txn) bool {
	opts := badger.DefaultIteratorOptions
	opts.PrefetchValues = false
	opts.Prefix = []byte{tRecord}
	it := txn.NewIterator(opts)
	defer it.Close()
	it.Seek(opts.Prefix)
	return it.Valid() && bytes.HasPrefix(it.Item().Key(), opts.Prefix)
}
