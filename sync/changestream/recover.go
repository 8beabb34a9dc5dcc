package changestream

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// A file carried on a failing USB stick may have bytes changed in the middle
// while every change after them is intact. A recovering Reader (for bundles,
// never for a network stream, where a bad frame is a misbehaving peer) does
// not stop at a frame that does not read as a change: it scans forward, byte
// by byte, for the next offset at which a frame decodes as a change, and
// records what it skipped (Damage). A false match is at worst a change that
// the store's verification refuses (its signature or hash link), never one
// applied unverified: the reader only decodes, the store verifies.
//
// The scan's cost is bounded: an offset is decoded only when its length
// prefix is a change's (1..ledger.MaxChangeSize) and the two bytes after it
// are those every signed change's canonical encoding starts with (changeLead:
// a map of 7 entries, key 1); a match must be followed by another frame that
// could be a change, the end frame or the end of the file; and the bytes
// decoded while scanning are capped at scanBudget.

// changeLead is how every signed change's canonical encoding begins: a CBOR
// map of 7 entries (0xa7) whose first key is 1 (Network). A test checks it
// against ledger.Encode.
var changeLead = [2]byte{0xa7, 0x01}

// scanBudget bounds the bytes a recovering Reader decodes at candidate
// offsets while scanning damage, over its whole life.
const scanBudget = 256 << 20

// recoverBufferSize holds a whole frame of the largest change and the start
// of the frame after it (Peek, not read: a frame that fails is scanned again
// from its second byte).
const recoverBufferSize = ledger.MaxChangeSize + 4<<10

// ErrTooDamaged is returned by a recovering Reader's Next when the damage
// it scanned has cost more than its bound (scanBudget bytes decoded at
// candidate offsets): the rest of the stream is not read.
var ErrTooDamaged = errors.New("too much damage to search for the next change")

// Damage is a run of bytes a recovering Reader skipped because no change
// could be read there.
type Damage struct {
	// Offset is where the first unreadable frame starts, in bytes from the
	// Reader's first byte plus the base given to NewRecoveringReader.
	Offset int64
	// Bytes is how many bytes were skipped: from Offset to the next frame
	// read as a change (or to the end of the stream when ToEnd).
	Bytes int64
	// Changes is how many changes the Reader had read before it.
	Changes int
	// ToEnd: no change could be read after Offset; the stream ends in it.
	ToEnd bool
	// Cut: the first unreadable frame's length runs past the end of the
	// stream (with ToEnd: a file cut short inside that frame).
	Cut bool
}

// NewRecoveringReader returns a Reader on r that skips damaged frames
// (see Damage and the comment above). base is added to every offset it
// reports (a bundle's magic, read before). trailer is the start of the
// payload of a frame that may follow the end frame (a bundle's release):
// an end frame is taken as the end only when the stream ends right after it
// or such a frame follows; otherwise it is a damaged length prefix and is
// skipped like any other damage.
func NewRecoveringReader(r io.Reader, base int64, trailer string) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, recoverBufferSize), recovering: true, off: base, trailer: []byte(trailer)}
}

// Damage returns the runs of bytes the Reader skipped, in order (nil for a
// Reader that is not recovering or met no damage). The slice is the
// Reader's: do not modify it.
func (r *Reader) Damage() []Damage { return r.damage }

// Offset returns how many bytes the Reader has consumed, plus its base.
func (r *Reader) Offset() int64 { return r.off }

// ReadFrameAs reads one frame of at most max bytes and hands its payload to
// accept (valid only during the call). For a recovering Reader, a frame that
// cannot be read or that accept refuses is not consumed: it is recorded as
// the start of a damage, and the next Next scans for a change from the byte
// after its start. Errors: those of ReadFrame, and accept's.
func (r *Reader) ReadFrameAs(max int, accept func([]byte) error) error {
	if !r.recovering {
		b, err := r.ReadFrame(max)
		if err != nil {
			return err
		}
		return accept(b)
	}
	head, perr := r.br.Peek(binary.MaxVarintLen64)
	n, k := binary.Uvarint(head)
	var err error
	switch {
	case len(head) == 0 && perr == io.EOF:
		return io.EOF
	case len(head) == 0:
		return perr
	case k == 0 && perr == io.EOF:
		// The stream ends inside a frame's length.
		r.startDamage(true)
		return fmt.Errorf("read frame length at byte %d: %w", r.off, io.ErrUnexpectedEOF)
	case k <= 0:
		err = fmt.Errorf("read frame length at byte %d: not a length", r.off)
	case n == 0:
		err = fmt.Errorf("read frame at byte %d: unexpected end of changes", r.off)
	case n > uint64(max):
		err = fmt.Errorf("%w: %d bytes at byte %d, max %d", ErrFrameTooLarge, n, r.off, max)
	}
	if err == nil {
		b, perr := r.br.Peek(k + int(n))
		if len(b) < k+int(n) {
			if perr == io.EOF {
				perr = io.ErrUnexpectedEOF
			}
			err = fmt.Errorf("read frame of %d bytes at byte %d: %w", n, r.off, perr)
			r.startDamage(true)
			return err
		}
		if err = accept(b[k:]); err == nil {
			r.discard(k + int(n))
			return nil
		}
	}
	r.startDamage(false)
	return err
}

