package bundle_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
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
