package desk

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// changesOf returns the changes of from that to lacks (a catch-up without
// the network).
func changesOf(t *testing.T, from, to *store.Store) []*ledger.Change {
	t.Helper()
	var cs []*ledger.Change
	if err := from.ChangesSince(to.VersionVector(), func(c *ledger.Change) error { cs = append(cs, c); return nil }); err != nil {
		t.Fatal(err)
	}
	return cs
}

// restoredFork makes volunteer A of C's network (named 甲) fork its feed:
// A records a first demand (synced to B and C), then "original" (synced to B
// only); A is then restored from a copy taken before "original" and, told
// wrongly that no device holds newer changes, writes "other content, same
// seq" at that seq again. It returns the restored A and the seq written
// twice; nothing of the new branch has left A yet.
func restoredFork(t *testing.T, c, b *Desk) (a2 *Desk, seq uint64) {
	t.Helper()
	aDir := t.TempDir()
	aSt, err := store.Open(aDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := New(aSt)
	net, _ := c.Store().Network()
	if err := aSt.JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.Endorse(a.Status().Device, "volunteer", "甲"); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, c.Store(), aSt)
	peopleSync(t, c.Store(), b.Store())
	recordOne(t, a, "publishes A's key and records a first demand")
	peopleSync(t, aSt, b.Store())
	peopleSync(t, aSt, c.Store())
	image := filepath.Join(t.TempDir(), "image")
	if err := os.CopyFS(image, os.DirFS(aDir)); err != nil { // the copy A is restored from
		t.Fatal(err)
	}
	recordOne(t, a, "original")
	seq = aSt.VersionVector()[aSt.Device()]
	peopleSync(t, aSt, b.Store()) // B holds the original
	aSt.Close()
	a2St, err := store.Open(image, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a2St.Close() })
	a2 = New(a2St)
	a2.ResumeWriting() // someone ends the wait, wrongly sure no device holds newer changes
	recordOne(t, a2, "other content, same seq")
	return a2, seq
}

// TestForkIsTold: volunteer A's store is restored from an older copy and
// writes its next seq again with other content. Volunteer B holds the
// original; the coordinator C receives only the new branch, so C alone could
// never see the fork. B sees both (the new branch's next change arrives by
// gossip), reports it, and from B's report C's coordinator inbox shows A's
// device, the seq and since when; A's own desk says that its feed forked;
// C refuses A's later changes.
func TestForkIsTold(t *testing.T) {
	c, b := peopleNetwork(t)
	a2, seq := restoredFork(t, c, b)
	a2St := a2.Store()
	recordOne(t, a2, "after the fork")
	if got := a2St.VersionVector()[a2St.Device()]; got != seq+1 {
		t.Fatalf("restored A wrote up to %d; want %d (seq %d again, then one more)", got, seq+1, seq)
	}
	peopleSync(t, a2St, c.Store()) // C holds the new branch only
	if f := c.Forks(); len(f) != 0 {
		t.Fatalf("C knows of forks %+v before any report; the test needs C not to see both sides", f)
	}
	res, err := b.Store().ApplyRemote(changesOf(t, a2St, b.Store())) // gossip of A's newest change
	if err != nil || res.Rejected[ledger.ReasonFork] == 0 {
		t.Fatalf("B given the new branch = %+v, %v; want it refused as a fork", res, err)
	}
	if n, err := b.ReportForks(); err != nil || n != 1 {
		t.Fatalf("B.ReportForks() = %d, %v; want 1 report", n, err)
	}
	if n, err := b.ReportForks(); err != nil || n != 0 {
		t.Errorf("B.ReportForks() again = %d, %v; want 0 (reported already)", n, err)
	}

	peopleSync(t, b.Store(), c.Store())
	inbox, err := c.Inbox()
	if err != nil {
		t.Fatal(err)
	}
	var entry *Pending
	for i, p := range inbox {
		if p.What == relief.ReplyFork {
			entry = &inbox[i]
		}
	}
	if entry == nil || entry.ID != a2St.Device().String() || entry.Code != "甲" || entry.Seq != seq || entry.Since.IsZero() {
		t.Fatalf("C's inbox = %+v; want a fork entry for 甲 (%s) at seq %d with its date", inbox, a2St.Device().Short(), seq)
	}
	// what the fork undid on C is listed for adoption, dated by the fork (a
	// tester saw "overdue 20,794 days": dated 1970)
	for _, p := range inbox {
		if p.What == relief.ReplyUndone && p.ID == entry.ID && !p.Since.Equal(entry.Since) {
			t.Errorf("C's undone entry for the fork is dated %v; want the fork's date %v", p.Since, entry.Since)
		}
	}
	page, err := c.InboxPage(InboxQuery{What: relief.ReplyFork})
	if err != nil || page.Total != 1 || page.Counts[relief.ReplyFork] != 1 {
		t.Errorf("C's inbox page of forks = %+v, %v; want the one entry", page, err)
	}
	if bi, _ := b.Inbox(); hasWhat(bi, relief.ReplyFork) {
		t.Errorf("volunteer B's inbox has a fork entry; only coordinators get one")
	}
	if f := c.Forks(); len(f) != 1 || f[0].Seq != seq || !f[0].Reported || f[0].Name != "甲" {
		t.Errorf("C.Forks() = %+v; want 甲 at %d, reported", f, seq)
	}

	if _, ok := a2.OwnFork(); ok {
		t.Fatalf("A knows of its fork before any peer told it")
	}
	peopleSync(t, c.Store(), a2St)
	own, ok := a2.OwnFork()
	if !ok || own.Seq != seq || own.Since == "" {
		t.Fatalf("A.OwnFork() = %+v, %v; want its fork at %d", own, ok, seq)
	}
	if s := a2.Storage(); s.Fork == nil || s.Fork.Seq != seq {
		t.Errorf("A.Storage() = %+v; want the fork for the banner", s)
	}

	later := recordOne(t, a2, "written after the fork")
	res, err = c.Store().ApplyRemote(changesOf(t, a2St, c.Store()))
	if err != nil || res.Applied != 0 || res.Rejected[ledger.ReasonFork] == 0 {
		t.Errorf("C given A's change after the fork = %+v, %v; want it refused as a fork", res, err)
	}
	if _, err := c.Store().Demand(later.ID); err == nil {
		t.Errorf("C shows %s, written by A after the fork", later.ID)
	}
}

