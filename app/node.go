package app

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/multiformats/go-multiaddr"
	"github.com/skip2/go-qrcode"

	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/join"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// EnvListen overrides the addresses the desktop app's node listens on: a
// comma-separated list of multiaddrs (e.g. "/ip4/127.0.0.1/tcp/0" for tests).
const EnvListen = "RELIEFMESH_LISTEN"

// settingJoinCode is the local setting holding the join code this device joined
// with; its addresses are redialled until the device is endorsed and on every start.
const settingJoinCode = "join/code"

// redialInterval is how often the join code's addresses are dialled again.
const redialInterval = 5 * time.Second

// node is the app's libp2p node: host, replicator and mDNS, started once the
// store has a network. It is owned by App and stopped by App.Shutdown.
type node struct {
	mu     sync.Mutex
	host   *p2p.Host
	rep    *replicate.Replicator
	mdns   interface{ Close() error }
	cancel context.CancelFunc
	done   chan struct{}
	err    error // why the node could not start, shown on the network screen
}

// startNode starts the node if the store has a network and it is not running.
// progress receives catch-up progress; it must not block.
func (a *App) startNode(ctx context.Context, st *store.Store, progress func(replicate.Progress), log *slog.Logger) {
	a.node.mu.Lock()
	defer a.node.mu.Unlock()
	if a.node.host != nil {
		return
	}
	n, ok := st.Network()
	if !ok {
		return
	}
	listen := p2p.DefaultListen
	if env := os.Getenv(EnvListen); env != "" {
		listen = strings.Split(env, ",")
	}
	h, err := p2p.New(st.PrivateKey(), st, p2p.Config{Listen: listen, Logger: log})
	if err != nil && os.Getenv(EnvListen) == "" {
		// the usual port is taken (another app on this computer): any port will do
		h, err = p2p.New(st.PrivateKey(), st, p2p.Config{Listen: []string{"/ip4/0.0.0.0/tcp/0", "/ip4/0.0.0.0/udp/0/quic-v1"}, Logger: log})
	}
	if err != nil {
		a.node.err = fmt.Errorf("start network node: %w", err)
		log.Error("network node not started", "err", err)
		return
	}
	rep, err := replicate.New(h, st, replicate.Config{OnProgress: progress, Logger: log})
	if err != nil {
		h.Close()
		a.node.err = fmt.Errorf("start replication: %w", err)
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	a.node.host, a.node.rep, a.node.cancel, a.node.done, a.node.err = h, rep, cancel, make(chan struct{}), nil
	go func() {
		defer close(a.node.done)
		if err := rep.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("replication stopped", "err", err)
		}
	}()
	// Keep dialling the join code's members and hubs: they refuse this device
	// until one of them endorses it, and catch-up starts on the first connection.
	if text, ok := st.Setting(settingJoinCode); ok {
		if c, err := join.Parse(text); err == nil && c.Network == n.ID {
			targets, _ := p2p.Targets(h.ID(), c.Addrs)
			waiting := func() bool { _, ok := st.Me(); return !ok }
			go h.Redial(ctx, targets, redialInterval, waiting, func(p peer.ID, err error) {
				log.Info("join: peer not reached yet", "peer", p, "err", err)
			})
		}
	}
	if m, err := h.StartMDNS(n.ID); err == nil {
		a.node.mdns = m
	} else {
		log.Warn("mDNS discovery not started; peers must be added by address", "err", err)
	}
}

// stopNode stops replication and closes the host; it waits for the replicator.
func (a *App) stopNode() {
	a.node.mu.Lock()
	defer a.node.mu.Unlock()
	if a.node.host == nil {
		return
	}
	if a.node.mdns != nil {
		a.node.mdns.Close()
	}
	a.node.cancel()
	<-a.node.done
	a.node.host.Close()
	a.node.host, a.node.rep, a.node.mdns = nil, nil, nil
}

func (a *App) running() (*p2p.Host, *replicate.Replicator) {
	a.node.mu.Lock()
	defer a.node.mu.Unlock()
	return a.node.host, a.node.rep
}

// PeerView is the honest sync status with one peer (replicate.PeerStatus).
type PeerView struct {
	Member       MemberRef `json:"member"`
	Connected    bool      `json:"connected"`
	Kind         string    `json:"kind"`  // lan, direct, relay; empty when not connected
	Known        bool      `json:"known"` // an exchange happened, so WeLack/TheyLack are real
	WeLack       int       `json:"weLack"`
	TheyLack     int       `json:"theyLack"`
	LastExchange int64     `json:"lastExchange"` // Unix milliseconds; 0 if never
	Synced       bool      `json:"synced"`       // only when the version vectors are equal
	Syncing      bool      `json:"syncing"`
	Applied      int       `json:"applied"`  // catch-up progress of the current or last round
	Expected     int       `json:"expected"` //
	LastError    string    `json:"lastError"`
}

// NodeView says whether this device's node runs and where it listens.
type NodeView struct {
	Running bool     `json:"running"`
	Error   string   `json:"error"` // why it is not running
	PeerID  string   `json:"peerId"`
	Addrs   []string `json:"addrs"`
}

// JoinCodeView is the join code as text and as a QR image (PNG data URL).
type JoinCodeView struct {
	Code string `json:"code"`
	QR   string `json:"qr"`
}