func (r *Reader) discard(n int) {
	d, _ := r.br.Discard(n)
	r.off += int64(d)
}

// startDamage opens a damage run at the current offset (nothing consumed).
func (r *Reader) startDamage(cut bool) {
	if r.scanning {
		return
	}
	r.scanning = true
	r.damage = append(r.damage, Damage{Offset: r.off, Changes: r.changes, Cut: cut})
}

// endDamage closes the open damage run at the current offset.
func (r *Reader) endDamage(toEnd bool) {
	if !r.scanning {
		return
	}
	r.scanning = false
	d := &r.damage[len(r.damage)-1]
	d.Bytes, d.ToEnd = r.off-d.Offset, toEnd
}

// frame kinds at the current offset, for a recovering Reader
const (
	atChange = iota // a change (c, size)
	atEnd           // the end frame, taken as the end
	atEOF           // no byte left
	atBad           // no change starts here
	atCut           // a frame whose length runs past the end of the stream
)

// nextRecovering is Next for a recovering Reader.
func (r *Reader) nextRecovering() (*ledger.Change, error) {
	for {
		c, size, kind, err := r.frameAt()
		if err != nil {
			return nil, err
		}
		switch kind {
		case atChange:
			r.endDamage(false)
			r.discard(size)
			r.changes++
			return c, nil
		case atEnd:
			r.endDamage(false)
			r.discard(1)
			return nil, io.EOF
		case atEOF:
			if r.scanning {
				r.endDamage(true)
				return nil, fmt.Errorf("stream ended inside damaged bytes: %w", io.ErrUnexpectedEOF)
			}
			return nil, fmt.Errorf("stream ended without an end frame: %w", io.ErrUnexpectedEOF)
		}
		r.startDamage(kind == atCut)
		if r.spent > scanBudget {
			r.endDamage(false)
			return nil, fmt.Errorf("%w (from byte %d)", ErrTooDamaged, r.off)
		}
		r.discard(1)
	}
}

// frameAt says what starts at the current offset without consuming it.
// err is a read error of the underlying reader (not the end of it).
func (r *Reader) frameAt() (c *ledger.Change, size, kind int, err error) {
	head, perr := r.br.Peek(binary.MaxVarintLen64)
	if len(head) == 0 {
		if perr == io.EOF {
			return nil, 0, atEOF, nil
		}
		return nil, 0, 0, perr
	}
	if perr != nil && perr != io.EOF {
		return nil, 0, 0, perr
	}
	n, k := binary.Uvarint(head)
	switch {
	case k == 0 && perr == io.EOF:
		// The stream ends inside a frame's length: a frame it is cut in.
		return nil, 0, atCut, nil
	case k <= 0 || n > ledger.MaxChangeSize:
		return nil, 0, atBad, nil
	case n == 0:
		if r.endFollows(1) {
			return nil, 1, atEnd, nil
		}
		return nil, 0, atBad, nil
	}
	size = k + int(n)
	if r.scanning {
		p, _ := r.br.Peek(k + 2)
		if len(p) < k+2 || p[k] != changeLead[0] || p[k+1] != changeLead[1] {
			return nil, 0, atBad, nil
		}
	}
	b, perr := r.br.Peek(size)
	if len(b) < size {
		if perr == io.EOF {
			return nil, 0, atCut, nil
		}
		return nil, 0, 0, perr
	}
	if r.scanning {
		r.spent += int64(size)
	}
	c, derr := ledger.Decode(b[k:])
	if derr != nil || (r.scanning && !r.plausibleAfter(size)) {
		return nil, 0, atBad, nil
	}
	return c, size, atChange, nil
}

// plausibleAfter says whether what follows the frame of size bytes at the
// current offset could be the next frame: the end of the stream, the end
// frame, or a frame of a change's length starting as a change does.
func (r *Reader) plausibleAfter(size int) bool {
	p, _ := r.br.Peek(size + binary.MaxVarintLen64 + 2)
	rest := p[min(size, len(p)):]
	if len(rest) == 0 {
		return true
	}
	n, k := binary.Uvarint(rest)
	switch {
	case k <= 0 || n > ledger.MaxChangeSize:
		return false
	case n == 0:
		return r.endFollows(size + 1)
	}
	return len(rest) >= k+2 && rest[k] == changeLead[0] && rest[k+1] == changeLead[1]
}

// endFollows says whether an end frame ending at offset at (from the
// current one) is the end: the stream ends there, or a frame whose payload
// starts with the Reader's trailer follows.
func (r *Reader) endFollows(at int) bool {
	p, _ := r.br.Peek(at + binary.MaxVarintLen64 + len(r.trailer))
	rest := p[min(at, len(p)):]
	if len(rest) == 0 {
		return true
	}
	if len(r.trailer) == 0 {
		return false
	}
	_, k := binary.Uvarint(rest)
	return k > 0 && bytes.HasPrefix(rest[k:], r.trailer)
}
