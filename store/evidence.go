package store

import (
	"crypto/sha256"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Revocations held as evidence.
//
// Two coordinators can revoke each other at once, each revocation past the
// other's cut. A store that received one first applies it and keeps the
// other, refused, as evidence (keepRefused, or cut when it had applied it):
// without a rule, each store kept the revocation it received first, and two
// hubs stayed apart for good. The roster therefore also weighs the
// revocations the cut table holds (relief.NewRoster: the first in total
// order stands), so that every store, whichever it holds as a change and
// whichever as evidence, picks the same; enforceCuts then cuts the loser's
// feed and restores the winner's.
//
// Only revocations are taken from the evidence: any other member step of a
// revoked member past its cut is void whichever store holds it, and so is a
// revocation that is not part of such a pair (relief.NewRoster judges it
// past its author's cut). A forked device's evidence is not weighed: its
// cut is the fork's, which the roster does not know.

// evidenceRevocations returns member records holding only the revocations
// (relief.OpRevoke steps) of the changes kept in the cut table, for
// relief.NewRoster beside the applied member records. It reads the cut table
// once and keeps the answer until the table changes (forgetEvidence). A
// change that no longer decodes is skipped (logged). Called with s.mu held.
func (s *Store) evidenceRevocations() []*relief.Record {
	if s.evRevokes != nil {
		return s.evRevokes
	}
	recs := map[string]*relief.Record{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Seek([]byte{tCut}); it.ValidForPrefix([]byte{tCut}); it.Next() {
			d, _, ok := parseCutKey(it.Item().Key())
			if !ok {
				continue
			}
			if _, forked := s.forked[d]; forked {
				continue
			}
			err := it.Item().Value(func(b []byte) error {
				c, err := ledger.Decode(b)
				if err != nil {
					s.log.Warn("a change kept as evidence no longer decodes", "device", d.String(), "err", err)
					return nil
				}
				id := ledger.Hash(sha256.Sum256(b))
				for i, op := range c.Ops {
					if op.Kind != relief.KindMember {
						continue
					}
					one := &relief.Record{}
					m := relief.Meta{Stamp: c.Stamp, Device: c.Device, Seq: c.Seq, Index: i, Change: id}
					if relief.ApplyOp(one, m, op) != nil {
						continue
					}
					for _, st := range one.Transitions {
						if st.Action != relief.OpRevoke {
							continue
						}
						rec := recs[op.ID]
						if rec == nil {
							rec = &relief.Record{Kind: relief.KindMember, ID: op.ID}
							recs[op.ID] = rec
						}
						rec.Transitions = append(rec.Transitions, st)
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.log.Error("read the revocations kept as evidence", "err", err)
		return nil // read again next time
	}
	out := make([]*relief.Record, 0, len(recs))
	for _, r := range recs {
		out = append(out, r)
	}
	s.evRevokes = out
	return out
}

// forgetEvidence drops the revocations read from the cut table, which
// changed: the next roster reads them again. Called with s.mu held.
func (s *Store) forgetEvidence() { s.evRevokes = nil }

// keptRevocation reports whether one of run's changes revokes a member.
func keptRevocation(run []*ledger.Change) bool {
	for _, c := range run {
		for _, op := range c.Ops {
			if op.Kind != relief.KindMember {
				continue
			}
			one := &relief.Record{}
			if relief.ApplyOp(one, relief.Meta{Stamp: c.Stamp, Device: c.Device, Seq: c.Seq}, op) != nil {
				continue
			}
			for _, st := range one.Transitions {
				if st.Action == relief.OpRevoke {
					return true
				}
			}
		}
	}
	return false
}
