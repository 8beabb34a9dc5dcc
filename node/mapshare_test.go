package node

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

// testMap copies the test PMTiles file into a temporary directory (tests
// damage it) and returns its path and bytes.
func testMap(t *testing.T) (string, []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "map", "area.pmtiles"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "area.pmtiles")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, b
}

// mapHub starts a coordinator's node serving the test map, and an endorsed
// member's node that reaches it by the join code.
func mapHub(t *testing.T) (hub, member *Node, mapFile string, want []byte) {
	t.Helper()
	mapFile, want = testMap(t)
	a := coordinator(t, 0)
	cfg := LoopbackConfig()
	cfg.MapFile = mapFile
	hub, err := Start(t.Context(), a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Close() })
	b := openStore(t, t.TempDir())
	if err := desk.New(b).Join(hub.JoinCode()); err != nil {
		t.Fatal(err)
	}
	if err := a.Endorse(b.Device(), relief.RoleVolunteer, "乙"); err != nil {
		t.Fatal(err)
	}
	member = start(t, b)
	poll(t, "the member sees the hub's map", func() error {
		if os := member.MapOffers(t.Context()); len(os) != 1 || os[0].Peer != hub.PeerID() {
			return fmt.Errorf("MapOffers() = %+v; want the hub's", os)
		}
		return nil
	})
	return hub, member, mapFile, want
}

// TestFetchMapFromHub: a member fetches the hub's street map over libp2p on
// loopback; the bytes are identical and progress ends at the size.
func TestFetchMapFromHub(t *testing.T) {
	hub, member, _, want := mapHub(t)
	offers := member.MapOffers(t.Context())
	if offers[0].Size != int64(len(want)) {
		t.Fatalf("offer size %d; want %d", offers[0].Size, len(want))
	}
	dest := filepath.Join(t.TempDir(), "maps", "area.pmtiles")
	// a transfer of an older version of the map, cut off: removed once the new one is in
	os.MkdirAll(filepath.Dir(dest), 0o700)
	os.WriteFile(dest+".0123456789abcdef.part", []byte("PMTiles\x03 old"), 0o600)
	var mu sync.Mutex
	var last, size int64
	o, err := member.FetchMap(t.Context(), hub.PeerID(), dest, func(got, n int64) {
		mu.Lock()
		last, size = got, n
		mu.Unlock()
	})
	if err != nil {
		t.Fatalf("FetchMap = %v", err)
	}
	got, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) || o.Size != int64(len(want)) {
		t.Fatalf("fetched %d bytes (offer %d); want the hub's %d bytes, identical", len(got), o.Size, len(want))
	}
	if last != size || size != int64(len(want)) {
		t.Errorf("last progress %d of %d; want %d of %d", last, size, len(want), len(want))
	}
	if parts, _ := filepath.Glob(dest + ".*.part"); len(parts) != 0 {
		t.Errorf("partial files left: %v", parts)
	}
}

// TestFetchMapResumes: a transfer cut off after half the file resumes from
// what arrived (the first progress report is already at that half).
func TestFetchMapResumes(t *testing.T) {
	hub, member, _, want := mapHub(t)
	dest := filepath.Join(t.TempDir(), "area.pmtiles")
	sum := member.MapOffers(t.Context())[0].SHA256
	half := len(want) / 2
	if err := os.WriteFile(partName(dest, sum), want[:half], 0o600); err != nil {
		t.Fatal(err)
	}
	first := int64(-1)
	_, err := member.FetchMap(t.Context(), hub.PeerID(), dest, func(got, _ int64) {
		if first < 0 {
			first = got
		}
	})
	if err != nil {
		t.Fatalf("FetchMap = %v", err)
	}
	if got, _ := os.ReadFile(dest); !bytes.Equal(got, want) {
		t.Fatalf("resumed file differs from the hub's (%d bytes; want %d)", len(got), len(want))
	}
	if first != int64(half) {
		t.Errorf("first progress at %d bytes; want the %d kept from before", first, half)
	}
}

