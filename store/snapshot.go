package store

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// The views snapshot: the demand list's rows (each demand's list view, what
// it waits for, its actors and awards) and the demands' inbox entries,
// written to SnapshotFile in the data directory when the store closes, so
// that the next Open loads them instead of reading, decoding and folding
// every demand record (at 100,000 demands most of an open's CPU, and most of
// the garbage that leaves an idle app's heap fragmented; BENCHMARKS.md).
//
// A snapshot holds for one state of the store, which its key names: the
// format, the build of the program (its fold), the device, the network, the
// head of every feed (sequence and change id), the fork evidence and
// Badger's latest commit version, which every write moves. Open loads a
// snapshot only when its key equals the store's key at that moment; any
// difference (a change arrived, a cut, another build, another format), a
// checksum that does not match, or a file that does not decode makes Open
// fold every record as it did before, and says why in the log. A snapshot
// never answers for a state it was not written for.
//
// Layout (all integers big-endian):
//
//	magic "RMVIEWS\x00"  8 bytes
//	format               uint32 (snapshotFormat)
//	flags                uint32 (1: the body is sealed with AES-256-GCM)
//	key                  32 bytes (snapshotKey)
//	body                 the rest but the last 32 bytes; sealed: a 12-byte nonce, then the ciphertext
//	checksum             4 bytes: CRC-32C (Castagnoli) of everything before it
//
// The checksum finds damage (a sealed body is authenticated besides): format
// 2's SHA-256 of the whole file was 18 % of the first screen's CPU at
// 100,000 demands (120 ms for 100 MB); CRC-32C runs in the processor's
// instruction at several GB/s.
//
// The (opened) body is a uint32 count of chunks, the chunks of up to
// snapshotChunk demands (in the list's age order, oldest first), so that
// Open decodes them on every core: each a uint32 length and the packed rows
// (packedChunk: their strings, their list views, their keys), then a
// uint32 length and a CBOR array of their snapEntries
// (in the same order; by reflection, so that the inbox entries' fields are
// carried as they change), which a ListOnly open does not decode; then a
// uint32 length and the bigram postings of the rows' texts (packPostings),
// which Open indexes and leaves packed (gramIndex) instead of rebuilding them. A store encrypted
// at rest seals the body with a key derived from its store key, so the
// snapshot holds no plaintext the database does not.

// SnapshotFile is the name of the views snapshot in a data directory.
const SnapshotFile = "views.snap"

// snapshotFormat is the layout of SnapshotFile; a file of another format is
// refused (and rebuilt at the next close).
// Format 1 held the rows as CBOR by reflection; 2 packs them (snapshot_pack.go)
// and holds the bigram postings; 3 puts a chunk's list views apart from its
// rows' keys, so that an open reads the keys only and leaves the views in
// the mapped file, and ends with a CRC-32C rather than a SHA-256.
const snapshotFormat = 3

// snapshotMagic starts every SnapshotFile.
const snapshotMagic = "RMVIEWS\x00"

// snapshotSumSize is the size of a snapshot's checksum (snapshotSum).
const snapshotSumSize = 4

// castagnoli is the CRC-32C table of snapshotSum.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// snapshotSum is the checksum of a snapshot's bytes before it: CRC-32C.
func snapshotSum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// snapshotChunk is the most rows in one chunk of a snapshot.
const snapshotChunk = 2048

// snapshotMin is the fewest demands for which Close writes a snapshot: below
// it an open folds the records in less time than reading a file costs to
// think about.
var snapshotMin = 1000

// snapRow is one demand of a snapshot: its row of the demand list (packed
// without reflection, snapshot_pack.go) and, for a full open, its inbox
// entry with its notices (Entry, CBOR apart: a ListOnly open skips it).
type snapRow struct {
	View      relief.Demand // its list view (no History)
	Text      string        // demandRow.text: the lower-cased text searches match
	Wait      string
	WaitSince time.Time
	Actors    []ledger.DeviceID
	Awards    []relief.Earned
	Entry     *snapEntry
}

// snapLoaded is what readSnapshot returns: the rows in the list's age order
// (oldest first) and the bigram postings of their texts by position.
type snapLoaded struct {
	// rows are in chunks of snapshotChunk (all but the last), as the file
	// holds them: joining them into one slice copied 300,000 rows (11 % of
	// the first screen's CPU at 300k); row i is rows[i/snapshotChunk][i%snapshotChunk].
	rows  [][]snapRow
	views [][]packedView // the rows' list views, packed (demandRow.pv), chunked as rows
	grams *gramIndex     // the postings, left packed (indexPostings)
	// mapped is the file's mapping when the views and the rows' strings
	// point into it (a plaintext snapshot on Unix: mapSnapshot); nil when
	// they are copies. It is never unmapped: rows, and the views decoded
	// from them, may be held anywhere.
	mapped []byte
	// entries are the chunks of the rows' inbox entries, still CBOR (one
	// per chunk of rows, snapshotChunk rows each but the last), when
	// readSnapshot was asked for them: decodeSnapEntries makes them, at
	// once or in the open's second step (open_settle.go), which alone
	// reads them.
	entries [][]byte
}