func hasWhat(ps []Pending, what string) bool {
	for _, p := range ps {
		if p.What == what {
			return true
		}
	}
	return false
}

// TestForkReportedByBundle: devices that meet only by USB stick report a
// fork too. B imports a bundle holding the restored A's new branch; the
// import writes B's report (a tester saw a hub that never reported one
// without `serve`), and the coordinator C, who holds only the new branch,
// learns of the fork from B's next bundle.
func TestForkReportedByBundle(t *testing.T) {
	c, b := peopleNetwork(t)
	a2, _ := restoredFork(t, c, b)
	a2St := a2.Store()
	peopleSync(t, a2St, c.Store()) // C holds the new branch only

	var stick bytes.Buffer
	if _, err := a2.ExportBundle(&stick, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ImportBundle(&stick, nil); err != nil {
		t.Fatal(err)
	}
	if n, err := b.ReportForks(); err != nil || n != 0 {
		t.Errorf("B.ReportForks() after the import = %d, %v; want 0 (the import reported it)", n, err)
	}
	stick.Reset()
	if _, err := b.ExportBundle(&stick, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ImportBundle(&stick, nil); err != nil {
		t.Fatal(err)
	}
	if f := c.Store().Forks(); len(f) != 1 {
		t.Errorf("C's forks after B's bundle = %v; want A's", f)
	}
	// B had applied the original, C the other branch: once both know of the
	// fork, both hold A's feed up to the change before it and the same
	// demands (a tester saw two devices disagree for good), and what each
	// undid is listed to the coordinators for adoption
	titles := func(dk *Desk) []string {
		ds, _ := dk.Store().Demands(store.DemandQuery{})
		var out []string
		for _, d := range ds {
			out = append(out, d.Title)
		}
		slices.Sort(out)
		return out
	}
	dev := a2St.Device()
	if vb, vc := b.Store().VersionVector()[dev], c.Store().VersionVector()[dev]; vb != vc {
		t.Errorf("A's feed: B holds up to %d, C up to %d; want the same (the change before the fork)", vb, vc)
	}
	if tb, tc := titles(b), titles(c); !slices.Equal(tb, tc) || slices.Contains(tb, "original") || slices.Contains(tc, "other content, same seq") {
		t.Errorf("demands: B %v, C %v; want the same, without either side of the fork", tb, tc)
	}
}
