package store

import (
	"slices"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// noticeEntries returns the inbox entries of the folded demand d's conflicts
// and pending deliveries (relief.DemandNotices), keyed under d's own entry
// key; nil when it has none.
func noticeEntries(d relief.Demand) *[]*inboxEntry {
	ps := relief.DemandNotices(d)
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
	return &out
}

// noticeKey returns the primary key of the notice what/ref of kind/id (a
// refused deliver has a conflict and a pending delivery of the same ref): its
// entity's entry key, a 0x01 byte, what, a slash and the ref, so that the notices of one
// demand share a prefix that the entity's own entry does not match (memdb
// ends string keys with a NUL, which a NUL separator would match).
func noticeKey(kind, id, what, ref string) string {
	return entryKey(kind, id) + "\x01" + what + "/" + ref
}

// noticeIndex indexes the notices every coordinator sees.
func noticeIndex(o any) ([]byte, bool) {
	e := o.(*inboxEntry)
	if e.notice() == nil || !e.notice().Coordinators {
		return nil, false
	}
	return str(e.Key), true
}

// putNotices replaces the notices of the demand whose main entry is e by
// e's (none when e carries none) and takes them off e. Other entries are
// left alone.
func putNotices(txn *inboxTxn, e *inboxEntry) error {
	if e.Kind != relief.KindDemand || e.notice() != nil {
		return nil
	}
	notices := e.notices
	e.notices = nil
	// Most demands have none: delPrefix looks before it deletes.
	txn.delPrefix(e.Key + "\x01")
	if notices == nil {
		return nil
	}
	for _, n := range *notices {
		txn.put(n)
	}
	return nil
}

// coordinatorNotices returns the notices every coordinator sees that do not
// wait on member (those come with the member's own entries), kept by keep,
// sorted as the inbox is (compareEntry).
func coordinatorNotices(snap *inboxSnap, member ledger.DeviceID, keep func(*inboxEntry) bool) []*inboxEntry {
	var out []*inboxEntry
	for e := range snap.all(inboxNotice) {
		if e.To == member || e.by() == member || !keep(e) { // the member's own: listed as theirs
			continue
		}
		out = append(out, e)
	}
	slices.SortFunc(out, compareEntry)
	return out
}