// TestFetchMapDamaged: the hub's file is damaged on its disk after it was
// hashed (same size, same time): the member refuses what arrives, says so
// with ErrMapDamaged, keeps no file and no partial file.
func TestFetchMapDamaged(t *testing.T) {
	hub, member, mapFile, want := mapHub(t)
	fi, err := os.Stat(mapFile)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(want)
	bad[len(bad)/2] ^= 0xff
	if err := os.WriteFile(mapFile, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(mapFile, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "area.pmtiles")
	_, err = member.FetchMap(t.Context(), hub.PeerID(), dest, nil)
	if !errors.Is(err, ErrMapDamaged) {
		t.Fatalf("FetchMap of a damaged file = %v; want ErrMapDamaged", err)
	}
	if _, err := os.Stat(dest); err == nil {
		t.Errorf("a damaged map was installed at %s", dest)
	}
	if parts, _ := filepath.Glob(dest + ".*.part"); len(parts) != 0 {
		t.Errorf("damaged partial files kept: %v", parts)
	}
}

// TestFetchMapNonMember: a device that joined but was never endorsed gets
// no map: the hub refuses its connection; and where a connection is
// admitted anyway (a joiner admitted by the gater's hook), the map protocol
// itself refuses it with ErrMapRefused.
func TestFetchMapNonMember(t *testing.T) {
	hub, _, mapFile, _ := mapHub(t)
	c := openStore(t, t.TempDir())
	if err := desk.New(c).Join(hub.JoinCode()); err != nil {
		t.Fatal(err)
	}
	nc := start(t, c)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for _, a := range hub.Addrs() {
		nc.Connect(ctx, a) // refused by the hub's gater: tried for the record
	}
	dest := filepath.Join(t.TempDir(), "area.pmtiles")
	if _, err := nc.FetchMap(ctx, hub.PeerID(), dest, nil); err == nil {
		t.Fatalf("a non-member fetched the street map")
	}
	if _, err := os.Stat(dest); err == nil {
		t.Errorf("a non-member's fetch wrote %s", dest)
	}

	// A host that admits everyone at the connection level (as a joining
	// hook may) still serves the map to members only.
	a := hub.st
	open := func(ledger.DeviceID, network.Direction) bool { return true }
	server, err := p2p.New(a.PrivateKey(), a, p2p.Config{Listen: []string{"/ip4/127.0.0.1/tcp/0"}, Joining: open})
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	server.Libp2p().SetStreamHandler(MapProtocolID, newMapServer(mapFile, a).handle)
	client, err := p2p.New(c.PrivateKey(), c, p2p.Config{Listen: []string{"/ip4/127.0.0.1/tcp/0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if err := client.ConnectInfo(ctx, peer.AddrInfo{ID: server.ID(), Addrs: server.Addrs()}); err != nil {
		t.Fatalf("connect to the open host: %v", err)
	}
	if _, err := fetchMap(ctx, client.Libp2p(), server.ID(), dest, nil); !errors.Is(err, ErrMapRefused) {
		t.Fatalf("fetchMap by a non-member = %v; want ErrMapRefused", err)
	}
	if _, err := os.Stat(dest); err == nil {
		t.Errorf("a refused fetch wrote %s", dest)
	}
}

// TestMapServerOneTransferPerPeer: a member has one transfer at a time, and
// all members together MaxMapTransfers.
func TestMapServerOneTransferPerPeer(t *testing.T) {
	ms := newMapServer("", nil)
	if !ms.take("a") || ms.take("a") {
		t.Fatalf("take(a) twice: want the first only")
	}
	ms.release("a")
	if !ms.take("a") {
		t.Fatalf("take(a) after release = false")
	}
	for i := 1; i < MaxMapTransfers; i++ {
		if !ms.take(peer.ID(fmt.Sprint("p", i))) {
			t.Fatalf("transfer %d refused; want %d at a time", i+1, MaxMapTransfers)
		}
	}
	if ms.take("z") {
		t.Fatalf("transfer %d admitted; want at most %d", MaxMapTransfers+1, MaxMapTransfers)
	}
}
