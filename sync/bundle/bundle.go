package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/changestream"
)

// Magic starts every bundle.
const Magic = "RMBUNDLE1"

// maxHeaderSize bounds the header frame (two version vectors).
const maxHeaderSize = 8 << 20

// ErrNotBundle is returned by Import for input that does not start with Magic.
var ErrNotBundle = errors.New("not a ReliefMesh bundle")

// ErrDamaged is returned by Import when the store refused changes of the
// bundle as forged or altered (bad signature, broken hash link, malformed,
// another network's id, a stranger's genesis: see Damaged): the bundle was
// damaged or tampered with. Nothing of the damaged runs was applied.
var ErrDamaged = errors.New("bundle is damaged or was tampered with")

// Damaged returns how many of the changes refused (counts by reason, of one
// bundle) prove the bundle damaged or tampered with: forged or altered
// (bad signature, broken hash link, malformed), of another network inside a
// bundle whose header names this one (a network id damaged in the file: an
// exporter writes its own network's changes only), or a stranger's genesis
// (foreign_genesis: no store holds one to export).
func Damaged(rejected map[ledger.Reason]int) int {
	return rejected[ledger.ReasonBadSignature] + rejected[ledger.ReasonBrokenLink] + rejected[ledger.ReasonMalformed] +
		rejected[ledger.ReasonWrongNetwork] + rejected[ledger.ReasonForeignGenesis]
}

// Kinds of damage to a bundle file (FileError.Kind).
const (
	// FileEmpty: the file holds no byte (a copy that never started or
	// did not finish).
	FileEmpty = "empty"
	// FileCutShort: the file ends before its changes do (a copy cut short,
	// a USB stick pulled too early).
	FileCutShort = "cut_short"
	// FileCorrupt: bytes of the file do not read as a change (bytes changed
	// on the way: a failing stick, an edit). Import skips them and reads
	// every change after them (FileError.Damage, ReadAfter, Missing).
	FileCorrupt = "corrupt"
)

// FileError is returned by Import (and ReadHeader) when the bundle file
// itself is damaged: empty, cut short, or with bytes changed so that a frame
// does not read as a change. It is not a member's fault and is not counted
// as a refusal (status): the file is copied again, or what it lacks is
// caught up from a peer or hub. Import reads past changed bytes to the next
// change: every change read was verified change by change by the store, and
// what of it was new is stored.
type FileError struct {
	Kind string // FileEmpty, FileCutShort or FileCorrupt
	// CountKnown: the header was read, and Changes is the number of
	// changes the bundle says it holds.
	CountKnown bool
	Changes    uint64
	Read       int // changes read (before and after the damage), each verified by the store
	Applied    int // of Read, newly stored (the rest were held already or refused)
	// ReadAfter is how many of Read came after the first damage.
	ReadAfter int
	// Damage are the runs of bytes skipped, in order; Offset counts from
	// the file's first byte (the magic).
	Damage []changestream.Damage
	// Missing are the changes of the bundle this store still lacks after
	// the import, feed by feed (also Result.Missing).
	Missing []Missing
	Err     error
}

// Missing is a run of one feed's changes that a damaged bundle held and
// the store still lacks after importing it: seqs From..To (inclusive) of
// Device's feed. They come from a copy of the bundle or a catch-up.
type Missing struct {
	Device ledger.DeviceID
	Name   string // the author's name in the roster; "" when not there
	From   uint64
	To     uint64
}

// Len returns how many changes m names (To-From+1).
func (m Missing) Len() uint64 { return m.To - m.From + 1 }

// Unread returns how many changes of the bundle were never read (damaged
// or cut off); 0 when the count is not known.
func (e *FileError) Unread() uint64 {
	if !e.CountKnown || uint64(e.Read) >= e.Changes {
		return 0
	}
	return e.Changes - uint64(e.Read)
}