// snapEntry is the inbox entry of a snapshot's demand and its notices.
type snapEntry struct {
	_       struct{} `cbor:",toarray"`
	Entry   snapInbox
	Notices []snapInbox
}

var (
	snapEnc cbor.EncMode
	snapDec cbor.DecMode
)

func init() {
	var err error
	// Times keep their nanoseconds (the default, Unix seconds, would not).
	if snapEnc, err = (cbor.EncOptions{Time: cbor.TimeRFC3339Nano}).EncMode(); err != nil {
		panic("store: snapshot cbor enc mode: " + err.Error())
	}
	if snapDec, err = (cbor.DecOptions{MaxArrayElements: 1 << 20, MaxMapPairs: 1 << 20}).DecMode(); err != nil {
		panic("store: snapshot cbor dec mode: " + err.Error())
	}
}

// snapshotBuild names the build of this program for snapshotKey: its
// module version and VCS revision; when the revision is unknown or the tree
// was modified, also the executable's path, size and modification time, so
// that a rebuilt program (whose fold may differ) never reads the snapshot of
// another.
var snapshotBuild = sync.OnceValue(func() string {
	id := runtime.Version()
	dirty := true
	if bi, ok := debug.ReadBuildInfo(); ok {
		id += " " + bi.Main.Path + "@" + bi.Main.Version
		rev, modified := "", ""
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		id += " " + rev
		dirty = rev == "" || modified != "false"
	}
	if dirty {
		exe, err := os.Executable()
		if err != nil {
			return id + " exe?" // no snapshot written will match: see snapshotKey
		}
		fi, err := os.Stat(exe)
		if err != nil {
			return id + " exe?"
		}
		id += fmt.Sprintf(" %s %d %d", exe, fi.Size(), fi.ModTime().UnixNano())
	}
	return id
})

// snapshotKey returns the key of the store's current state (see above), or
// false when no snapshot may stand for it (the build cannot be named).
// Called with s.mu held, or during load.
func (s *Store) snapshotKey() ([32]byte, bool) {
	build := snapshotBuild()
	if len(build) > 4 && build[len(build)-4:] == "exe?" {
		return [32]byte{}, false
	}
	h := sha256.New()
	fmt.Fprintf(h, "reliefmesh views snapshot %d\x00%s\x00", snapshotFormat, build)
	h.Write(s.device[:])
	if s.network != nil {
		fmt.Fprintf(h, "%s\x00", s.network.ID)
	}
	devs := make([]ledger.DeviceID, 0, len(s.heads))
	for d := range s.heads {
		devs = append(devs, d)
	}
	slices.SortFunc(devs, ledger.DeviceID.Compare)
	var b [8]byte
	for _, d := range devs {
		hd := s.heads[d]
		h.Write(d[:])
		binary.BigEndian.PutUint64(b[:], hd.Seq)
		h.Write(b[:])
		h.Write(hd.ID[:])
	}
	h.Write([]byte{0xff})
	devs = devs[:0]
	for d := range s.forked {
		devs = append(devs, d)
	}
	slices.SortFunc(devs, ledger.DeviceID.Compare)
	for _, d := range devs {
		h.Write(d[:])
		binary.BigEndian.PutUint64(b[:], s.forked[d])
		h.Write(b[:])
	}
	binary.BigEndian.PutUint64(b[:], s.db.MaxVersion())
	h.Write(b[:])
	var k [32]byte
	h.Sum(k[:0])
	return k, true
}

// snapshotSeal returns the AES-GCM of the store's snapshots: nil for a
// plaintext store.
func (s *Store) snapshotSeal() (cipher.AEAD, error) {
	if s.snapKey == nil {
		return nil, nil
	}
	k := sha256.Sum256(append([]byte("reliefmesh views snapshot key\x00"), s.snapKey...))
	c, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(c)
}

// errSnapshotStale says that a snapshot holds for another state of the store.
var errSnapshotStale = errors.New("written for another state of the store")

