package store

import (
	"github.com/reliefmesh/reliefmesh/relief"
)

// recordNotices returns the inbox entries of the refused writes of a
// volunteer or offer record kind/id (relief.RecordNotices of its view's
// conflicts), keyed under the record's entry key as a demand's notices are
// (noticeKey).
func recordNotices(kind, id string, cs []relief.Conflict) []*inboxEntry {
	ps := relief.RecordNotices(kind, id, cs)
	if len(ps) == 0 {
		return nil
	}
	out := make([]*inboxEntry, len(ps))
	for i, p := range ps {
		e := &inboxEntry{Key: noticeKey(p.Kind, p.ID, p.What, p.Ref), Kind: p.Kind, ID: p.ID, Code: p.Code, What: p.What,
			Status: p.Status, Since: p.Since.UTC(), To: p.To}
		e.setMore(func(m *entryMore) { m.By, m.Ref, m.Notice = p.By, p.Ref, p.Notice })
		out[i] = e
	}
	return out
}

// putRecordNotices makes the inbox entries of the refused writes of the
// volunteer or offer record kind/id those of notices (none: deletes them).
func putRecordNotices(txn *inboxTxn, kind, id string, notices []*inboxEntry) {
	txn.delPrefix(entryKey(kind, id) + "\x01") // most records have none: it looks before it deletes
	for _, n := range notices {
		txn.put(n)
	}
}