func (e *FileError) Error() string {
	what := map[string]string{FileEmpty: "bundle file is empty", FileCutShort: "bundle file is cut short", FileCorrupt: "bundle file is damaged"}[e.Kind]
	if len(e.Damage) > 0 {
		d := e.Damage[0]
		what += fmt.Sprintf(" from byte %d (after change %d)", d.Offset, d.Changes)
		switch len(e.Damage) {
		case 1:
		case 2:
			what += " and in one more place"
		default:
			what += fmt.Sprintf(" and in %d more places", len(e.Damage)-1)
		}
	}
	if e.CountKnown {
		what += fmt.Sprintf(": %d of %d changes read (%d newly applied, %d after the damage), %d never read", e.Read, e.Changes, e.Applied, e.ReadAfter, e.Unread())
	} else if e.Read > 0 {
		what += fmt.Sprintf(": its header is unreadable; %d changes read (%d newly applied)", e.Read, e.Applied)
	}
	if len(e.Missing) > 0 {
		parts := make([]string, 0, len(e.Missing))
		for _, m := range e.Missing {
			parts = append(parts, m.String())
		}
		what += "; missing here: " + strings.Join(parts, ", ")
	}
	if e.Err != nil {
		what += ": " + e.Err.Error()
	}
	return what
}

// String writes m for logs: "name (short id) 5-9", or "short id 5".
func (m Missing) String() string {
	who := m.Device.Short()
	if m.Name != "" {
		who = m.Name + " (" + who + ")"
	}
	if m.From == m.To {
		return fmt.Sprintf("%s %d", who, m.From)
	}
	return fmt.Sprintf("%s %d-%d", who, m.From, m.To)
}

// Unwrap returns io.ErrUnexpectedEOF for a file cut short or empty, and
// ErrDamaged for a corrupt one, as Import returned before FileError.
func (e *FileError) Unwrap() error {
	if e.Kind == FileCorrupt {
		return ErrDamaged
	}
	return io.ErrUnexpectedEOF
}

// ErrOtherNetwork is returned by Import for a bundle of another network.
var ErrOtherNetwork = errors.New("bundle belongs to another network")

// Header describes a bundle.
type Header struct {
	Network string               `cbor:"1,keyasint"` // network id
	Count   uint64               `cbor:"2,keyasint"` // changes in the bundle
	Since   ledger.VersionVector `cbor:"3,keyasint"` // the bundle holds what this vector lacks…
	UpTo    ledger.VersionVector `cbor:"4,keyasint"` // …up to this one (the exporter's at export)
}

// Export writes to w a bundle of every change st holds that since lacks (nil
// since: everything) and returns its header. Errors: store.ErrNoNetwork when
// st has none; the store's and w's errors (w then holds a partial bundle,
// which Import rejects as truncated).
func Export(w io.Writer, st *store.Store, since ledger.VersionVector) (Header, error) {
	n, ok := st.Network()
	if !ok {
		return Header{}, store.ErrNoNetwork
	}
	upTo := st.VersionVector()
	h := Header{Network: n.ID, Count: uint64(changestream.Count(since, upTo)), Since: since.Clone(), UpTo: upTo}
	if _, err := io.WriteString(w, Magic); err != nil {
		return h, fmt.Errorf("write bundle: %w", err)
	}
	cw := changestream.NewWriter(w)
	b, err := ledger.Marshal(h)
	if err != nil {
		return h, err
	}
	if err := cw.WriteFrame(b); err != nil {
		return h, fmt.Errorf("write bundle header: %w", err)
	}
	sent, err := changestream.Send(context.Background(), cw, st, since, upTo, 0)
	if err != nil {
		return h, fmt.Errorf("write bundle: %w", err)
	}
	if uint64(sent) != h.Count {
		return h, fmt.Errorf("write bundle: wrote %d changes, expected %d (store changed underneath?)", sent, h.Count)
	}
	return h, nil
}

// Progress reports an import: Received of Total changes read, Applied of
// them stored (the rest were already held or refused).
type Progress struct {
	Total, Received, Applied int
}

// Result says what Import did.
type Result struct {
	Header Header
	// HeaderDamaged: the header could not be read (Header is zero); the
	// changes after it were read all the same.
	HeaderDamaged bool
	changestream.Stats
	// Damage are the runs of bytes Import skipped (offsets from the file's
	// first byte); nil for an intact file.
	Damage []changestream.Damage
	// Missing are the changes the bundle held that the store still lacks
	// after the import (damaged, cut off, or refused with the run they
	// were in), by feed; nil when it lacks none. Without a header, only
	// what lies between the changes read is known.
	Missing []Missing
}

// ReadHeader reads a bundle's magic and header from r, leaving r at the
// first change frame (reads are buffered: use the same reader for
// ReadHeader only when r is not needed afterwards; Import reads both).
func ReadHeader(r io.Reader) (Header, error) {
	h, _, err := readHeader(r)
	return h, err
}

func readHeader(r io.Reader) (Header, *changestream.Reader, error) {
	return readHeaderWith(r, false)
}

