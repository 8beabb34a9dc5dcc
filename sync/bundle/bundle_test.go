package bundle_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
	"github.com/reliefmesh/reliefmesh/sync/changestream"
)

func open(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// site returns a store with a network and n demands, and an empty store of
// the same network that was never connected to it.
func site(t *testing.T, n int) (src, dst *store.Store) {
	src, dst = open(t), open(t)
	net, err := src.CreateNetwork("flood", "coordinator")
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Endorse(dst.Device(), relief.RoleVolunteer, "far site"); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := src.RecordDemand(relief.Demand{Title: fmt.Sprintf("demand %d", i), Category: "other"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := dst.JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}
	return src, dst
}

func export(t *testing.T, st *store.Store, since ledger.VersionVector) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := bundle.Export(&buf, st, since); err != nil {
		t.Fatalf("Export = %v", err)
	}
	return buf.Bytes()
}

func TestRoundTripAndReimport(t *testing.T) {
	src, dst := site(t, 600)
	b := export(t, src, nil)
	total := int(src.VersionVector()[src.Device()])

	var last bundle.Progress
	res, err := bundle.Import(bytes.NewReader(b), dst, func(p bundle.Progress) { last = p })
	if err != nil {
		t.Fatalf("Import = %v", err)
	}
	if res.Applied != total || last.Total != total || last.Received != total {
		t.Errorf("Import = %+v, last progress %+v; want %d applied", res, last, total)
	}
	want, _ := src.StateHash()
	if got, _ := dst.StateHash(); got != want || !dst.VersionVector().Equal(src.VersionVector()) {
		t.Fatalf("after import: state %v vv %v; want %v %v", got, dst.VersionVector(), want, src.VersionVector())
	}

	res, err = bundle.Import(bytes.NewReader(b), dst, nil)
	if err != nil || res.Applied != 0 || res.Duplicates != total {
		t.Errorf("re-Import = %+v, %v; want nothing applied, %d duplicates", res, err, total)
	}
	if got, _ := dst.StateHash(); got != want {
		t.Errorf("re-import changed the state")
	}

	// An incremental bundle: only what dst lacks.
	if _, err := src.RecordDemand(relief.Demand{Title: "later", Category: "other"}); err != nil {
		t.Fatal(err)
	}
	inc := export(t, src, dst.VersionVector())
	h, err := bundle.ReadHeader(bytes.NewReader(inc))
	if err != nil || h.Count != 1 {
		t.Fatalf("incremental header = %+v, %v; want 1 change", h, err)
	}
	if res, err := bundle.Import(bytes.NewReader(inc), dst, nil); err != nil || res.Applied != 1 {
		t.Errorf("incremental Import = %+v, %v", res, err)
	}
}

func TestDamagedBundles(t *testing.T) {
	src, _ := site(t, 300)
	b := export(t, src, nil)
	for _, tc := range []struct {
		name   string
		bundle []byte
		want   error
	}{
		{"not a bundle", []byte("PK\x03\x04 a zip file"), bundle.ErrNotBundle},
		{"truncated", b[:len(b)*2/3], io.ErrUnexpectedEOF},
		{"truncated before the end frame", b[:len(b)-1], io.ErrUnexpectedEOF},
		{"tampered", bytes.Replace(b, []byte("demand 150"), []byte("demand 999"), 1), bundle.ErrDamaged},
		{"damaged inside a change's network id", damageNetworkID(t, src, b, 150), bundle.ErrDamaged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := open(t)
			net, _ := src.Network()
			dst.JoinNetwork(net.ID)
			res, err := bundle.Import(bytes.NewReader(tc.bundle), dst, nil)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Import = %v; want %v", err, tc.want)
			}
			// A damaged file must never get an honest device flagged as forked.
			if f := dst.Forks(); len(f) != 0 {
				t.Errorf("Import = %v (applied %d); forks flagged: %v; want none", err, res.Applied, f)
			}
			// Whatever was applied is a verified prefix of the source's feeds.
			for d, seq := range dst.VersionVector() {
				if seq > src.VersionVector()[d] {
					t.Errorf("device %s at %d beyond the source's %d", d.Short(), seq, src.VersionVector()[d])
				}
			}
			if tc.name == "tampered" {
				// the verified changes before the tampered one are kept, none after it
				var tampered uint64
				src.ChangesSince(nil, func(c *ledger.Change) error {
					if b, _ := ledger.Encode(c); tampered == 0 && bytes.Contains(b, []byte("demand 150")) {
						tampered = c.Seq
					}
					return nil
				})
				if got := dst.VersionVector()[src.Device()]; tampered == 0 || got != tampered-1 {
					t.Errorf("applied %d changes of the feed; want the %d before the tampered one", got, tampered-1)
				}
			}
		})
	}
	t.Run("other network", func(t *testing.T) {
		other := open(t)
		other.CreateNetwork("other", "x")
		if _, err := bundle.Import(bytes.NewReader(b), other, nil); !errors.Is(err, bundle.ErrOtherNetwork) {
			t.Errorf("Import = %v; want ErrOtherNetwork", err)
		}
	})
}

