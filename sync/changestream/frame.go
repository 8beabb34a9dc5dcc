package changestream

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// ErrFrameTooLarge is returned by ReadFrame when a frame's length prefix
// exceeds the limit asked for; nothing of the frame is read.
var ErrFrameTooLarge = errors.New("frame too large")

// errEnd is returned by ReadFrame for the end-of-changes frame.
var errEnd = errors.New("end of changes")

// Writer writes frames to an underlying writer through a 64 KiB buffer. It
// is not safe for concurrent use.
type Writer struct {
	bw  *bufio.Writer
	hdr [binary.MaxVarintLen64]byte
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{bw: bufio.NewWriterSize(w, 64<<10)} }

// WriteFrame writes b as one frame (buffered; see Flush). An empty b would
// read as the end of changes, so WriteFrame refuses it.
func (w *Writer) WriteFrame(b []byte) error {
	if len(b) == 0 {
		return errors.New("write frame: empty frame")
	}
	return w.writeFrame(b)
}

func (w *Writer) writeFrame(b []byte) error {
	n := binary.PutUvarint(w.hdr[:], uint64(len(b)))
	if _, err := w.bw.Write(w.hdr[:n]); err != nil {
		return err
	}
	_, err := w.bw.Write(b)
	return err
}

// WriteChange writes c's canonical encoding as one frame. Errors: those of
// ledger.Encode (a *ledger.RejectError) and of the underlying writer.
func (w *Writer) WriteChange(c *ledger.Change) error {
	b, err := ledger.Encode(c)
	if err != nil {
		return err
	}
	return w.writeFrame(b)
}

// End writes the end-of-changes frame and flushes.
func (w *Writer) End() error {
	if err := w.writeFrame(nil); err != nil {
		return err
	}
	return w.bw.Flush()
}

// Flush writes buffered frames to the underlying writer.
func (w *Writer) Flush() error { return w.bw.Flush() }

// Reader reads frames from an underlying reader. It is not safe for
// concurrent use.
type Reader struct {
	br  *bufio.Reader
	buf []byte

	// a recovering Reader's (recover.go)
	recovering bool
	trailer    []byte
	off        int64    // bytes consumed, plus the base
	changes    int      // changes read
	scanning   bool     // inside damage: looking for the next change
	damage     []Damage // the runs of bytes skipped
	spent      int64    // bytes decoded at candidate offsets while scanning
}

// NewReader returns a Reader on r.
func NewReader(r io.Reader) *Reader { return &Reader{br: bufio.NewReaderSize(r, 64<<10)} }

// ReadFrame reads one frame of at most max bytes. The returned slice is
// valid until the next call. Errors: io.EOF before the first byte of a frame;
// io.ErrUnexpectedEOF within one; ErrFrameTooLarge; a bad varint. The end
// frame is reported as an empty, nil-error frame only by readFrame; to
// ReadFrame callers it is an error ("unexpected end of changes").
func (r *Reader) ReadFrame(max int) ([]byte, error) {
	b, err := r.readFrame(max)
	if errors.Is(err, errEnd) {
		return nil, errors.New("read frame: unexpected end of changes")
	}
	return b, err
}

func (r *Reader) readFrame(max int) ([]byte, error) {
	n, err := binary.ReadUvarint(r.br)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("read frame length: %w", err)
	}
	if n == 0 {
		return nil, errEnd
	}
	if n > uint64(max) {
		return nil, fmt.Errorf("%w: %d bytes, max %d", ErrFrameTooLarge, n, max)
	}
	if cap(r.buf) < int(n) {
		r.buf = make([]byte, n)
	}
	b := r.buf[:n]
	if _, err := io.ReadFull(r.br, b); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("read frame of %d bytes: %w", n, err)
	}
	return b, nil
}

// Next reads and decodes one change frame. It returns io.EOF at the end
// frame. Errors: a *ledger.RejectError with ReasonTooLarge for a length
// prefix above ledger.MaxChangeSize (nothing read), or with ReasonMalformed
// for a frame that ledger.Decode refuses; io.ErrUnexpectedEOF (wrapped) when
// the underlying stream ends before the end frame; read errors.
//
// A recovering Reader (NewRecoveringReader) instead skips what cannot be read
// as a change and returns the next change after it (see Damage); its errors
// are io.ErrUnexpectedEOF (wrapped) when the stream ends inside damage or
// without an end frame, ErrTooDamaged, and read errors.
func (r *Reader) Next() (*ledger.Change, error) {
	if r.recovering {
		return r.nextRecovering()
	}
	b, err := r.readFrame(ledger.MaxChangeSize)
	switch {
	case errors.Is(err, errEnd):
		return nil, io.EOF
	case errors.Is(err, io.EOF):
		return nil, fmt.Errorf("stream ended without an end frame: %w", io.ErrUnexpectedEOF)
	case errors.Is(err, ErrFrameTooLarge):
		return nil, &ledger.RejectError{Reason: ledger.ReasonTooLarge, Err: err}
	case err != nil:
		return nil, err
	}
	return ledger.Decode(b)
}

// NextReceived is Next, keeping each change's bytes and id beside it
// (ledger.DecodeReceived), on the reading goroutine: a ReceivedSink then
// neither encodes nor hashes the change again. Same errors as Next. A
// recovering Reader returns its changes without their bytes (a
// ledger.Received that HasEncoding false), as Next reads them.
func (r *Reader) NextReceived() (ledger.Received, error) {
	if r.recovering {
		c, err := r.nextRecovering()
		return ledger.Received{Change: c}, err
	}
	b, err := r.readFrame(ledger.MaxChangeSize)
	switch {
	case errors.Is(err, errEnd):
		return ledger.Received{}, io.EOF
	case errors.Is(err, io.EOF):
		return ledger.Received{}, fmt.Errorf("stream ended without an end frame: %w", io.ErrUnexpectedEOF)
	case errors.Is(err, ErrFrameTooLarge):
		return ledger.Received{}, &ledger.RejectError{Reason: ledger.ReasonTooLarge, Err: err}
	case err != nil:
		return ledger.Received{}, err
	}
	return ledger.DecodeReceived(b)
}
