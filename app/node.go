package app

import (
	"context"
	"encoding/base64"
	"log/slog"
	"sync"
	"time"

	"github.com/skip2/go-qrcode"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/node"
	"github.com/reliefmesh/reliefmesh/store"
)

// EnvListen overrides the addresses the desktop app's node listens on: a
// comma-separated list of multiaddrs (e.g. "/ip4/127.0.0.1/tcp/0" for tests).
// With it there is no fallback: failing to listen there is the node's error.
const EnvListen = "RELIEFMESH_LISTEN"

// nodeSlot holds the app's network node (node.DesktopConfig), started once
// the store has a network; it is owned by App and stopped by App.Shutdown.
type nodeSlot struct {
	mu  sync.Mutex
	n   *node.Node
	err error // why the node could not start, shown on the network screen
	// granting stops the desk's KeepGranting, which runs while the node
	// does; nil when it does not run.
	granting func()
}

// startNode starts the node on st if the store has a network and no node
// runs. Catch-up progress goes to st's bus (node publishes it).
func (a *App) startNode(ctx context.Context, st *store.Store, log *slog.Logger) {
	a.node.mu.Lock()
	defer a.node.mu.Unlock()
	if a.node.n != nil {
		return
	}
	if _, ok := st.Network(); !ok {
		return
	}
	cfg := a.nodeConfig()
	cfg.Logger = log
	n, err := node.Start(ctx, st, cfg)
	if err != nil {
		a.node.err = err
		log.Error("network node not started", "err", err)
		return
	}
	a.node.n, a.node.err = n, nil
	// Sealed values: publish this device's key, grant what it can open to
	// the members cleared to read it (the owner from the claim on).
	a.node.granting = desk.New(st).KeepGranting(ctx, log)
}

// stopNode stops the node and waits for everything it started.
func (a *App) stopNode() {
	a.node.mu.Lock()
	defer a.node.mu.Unlock()
	if a.node.n == nil {
		return
	}
	if a.node.granting != nil {
		a.node.granting()
		a.node.granting = nil
	}
	a.node.n.Close()
	a.node.n = nil
}

// running returns the running node, nil if none.
func (a *App) running() *node.Node {
	a.node.mu.Lock()
	defer a.node.mu.Unlock()
	return a.node.n
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
	// InStepAt is when a periodic round was last skipped because the
	// connected peer held everything this device held (Unix milliseconds;
	// 0 if never): peers in step exchange one round in ten, so the screen
	// shows this, not an aging LastExchange, when it is later.
	InStepAt  int64  `json:"inStepAt"`
	Synced    bool   `json:"synced"` // only when the version vectors are equal
	Syncing   bool   `json:"syncing"`
	Applied   int    `json:"applied"`  // catch-up progress of the current or last round
	Expected  int    `json:"expected"` //
	LastError string `json:"lastError"`
	// AckSeq is up to which of this device's own changes the peer has
	// acknowledged holding (store.Ack), AckAt when it said so (Unix
	// milliseconds; 0 when it never did), OwnSeq how many this device has
	// made: "has your changes up to #AckSeq", never a percentage.
	AckSeq uint64 `json:"ackSeq"`
	AckAt  int64  `json:"ackAt"`
	OwnSeq uint64 `json:"ownSeq"`
}

// NodeView says whether this device's node runs and where it listens.
type NodeView struct {
	Running bool     `json:"running"`
	Error   string   `json:"error"` // why it is not running
	PeerID  string   `json:"peerId"`
	Addrs   []string `json:"addrs"`
	// TakenPorts are the usual ports ("tcp/4717") another program (another
	// ReliefMesh on this computer) held, so the node listens on the ports
	// of Addrs instead; empty when it has them.
	TakenPorts []string `json:"takenPorts"`
}

// JoinCodeView is the join code as text and as a QR image (PNG data URL).
type JoinCodeView struct {
	Code string `json:"code"`
	QR   string `json:"qr"`
}