// damageNetworkID returns a copy of bundle b (of src's network) in which one
// character of the network id of its k-th change (counting from 0) is changed
// to another base32 character.
func damageNetworkID(t *testing.T, src *store.Store, b []byte, k int) []byte {
	t.Helper()
	net, _ := src.Network()
	out := bytes.Clone(b)
	at := 0
	for i := range k + 2 { // the header holds the id once, then each change
		j := bytes.Index(out[at:], []byte(net.ID))
		if j < 0 {
			t.Fatalf("network id %d not found in the bundle", i)
		}
		at += j + len(net.ID)
	}
	c := &out[at-1]
	if *c == 'a' {
		*c = 'b'
	} else {
		*c = 'a'
	}
	return out
}

// writeBundle writes a bundle of network holding changes in the order given,
// as a stranger would forge one.
func writeBundle(t *testing.T, network string, changes []*ledger.Change) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString(bundle.Magic)
	w := changestream.NewWriter(&buf)
	h, err := ledger.Marshal(bundle.Header{Network: network, Count: uint64(len(changes))})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteFrame(h); err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if err := w.WriteChange(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.End(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportForeignGenesis: a bundle that holds, besides a network's real
// changes, a stranger's genesis carrying the network's id, in any order and
// whichever device id sorts first, makes a newcomer that holds nothing yet
// accept the real network only: the stranger's feed is refused as
// foreign_genesis and counted, and the bundle is reported as tampered with.
func TestImportForeignGenesis(t *testing.T) {
	src, _ := site(t, 3)
	net, _ := src.Network()
	var real []*ledger.Change
	src.ChangesSince(nil, func(c *ledger.Change) error { real = append(real, c); return nil })
	var lower, higher []*ledger.Change
	for lower == nil || higher == nil {
		id, key, err := ledger.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		early := time.Now().Add(-time.Hour)
		a, err := ledger.NewAuthor(key, net.ID, ledger.Head{}, ledger.NewHLC(func() time.Time { return early }, 0))
		if err != nil {
			t.Fatal(err)
		}
		op, _, err := relief.Found(id, "stranger", []byte("nonce"))
		if err != nil {
			t.Fatal(err)
		}
		d, _ := relief.SetFields(relief.KindDemand, store.NewID(), map[string]any{relief.FieldTitle: "stranger's", relief.FieldCategory: "other"})
		g, _ := a.Next([]ledger.Op{op})
		c, _ := a.Next([]ledger.Op{d})
		if id.Compare(src.Device()) < 0 {
			lower = []*ledger.Change{g, c}
		} else {
			higher = []*ledger.Change{g, c}
		}
	}
	for _, tc := range []struct {
		name    string
		changes []*ledger.Change
	}{
		{"stranger sorting lower first", slices.Concat(lower, real)},
		{"stranger sorting lower last", slices.Concat(real, lower)},
		{"stranger sorting higher first", slices.Concat(higher, real)},
		{"stranger sorting higher last", slices.Concat(real, higher)},
		{"stranger's genesis after the real genesis", slices.Concat(real[:1], higher[:1], real[1:], higher[1:])},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := open(t)
			if err := dst.JoinNetwork(net.ID); err != nil {
				t.Fatal(err)
			}
			res, err := bundle.Import(bytes.NewReader(writeBundle(t, net.ID, tc.changes)), dst, nil)
			if !errors.Is(err, bundle.ErrDamaged) {
				t.Errorf("Import = %v; want ErrDamaged", err)
			}
			if res.Applied != len(real) || res.Rejected[ledger.ReasonForeignGenesis] != 2 {
				t.Errorf("Import = %+v; want the real %d applied and the stranger's 2 refused as foreign_genesis", res.Stats, len(real))
			}
			if got := dst.Status().Rejected[string(ledger.ReasonForeignGenesis)]; got != 2 {
				t.Errorf("Status().Rejected[foreign_genesis] = %d; want 2", got)
			}
			if !dst.VersionVector().Equal(src.VersionVector()) {
				t.Errorf("version vector %v; want the real network's %v", dst.VersionVector(), src.VersionVector())
			}
			for _, m := range dst.Members() {
				if m.Genesis != (m.Key == src.Device()) {
					t.Errorf("member %s genesis %v; want only the real founder %s", m.Key.Short(), m.Genesis, src.Device().Short())
				}
			}
		})
	}
}

