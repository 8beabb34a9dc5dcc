package changestream

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkReadDamaged reads a change stream file (RELIEFMESH_BENCH_STREAM:
// frames of changes, as bench/cmd/rmingest's -feed writes them; skipped when
// unset) to its end: with the plain Reader (what Import used), with a
// recovering Reader, and with a recovering Reader over the stream damaged
// near its start (the 10th change's first byte changed; or 1 MiB zeroed
// from the 10th change on; or 16 MiB of random bytes inserted before it). It decodes only (no store): the reader's cost,
// and the scan's. Reports changes read and process CPU (user + system,
// GC included) per op.
func BenchmarkReadDamaged(b *testing.B) {
	path := os.Getenv("RELIEFMESH_BENCH_STREAM")
	if path == "" {
		b.Skip("RELIEFMESH_BENCH_STREAM is not set")
	}
	s, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	// the offset of the 10th frame, and the stream ended by the end frame
	at := 0
	for range 9 {
		n, k := binary.Uvarint(s[at:])
		at += k + int(n)
	}
	if s[len(s)-1] != 0 {
		s = append(s, 0)
	}
	flipped := bytes.Clone(s)
	flipped[at+2] ^= 0x40
	zeroed := bytes.Clone(s)
	clear(zeroed[at : at+1<<20])
	// 16 MiB of random bytes (a stick's garbage) before the 10th change
	garbage := make([]byte, 16<<20)
	rand.NewChaCha8([32]byte{1}).Read(garbage)
	random := slices.Concat(s[:at], garbage, s[at:])
	read := func(b *testing.B, r *Reader) int {
		n := 0
		for {
			_, err := r.Next()
			if errors.Is(err, io.EOF) {
				return n
			}
			if err != nil {
				b.Fatalf("after %d changes: %v", n, err)
			}
			n++
		}
	}
	for _, tc := range []struct {
		name string
		s    []byte
		rec  bool
	}{{"plain", s, false}, {"recovering", s, true}, {"recovering-flipped", flipped, true}, {"recovering-zeroed-1MiB", zeroed, true},
		{"recovering-random-16MiB", random, true}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.s)))
			n := 0
			cpu := cpuTime()
			for range b.N {
				if tc.rec {
					n = read(b, NewRecoveringReader(bytes.NewReader(tc.s), 0, ""))
				} else {
					n = read(b, NewReader(bytes.NewReader(tc.s)))
				}
			}
			b.ReportMetric(float64(n), "changes/op")
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N)/1000, "cpu-ms/op")
		})
	}
}
