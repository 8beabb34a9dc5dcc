package store

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestEntryRareFields checks the inbox entry's rare part (entryMore): an
// entry with every rare field set goes through the views snapshot's form
// and back unchanged, that form encodes as the entry did before the part
// was split off (the file's format is unchanged), the by index finds a
// transfer request's asker before and after a compaction, and an entry
// without rare fields carries no part.
func TestEntryRareFields(t *testing.T) {
	at := time.Date(2020, 1, 26, 9, 0, 0, 0, time.UTC)
	asker := ledger.DeviceID{7}
	e := &inboxEntry{Key: "d/x", Kind: relief.KindDemand, ID: "x", Code: "D-X", What: relief.ReplyTransfer,
		Status: relief.StatusCollected, Since: at, Due: at.Add(time.Hour), To: ledger.DeviceID{1}, Recheck: at}
	e.setMore(func(m *entryMore) {
		*m = entryMore{Own: at.Add(time.Hour), By: asker, Ref: "r/1", Notice: &relief.Notice{Coordinators: true}, Count: 3, Seq: 9, Demand: "d", Original: "D-O"}
	})
	w := e.toSnap()
	if back := w.entry(); !back.same(e) {
		t.Errorf("snapshot form and back = %+v %+v; want %+v %+v", back, *back.m(), *e, *e.m())
	}
	// The entry's encoding before its rare fields went behind a pointer.
	type before struct {
		Key      string
		Kind     string
		ID       string
		Code     string
		What     string
		Status   relief.Status
		Since    time.Time
		Own      time.Time
		Due      time.Time
		To       ledger.DeviceID
		By       ledger.DeviceID
		Recheck  time.Time
		Ref      string
		Notice   *relief.Notice
		notices  *[]*inboxEntry
		Original string
		Count    int
		Seq      uint64
		Demand   string
	}
	old := before{Key: e.Key, Kind: e.Kind, ID: e.ID, Code: e.Code, What: e.What, Status: e.Status, Since: e.Since,
		Own: e.own(), Due: e.Due, To: e.To, By: e.by(), Recheck: e.Recheck, Ref: e.ref(), Notice: e.notice(),
		Original: e.original(), Count: e.count(), Seq: e.seq(), Demand: e.demand()}
	a, err := snapEnc.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	b, err := snapEnc.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("snapshot form encodes as %x; the entry did as %x", b, a)
	}

	plain := &inboxEntry{Key: "dup/y", Kind: relief.KindDemand, ID: "y", What: relief.ReplyDuplicate, Since: at}
	plain.setMore(func(m *entryMore) { m.Ref = "" })
	if plain.more != nil {
		t.Errorf("an entry without rare fields carries %+v", *plain.more)
	}
	if w := plain.toSnap(); func() bool { b := w.entry(); return !b.same(plain) || b.more != nil }() {
		t.Errorf("plain entry through the snapshot form = %+v", w.entry())
	}

	tb := newInboxTable()
	x := tb.write()
	x.put(e)
	x.put(plain)
	x.Commit()
	for _, step := range []string{"put", "compacted"} {
		got := slices.Collect(byOf(tb.snap(), asker))
		if len(got) != 1 || !got[0].same(e) {
			t.Errorf("%s: byOf(asker) = %v; want the transfer request", step, got)
		}
		if got := slices.Collect(byOf(tb.snap(), ledger.DeviceID{})); len(got) != 0 {
			t.Errorf("%s: byOf(zero) = %v; want none", step, got)
		}
		tb.rehome(compactEntries)
	}
}
