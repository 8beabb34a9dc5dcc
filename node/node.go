package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/join"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// Node is one device's running network node: host, replicator, mDNS and
// redial, on one store. Its methods are safe for concurrent use. Close stops it.
type Node struct {
	st      *store.Store
	cfg     Config
	network string
	log     *slog.Logger
	host    *p2p.Host
	rep     *replicate.Replicator
	mdns    io.Closer
	peers   []peer.AddrInfo // from cfg.Peers

	cancel    context.CancelFunc
	wg        sync.WaitGroup // every goroutine Start started
	closeOnce sync.Once
	closeErr  error

	listenNote string   // which configured ports were taken and which the node took; set by Start
	taken      []string // the configured "proto/port"s another program held; set by Start

	mu       sync.Mutex
	err      error  // why replication stopped, if it did
	codeText string // the join code text last read from the store
	// notMember are the targets (cfg.Peers, the join code's) that this
	// device's gater refused to dial: not members of its network (another
	// incident's hub, or a device nobody endorsed yet), with the
	// addresses they were dialled at; logged once each.
	notMember map[peer.ID][]ma.Multiaddr
	code      []peer.AddrInfo // its addresses (for our network only)
}

// Start starts the network node of st's network with cfg: it listens (on
// cfg.FallbackListen if cfg.Listen fails), runs the replicator, starts mDNS
// when cfg.MDNS, and keeps dialling cfg.Peers and the addresses of the join
// code kept in the store. It returns once the replicator serves. The node
// runs until Close (or until ctx ends; Close must still be called). Errors:
// ErrNoNetwork; the host could not listen; the replicator could not start.
func Start(ctx context.Context, st *store.Store, cfg Config) (*Node, error) {
	cfg.fill()
	nw, ok := st.Network()
	if !ok {
		return nil, ErrNoNetwork
	}
	log := cfg.Logger
	hcfg := p2p.Config{Listen: cfg.Listen, RelayService: cfg.RelayService, Logger: log,
		ConnsPerIP: cfg.ConnsPerIP, ConnLow: cfg.ConnLow, ConnHigh: cfg.ConnHigh, ForcePrivate: cfg.ForcePrivate, NoAnnounce: cfg.NoAnnounce}
	// The relay candidates are the join code's addresses (hubs), known once
	// the node exists; asked again by libp2p whenever it needs a slot.
	var self atomic.Pointer[Node]
	if cfg.UseRelays {
		hcfg.Relays = func() []peer.AddrInfo {
			if n := self.Load(); n != nil {
				return n.targets()
			}
			return nil
		}
	}
	taken := takenPorts(cfg.Listen)
	if len(taken) > 0 && len(cfg.FallbackListen) == 0 {
		return nil, &PortsTakenError{Ports: taken}
	}
	var h *p2p.Host
	var err error
	if len(taken) > 0 {
		err = fmt.Errorf("port %s taken by another program", strings.Join(taken, ", "))
	} else {
		h, err = p2p.New(st.PrivateKey(), st, hcfg)
	}
	if err != nil && len(cfg.FallbackListen) > 0 {
		log.Warn("listen addresses taken: listening on the fallback", "listen", cfg.Listen, "err", err)
		hcfg.Listen = cfg.FallbackListen
		h, err = p2p.New(st.PrivateKey(), st, hcfg)
	}
	if err != nil {
		return nil, fmt.Errorf("start network node: %w", err)
	}
	n := &Node{st: st, cfg: cfg, network: nw.ID, log: log, host: h}
	n.taken = taken
	if n.listenNote = listenNote(taken, n.Addrs()); n.listenNote != "" {
		log.Warn(n.listenNote)
	}
	n.rep, err = replicate.New(h, st, replicate.Config{Interval: cfg.Interval, Logger: log, OnProgress: n.progress,
		MaxRoundsPerPeer: cfg.MaxRoundsPerPeer, MaxInboundRounds: cfg.MaxInboundRounds, GossipD: cfg.GossipD,
		IDontWantAbove: cfg.IDontWantAbove})
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("start network node: %w", err)
	}
	peers, bad := p2p.Targets(h.ID(), cfg.Peers)
	for _, err := range bad {
		log.Error("bad peer address", "err", err)
	}
	n.peers = peers
	self.Store(n) // set up as targets reads it: the relay finder may ask from now on

	ctx, n.cancel = context.WithCancel(ctx)
	runErr := make(chan error, 1)
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		err := n.rep.Run(ctx)
		if err != nil && !errors.Is(err, context.Canceled) {
			log.Error("replication stopped", "err", err)
			n.mu.Lock()
			n.err = fmt.Errorf("replication stopped: %w", err)
			n.mu.Unlock()
		}
		runErr <- err
	}()
	select {
	case <-n.rep.Ready():
	case err := <-runErr:
		n.cancel()
		n.wg.Wait()
		h.Close()
		return nil, fmt.Errorf("start network node: %w", err)
	}
	if cfg.MapFile != "" {
		h.Libp2p().SetStreamHandler(MapProtocolID, newMapServer(cfg.MapFile, st).handle)
	}
	if cfg.MDNS {
		if m, err := h.StartMDNS(nw.ID); err != nil {
			log.Warn("mDNS discovery not started; peers must be added by address", "err", err)
		} else {
			n.mdns = m
		}
	}
	n.wg.Add(1)
	go func() { defer n.wg.Done(); n.redial(ctx) }()
	return n, nil
}