// readSnapshot reads the snapshot in the data directory and returns its
// rows' keys, packed list views and postings, decoded on every core, when
// it holds for key; with entries, the chunks of the rows' inbox entries
// too. A plaintext snapshot is mapped (mapSnapshot) and its views and
// strings stay in the mapping (snapLoaded.mapped); a sealed one is opened
// into memory and its views copied out of it chunk by chunk. Errors: no
// file (fs.ErrNotExist), errSnapshotStale, or what is wrong with the file
// (magic, format, checksum, seal, a chunk that does not decode).
func (s *Store) readSnapshot(key [32]byte, entries bool) (_ snapLoaded, err error) {
	path := filepath.Join(s.dir, SnapshotFile)
	b, mapped, err := mapSnapshot(path)
	if err != nil {
		return snapLoaded{}, err
	}
	inPlace := false // the rows point into the mapping: keep it
	if mapped {
		defer func() {
			if !inPlace || err != nil {
				if uerr := unmapSnapshot(b); uerr != nil {
					s.log.Warn("views snapshot not unmapped", "file", path, "err", uerr)
				}
			}
		}()
	}
	const head = len(snapshotMagic) + 4 + 4 + 32
	if len(b) < head+snapshotSumSize || string(b[:len(snapshotMagic)]) != snapshotMagic {
		return snapLoaded{}, errors.New("not a views snapshot (damaged?)")
	}
	if f := binary.BigEndian.Uint32(b[8:]); f != snapshotFormat {
		return snapLoaded{}, fmt.Errorf("format %d; this program reads %d", f, snapshotFormat)
	}
	flags := binary.BigEndian.Uint32(b[12:])
	if !bytes.Equal(b[16:48], key[:]) {
		return snapLoaded{}, errSnapshotStale
	}
	if snapshotSum(b[:len(b)-snapshotSumSize]) != binary.BigEndian.Uint32(b[len(b)-snapshotSumSize:]) {
		return snapLoaded{}, errors.New("checksum does not match (damaged)")
	}
	body := b[head : len(b)-snapshotSumSize]
	aead, err := s.snapshotSeal()
	if err != nil {
		return snapLoaded{}, fmt.Errorf("snapshot key: %w", err)
	}
	switch {
	case (flags&1 != 0) != (aead != nil):
		return snapLoaded{}, errors.New("sealed for another kind of store (plaintext or encrypted)")
	case aead == nil:
		inPlace = mapped
	case aead != nil:
		if len(body) < aead.NonceSize() {
			return snapLoaded{}, errors.New("sealed body cut short (damaged)")
		}
		body, err = aead.Open(nil, body[:aead.NonceSize()], body[aead.NonceSize():], b[:head])
		if err != nil {
			return snapLoaded{}, fmt.Errorf("open sealed body: %w", err)
		}
	}
	chunks, entryChunks, postings, err := splitBody(body)
	if err != nil {
		return snapLoaded{}, fmt.Errorf("decode rows: %w", err)
	}
	parts := make([][]snapRow, len(chunks))
	views := make([][]packedView, len(chunks))
	errs := make([]error, len(chunks)+1)
	var grams *gramIndex
	lastSlot := -1
	var next sync.Mutex
	i := -1 // -1: the postings, then the chunks
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for {
				next.Lock()
				c := i
				i++
				next.Unlock()
				if c >= len(chunks) {
					return
				}
				if c < 0 {
					grams, lastSlot, errs[len(chunks)] = indexPostings(postings, snapshotChunk*len(chunks), inPlace)
					continue
				}
				if parts[c], views[c], errs[c] = unpackChunkViews(chunks[c], inPlace); errs[c] != nil {
					errs[c] = fmt.Errorf("chunk %d: %w", c, errs[c])
					continue
				}
				if len(parts[c]) != snapshotChunk && c != len(chunks)-1 {
					errs[c] = fmt.Errorf("chunk %d: %d rows; all but the last hold %d", c, len(parts[c]), snapshotChunk)
					continue
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return snapLoaded{}, fmt.Errorf("decode rows: %w", err)
	}
	nrows := 0
	for c := range parts {
		if len(views[c]) != len(parts[c]) {
			return snapLoaded{}, fmt.Errorf("decode rows: chunk %d: %d views for %d rows", c, len(views[c]), len(parts[c]))
		}
		nrows += len(parts[c])
	}
	if lastSlot >= nrows {
		return snapLoaded{}, fmt.Errorf("decode rows: postings name row %d of %d", lastSlot, nrows)
	}
	out := snapLoaded{rows: parts, views: views, grams: grams}
	if inPlace {
		out.mapped = b
	}
	if entries {
		out.entries = entryChunks
	}
	return out, nil
}

// decodeSnapEntries decodes a snapshot's chunks of inbox entries (its
// snapLoaded.entries) for rows rows, on every core: the inbox entry of each
// row, in the rows' order, with its notices. Errors: a chunk that does not
// decode, or holds another number of entries than its rows.
func decodeSnapEntries(chunks [][]byte, rows int) ([]*inboxEntry, error) {
	if want := (rows + snapshotChunk - 1) / snapshotChunk; len(chunks) != want {
		return nil, fmt.Errorf("decode inbox entries: %d chunks for %d rows", len(chunks), rows)
	}
	out := make([]*inboxEntry, rows)
	errs := make([]error, len(chunks))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for {
				c := int(next.Add(1) - 1)
				if c >= len(chunks) {
					return
				}
				lo := c * snapshotChunk
				n := min(rows, lo+snapshotChunk) - lo
				var es []snapEntry
				if err := snapDec.Unmarshal(chunks[c], &es); err != nil {
					errs[c] = fmt.Errorf("chunk %d: %w", c, err)
					continue
				}
				if len(es) != n {
					errs[c] = fmt.Errorf("chunk %d: %d entries for %d rows", c, len(es), n)
					continue
				}
				for j := range es {
					se := &es[j]
					e := se.Entry.entry()
					if len(se.Notices) > 0 {
						ns := make([]*inboxEntry, len(se.Notices))
						nb := make([]inboxEntry, len(se.Notices))
						for k := range se.Notices {
							nb[k] = se.Notices[k].entry()
							ns[k] = &nb[k]
						}
						e.notices = &ns
					}
					out[lo+j] = &e
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("decode inbox entries: %w", err)
	}
	return out, nil
}

// splitBody splits a snapshot's opened body into its chunks of packed rows,
// their chunks of entries and the postings. Errors: a length runs past the
// end, or bytes are left over.
func splitBody(body []byte) (rows, entries [][]byte, postings []byte, err error) {
	take := func() ([]byte, bool) {
		if len(body) < 4 || uint64(len(body)-4) < uint64(binary.BigEndian.Uint32(body)) {
			return nil, false
		}
		n := binary.BigEndian.Uint32(body)
		b := body[4 : 4+n]
		body = body[4+n:]
		return b, true
	}
	if len(body) < 4 {
		return nil, nil, nil, errors.New("body cut short (damaged)")
	}
	n := binary.BigEndian.Uint32(body)
	body = body[4:]
	if uint64(n) > uint64(len(body))/8 {
		return nil, nil, nil, fmt.Errorf("%d chunks in %d bytes (damaged)", n, len(body))
	}
	for range n {
		r, ok1 := take()
		e, ok2 := take()
		if !ok1 || !ok2 {
			return nil, nil, nil, errors.New("chunk cut short (damaged)")
		}
		rows, entries = append(rows, r), append(entries, e)
	}
	postings, ok := take()
	if !ok || len(body) != 0 {
		return nil, nil, nil, errors.New("postings cut short or bytes after them (damaged)")
	}
	return rows, entries, postings, nil
}

// writeSnapshot writes rows as the snapshot of the state key names: to a
// temporary file, synced, then renamed over SnapshotFile.
func (s *Store) writeSnapshot(key [32]byte, rows []snapRow) error {
	var body bytes.Buffer
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32((len(rows)+snapshotChunk-1)/snapshotChunk))
	body.Write(n[:])
	for lo := 0; lo < len(rows); lo += snapshotChunk {
		part := rows[lo:min(lo+snapshotChunk, len(rows))]
		es := make([]snapEntry, len(part))
		for i := range part {
			if part[i].Entry != nil {
				es[i] = *part[i].Entry
			}
		}
		eb, err := snapEnc.Marshal(es)
		if err != nil {
			return fmt.Errorf("encode entries: %w", err)
		}
		for _, b := range [][]byte{packedChunk(part), eb} {
			binary.BigEndian.PutUint32(n[:], uint32(len(b)))
			body.Write(n[:])
			body.Write(b)
		}
	}
	texts := make([]string, len(rows))
	for i := range rows {
		texts[i] = rows[i].Text
	}
	pb := packPostings(texts)
	binary.BigEndian.PutUint32(n[:], uint32(len(pb)))
	body.Write(n[:])
	body.Write(pb)
	aead, err := s.snapshotSeal()
	if err != nil {
		return fmt.Errorf("snapshot key: %w", err)
	}
	out := make([]byte, 0, 48+body.Len()+64)
	out = append(out, snapshotMagic...)
	out = binary.BigEndian.AppendUint32(out, snapshotFormat)
	flags := uint32(0)
	if aead != nil {
		flags = 1
	}
	out = binary.BigEndian.AppendUint32(out, flags)
	out = append(out, key[:]...)
	if aead != nil {
		nonce := make([]byte, aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return fmt.Errorf("nonce: %w", err)
		}
		aad := slices.Clone(out)
		out = aead.Seal(append(out, nonce...), nonce, body.Bytes(), aad)
	} else {
		out = append(out, body.Bytes()...)
	}
	out = binary.BigEndian.AppendUint32(out, snapshotSum(out))
	path := filepath.Join(s.dir, SnapshotFile)
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(out); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// removeSnapshot deletes the snapshot file, if any.
func (s *Store) removeSnapshot() {
	if err := os.Remove(filepath.Join(s.dir, SnapshotFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.log.Warn("views snapshot not removed", "err", err)
	}
}
