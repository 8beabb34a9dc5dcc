package bundle_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// frameAt is where one change frame of a bundle file lies.
type frameAt struct {
	off, size int // the frame's first byte (its length prefix) and its whole size
	lenSize   int // bytes of the length prefix
	device    ledger.DeviceID
	seq       uint64
}

// frames parses bundle b (written by Export) into its header frame's end and
// its change frames, in file order.
func frames(t *testing.T, b []byte) (headerAt, headerEnd int, out []frameAt) {
	t.Helper()
	at := len(bundle.Magic)
	n, k := binary.Uvarint(b[at:])
	headerAt, headerEnd = at, at+k+int(n)
	at = headerEnd
	for {
		n, k := binary.Uvarint(b[at:])
		if k <= 0 {
			t.Fatalf("bundle: bad length at %d", at)
		}
		if n == 0 {
			return headerAt, headerEnd, out
		}
		c, err := ledger.Decode(b[at+k : at+k+int(n)])
		if err != nil {
			t.Fatalf("bundle: frame at %d: %v", at, err)
		}
		out = append(out, frameAt{off: at, size: k + int(n), lenSize: k, device: c.Device, seq: c.Seq})
		at += k + int(n)
	}
}

// twoFeeds returns a store holding two members' feeds (the coordinator's
// and a volunteer's, each with n demands), the path of a bundle file of
// everything it holds, exported to a temp dir, and the bundle's bytes.
func twoFeeds(t *testing.T, n int) (*store.Store, string, []byte) {
	src, other := site(t, n)
	if err := src.Endorse(other.Device(), relief.RoleVolunteer, "Li Wei"); err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.Import(bytes.NewReader(export(t, src, nil)), other, nil); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := other.RecordDemand(relief.Demand{Title: fmt.Sprintf("volunteer's demand %d", i), Category: "other"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := bundle.Import(bytes.NewReader(export(t, other, src.VersionVector())), src, nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "site.rmbundle")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.Export(f, src, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return src, path, b
}

// TestDamagedBundleReadsOn damages a real bundle file at several places
// (inside a change's body, inside a length prefix, inside the header, a
// zeroed run, deleted bytes, a cut mid-frame) and checks that every intact
// change after the damage is read, verified and stored — all of the feeds
// the damage did not hit, and the hit feed up to the change before the
// first damaged one — and that the result names the damage (byte offset,
// changes read after it) and what is missing, feed by feed.
func TestDamagedBundleReadsOn(t *testing.T) {
	src, _, b := twoFeeds(t, 120)
	headerAt, _, fs := frames(t, b)
	net, _ := src.Network()
	upTo := src.VersionVector()
	// the damage hits the middle of the first feed in the file; the second
	// feed lies wholly after it
	first := fs[0].device
	mid := 0
	for i, f := range fs {
		if f.device == first && f.seq == upTo[first]/2 {
			mid = i
		}
	}
	if mid == 0 || fs[len(fs)-1].device == first {
		t.Fatalf("bundle layout: feed of %s at frames 0..; middle %d, last frame's feed %s", first.Short(), mid, fs[len(fs)-1].device.Short())
	}
	m := fs[mid]

	type tc struct {
		name    string
		damage  func([]byte) []byte
		kind    string
		at      int // the damage's offset reported
		lostSeq uint64
		header  bool // the header is unreadable
	}
	cases := []tc{
		{"a change's first body byte", func(b []byte) []byte { b[m.off+m.lenSize] ^= 0x40; return b }, bundle.FileCorrupt, m.off, m.seq, false},
		{"inside a change's body", func(b []byte) []byte { b[m.off+m.size/2] = 0xff; b[m.off+m.size/2+1] = 0xff; return b }, bundle.FileCorrupt, m.off, m.seq, false},
		{"a length prefix too large", func(b []byte) []byte { b[m.off] |= 0x80; b[m.off+1] = 0xff; return b }, bundle.FileCorrupt, m.off, m.seq, false},
		{"a length prefix read as the end", func(b []byte) []byte { b[m.off] = 0; return b }, bundle.FileCorrupt, m.off, m.seq, false},
		{"a length prefix one less", func(b []byte) []byte { b[m.off]--; return b }, bundle.FileCorrupt, m.off, m.seq, false},
		{"a zeroed 4 KiB run", func(b []byte) []byte { clear(b[m.off+3 : m.off+3+4096]); return b }, bundle.FileCorrupt, m.off, m.seq, false},
		{"three bytes deleted", func(b []byte) []byte { return append(b[:m.off+20:m.off+20], b[m.off+23:]...) }, bundle.FileCorrupt, m.off, m.seq, false},
		{"inside the header", func(b []byte) []byte { b[headerAt+3] ^= 0x21; return b }, bundle.FileCorrupt, headerAt, 0, true},
		{"the header's length prefix", func(b []byte) []byte { b[headerAt] = 0xff; return b }, bundle.FileCorrupt, headerAt, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			damaged := filepath.Join(t.TempDir(), "damaged.rmbundle")
			if err := os.WriteFile(damaged, c.damage(bytes.Clone(b)), 0o600); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(damaged)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			dst := open(t)
			if err := dst.JoinNetwork(net.ID); err != nil {
				t.Fatal(err)
			}
			res, err := bundle.Import(f, dst, nil)
			var fe *bundle.FileError
			if !errors.As(err, &fe) || fe.Kind != c.kind {
				t.Fatalf("Import = %+v, %v; want a %s FileError", res.Stats, err, c.kind)
			}
			if len(res.Damage) == 0 || res.Damage[0].Offset != int64(c.at) || len(fe.Damage) != len(res.Damage) {
				t.Fatalf("Import = %v: damage %+v; want it to start at byte %d", err, res.Damage, c.at)
			}
			if res.HeaderDamaged != c.header || fe.CountKnown == c.header {
				t.Errorf("Import = %v: header damaged %v, count known %v; want header damaged %v", err, res.HeaderDamaged, fe.CountKnown, c.header)
			}
			held := dst.VersionVector()
			want := ledger.VersionVector{}
			for d, seq := range upTo {
				want[d] = seq
			}
			if c.lostSeq > 0 {
				want[first] = c.lostSeq - 1
			}
			for d, seq := range want {
				if held[d] != seq {
					t.Errorf("Import = %v: holds %s up to %d; want %d", err, d.Short(), held[d], seq)
				}
			}
			if got, _ := dst.StateHash(); c.lostSeq == 0 {
				if w, _ := src.StateHash(); got != w {
					t.Errorf("every change was read, yet the state differs")
				}
			}
			if c.lostSeq == 0 {
				if len(res.Missing) != 0 {
					t.Errorf("Missing = %v; want none", res.Missing)
				}
				if fe.ReadAfter != int(upTo[first]+upTo[fs[len(fs)-1].device]) {
					t.Errorf("ReadAfter = %d; want every change", fe.ReadAfter)
				}
				return
			}
			wantMissing := []bundle.Missing{{Device: first, From: c.lostSeq, To: upTo[first]}}
			if mem, ok := src.Member(first); ok {
				wantMissing[0].Name = mem.Name
			}
			if len(res.Missing) != 1 || res.Missing[0] != wantMissing[0] || len(fe.Missing) != 1 {
				t.Errorf("Missing = %+v; want %+v", res.Missing, wantMissing)
			}
			// read after the damage: the rest of the hit feed after the
			// lost frames, and the other feed
			after := 0
			for _, f := range fs[mid+1:] {
				if int64(f.off) >= res.Damage[0].Offset+res.Damage[0].Bytes {
					after++
				}
			}
			if fe.ReadAfter != after || fe.ReadAfter < int(upTo[fs[len(fs)-1].device]) {
				t.Errorf("ReadAfter = %d; want the %d intact frames after the damage", fe.ReadAfter, after)
			}
			if fe.Unread() != uint64(len(fs)-res.Received) {
				t.Errorf("Unread = %d; want %d", fe.Unread(), len(fs)-res.Received)
			}
			if dst.Forks() != nil && len(dst.Forks()) != 0 {
				t.Errorf("forks flagged: %v", dst.Forks())
			}
		})
	}

	t.Run("two places, one in each feed", func(t *testing.T) {
		second := fs[len(fs)-1].device
		var m2 frameAt
		for _, f := range fs {
			if f.device == second && f.seq == upTo[second]-3 {
				m2 = f
			}
		}
		d := bytes.Clone(b)
		d[m.off+m.lenSize] ^= 0x40
		d[m2.off+m2.lenSize] ^= 0x40
		dst := open(t)
		dst.JoinNetwork(net.ID)
		res, err := bundle.Import(bytes.NewReader(d), dst, nil)
		var fe *bundle.FileError
		if !errors.As(err, &fe) || fe.Kind != bundle.FileCorrupt || len(res.Damage) != 2 ||
			res.Damage[0].Offset != int64(m.off) || res.Damage[1].Offset != int64(m2.off) {
			t.Fatalf("Import = %v, damage %+v; want two places, at %d and %d", err, res.Damage, m.off, m2.off)
		}
		if len(res.Missing) != 2 {
			t.Fatalf("Missing = %+v; want a run in each feed", res.Missing)
		}
		for _, r := range res.Missing {
			want := map[ledger.DeviceID]uint64{first: m.seq, second: m2.seq}[r.Device]
			if r.From != want || r.To != upTo[r.Device] || dst.VersionVector()[r.Device] != want-1 {
				t.Errorf("Missing %+v, holding %d; want %s from %d to %d", r, dst.VersionVector()[r.Device], r.Device.Short(), want, upTo[r.Device])
			}
		}
		if !strings.Contains(err.Error(), "and in one more place") {
			t.Errorf("Import = %v; want it to say the second place", err)
		}
	})

	t.Run("cut mid-frame", func(t *testing.T) {
		dst := open(t)
		dst.JoinNetwork(net.ID)
		res, err := bundle.Import(bytes.NewReader(b[:m.off+m.size/2]), dst, nil)
		var fe *bundle.FileError
		if !errors.As(err, &fe) || fe.Kind != bundle.FileCutShort || fe.Read != mid || fe.ReadAfter != 0 {
			t.Fatalf("Import = %+v, %v; want cut short after %d changes", res.Stats, err, mid)
		}
		if got := dst.VersionVector()[first]; got != m.seq-1 {
			t.Errorf("holds %d of the feed; want %d", got, m.seq-1)
		}
		if len(res.Missing) != 2 || res.Missing[0].From != m.seq && res.Missing[1].From != m.seq {
			t.Errorf("Missing = %+v; want the rest of both feeds", res.Missing)
		}
	})
}