// progress publishes a catch-up round's progress on the store's bus. It is
// called from the round's goroutine and does not block.
func (n *Node) progress(p replicate.Progress) {
	sp := store.SyncProgress{Device: p.Device, Expected: p.Expected, Received: p.Received, Applied: p.Applied, Done: p.Done}
	if p.Err != nil {
		sp.Err = p.Err.Error()
	}
	n.st.PublishSyncProgress(sp)
	if p.Done && p.Err == nil {
		n.confirmOwnHead(p)
	}
	if p.Done && errors.Is(p.Err, store.ErrDiskFull) {
		n.log.Error("catch-up paused: the disk is short of space; what is held is still served, free space to receive again", "peer", p.Peer, "err", p.Err)
	}
}

// confirmOwnHead ends the store's wait for its own feed after an unclean
// stop (store.Store.Recovering) once a catch-up round with a peer completed
// and this device holds its own feed as far as that peer did.
func (n *Node) confirmOwnHead(p replicate.Progress) {
	why := n.st.Recovering()
	if why == "" {
		return
	}
	for _, ps := range n.rep.Status() {
		if ps.Peer != p.Peer || ps.Theirs == nil {
			continue
		}
		if n.st.ConfirmOwnHead(ps.Theirs) {
			n.log.Info("own feed recovered from a peer: writing again", "peer", p.Peer, "after", why)
		}
		return
	}
}

// endorsed reports whether this device is an active member of its network
// (peers refuse it until a member endorses it).
func (n *Node) endorsed() bool {
	_, ok := n.st.Me()
	return ok
}

