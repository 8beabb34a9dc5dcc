package bundle_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
	"github.com/reliefmesh/reliefmesh/sync/changestream"
)

// fuzzSite is what FuzzImportBundle's seeds are made of: a small network
// with two members, the bundles exported from it, and every change anyone
// signed for it (the only changes an import may ever store). It is the same
// on every run (keys from a fixed seed, a fixed clock), so that the committed
// corpus, made of its bundles, stays of the network the target imports into.
type fuzzSite struct {
	network string
	full    []byte            // the whole network, as Export writes it
	inc     []byte            // what a peer holding the first changes lacks
	fork    []byte            // the whole network plus a second change at a member's seq 1
	foreign []byte            // a bundle of another network
	frames  [][]byte          // the encodings of the network's changes, in export order
	signed  map[[32]byte]bool // SHA-256 of the encoding of every change signed
}

// fuzzOpen opens a store in tb's temporary directory with Badger in memory
// (the same apply path as on disk; measured with -parallel 1 on a busy
// two-core machine, FuzzImportBundle ran about 100 inputs a second so
// against about 12 with Badger on disk).
func fuzzOpen(tb testing.TB) *store.Store {
	tb.Helper()
	st, err := store.Open(tb.TempDir(), store.Options{ValueLogGCInterval: -1, InMemory: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// fuzzAuthor signs changes of one feed for newFuzzSite.
type fuzzAuthor struct {
	tb     testing.TB
	id     ledger.DeviceID
	key    ed25519.PrivateKey
	author *ledger.Author
}

// newFuzzAuthor makes a key from keys and an author of its feed in network
// (set later by found when empty), stamping with a fixed clock.
func newFuzzAuthor(tb testing.TB, keys io.Reader) *fuzzAuthor {
	tb.Helper()
	id, key, err := ledger.GenerateKey(keys)
	if err != nil {
		tb.Fatal(err)
	}
	return &fuzzAuthor{tb: tb, id: id, key: key}
}

// start begins (again) the author's feed in network, from its first change.
func (a *fuzzAuthor) start(network string) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	au, err := ledger.NewAuthor(a.key, network, ledger.Head{}, ledger.NewHLC(func() time.Time { return t0 }, 0))
	if err != nil {
		a.tb.Fatal(err)
	}
	a.author = au
}

func (a *fuzzAuthor) sign(op ledger.Op, err error) *ledger.Change {
	a.tb.Helper()
	if err != nil {
		a.tb.Fatal(err)
	}
	c, err := a.author.Next([]ledger.Op{op})
	if err != nil {
		a.tb.Fatal(err)
	}
	return c
}

// found signs the genesis of a new network named by nonce and returns it
// with the network's id.
func (a *fuzzAuthor) found(nonce string) (*ledger.Change, string) {
	a.tb.Helper()
	op, id, err := relief.Found(a.id, "coordinator", []byte(nonce))
	if err != nil {
		a.tb.Fatal(err)
	}
	a.start(id)
	return a.sign(op, nil), id
}

func demandOp(id, title string) (ledger.Op, error) {
	return relief.SetFields(relief.KindDemand, id, map[string]any{relief.FieldTitle: title, relief.FieldCategory: "other"})
}

func newFuzzSite(tb testing.TB) *fuzzSite {
	tb.Helper()
	fs := &fuzzSite{signed: map[[32]byte]bool{}}
	keys := rand.NewChaCha8([32]byte{'f', 'u', 'z', 'z'})
	coord, second := newFuzzAuthor(tb, keys), newFuzzAuthor(tb, keys)
	genesis, network := coord.found("flood")
	fs.network = network
	all := []*ledger.Change{
		genesis,
		coord.sign(relief.Endorse(second.id, relief.RoleVolunteer, "second site")),
		coord.sign(demandOp("demand-0", "demand 0")),
		coord.sign(demandOp("demand-1", "demand 1")),
		coord.sign(demandOp("demand-2", "demand 2")),
	}
	second.start(network)
	all = append(all, second.sign(demandOp("demand-3", "from the second site")))
	second.start(network)
	fork := second.sign(demandOp("demand-4", "the same seq, signed again"))
	all = append(all, coord.sign(demandOp("demand-5", "later")))

	src := fuzzOpen(tb)
	if err := src.JoinNetwork(network); err != nil {
		tb.Fatal(err)
	}
	if res, err := src.ApplyRemote(all[:4]); err != nil || res.Applied != 4 {
		tb.Fatalf("ApplyRemote(the first 4 changes) = %+v, %v", res, err)
	}
	half := src.VersionVector()
	if res, err := src.ApplyRemote(all[4:]); err != nil || res.Applied != len(all)-4 {
		tb.Fatalf("ApplyRemote(the other changes) = %+v, %v", res, err)
	}
	for _, c := range append(all, fork) {
		b, err := ledger.Encode(c)
		if err != nil {
			tb.Fatal(err)
		}
		fs.signed[sha256.Sum256(b)] = true
	}
	var buf bytes.Buffer
	if _, err := bundle.Export(&buf, src, nil); err != nil {
		tb.Fatal(err)
	}
	fs.full = bytes.Clone(buf.Bytes())
	buf.Reset()
	if _, err := bundle.Export(&buf, src, half); err != nil {
		tb.Fatal(err)
	}
	fs.inc = bytes.Clone(buf.Bytes())
	fs.frames = encodeAll(tb, all)
	fs.fork = frameBundle(tb, network, uint64(len(all)+1), encodeAll(tb, append(all, fork)))

	stranger := newFuzzAuthor(tb, keys)
	g, other := stranger.found("other")
	fs.foreign = frameBundle(tb, other, 2, encodeAll(tb, []*ledger.Change{g, stranger.sign(demandOp("demand-6", "elsewhere"))}))
	return fs
}

func encodeAll(tb testing.TB, cs []*ledger.Change) [][]byte {
	tb.Helper()
	out := make([][]byte, len(cs))
	for i, c := range cs {
		b, err := ledger.Encode(c)
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// frameBundle writes a bundle by hand: Magic, a header of network saying
// count changes, frames as given (not checked), the end frame.
func frameBundle(tb testing.TB, network string, count uint64, frames [][]byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	buf.WriteString(bundle.Magic)
	w := changestream.NewWriter(&buf)
	h, err := ledger.Marshal(bundle.Header{Network: network, Count: count})
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.WriteFrame(h); err != nil {
		tb.Fatal(err)
	}
	for _, f := range frames {
		if err := w.WriteFrame(f); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.End(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// fuzzSeed is one named seed of FuzzImportBundle.
type fuzzSeed struct {
	name   string
	bundle []byte
}

// fuzzSeeds returns FuzzImportBundle's seeds: fs's bundles whole, cut and
// altered, and edge cases of the format.
func fuzzSeeds(tb testing.TB, fs *fuzzSite) []fuzzSeed {
	headerOnly := frameBundle(tb, fs.network, 1, nil)
	backward := slices.Clone(fs.frames)
	slices.Reverse(backward)
	seeds := []fuzzSeed{
		{"empty", []byte{}},
		{"magic-only", []byte(bundle.Magic)},
		{"zip-file", []byte("PK\x03\x04 a zip file")},
		{"full", fs.full},
		{"incremental", fs.inc},
		{"fork", fs.fork},
		{"other-network", fs.foreign},
		{"oversized-header-length", append([]byte(bundle.Magic), uvarint(1<<40)...)},
		{"header-length-at-max", append([]byte(bundle.Magic), uvarint(8<<20)...)},
		{"garbage-change-frame", frameBundle(tb, fs.network, 1, [][]byte{uvarint(1 << 62)})},
		{"oversized-change-length", append(headerOnly[:len(headerOnly)-1], uvarint(1<<31)...)}, // in place of the end frame
		{"header-says-0-of-7", frameBundle(tb, fs.network, 0, fs.frames)},
		{"header-says-3-of-7", frameBundle(tb, fs.network, 3, fs.frames)},
		{"backward", frameBundle(tb, fs.network, uint64(len(fs.frames)), backward)},
		{"duplicate-change", frameBundle(tb, fs.network, uint64(len(fs.frames)+1), append([][]byte{fs.frames[1]}, fs.frames...))},
		{"half-a-bundle-as-a-frame", frameBundle(tb, fs.network, 1, [][]byte{bytes.Clone(fs.full[len(fs.full)/2:])})},
		{"no-changes", frameBundle(tb, fs.network, 0, nil)},
		{"header-says-huge", frameBundle(tb, fs.network, 1<<63, nil)},
		{"no-network-empty-map", frameBundle(tb, "", 1, [][]byte{{0xa0}})},
		{"tampered-title", bytes.Replace(fs.full, []byte("demand 1"), []byte("demand 9"), 1)},
	}
	for _, cut := range []int{len(bundle.Magic) + 1, len(fs.full) / 3, len(fs.full) / 2, len(fs.full) - 1} {
		seeds = append(seeds, fuzzSeed{fmt.Sprintf("full-cut-at-%d", cut), fs.full[:cut]})
	}
	// A bundle carrying a release after its changes (what an older reader
	// must import as before, never reading past the end frame), whole and
	// with the release cut.
	rel := fuzzRelease(tb, fs.full)
	seeds = append(seeds, fuzzSeed{"with-release", rel}, fuzzSeed{"with-release-cut", rel[:len(rel)-100]})
	return seeds
}

// fuzzRelease returns b followed by a small release (unsigned sums).
func fuzzRelease(tb testing.TB, b []byte) []byte {
	data := bytes.Repeat([]byte("installer "), 300)
	h := sha256.Sum256(data)
	sums := fmt.Appendf(nil, "%x  reliefmesh-setup.exe\n", h)
	buf := bytes.NewBuffer(bytes.Clone(b))
	if err := bundle.WriteRelease(buf, "reliefmesh-setup.exe", bytes.NewReader(data), int64(len(data)), sums, nil); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzReadRelease reads the release of arbitrary bytes and of mutated
// bundles (FuzzImportBundle's seeds, releases among them). It must not
// panic; a release it returns is kept whole with its announced size and
// SHA-256 under its own name in the directory; on an error nothing is left
// there. Fuzz it with -fuzzminimizetime 10x, as FuzzImportBundle (measured:
// some 14,000 inputs in 40 s on one worker of a busy two-core machine).
func FuzzReadRelease(f *testing.F) {
	fs := newFuzzSite(f)
	for _, seed := range fuzzSeeds(f, fs) {
		f.Add(seed.bundle)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		rel, path, err := bundle.ReadRelease(bytes.NewReader(b), dir)
		left, _ := os.ReadDir(dir)
		if err != nil {
			if len(left) != 0 || path != "" {
				t.Fatalf("ReadRelease = %q, %v: left %d files", path, err, len(left))
			}
			return
		}
		got, rerr := os.ReadFile(path)
		h := sha256.Sum256(got)
		if rerr != nil || filepath.Dir(path) != dir || filepath.Base(path) != rel.Name || len(left) != 1 ||
			int64(len(got)) != rel.Size || !bytes.Equal(h[:], rel.SHA256) {
			t.Fatalf("ReadRelease = %+v at %s (%d bytes, %v); want it whole in %s", rel, path, len(got), rerr, dir)
		}
	})
}

// TestWriteFuzzCorpus writes FuzzImportBundle's seeds to
// testdata/fuzz/FuzzImportBundle/seed-<name> in Go's corpus file format when
// RELIEFMESH_WRITE_FUZZ_CORPUS is set (after a change of the bundle format
// or of fuzzSite); otherwise it checks that the committed seed files are
// what the code makes, so that the corpus cannot silently drift.
func TestWriteFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzImportBundle")
	write := os.Getenv("RELIEFMESH_WRITE_FUZZ_CORPUS") != ""
	for _, seed := range fuzzSeeds(t, newFuzzSite(t)) {
		want := fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", seed.bundle)
		path := filepath.Join(dir, "seed-"+seed.name)
		if write {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
			t.Errorf("corpus file %s is missing or stale (%v); run RELIEFMESH_WRITE_FUZZ_CORPUS=1 go test -run TestWriteFuzzCorpus ./sync/bundle/", path, err)
		}
	}
}

// uvarint returns the varint encoding of n, as a frame's length prefix.
func uvarint(n uint64) []byte { return binary.AppendUvarint(nil, n) }

// FuzzImportBundle imports arbitrary bytes, and mutations of real bundles,
// into a fresh store per input (see fuzzOpen). Import must not panic and must
// return on its own; its counts must add up (every change received was
// applied, a duplicate, held or refused; no more were received than the
// header says; a nil error means the header's count was received and nothing
// proved the bundle damaged); and the store must
// hold only changes that someone signed for this network, byte for byte,
// whose feeds verify from their first change, and exactly as many as were
// applied. Fuzz it with -fuzzminimizetime 10x: minimizing a bundle input
// with the default 60 s stalls the run.
func FuzzImportBundle(f *testing.F) {
	fs := newFuzzSite(f)
	for _, seed := range fuzzSeeds(f, fs) {
		f.Add(seed.bundle)
	}

	f.Fuzz(func(t *testing.T, b []byte) {
		dst := fuzzOpen(t)
		if err := dst.JoinNetwork(fs.network); err != nil {
			t.Fatal(err)
		}
		type outcome struct {
			res bundle.Result
			err error
		}
		done := make(chan outcome, 1)
		var progress []bundle.Progress
		go func() {
			res, err := bundle.Import(bytes.NewReader(b), dst, func(p bundle.Progress) { progress = append(progress, p) })
			done <- outcome{res, err}
		}()
		var out outcome
		select {
		case out = <-done:
		case <-time.After(time.Minute):
			t.Fatalf("Import of %d bytes did not return within a minute", len(b))
		}
		res, err := out.res, out.err

		refused := 0
		for _, n := range res.Rejected {
			refused += n
		}
		if res.Received != res.Applied+res.Duplicates+res.Held+refused {
			t.Fatalf("Import = %+v, %v: received %d != applied + duplicates + held + refused", res.Stats, err, res.Received)
		}
		if err == nil {
			if uint64(res.Received) != res.Header.Count || bundle.Damaged(res.Rejected) > 0 || res.Header.Network != fs.network || res.HeaderDamaged || len(res.Damage) > 0 {
				t.Fatalf("Import = %+v, nil error; want the header's %d changes, none damaged, of network %q", res, res.Header.Count, fs.network)
			}
		}
		if !res.HeaderDamaged && uint64(res.Received) > res.Header.Count {
			t.Fatalf("Import = %+v, %v: received more changes than the header's %d", res.Stats, err, res.Header.Count)
		}
		for i, p := range progress {
			if p.Total < 0 || p.Applied > p.Received || p.Received > res.Received || (i > 0 && p.Received < progress[i-1].Received) {
				t.Fatalf("progress %d = %+v after %+v; result %+v", i, p, progress[:i], res.Stats)
			}
		}

		feeds := map[ledger.DeviceID][]*ledger.Change{}
		if err := dst.ChangesSince(nil, func(c *ledger.Change) error {
			enc, err := ledger.Encode(c)
			if err != nil {
				return err
			}
			if !fs.signed[sha256.Sum256(enc)] {
				return fmt.Errorf("change %s/%d was stored but nobody signed it: %x", c.Device.Short(), c.Seq, enc)
			}
			feeds[c.Device] = append(feeds[c.Device], c)
			return nil
		}); err != nil {
			t.Fatalf("after Import = %+v, %v: %v", res.Stats, err, err)
		}
		stored := 0
		for d, feed := range feeds {
			stored += len(feed)
			if err := ledger.VerifyRun(ledger.Hash{}, feed); err != nil {
				t.Fatalf("after Import = %+v, %v: the stored feed of %s does not verify: %v", res.Stats, err, d.Short(), err)
			}
		}
		if stored != res.Applied {
			t.Fatalf("Import = %+v, %v: the store holds %d changes; want the %d applied", res.Stats, err, stored, res.Applied)
		}
		if errors.Is(err, bundle.ErrNotBundle) && (res.Received != 0 || stored != 0) {
			t.Fatalf("Import = %+v, %v: not a bundle, yet changes were read", res.Stats, err)
		}
	})
}