// readHeaderWith reads the magic and the header. With recovering, the
// reader returned skips damaged frames, and a header that cannot be read
// is returned as an error together with that reader, at its start: the
// changes after it can still be read.
func readHeaderWith(r io.Reader, recovering bool) (Header, *changestream.Reader, error) {
	var h Header
	magic := make([]byte, len(Magic))
	n, err := io.ReadFull(r, magic)
	switch {
	case n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF):
		return h, nil, &FileError{Kind: FileEmpty}
	case err != nil && n > 0 && string(magic[:n]) == Magic[:n]:
		return h, nil, &FileError{Kind: FileCutShort, Err: errors.New("ends inside its first bytes")}
	case err != nil || string(magic) != Magic:
		return h, nil, ErrNotBundle
	}
	if recovering {
		cr := changestream.NewRecoveringReader(r, int64(len(Magic)), ReleaseMagic)
		err := cr.ReadFrameAs(maxHeaderSize, func(b []byte) error { return ledger.Unmarshal(b, &h) })
		if err != nil {
			h = Header{}
			kind := FileCorrupt
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				kind = FileCutShort
			}
			return h, cr, &FileError{Kind: kind, Err: fmt.Errorf("bundle header: %w", err)}
		}
		return h, cr, nil
	}
	cr := changestream.NewReader(r)
	b, err := cr.ReadFrame(maxHeaderSize)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return h, nil, &FileError{Kind: FileCutShort, Err: fmt.Errorf("bundle header: %w", err)}
	}
	if err != nil {
		return h, nil, &FileError{Kind: FileCorrupt, Err: fmt.Errorf("bundle header: %w", err)}
	}
	if err := ledger.Unmarshal(b, &h); err != nil {
		return h, nil, &FileError{Kind: FileCorrupt, Err: fmt.Errorf("bundle header: %w", err)}
	}
	return h, cr, nil
}

