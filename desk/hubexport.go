package desk

import (
	"crypto/sha256"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/bulletin"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// A hub's export in bounded memory. WriteBulletin builds the whole bulletin
// from the store's resident demand list; a hub's lean store (store.Options.
// Lean) keeps none, and at a million demands building it costs gigabytes.
// A StreamedBulletin reads the demands from a snapshot of the store a chunk
// at a time (store.DemandStream) and writes them as they come
// (bulletin.WriteChunks): the same bytes, with one sort key per demand in
// memory.

// bulletinChunk is how many demands a StreamedBulletin reads and writes at
// a time.
const bulletinChunk = 4096

// BulletinStreams reports whether OpenBulletinStream writes the bulletin r
// asks for (bulletin.Streams: a public one in csv, hxl, json or text); the
// others are written by WriteBulletin. A request WriteBulletin would refuse
// (an unknown format, level or language) does not stream either.
func BulletinStreams(r BulletinRequest) bool {
	lvl, err := ParseLevel(r.Level)
	if err != nil || (r.Lang != "" && !slices.Contains(bulletin.Langs, r.Lang)) {
		return false
	}
	return bulletin.Streams(bulletin.Options{Format: r.Format, Level: lvl})
}

// StreamedBulletin is a bulletin ready to be written a chunk at a time: its
// counts are known, its demands are read from the store as Stream writes.
type StreamedBulletin struct {
	// Demands is how many demands the bulletin holds, and Unpublished how
	// many were left out as not yet published (0 with IncludeUnpublished),
	// as WriteBulletin's Bulletin says.
	Demands, Unpublished int

	ds  *store.DemandStream
	req BulletinRequest
}

// OpenBulletinStream takes a snapshot of the store and finds the demands of
// the bulletin r asks for, as WriteBulletin would (the published and
// in-progress ones, or every demand with IncludeUnpublished), without the
// store's demand list; Store.mu is held only while the snapshot is taken.
// Close the result. Errors: *Error with CodeInvalid naming "format",
// "level" or "lang" for a request that does not stream (BulletinStreams);
// CodeStorage for the store's.
func (d *Desk) OpenBulletinStream(r BulletinRequest) (*StreamedBulletin, error) {
	if _, err := ParseLevel(r.Level); err != nil {
		return nil, err
	}
	if !slices.Contains(bulletin.Formats, r.Format) {
		return nil, FieldError(CodeInvalid, "format", "%q is not one of %s", r.Format, strings.Join(bulletin.Formats, ", "))
	}
	if r.Lang != "" && !slices.Contains(bulletin.Langs, r.Lang) {
		return nil, FieldError(CodeInvalid, "lang", "%q is not one of %s", r.Lang, strings.Join(bulletin.Langs, ", "))
	}
	if !BulletinStreams(r) {
		return nil, FieldError(CodeInvalid, "format", "a %s bulletin at level %q is written whole, not streamed", r.Format, r.Level)
	}
	var statuses []relief.Status
	if !r.IncludeUnpublished {
		statuses = bulletinStatuses
	}
	ds, err := d.st.OpenDemandStream(statuses)
	if err != nil {
		return nil, AsError(err)
	}
	b := &StreamedBulletin{Demands: ds.Len(), ds: ds, req: r}
	if !r.IncludeUnpublished {
		for _, s := range unpublishedStatuses {
			b.Unpublished += ds.Counts[s]
		}
	}
	return b, nil
}

// Stream writes the bulletin to w, a chunk of demands at a time. An error
// part-way leaves part of a bulletin in w: the caller must not hand it out
// as whole. Errors: *Error with CodeStorage, saying whether the store or w
// failed.
func (b *StreamedBulletin) Stream(w io.Writer) error {
	lvl, _ := ParseLevel(b.req.Level)
	c := bulletin.Chunked{N: b.ds.Len(), Each: func(fn func([]relief.Demand) error) error {
		return b.ds.Each(bulletinChunk, fn)
	}}
	if c.N > 0 { // a zero stamp is 1970 in a bulletin line, as here
		c.Latest = b.ds.Latest.Time()
	}
	if err := bulletin.WriteChunks(w, c, bulletin.Options{Format: b.req.Format, Level: lvl, Lang: b.req.Lang}); err != nil {
		return &Error{Code: CodeStorage, Message: fmt.Sprintf("write the %s bulletin of %d demands: %v", b.req.Format, b.Demands, err)}
	}
	return nil
}

// Close releases the store's snapshot. It may be called more than once.
func (b *StreamedBulletin) Close() { b.ds.Close() }

// SignBulletinFrom is SignBulletin of a file read from r as a stream (a
// hub signing a bulletin of a million demands holds its hash, never the
// file): the same checks of this device's standing, the same signature
// file, verified by its size and hash before it is returned. Errors: as
// SignBulletin's; CodeStorage naming the file when r fails.
func (d *Desk) SignBulletinFrom(r io.Reader, name string, now time.Time) ([]byte, error) {
	if err := d.maySign(); err != nil {
		return nil, err
	}
	h := sha256.New()
	size, err := io.Copy(h, r)
	if err != nil {
		return nil, &Error{Code: CodeStorage, Message: fmt.Sprintf("sign bulletin %s: read the file: %v", name, err)}
	}
	var sum ledger.Hash
	h.Sum(sum[:0])
	n, _ := d.st.Network()
	s := bulletin.NewSigHashed(size, sum, name, n.ID, d.st.Device(), now)
	if s.Signature, err = d.st.SignStatement(bulletin.SigDomain, s.StatementBytes()); err != nil {
		return nil, &Error{Code: CodeStorage, Message: fmt.Sprintf("sign bulletin %s: %v", name, err)}
	}
	if s.Chain, err = d.admissionChain(d.st.Device()); err != nil {
		return nil, err
	}
	b, err := s.Encode()
	if err != nil {
		return nil, &Error{Code: CodeStorage, Message: fmt.Sprintf("sign bulletin %s: %v", name, err)}
	}
	o := bulletin.VerifyOptions{Member: d.st.Member}
	if _, err := bulletin.VerifyHashed(size, sum, b, o); err != nil {
		return nil, &Error{Code: CodeStorage, Message: fmt.Sprintf("sign bulletin %s: the signature would not verify: %v", name, err)}
	}
	return b, nil
}