// Node reports the state of this device's network node.
func (s *NetworkService) Node() NodeView {
	h, _ := s.a.running()
	if h == nil {
		v := NodeView{Addrs: []string{}}
		s.a.node.mu.Lock()
		if s.a.node.err != nil {
			v.Error = s.a.node.err.Error()
		}
		s.a.node.mu.Unlock()
		return v
	}
	v := NodeView{Running: true, PeerID: h.ID().String(), Addrs: []string{}}
	for _, ad := range h.Addrs() {
		v.Addrs = append(v.Addrs, ad.String())
	}
	return v
}

// Peers returns the sync status with every known peer, connected first.
func (s *NetworkService) Peers() ([]PeerView, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	_, rep := s.a.running()
	out := []PeerView{}
	if rep == nil {
		return out, nil
	}
	names := memberNames(st)
	for _, p := range rep.Status() {
		v := PeerView{Member: MemberRef{ID: p.Device.String(), Name: names[p.Device]}, Connected: p.Connected, Kind: p.Kind,
			Known: p.Known, WeLack: p.WeLack, TheyLack: p.TheyLack, Synced: p.Synced, Syncing: p.Syncing, LastError: p.LastError}
		if !p.LastExchange.IsZero() {
			v.LastExchange = p.LastExchange.UnixMilli()
		}
		if p.Progress != nil {
			v.Applied, v.Expected = p.Progress.Applied, p.Progress.Expected
		}
		out = append(out, v)
	}
	return out, nil
}

// JoinCode returns the code a newcomer enters to join this network: network id
// and name and this node's addresses. Errors: CodeNoNetwork.
func (s *NetworkService) JoinCode() (JoinCodeView, error) {
	st, err := s.a.store()
	if err != nil {
		return JoinCodeView{}, err
	}
	n, ok := st.Network()
	if !ok {
		return JoinCodeView{}, &Error{Code: CodeNoNetwork, Message: "create or join a network first"}
	}
	c := join.Code{Network: n.ID, Name: n.Name}
	if h, _ := s.a.running(); h != nil {
		// LAN addresses first; loopback last (useful only on this computer)
		var lan, loop []string
		for _, ad := range h.Addrs() {
			a := ad.String() + "/p2p/" + h.ID().String()
			if strings.HasPrefix(a, "/ip4/127.") || strings.HasPrefix(a, "/ip6/::1/") {
				loop = append(loop, a)
			} else {
				lan = append(lan, a)
			}
		}
		c.Addrs = append(lan, loop...)
	}
	return codeView(c.String())
}

// MemberIDQR returns this device's member id as a QR image (PNG data URL), for
// a member to scan and endorse.
func (s *NetworkService) MemberIDQR() (JoinCodeView, error) {
	st, err := s.a.store()
	if err != nil {
		return JoinCodeView{}, err
	}
	return codeView(st.Device().String())
}

func codeView(text string) (JoinCodeView, error) {
	png, err := qrcode.Encode(text, qrcode.Medium, 256)
	if err != nil {
		return JoinCodeView{}, &Error{Code: CodeInvalid, Message: "qr: " + err.Error()}
	}
	return JoinCodeView{Code: text, QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)}, nil
}

// Join joins the network of a join code: the store takes its network id, the
// node starts and dials the code's addresses. The device then waits for a
// member to endorse its member id. Errors: CodeInvalid naming "joinCode";
// CodeNotAllowed naming "joinCode" while the practice network is open.
func (s *NetworkService) Join(code string) (Info, error) {
	c, err := join.Parse(code)
	if err != nil {
		return Info{}, joinCodeError(code, err)
	}
	if s.Info().Practice {
		return Info{}, &Error{Code: CodeNotAllowed, Field: "joinCode", Message: "the practice network is open: go back to your network to join one"}
	}
	st, err := s.a.store()
	if err != nil {
		return Info{}, err
	}
	if err := st.JoinNetwork(c.Network); err != nil {
		return Info{}, fieldError(CodeInvalid, "joinCode", "%v", err)
	}
	if err := st.SetSetting(settingJoinCode, c.String()); err != nil {
		return Info{}, asError(err)
	}
	s.a.ensureNode() // dials the code's addresses until endorsed
	info := s.Info()
	if info.NetworkName == "" {
		info.NetworkName = c.Name // the network record arrives with the first catch-up
	}
	return info, nil
}

// joinCodeError is CodeInvalid naming "joinCode", with the reason the UI
// explains: ReasonTruncated (characters missing), ReasonChecksum (a typo:
// the checksum does not match) or ReasonPrefix (not a join code).
func joinCodeError(code string, err error) *Error {
	e := fieldError(CodeInvalid, "joinCode", "%v", err)
	switch {
	case errors.Is(err, join.ErrTruncated):
		return e.Because(ReasonTruncated)
	case errors.Is(err, join.ErrMistyped):
		return e.Because(ReasonChecksum)
	case !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(code)), join.Prefix):
		return e.Because(ReasonPrefix, "prefix", join.Prefix)
	}
	return e
}

// Connect dials a peer by multiaddr typed by hand (with /p2p/ peer id).
// Errors: CodeInvalid naming "addr"; CodeNoNetwork when no node runs.
func (s *NetworkService) Connect(addr string) error {
	ma, err := multiaddr.NewMultiaddr(strings.TrimSpace(addr))
	if err != nil {
		return fieldError(CodeInvalid, "addr", "%v", err)
	}
	h, _ := s.a.running()
	if h == nil {
		return &Error{Code: CodeNoNetwork, Message: "the network node is not running"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := h.Connect(ctx, ma); err != nil {
		return fieldError(CodeUnreachable, "addr", "%v", err)
	}
	return nil
}