// TestImportUndecodableFrameIsFileDamage: a frame of a bundle that is not a
// change at all is damage to the file (bytes changed on the stick), told as
// a damaged file with how many changes were read and never read, and not
// counted in status as a member's malformed change (a tester saw "refused:
// malformed 2" stay in status for a flipped byte).
func TestImportUndecodableFrameIsFileDamage(t *testing.T) {
	src, dst := site(t, 1)
	net, _ := src.Network()
	var changes []*ledger.Change
	src.ChangesSince(nil, func(c *ledger.Change) error { changes = append(changes, c); return nil })
	var buf bytes.Buffer
	buf.WriteString(bundle.Magic)
	w := changestream.NewWriter(&buf)
	h, _ := ledger.Marshal(bundle.Header{Network: net.ID, Count: uint64(len(changes) + 2)})
	w.WriteFrame(h)
	for _, c := range changes {
		b, _ := ledger.Encode(c)
		w.WriteFrame(b)
	}
	w.WriteFrame([]byte{0xa1, 0xff, 0x00, 0x13})
	w.WriteFrame([]byte{0xa1, 0xff, 0x00, 0x13})
	w.End()
	_, err := bundle.Import(&buf, dst, nil)
	var fe *bundle.FileError
	if !errors.As(err, &fe) || fe.Kind != bundle.FileCorrupt || fe.Read != len(changes) || fe.Applied != len(changes) || fe.Unread() != 2 {
		t.Fatalf("Import = %v (%+v); want a corrupt file, %d read and applied, 2 never read", err, fe, len(changes))
	}
	if !errors.Is(err, bundle.ErrDamaged) {
		t.Errorf("Import = %v; want it to be ErrDamaged too", err)
	}
	if got := dst.Status().Rejected[string(ledger.ReasonMalformed)]; got != 0 {
		t.Errorf("Status().Rejected[malformed] = %d; want 0 (the file's damage, no member's change)", got)
	}
}

// TestImportEmptyOrCutShortFile: an empty file is a copy that did not
// finish, not "not a bundle"; a file cut short says how many changes were
// read, applied and never read.
func TestImportEmptyOrCutShortFile(t *testing.T) {
	src, dst := site(t, 20)
	b := export(t, src, nil)
	h, _ := bundle.ReadHeader(bytes.NewReader(b))
	for _, tc := range []struct {
		name string
		file []byte
		kind string
	}{
		{"empty", nil, bundle.FileEmpty},
		{"inside the magic", b[:4], bundle.FileCutShort},
		{"inside the header", b[:len(bundle.Magic)+3], bundle.FileCutShort},
	} {
		_, err := bundle.Import(bytes.NewReader(tc.file), dst, nil)
		var fe *bundle.FileError
		if !errors.As(err, &fe) || fe.Kind != tc.kind {
			t.Errorf("%s: Import = %v; want a FileError %s", tc.name, err, tc.kind)
		}
	}
	_, err := bundle.Import(bytes.NewReader(b[:len(b)/2]), dst, nil)
	var fe *bundle.FileError
	if !errors.As(err, &fe) || fe.Kind != bundle.FileCutShort || !fe.CountKnown || fe.Changes != h.Count ||
		fe.Read == 0 || fe.Applied != fe.Read || fe.Unread() != h.Count-uint64(fe.Read) {
		t.Fatalf("cut in half: Import = %v (%+v); want cut short with the read, applied and unread counts of %d", err, fe, h.Count)
	}
}

