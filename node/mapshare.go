package node

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

// MapProtocolID is the libp2p protocol on which a node (a hub given
// Config.MapFile) serves its street map, a PMTiles file, to members.
//
// A request is 9 bytes: an operation (mapOpInfo: only the header;
// mapOpFetch: the header, then the file's bytes from the offset on) and the
// offset, big-endian uint64. The answer starts with a 41-byte header: a
// status (mapOK, mapNone, mapNotMember, mapBusy, mapBadRequest), the file's
// size (big-endian uint64) and its SHA-256; with mapOK and mapOpFetch the
// bytes from the offset to the end follow. The client checks the whole
// file's SHA-256 before it keeps it, so a transfer cut off is resumed from
// what arrived (a partial file named after the hash) and a damaged one is
// refused.
const MapProtocolID protocol.ID = "/reliefmesh/map/1"

// MaxMapSize is the largest street map a node serves or fetches, in bytes
// (1 GiB: the streets of a province fit several times over).
const MaxMapSize = 1 << 30

// MaxMapTransfers is how many street map transfers a node serves at a time,
// all members together; each member gets one at a time.
const MaxMapTransfers = 4

// mapIdle is how long a transfer may make no progress before it is cut.
const mapIdle = 60 * time.Second

// Operations and statuses of MapProtocolID.
const (
	mapOpInfo  byte = 1
	mapOpFetch byte = 2

	mapOK         byte = 0
	mapNone       byte = 1
	mapNotMember  byte = 2
	mapBusy       byte = 3
	mapBadRequest byte = 4
)

const mapHeaderSize = 1 + 8 + sha256.Size

// Errors of MapOffer and FetchMap.
var (
	// ErrMapRefused: the peer refused this device because it is not an
	// active member of its network (not yet endorsed, or revoked).
	ErrMapRefused = errors.New("the peer refused the street map: this device is not an active member of its network (ask a coordinator to endorse it)")
	// ErrNoMap: the peer has no street map to give.
	ErrNoMap = errors.New("the peer has no street map")
	// ErrMapBusy: the peer already sends this device a street map, or as
	// many as it sends at a time; try again when that transfer ended.
	ErrMapBusy = errors.New("the peer is busy sending street maps (one transfer per member at a time): try again in a moment")
	// ErrMapDamaged: the file received does not have the SHA-256 the peer
	// announced; it was discarded and the installed map kept.
	ErrMapDamaged = errors.New("the street map received is damaged (its SHA-256 differs from the one the peer announced): it was discarded; download it again")
	// ErrMapTooLarge: the peer announced a street map larger than MaxMapSize.
	ErrMapTooLarge = fmt.Errorf("the peer's street map is larger than %d MiB", MaxMapSize>>20)
)

// MapOffer is a street map a peer serves: its size in bytes and SHA-256.
type MapOffer struct {
	Peer   peer.ID
	Size   int64
	SHA256 [sha256.Size]byte
}

// mapServer serves one file on MapProtocolID to active members of roster.
// Its hash is computed on the first request and again whenever the file's
// size or modification time changes.
type mapServer struct {
	path   string
	roster p2p.Roster

	mu     sync.Mutex
	size   int64
	mod    time.Time
	sum    [sha256.Size]byte
	busy   map[peer.ID]bool
	active int
}

func newMapServer(path string, roster p2p.Roster) *mapServer {
	return &mapServer{path: path, roster: roster, busy: map[peer.ID]bool{}}
}

// member reports whether p is an active member: the gater admits joiners
// too, a street map goes to members only.
func (ms *mapServer) member(p peer.ID) bool {
	d, err := p2p.DeviceOf(p)
	if err != nil {
		return false
	}
	m, ok := ms.roster.Member(d)
	return ok && !m.Revoked && m.Role.Valid()
}

// info opens the file and returns it with its size and hash (cached while
// size and modification time stay the same). The caller closes the file.
func (ms *mapServer) info() (*os.File, int64, [sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	f, err := os.Open(ms.path)
	if err != nil {
		return nil, 0, sum, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, sum, err
	}
	if fi.Size() > MaxMapSize {
		f.Close()
		return nil, 0, sum, ErrMapTooLarge
	}
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if ms.size == fi.Size() && ms.mod.Equal(fi.ModTime()) {
		return f, ms.size, ms.sum, nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		f.Close()
		return nil, 0, sum, err
	}
	copy(ms.sum[:], h.Sum(nil))
	ms.size, ms.mod = fi.Size(), fi.ModTime()
	return f, ms.size, ms.sum, nil
}

// take reserves a transfer for p; false when p has one or MaxMapTransfers run.
func (ms *mapServer) take(p peer.ID) bool {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if ms.busy[p] || ms.active >= MaxMapTransfers {
		return false
	}
	ms.busy[p] = true
	ms.active++
	return true
}

func (ms *mapServer) release(p peer.ID) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	delete(ms.busy, p)
	ms.active--
}