// redial dials cfg.Peers and the join code's addresses that are not
// connected, now and every cfg.Redial, until ctx ends.
func (n *Node) redial(ctx context.Context) {
	t := time.NewTicker(n.cfg.Redial)
	defer t.Stop()
	waiting := func() bool { return !n.endorsed() }
	var targets []peer.AddrInfo // this pass's (DialMissing calls onErr before it returns)
	onErr := func(p peer.ID, err error) {
		if errors.Is(err, swarm.ErrGaterDisallowedConnection) {
			var addrs []ma.Multiaddr
			if i := slices.IndexFunc(targets, func(t peer.AddrInfo) bool { return t.ID == p }); i >= 0 {
				addrs = targets[i].Addrs
			}
			n.mu.Lock()
			_, known := n.notMember[p]
			if n.notMember == nil {
				n.notMember = map[peer.ID][]ma.Multiaddr{}
			}
			n.notMember[p] = addrs
			n.mu.Unlock()
			if !known { // once, not at every redial
				nm := n.notMemberOf(p, addrs)
				n.log.Warn("peer is not a member of this network (another incident's hub, or a device not endorsed yet): not dialled until it is",
					"addr", strings.Join(nm.Addrs, " "), "member", nm.Device.Short(), "name", nm.Name, "revoked", nm.Revoked, "peer", p)
			}
			return
		}
		if n.endorsed() {
			n.log.Warn("peer unreachable", "peer", p, "err", err)
		} else {
			n.log.Info("waiting for endorsement", "member", n.st.Device().String(), "peer", p, "err", err)
		}
	}
	for {
		targets = n.targets()
		n.host.DialMissing(ctx, targets, waiting, onErr)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// targets returns cfg.Peers and the addresses of the join code kept in the
// store (re-read, so that a code kept after Start is dialled too).
func (n *Node) targets() []peer.AddrInfo {
	text, _ := n.st.JoinCode()
	n.mu.Lock()
	defer n.mu.Unlock()
	if text != n.codeText {
		n.codeText, n.code = text, nil
		if c, ok, err := SavedJoinCode(n.st); err != nil {
			n.log.Warn("saved join code unreadable: not dialling its addresses", "err", err)
		} else if ok && c.Network == n.network {
			var bad []error
			n.code, bad = p2p.Targets(n.host.ID(), c.Addrs)
			for _, err := range bad {
				n.log.Warn("join code: bad address", "err", err)
			}
		}
	}
	out := slices.Clone(n.peers)
	for _, c := range n.code {
		i := slices.IndexFunc(out, func(x peer.AddrInfo) bool { return x.ID == c.ID })
		if i < 0 {
			out = append(out, c)
		} else {
			out[i].Addrs = append(slices.Clone(out[i].Addrs), c.Addrs...)
		}
	}
	return out
}

// Close stops the node: mDNS, the redial loop and the replicator (running
// rounds are cut), then the host. It waits for every goroutine Start started
// and returns the host's close error. Calling it again returns the same.
func (n *Node) Close() error {
	n.closeOnce.Do(func() {
		if n.mdns != nil {
			n.mdns.Close()
		}
		n.cancel()
		n.wg.Wait()
		n.closeErr = n.host.Close()
	})
	return n.closeErr
}

// Err returns why the node stopped working (the replicator stopped with an
// error), or nil while it works.
func (n *Node) Err() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.err
}

// Host returns the libp2p host, for protocols and status built on it.
func (n *Node) Host() *p2p.Host { return n.host }

// Replicator returns the replicator, for its counters (Stats) and rounds.
func (n *Node) Replicator() *replicate.Replicator { return n.rep }

// PeerID returns the node's libp2p peer id (the device key).
func (n *Node) PeerID() peer.ID { return n.host.ID() }

// Addrs returns the node's dialable listen addresses, each ending in
// /p2p/<peer id>, without duplicates: LAN and public addresses first,
// loopback last (useful only on this computer).
func (n *Node) Addrs() []string {
	var lan, loop []string
	for _, a := range n.host.Addrs() {
		s := a.String()
		if slices.Contains(lan, s) || slices.Contains(loop, s) {
			continue
		}
		if strings.HasPrefix(s, "/ip4/127.") || strings.HasPrefix(s, "/ip6/::1/") {
			loop = append(loop, s)
		} else {
			lan = append(lan, s)
		}
	}
	return append(lan, loop...)
}

// JoinCode returns the join code to show a newcomer: the network's id and
// name (the name is empty until the network record has arrived) and this
// node's addresses (Addrs).
func (n *Node) JoinCode() join.Code {
	nw, _ := n.st.Network()
	nw.ID = n.network
	return codeOf(nw, n.Addrs())
}

// NotMembers returns, sorted, the peers to keep connected to (Config.Peers,
// the join code's addresses) that this device refuses to dial because they
// are not members of its network: another incident's hub, or a device nobody
// endorsed yet. A peer leaves the list once connected. NotMemberPeers says
// what is known of each.
func (n *Node) NotMembers() []peer.ID {
	var out []peer.ID
	for _, nm := range n.NotMemberPeers() {
		out = append(out, nm.Peer)
	}
	return out
}

// NotMember is what this device knows of a peer it refuses to dial
// (NotMembers): the gater refuses before any exchange, so the peer never
// tells its incident; it is named by its address and its member id, and by
// its name when this network's roster holds it (a revoked member).
type NotMember struct {
	Peer    peer.ID
	Device  ledger.DeviceID // the member id of its key (Short: the 8 characters shown)
	Addrs   []string        // the addresses it is dialled at, without /p2p/<peer id>; nil when not known
	Name    string          // its name in this network's roster; "" when not in it
	Revoked bool            // it was a member of this network and was revoked
}

// NotMemberPeers returns NotMembers, sorted by peer id, each with what is
// known of it.
func (n *Node) NotMemberPeers() []NotMember {
	n.mu.Lock()
	var ps []peer.ID
	addrs := map[peer.ID][]ma.Multiaddr{}
	for p, a := range n.notMember {
		if n.host.Libp2p().Network().Connectedness(p) == network.Connected {
			delete(n.notMember, p)
			continue
		}
		ps, addrs[p] = append(ps, p), a
	}
	n.mu.Unlock()
	slices.Sort(ps)
	out := make([]NotMember, 0, len(ps))
	for _, p := range ps {
		out = append(out, n.notMemberOf(p, addrs[p]))
	}
	return out
}

// notMemberOf returns what is known of the refused peer p dialled at addrs.
func (n *Node) notMemberOf(p peer.ID, addrs []ma.Multiaddr) NotMember {
	nm := NotMember{Peer: p}
	for _, a := range addrs {
		nm.Addrs = append(nm.Addrs, a.String())
	}
	if d, err := p2p.DeviceOf(p); err == nil {
		nm.Device = d
		if m, ok := n.st.Member(d); ok {
			nm.Name, nm.Revoked = m.Name, m.Revoked
		}
	}
	return nm
}

// Peer is the sync status with one peer and where it is reached.
type Peer struct {
	replicate.PeerStatus
	// Addrs are the peer's addresses: those of the open connections when
	// connected, else those last known (may be empty).
	Addrs []string
}

// Peers returns the status of every peer that is connected or was exchanged
// with since Start, connected peers first, then by peer id: how it is
// connected (Kind), what each side lacks, the last exchange, the round under
// way.
func (n *Node) Peers() []Peer {
	st := n.rep.Status()
	net := n.host.Libp2p().Network()
	out := make([]Peer, 0, len(st))
	for _, s := range st {
		p := Peer{PeerStatus: s, Addrs: []string{}}
		if conns := net.ConnsToPeer(s.Peer); len(conns) > 0 {
			for _, c := range conns {
				if a := c.RemoteMultiaddr().String(); !slices.Contains(p.Addrs, a) {
					p.Addrs = append(p.Addrs, a)
				}
			}
		} else {
			for _, a := range n.host.Libp2p().Peerstore().Addrs(s.Peer) {
				p.Addrs = append(p.Addrs, a.String())
			}
		}
		out = append(out, p)
	}
	return out
}

// CheckAddress returns nil when addr (trimmed) is a multiaddr ending in
// /p2p/PEER_ID, as Connect needs, and ErrBadAddress (wrapped, with the
// reason) otherwise. It needs no running node: a form checks an address with
// it before the node is asked.
func CheckAddress(addr string) error {
	a, err := ma.NewMultiaddr(strings.TrimSpace(addr))
	if err == nil {
		_, err = peer.AddrInfoFromP2pAddr(a)
	}
	if err != nil {
		return fmt.Errorf("connect %q: %w: %v", addr, ErrBadAddress, err)
	}
	return nil
}

// Connect dials addr, a multiaddr ending in /p2p/PEER_ID typed by a person,
// and waits until connected or ctx ends; catch-up starts on the connection.
// Errors: ErrBadAddress (wrapped) when addr is not such an address
// (CheckAddress); the dial failed or the peer refused this device (not a
// member), wrapped.
func (n *Node) Connect(ctx context.Context, addr string) error {
	if err := CheckAddress(addr); err != nil {
		return err
	}
	a, _ := ma.NewMultiaddr(strings.TrimSpace(addr)) // CheckAddress parsed it
	if err := n.host.Connect(ctx, a); err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	return nil
}

// ListenNote says, in English for the log and the hub, that a configured
// port was taken by another program (another ReliefMesh on this computer)
// and which port the node listens on instead; empty when the node has its
// configured ports. TakenPorts gives the same as data for the UI.
func (n *Node) ListenNote() string { return n.listenNote }

// TakenPorts returns the configured ports ("tcp/4717", "udp/4717") that
// another program held when the node started, so that it listens on its
// fallback (Addrs says where); nil when it has its configured ports.
func (n *Node) TakenPorts() []string { return slices.Clone(n.taken) }