// TestImportMoreChangesThanHeader: a bundle holding more changes than its
// header says is damaged (ErrDamaged, which the app reports as such, not as a
// storage error), and no more changes than the header says are applied, even
// when it says none.
func TestImportMoreChangesThanHeader(t *testing.T) {
	src, _ := site(t, 3)
	net, _ := src.Network()
	var all []*ledger.Change
	src.ChangesSince(nil, func(c *ledger.Change) error { all = append(all, c); return nil })
	for _, count := range []uint64{0, 2} {
		t.Run(fmt.Sprint(count), func(t *testing.T) {
			dst := open(t)
			if err := dst.JoinNetwork(net.ID); err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			b.WriteString(bundle.Magic)
			w := changestream.NewWriter(&b)
			h, _ := ledger.Marshal(bundle.Header{Network: net.ID, Count: count})
			w.WriteFrame(h)
			for _, c := range all {
				w.WriteChange(c)
			}
			w.End()
			res, err := bundle.Import(&b, dst, nil)
			if !errors.Is(err, bundle.ErrDamaged) {
				t.Errorf("Import of %d changes under a header saying %d = %v; want ErrDamaged", len(all), count, err)
			}
			if uint64(res.Received) > count || uint64(res.Applied) > count {
				t.Errorf("Import = %+v; want at most the %d changes the header says", res.Stats, count)
			}
		})
	}
}

// TestImportProgressOfAHugeCount: a header whose count does not fit an int
// gives no negative progress total.
func TestImportProgressOfAHugeCount(t *testing.T) {
	src, dst := site(t, 1)
	net, _ := src.Network()
	var b bytes.Buffer
	b.WriteString(bundle.Magic)
	w := changestream.NewWriter(&b)
	h, _ := ledger.Marshal(bundle.Header{Network: net.ID, Count: 1 << 63})
	w.WriteFrame(h)
	src.ChangesSince(nil, func(c *ledger.Change) error { return w.WriteChange(c) })
	w.End()
	var totals []int
	res, err := bundle.Import(&b, dst, func(p bundle.Progress) { totals = append(totals, p.Total) })
	if len(totals) == 0 || slices.Min(totals) < 0 {
		t.Errorf("Import = %+v, %v; progress totals %v; want some, none negative", res.Stats, err, totals)
	}
}

// TestCutAtEveryByteIsCutShort: a bundle cut short at any byte after its
// header is told as cut short, never as damaged. Found in
// TestChineseErrorLineMarksTheEnglish (cmd/reliefmesh-hub), which failed about
// once in fifty runs: a cut that fell inside a frame's two-byte length left
// one byte of it, which the reader took for bytes that are no length at all
// ("damaged from byte …") rather than for a frame the file ends inside.
func TestCutAtEveryByteIsCutShort(t *testing.T) {
	src, dst := site(t, 3)
	b := export(t, src, nil)
	h, err := bundle.ReadHeader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for cut := len(bundle.Magic) + 1; cut < len(b); cut++ {
		_, err := bundle.Import(bytes.NewReader(b[:cut]), dst, nil)
		var fe *bundle.FileError
		if !errors.As(err, &fe) || fe.Kind != bundle.FileCutShort {
			t.Errorf("cut at byte %d of %d (header of %d changes): Import = %v; want a FileError %s", cut, len(b), h.Count, err, bundle.FileCutShort)
		}
	}
}