func mapHeader(status byte, size int64, sum [sha256.Size]byte) []byte {
	b := make([]byte, mapHeaderSize)
	b[0] = status
	binary.BigEndian.PutUint64(b[1:9], uint64(size))
	copy(b[9:], sum[:])
	return b
}

// handle serves one request on s.
func (ms *mapServer) handle(s network.Stream) {
	defer s.Close()
	var none [sha256.Size]byte
	p := s.Conn().RemotePeer()
	s.SetDeadline(time.Now().Add(mapIdle))
	req := make([]byte, 9)
	if _, err := io.ReadFull(s, req); err != nil {
		s.Reset()
		return
	}
	if !ms.member(p) {
		s.Write(mapHeader(mapNotMember, 0, none))
		return
	}
	op, off := req[0], binary.BigEndian.Uint64(req[1:])
	if op != mapOpInfo && op != mapOpFetch {
		s.Write(mapHeader(mapBadRequest, 0, none))
		return
	}
	f, size, sum, err := ms.info()
	if err != nil {
		s.Write(mapHeader(mapNone, 0, none))
		return
	}
	defer f.Close()
	if op == mapOpInfo {
		s.Write(mapHeader(mapOK, size, sum))
		return
	}
	if off > uint64(size) {
		s.Write(mapHeader(mapBadRequest, size, sum))
		return
	}
	if !ms.take(p) {
		s.Write(mapHeader(mapBusy, size, sum))
		return
	}
	defer ms.release(p)
	if _, err := s.Write(mapHeader(mapOK, size, sum)); err != nil {
		s.Reset()
		return
	}
	buf := make([]byte, 256<<10)
	r := io.NewSectionReader(f, int64(off), size-int64(off))
	for {
		n, err := r.Read(buf)
		if n > 0 {
			s.SetWriteDeadline(time.Now().Add(mapIdle))
			if _, werr := s.Write(buf[:n]); werr != nil {
				s.Reset()
				return
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			s.Reset()
			return
		}
	}
}

// askMap sends a request to p and reads the answer's header.
func askMap(ctx context.Context, h host.Host, p peer.ID, op byte, off uint64) (network.Stream, MapOffer, error) {
	o := MapOffer{Peer: p}
	s, err := h.NewStream(network.WithAllowLimitedConn(ctx, "street map"), p, MapProtocolID)
	if err != nil {
		return nil, o, fmt.Errorf("ask %s for its street map: %w", p, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		s.SetDeadline(dl)
	} else {
		s.SetDeadline(time.Now().Add(mapIdle))
	}
	req := make([]byte, 9)
	req[0] = op
	binary.BigEndian.PutUint64(req[1:], off)
	if _, err := s.Write(req); err != nil {
		s.Reset()
		return nil, o, fmt.Errorf("ask %s for its street map: %w", p, err)
	}
	if op == mapOpInfo {
		s.CloseWrite()
	}
	head := make([]byte, mapHeaderSize)
	if _, err := io.ReadFull(s, head); err != nil {
		s.Reset()
		return nil, o, fmt.Errorf("street map from %s: no answer: %w", p, err)
	}
	o.Size = int64(binary.BigEndian.Uint64(head[1:9]))
	copy(o.SHA256[:], head[9:])
	switch head[0] {
	case mapOK:
	case mapNone:
		err = ErrNoMap
	case mapNotMember:
		err = ErrMapRefused
	case mapBusy:
		err = ErrMapBusy
	default:
		err = fmt.Errorf("street map from %s: request refused (status %d)", p, head[0])
	}
	if err == nil && (o.Size <= 0 || o.Size > MaxMapSize) {
		err = ErrMapTooLarge
	}
	if err != nil {
		s.Reset()
		return nil, o, err
	}
	return s, o, nil
}

// mapOffer asks p whether it serves a street map. Errors: ErrNoMap,
// ErrMapRefused, ErrMapTooLarge; the peer unreachable or not speaking
// MapProtocolID (an older version), wrapped.
func mapOffer(ctx context.Context, h host.Host, p peer.ID) (MapOffer, error) {
	s, o, err := askMap(ctx, h, p, mapOpInfo, 0)
	if err != nil {
		return o, err
	}
	s.Close()
	return o, nil
}

// partName is the partial file of a transfer of the map with sum, beside
// dest: a transfer cut off resumes from it only for the same file.
func partName(dest string, sum [sha256.Size]byte) string {
	return dest + "." + hex.EncodeToString(sum[:8]) + ".part"
}

// fetchMap fetches p's street map into dest (replaced only once the whole
// file arrived with the announced SHA-256), resuming a transfer of the same
// file cut off before. progress, if set, is called with the bytes held and
// the size as they arrive; it must not block.
func fetchMap(ctx context.Context, h host.Host, p peer.ID, dest string, progress func(got, size int64)) (MapOffer, error) {
	info, err := mapOffer(ctx, h, p)
	if err != nil {
		return info, err
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o700); err != nil {
		return info, fmt.Errorf("fetch street map into %s: %w", filepath.Dir(dest), err)
	}
	part := partName(dest, info.SHA256)
	f, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return info, fmt.Errorf("fetch street map into %s: %w", part, err)
	}
	defer f.Close()
	// Hash what a transfer cut off left, and go on from there.
	hsh := sha256.New()
	have, err := io.Copy(hsh, f)
	if err != nil {
		return info, fmt.Errorf("read partial street map %s: %w", part, err)
	}
	if have > info.Size {
		if err := f.Truncate(0); err != nil {
			return info, fmt.Errorf("reset partial street map %s: %w", part, err)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return info, fmt.Errorf("reset partial street map %s: %w", part, err)
		}
		hsh.Reset()
		have = 0
	}
	if progress != nil {
		progress(have, info.Size)
	}
	s, o, err := askMap(ctx, h, p, mapOpFetch, uint64(have))
	if err != nil {
		return info, err
	}
	defer s.Close()
	if o.SHA256 != info.SHA256 || o.Size != info.Size {
		s.Reset()
		return o, fmt.Errorf("street map from %s: the file changed while asked for; download it again", p)
	}
	stop := context.AfterFunc(ctx, func() { s.Reset() })
	defer stop()
	buf := make([]byte, 256<<10)
	for have < o.Size {
		s.SetReadDeadline(time.Now().Add(mapIdle))
		n, rerr := s.Read(buf[:min(int64(len(buf)), o.Size-have)])
		if n > 0 {
			if _, err := f.Write(buf[:n]); err != nil {
				s.Reset()
				return o, fmt.Errorf("write street map into %s: %w", part, err)
			}
			hsh.Write(buf[:n])
			have += int64(n)
			if progress != nil {
				progress(have, o.Size)
			}
		}
		if rerr != nil && have < o.Size {
			s.Reset()
			if ctx.Err() != nil {
				return o, fmt.Errorf("street map from %s: %w (%d of %d bytes kept, resumed next time)", p, ctx.Err(), have, o.Size)
			}
			return o, fmt.Errorf("street map from %s cut off after %d of %d bytes (kept, resumed next time): %w", p, have, o.Size, rerr)
		}
	}
	if !bytes.Equal(hsh.Sum(nil), o.SHA256[:]) {
		f.Close()
		os.Remove(part)
		return o, ErrMapDamaged
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		return o, fmt.Errorf("write street map into %s: %w", part, err)
	}
	if err := os.Rename(part, dest); err != nil {
		return o, fmt.Errorf("install street map as %s: %w", dest, err)
	}
	// partial files of other versions of the map are of no more use
	if old, _ := filepath.Glob(dest + ".*.part"); len(old) > 0 {
		for _, p := range old {
			os.Remove(p)
		}
	}
	return o, nil
}

// MapOffers asks every connected peer whether it serves a street map
// (Config.MapFile) and returns those that do, in the order of the
// connections. Peers that have none, refuse this device or run a version
// without MapProtocolID are left out; each is given at most 5 s.
func (n *Node) MapOffers(ctx context.Context) []MapOffer {
	var out []MapOffer
	for _, p := range n.host.Libp2p().Network().Peers() {
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		o, err := mapOffer(c, n.host.Libp2p(), p)
		cancel()
		if err == nil {
			out = append(out, o)
		} else if !errors.Is(err, ErrNoMap) {
			n.log.Debug("street map offer", "peer", p, "err", err)
		}
	}
	return out
}

// FetchMap fetches the street map peer p serves into dest: the file is
// written beside dest and renamed to it only once whole and with the SHA-256
// the peer announced, so an installed map is never half replaced. A
// transfer cut off (the peer gone, ctx ended) is resumed by the next call
// from what arrived. progress, if set, is called with the bytes held and the
// size as they arrive; it must not block. Errors: ErrNoMap, ErrMapRefused,
// ErrMapBusy, ErrMapTooLarge, ErrMapDamaged; the transfer cut off or the
// file not writable, wrapped with the path and how far it got.
func (n *Node) FetchMap(ctx context.Context, p peer.ID, dest string, progress func(got, size int64)) (MapOffer, error) {
	return fetchMap(ctx, n.host.Libp2p(), p, dest, progress)
}

// ServesMap reports whether the node serves a street map (Config.MapFile).
func (n *Node) ServesMap() bool { return n.cfg.MapFile != "" }
