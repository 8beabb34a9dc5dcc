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
	// FileCorrupt: a frame of the file is not a change (bytes changed on
	// the way: a failing stick, an edit): nothing past it can be read.
	FileCorrupt = "corrupt"
)

// FileError is returned by Import (and ReadHeader) when the bundle file
// itself is damaged: empty, cut short, or with bytes changed so that a frame
// does not read as a change. It is not a member's fault and is not counted
// as a refusal (status): the file is copied again. What was read before the
// damage was verified change by change, and what of it was new is stored.
type FileError struct {
	Kind string // FileEmpty, FileCutShort or FileCorrupt
	// CountKnown: the header was read, and Changes is the number of
	// changes the bundle says it holds.
	CountKnown bool
	Changes    uint64
	Read       int // changes read and verified before the damage
	Applied    int // of Read, newly stored (the rest were held already or refused)
	Err        error
}

// Unread returns how many changes of the bundle were never read (the
// damaged one and all after it); 0 when the count is not known.
func (e *FileError) Unread() uint64 {
	if !e.CountKnown || uint64(e.Read) >= e.Changes {
		return 0
	}
	return e.Changes - uint64(e.Read)
}

func (e *FileError) Error() string {
	what := map[string]string{FileEmpty: "bundle file is empty", FileCutShort: "bundle file is cut short", FileCorrupt: "bundle file is damaged"}[e.Kind]
	if e.CountKnown {
		what += fmt.Sprintf(": %d of %d changes read (%d newly applied), %d never read", e.Read, e.Changes, e.Applied, e.Unread())
	}
	if e.Err != nil {
		what += ": " + e.Err.Error()
	}
	return what
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
	changestream.Stats
}

// ReadHeader reads a bundle's magic and header from r, leaving r at the
// first change frame (reads are buffered: use the same reader for
// ReadHeader only when r is not needed afterwards; Import reads both).
func ReadHeader(r io.Reader) (Header, error) {
	h, _, err := readHeader(r)
	return h, err
}

func readHeader(r io.Reader) (Header, *changestream.Reader, error) {
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
// verified, so a damaged bundle yields its intact, verified prefix only.
//
// Errors: ErrNotBundle; store.ErrNoNetwork when st has no network (join it
// first); ErrOtherNetwork; a *FileError for a file empty, cut short
// (wrapping io.ErrUnexpectedEOF) or with a frame that is not a change
// (wrapping ErrDamaged; not counted in st's refusals); ErrDamaged (also for
// more changes than the header says: none past its count is applied);
// store errors.
// Changes refused by the store (tampered: bad signature) are counted in
// Result.Rejected and in st.Rejected, and are not errors.
func Import(r io.Reader, st *store.Store, progress func(Progress)) (Result, error) {
	var res Result
	h, cr, err := readHeader(r)
	if err != nil {
		return res, err
	}
	res.Header = h
	n, ok := st.Network()
	if !ok {
		return res, store.ErrNoNetwork
	}
	if n.ID != h.Network {
		return res, fmt.Errorf("%w: bundle %q, this device %q", ErrOtherNetwork, h.Network, n.ID)
	}
	// The header's count bounds what is read: a change beyond it (even the
	// first, when the header says none) stops the import as damaged.
	// (ApplyOptions.Limit cannot say "none": 0 there means no limit.)
	read := uint64(0)
	opts := changestream.ApplyOptions{Check: func(*ledger.Change) error {
		if read++; read > h.Count {
			return fmt.Errorf("%w: it holds more changes than the %d its header says", ErrDamaged, h.Count)
		}
		return nil
	}, Expected: int(min(h.Count, 1<<31))} // a large bundle into an empty store builds the views once

	if progress != nil {
		total := int(min(h.Count, uint64(math.MaxInt))) // a damaged count must not show as negative
		opts.Progress = func(s changestream.Stats) {
			progress(Progress{Total: total, Received: s.Received, Applied: s.Applied})
		}
	}
	stats, err := changestream.Apply(context.Background(), cr, st, opts)
	res.Stats = stats
	// A frame that does not decode to a change is the file's damage (no
	// member signed it): told as a damaged file, not counted as a member's
	// refused change in status.
	damage := func(kind string, cause error) error {
		return &FileError{Kind: kind, CountKnown: true, Changes: h.Count, Read: stats.Received, Applied: stats.Applied, Err: cause}
	}
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return res, damage(FileCutShort, err)
	case ledger.ReasonOf(err) != "" || errors.Is(err, changestream.ErrFrameTooLarge):
		return res, damage(FileCorrupt, err)
	case err != nil:
		return res, fmt.Errorf("bundle: %w", err)
	case uint64(stats.Received) != h.Count:
		return res, damage(FileCutShort, fmt.Errorf("it holds %d changes, its header says %d", stats.Received, h.Count))
	}
	if bad := Damaged(stats.Rejected); bad > 0 {
		return res, fmt.Errorf("%w: %d changes refused (%s); %d applied", ErrDamaged, bad, reasons(stats.Rejected), stats.Applied)
	}
	return res, nil
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