// Node reports the state of this device's network node.
func (s *NetworkService) Node() NodeView {
	n := s.a.running()
	if n == nil {
		v := NodeView{Addrs: []string{}, TakenPorts: []string{}}
		s.a.node.mu.Lock()
		if s.a.node.err != nil {
			v.Error = s.a.node.err.Error()
		}
		s.a.node.mu.Unlock()
		return v
	}
	v := NodeView{Running: true, PeerID: n.PeerID().String(), Addrs: n.Addrs(), TakenPorts: n.TakenPorts()}
	if v.Addrs == nil {
		v.Addrs = []string{}
	}
	if v.TakenPorts == nil {
		v.TakenPorts = []string{}
	}
	if err := n.Err(); err != nil {
		v.Error = err.Error()
	}
	return v
}

// Peers returns the sync status with every known peer, connected first.
func (s *NetworkService) Peers() ([]PeerView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	n := s.a.running()
	out := []PeerView{}
	if n == nil {
		return out, nil
	}
	names := dk.MemberNames()
	for _, p := range n.Peers() {
		v := PeerView{Member: MemberRef{ID: p.Device.String(), Name: names[p.Device]}, Connected: p.Connected, Kind: p.Kind,
			Known: p.Known, WeLack: p.WeLack, TheyLack: p.TheyLack, Synced: p.Synced, Syncing: p.Syncing, LastError: p.LastError}
		if !p.LastExchange.IsZero() {
			v.LastExchange = p.LastExchange.UnixMilli()
		}
		if !p.InStepAt.IsZero() {
			v.InStepAt = p.InStepAt.UnixMilli()
		}
		if p.Progress != nil {
			v.Applied, v.Expected = p.Progress.Applied, p.Progress.Expected
		}
		if ack, ok := dk.PeerAck(p.Device); ok {
			v.AckSeq, v.AckAt = ack.Seq, ack.At.UnixMilli()
		}
		v.OwnSeq = dk.VersionVector().Get(dk.Store().Device())
		out = append(out, v)
	}
	return out, nil
}

// JoinCode returns the code a newcomer enters to join this network: network id
// and name and this node's addresses (LAN first, loopback last). Errors:
// CodeNoNetwork.
func (s *NetworkService) JoinCode() (JoinCodeView, error) {
	st, err := s.a.store()
	if err != nil {
		return JoinCodeView{}, err
	}
	if n := s.a.running(); n != nil {
		return codeView(n.JoinCode().String())
	}
	c, err := node.CodeFor(st, nil) // no node: the code names the network only
	if err != nil {
		return JoinCodeView{}, &Error{Code: CodeNoNetwork, Message: "create or join a network first"}
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
	c, err := desk.ParseJoinCode(code)
	if err != nil {
		return Info{}, err
	}
	if s.Info().Practice {
		return Info{}, &Error{Code: CodeNotAllowed, Field: "joinCode", Message: "the practice network is open: go back to your network to join one"}
	}
	dk, err := s.a.desk()
	if err != nil {
		return Info{}, err
	}
	// the store keeps the code: the app and the hub dial its addresses on every start
	if err := dk.Join(c); err != nil {
		return Info{}, err
	}
	s.a.ensureNode() // dials the code's addresses (a running node on its next pass)
	info := s.Info()
	if info.NetworkName == "" {
		info.NetworkName = c.Name // the network record arrives with the first catch-up
	}
	return info, nil
}

// Connect dials a peer by multiaddr typed by hand (with /p2p/ peer id).
// Errors: CodeInvalid naming "addr" (not a multiaddr, or no /p2p/ peer id:
// node.CheckAddress); CodeNoNetwork when no node runs; CodeUnreachable
// naming "addr" when the dial fails or the peer refuses this device.
func (s *NetworkService) Connect(addr string) error {
	if err := node.CheckAddress(addr); err != nil {
		return fieldError(CodeInvalid, "addr", "%v", err)
	}
	n := s.a.running()
	if n == nil {
		return &Error{Code: CodeNoNetwork, Message: "the network node is not running"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := n.Connect(ctx, addr); err != nil {
		return fieldError(CodeUnreachable, "addr", "%v", err)
	}
	return nil
}
