package bench

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

// Limits are what this machine can do at most, measured in the same run.
type Limits struct {
	VerifyPerSec        float64 `json:"ed25519_verify_per_s"`          // all cores
	VerifyPerSecOneCore float64 `json:"ed25519_verify_per_s_one_core"` // one goroutine
	BadgerPerSec        float64 `json:"badger_writes_per_s"`           // WriteBatch, store's options
	BadgerValue         int     `json:"badger_value_bytes"`
	StreamMBps          float64 `json:"libp2p_stream_mb_per_s"` // one stream, loopback TCP
}

// measureVerify counts ed25519 verifications of a 700-byte message for d,
// on workers goroutines.
func measureVerify(d time.Duration, workers int) float64 {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	msg := make([]byte, 700)
	rand.Read(msg)
	sig := ed25519.Sign(priv, msg)
	var n atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for range workers {
		wg.Go(func() {
			var k int64
			for time.Now().Before(deadline) {
				for range 64 {
					if !ed25519.Verify(pub, msg, sig) {
						panic("ed25519 verify failed")
					}
				}
				k += 64
			}
			n.Add(k)
		})
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}

// measureBadger writes n random values of size bytes through one WriteBatch
// (keys shaped like the store's feed keys) into a fresh Badger with the
// store's options (store/store.go badgerOptions), and returns writes/s
// including the final flush.
func measureBadger(dir string, n, size int) (float64, error) {
	opts := badger.DefaultOptions(dir).WithLogger(nil).
		WithMemTableSize(16 << 20).WithNumMemtables(3).
		WithBlockCacheSize(32 << 20).WithIndexCacheSize(16 << 20).
		WithValueLogFileSize(64 << 20).WithValueThreshold(1 << 10).
		WithNumCompactors(2).WithCompactL0OnClose(true)
	db, err := badger.Open(opts)
	if err != nil {
		return 0, fmt.Errorf("open badger: %w", err)
	}
	defer os.RemoveAll(dir)
	defer db.Close()
	vals := make([][]byte, 1024)
	for i := range vals {
		vals[i] = make([]byte, size)
		rand.Read(vals[i])
	}
	dev := make([]byte, 32)
	rand.Read(dev)
	start := time.Now()
	wb := db.NewWriteBatch()
	for i := range n {
		key := make([]byte, 41)
		key[0] = 'f'
		copy(key[1:], dev)
		binary.BigEndian.PutUint64(key[33:], uint64(i))
		if err := wb.Set(key, vals[i%len(vals)]); err != nil {
			wb.Cancel()
			return 0, err
		}
	}
	if err := wb.Flush(); err != nil {
		return 0, err
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// openRoster admits every peer: the throughput hosts are not in a network.
type openRoster struct{ self ledger.DeviceID }

func (r openRoster) Member(d ledger.DeviceID) (relief.Member, bool) {
	return relief.Member{Key: d, Role: relief.RoleVolunteer}, true
}
func (r openRoster) Device() ledger.DeviceID { return r.self }

const throughputProto = protocol.ID("/rmbench/throughput/1")

// measureStream sends total bytes on one libp2p stream between two p2p.Hosts
// on loopback TCP (the app's transports, security and muxer) and returns MB/s
// (10^6 bytes), timed until the receiver acknowledges the last byte.
func measureStream(ctx context.Context, total int64) (float64, error) {
	var hosts [2]*p2p.Host
	for i := range hosts {
		_, key, err := ledger.GenerateKey(rand.Reader)
		if err != nil {
			return 0, err
		}
		h, err := p2p.New(key, openRoster{ledger.DeviceOf(key)}, p2p.Config{Listen: []string{"/ip4/127.0.0.1/tcp/0"}})
		if err != nil {
			return 0, fmt.Errorf("p2p host: %w", err)
		}
		defer h.Close()
		hosts[i] = h
	}
	hosts[1].Libp2p().SetStreamHandler(throughputProto, func(s network.Stream) {
		defer s.Close()
		if _, err := io.Copy(io.Discard, s); err == nil {
			s.Write([]byte{1})
		}
	})
	if err := hosts[0].ConnectInfo(ctx, peer.AddrInfo{ID: hosts[1].ID(), Addrs: hosts[1].Libp2p().Addrs()}); err != nil {
		return 0, err
	}
	s, err := hosts[0].Libp2p().NewStream(ctx, hosts[1].ID(), throughputProto)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	buf := make([]byte, 64<<10)
	rand.Read(buf)
	start := time.Now()
	for sent := int64(0); sent < total; sent += int64(len(buf)) {
		if _, err := s.Write(buf); err != nil {
			return 0, err
		}
	}
	if err := s.CloseWrite(); err != nil {
		return 0, err
	}
	if _, err := io.ReadFull(s, make([]byte, 1)); err != nil {
		return 0, fmt.Errorf("throughput ack: %w", err)
	}
	return float64(total) / 1e6 / time.Since(start).Seconds(), nil
}

func measureLimits(ctx context.Context, cfg Config) (Limits, error) {
	l := Limits{BadgerValue: 700}
	l.VerifyPerSecOneCore = measureVerify(cfg.VerifyTime/2, 1)
	l.VerifyPerSec = measureVerify(cfg.VerifyTime, runtime.GOMAXPROCS(0))
	var err error
	dir, err := os.MkdirTemp(cfg.WorkDir, "badger-*")
	if err != nil {
		return l, err
	}
	if l.BadgerPerSec, err = measureBadger(dir, cfg.BadgerN, l.BadgerValue); err != nil {
		return l, err
	}
	if l.StreamMBps, err = measureStream(ctx, cfg.StreamBytes); err != nil {
		return l, fmt.Errorf("stream throughput: %w", err)
	}
	return l, nil
}