// Import applies the bundle read from r to st through store.ApplyRemote, in
// batches, calling progress (if not nil) after each. Changes st already holds
// are counted as duplicates, so importing a bundle twice changes nothing.
// What was applied before an error stays applied: every applied change was
// verified by the store.
//
// Bytes that do not read as a change (a damaged file) do not stop the
// import: Import scans forward to the next change and reads on (a damaged
// header too: the changes after it are read without it), so one bad byte
// loses the changes it hit and, in their feed, the ones after them (the
// store refuses them as a gap: nothing unverified is applied). What was
// skipped is in Result.Damage and what the store still lacks of the bundle
// in Result.Missing; the error is then a *FileError.
//
// Errors: ErrNotBundle; store.ErrNoNetwork when st has no network (join it
// first); ErrOtherNetwork; a *FileError for a file empty, cut short
// (wrapping io.ErrUnexpectedEOF) or with bytes that are not a change
// (wrapping ErrDamaged; not counted in st's refusals); ErrDamaged (also for
// more changes than the header says: none past its count is applied);
// store errors.
// Changes refused by the store (tampered: bad signature) are counted in
// Result.Rejected and in st.Rejected, and are not errors.
func Import(r io.Reader, st *store.Store, progress func(Progress)) (Result, error) {
	var res Result
	h, cr, err := readHeaderWith(r, true)
	var headerErr *FileError
	switch {
	case err != nil && cr != nil && errors.As(err, &headerErr):
		res.HeaderDamaged = true // read on without it
	case err != nil:
		return res, err
	}
	res.Header = h
	n, ok := st.Network()
	if !ok {
		return res, store.ErrNoNetwork
	}
	if !res.HeaderDamaged && n.ID != h.Network {
		return res, fmt.Errorf("%w: bundle %q, this device %q", ErrOtherNetwork, h.Network, n.ID)
	}
	// The header's count bounds what is read: a change beyond it (even the
	// first, when the header says none) stops the import as damaged.
	// (ApplyOptions.Limit cannot say "none": 0 there means no limit.)
	// Without a header, the first change's network says whose it is, and
	// the feeds read say what the bundle held.
	read := uint64(0)
	seen := ledger.VersionVector{}
	opts := changestream.ApplyOptions{Check: func(c *ledger.Change) error {
		read++
		if res.HeaderDamaged {
			if read == 1 && c.Network != n.ID {
				res.Header.Network = c.Network // the first change says whose it is
				return fmt.Errorf("%w: bundle %q (its header unreadable), this device %q", ErrOtherNetwork, c.Network, n.ID)
			}
			if c.Seq > seen.Get(c.Device) {
				seen[c.Device] = c.Seq
			}
			return nil
		}
		if read > h.Count {
			return fmt.Errorf("%w: it holds more changes than the %d its header says", ErrDamaged, h.Count)
		}
		return nil
	}, Expected: int(min(h.Count, 1<<31))} // a large bundle into an empty store builds the views once

	if progress != nil {
		total := int(min(h.Count, uint64(math.MaxInt))) // a damaged count must not show as negative
		opts.Progress = func(s changestream.Stats) {
			progress(Progress{Total: max(total, s.Received), Received: s.Received, Applied: s.Applied})
		}
	}
	stats, err := changestream.Apply(context.Background(), cr, st, opts)
	res.Stats = stats
	res.Damage = slices.Clone(cr.Damage())
	upTo, since := h.UpTo, h.Since
	if res.HeaderDamaged {
		upTo, since = seen, nil
	}
	if len(res.Damage) > 0 || err != nil || uint64(stats.Received) != h.Count || Damaged(stats.Rejected) > 0 {
		res.Missing = missing(st, since, upTo)
	}
	if errors.Is(err, ErrOtherNetwork) {
		return res, err
	}
	// Bytes that do not decode to a change are the file's damage (no
	// member signed them): told as a damaged file, not counted as a
	// member's refused change in status.
	damage := func(kind string, cause error) error {
		fe := &FileError{Kind: kind, CountKnown: !res.HeaderDamaged, Changes: h.Count, Read: stats.Received, Applied: stats.Applied,
			Damage: res.Damage, Missing: res.Missing, Err: cause}
		if len(res.Damage) > 0 {
			fe.ReadAfter = stats.Received - res.Damage[0].Changes
		}
		return fe
	}
	// A file cut short: it ends without its end frame, at a frame's start
	// or inside the one frame it cut. What the reader's scan takes for a
	// frame or an end inside that cut frame's bytes does not make it
	// damaged: only a change read after it would (TestCutAtEveryByteIsCutShort).
	cut := len(res.Damage) == 0 || (len(res.Damage) == 1 && res.Damage[0].Cut &&
		(res.Damage[0].ToEnd || stats.Received == res.Damage[0].Changes))
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) && cut && (!res.HeaderDamaged || headerErr.Kind == FileCutShort):
		return res, damage(FileCutShort, err)
	case err == nil && len(res.Damage) == 1 && cut && !res.HeaderDamaged:
		return res, damage(FileCutShort, fmt.Errorf("the file ends inside change %d: %w", stats.Received+1, io.ErrUnexpectedEOF))
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, changestream.ErrTooDamaged):
		return res, damage(FileCorrupt, err)
	case err != nil:
		return res, fmt.Errorf("bundle: %w", err)
	case res.HeaderDamaged:
		return res, damage(FileCorrupt, headerErr.Err)
	case len(res.Damage) > 0:
		return res, damage(FileCorrupt, nil)
	case uint64(stats.Received) != h.Count:
		return res, damage(FileCutShort, fmt.Errorf("it holds %d changes, its header says %d", stats.Received, h.Count))
	}
	if bad := Damaged(stats.Rejected); bad > 0 {
		return res, fmt.Errorf("%w: %d changes refused (%s); %d applied", ErrDamaged, bad, reasons(stats.Rejected), stats.Applied)
	}
	return res, nil
}

// missing returns the runs of changes after since up to upTo that st
// lacks, feed by feed (ordered by device), named from st's roster.
func missing(st *store.Store, since, upTo ledger.VersionVector) []Missing {
	held := st.VersionVector()
	var out []Missing
	for _, d := range slices.SortedFunc(maps.Keys(upTo), func(a, b ledger.DeviceID) int { return strings.Compare(a.String(), b.String()) }) {
		from := max(since.Get(d), held.Get(d)) + 1
		if from > upTo[d] {
			continue
		}
		m := Missing{Device: d, From: from, To: upTo[d]}
		if mem, ok := st.Member(d); ok {
			m.Name = mem.Name
		}
		out = append(out, m)
	}
	return out
}

// reasons writes refusal counts for people: "foreign_genesis 2, wrong_network 1",
// by reason name.
func reasons(counts map[ledger.Reason]int) string {
	keys := slices.Sorted(maps.Keys(counts))
	parts := make([]string, 0, len(keys))
	for _, r := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", r, counts[r]))
	}
	return strings.Join(parts, ", ")
}
