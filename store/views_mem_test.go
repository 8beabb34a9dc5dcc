package store

import (
	"fmt"
	"testing"
	"time"
	"unsafe"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestInboxEntryKeepsNoOriginal checks that a stored inbox entry does not
// carry the duplicate flag's original (only the entries the duplicate step
// makes when read have one, in their rare part): 216 bytes an entry, 16 less
// than with the field (about 6 MiB at 300,000 demands). Failed before.
func TestInboxEntryKeepsNoOriginal(t *testing.T) {
	if n := unsafe.Sizeof(inboxEntry{}); n > 216 {
		t.Errorf("an inbox entry takes %d bytes; want at most 216", n)
	}
	e := dupRef{since: 1, row: &demandRow{id: "x", code: "D-X"}, orig: "D-O"}.entry(relief.DefaultDeadlines())
	if e.original() != "D-O" || e.toSnap().Original != "D-O" {
		t.Errorf("a duplicate flag's entry names original %q (snapshot form %q); want D-O", e.original(), e.toSnap().Original)
	}
}

// inside reports whether the bytes of s lie within those of in.
func inside(s, in string) bool {
	if s == "" {
		return true
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(in)))
	return p >= lo && p+uintptr(len(s)) <= lo+uintptr(len(in))
}

// TestCompactEntriesShareStrings checks compactEntries on random entries of
// every key shape (a demand's main entry, its re-check, a notice, a task's,
// a check-out), each of whose strings is a copy of its own as a snapshot's
// decoder makes them: every copy holds the same values as its entry, in the
// same order; its id is the part of its key that names it, not a string of
// its own; and the entries' kinds, steps and statuses are one copy per
// value. Failed before (ids and the short strings were the entries' own).
func TestCompactEntriesShareStrings(t *testing.T) {
	own := func(s string) string { return string([]byte(s)) } // a string of its own, as a decoder makes
	whats := []string{relief.ReplyReview, relief.ReplyPublish, relief.ReplyClaim, relief.ReplyOwned, relief.ReplyRecheck, relief.ReplyConflict}
	statuses := []relief.Status{relief.StatusCollected, relief.StatusApproved, relief.StatusPublished, relief.StatusFulfilled}
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 3*rowBlock/2).Draw(rt, "entries")
		at := time.Date(2020, 1, 26, 9, 0, 0, 0, time.UTC)
		es := make([]*inboxEntry, n)
		for i := range es {
			id := fmt.Sprintf("%026d", rapid.IntRange(0, 1<<30).Draw(rt, "id"))
			kind := relief.KindDemand
			var key string
			switch rapid.IntRange(0, 4).Draw(rt, "shape") {
			case 0:
				key = entryKey(kind, id)
			case 1:
				key = recheckKey(id)
			case 2:
				key = noticeKey(kind, id, relief.ReplyConflict, "ref/"+id[20:])
			case 3:
				kind = relief.KindTask
				key = entryKey(kind, id)
			case 4:
				kind = relief.KindTask
				key = checkoutKey(id)
			}
			e := &inboxEntry{Key: own(key), Kind: own(kind), ID: own(id), Code: own("D-" + id[20:]),
				What: own(rapid.SampledFrom(whats).Draw(rt, "what")), Status: relief.Status(own(string(rapid.SampledFrom(statuses).Draw(rt, "status")))),
				Since: at.Add(time.Duration(i) * time.Minute), To: ledger.DeviceID{byte(i)}}
			if rapid.Bool().Draw(rt, "more") {
				e.setMore(func(m *entryMore) { m.Ref, m.Count = own("r/"+id[20:]), i+1 })
			}
			e.derive(relief.DefaultDeadlines())
			es[i] = e
		}
		want := make([]inboxEntry, n)
		for i, e := range es {
			want[i] = *e
		}
		got := compactEntries(es)
		if len(got) != n {
			rt.Fatalf("%d copies of %d entries", len(got), n)
		}
		firsts := map[string]*byte{}
		for i, c := range got {
			if !c.same(&want[i]) {
				rt.Fatalf("copy %d = %+v %+v; want %+v %+v", i, *c, *c.m(), want[i], *want[i].m())
			}
			if !inside(c.ID, c.Key) {
				rt.Errorf("copy %d: id %q is a string of its own, not the part of key %q that names it", i, c.ID, c.Key)
			}
			for _, s := range []string{c.Kind, c.What, string(c.Status)} {
				p := unsafe.StringData(s)
				if q, ok := firsts[s]; !ok {
					firsts[s] = p
				} else if q != p {
					rt.Errorf("copy %d: %q is a copy of its own; want one copy shared by every entry", i, s)
				}
			}
		}
	})
}

// TestDemandRowWait checks that a demand row keeps what it waits for as a
// byte and since when as nanoseconds (32 bytes a row less than a string and
// a time.Time: failed before), and that it gives back exactly what
// relief.Waiting gave (the same name, the same time.Time, zero when it waits
// for nothing), for any stamp's wall: this test found that nanoseconds
// overflow past 2262, so the row keeps the stamp's milliseconds.
func TestDemandRowWait(t *testing.T) {
	// 248 since session 14: the row holds its follow-up's time (8 bytes),
	// from which the inbox makes the owner's follow-up entry (inbox_rows.go)
	if n := unsafe.Sizeof(demandRow{}); n > 248 {
		t.Errorf("a demand row takes %d bytes; want at most 248", n)
	}
	rapid.Check(t, func(rt *rapid.T) {
		what := rapid.SampledFrom([]string{"", relief.ReplyReview, relief.ReplyPublish, relief.ReplyClaim}).Draw(rt, "what")
		since := ledger.Stamp{Wall: rapid.Int64Range(0, 1<<45).Draw(rt, "ms")}.Time()
		var r demandRow
		r.setWait(what, since)
		want := since
		if what == "" {
			want = time.Time{}
		}
		if r.waitName() != what || r.since() != want {
			rt.Fatalf("row gives %q since %v (%#v); want %q since %v (%#v)", r.waitName(), r.since(), r.since(), what, want, want)
		}
	})
}
