package main

// The control socket: while `serve` runs it holds the store (Badger locks the
// data dir), so the other subcommands ask the running hub instead of opening
// the store, over HTTP on a unix socket in the data dir, as Tailscale's
// LocalAPI does. Requests and answers are JSON, except bundles and bulletins,
// whose bytes are streamed.
//
//	GET  /v0/status          → hubStatus
//	GET  /v0/members         → []memberJSON
//	GET  /v0/inbox           → []pendingJSON (this hub's member's)
//	POST /v0/endorse         endorseRequest → endorseRequest
//	GET  /v0/join-code       → joinCodeInfo (node.Node.JoinCode)
//	POST /v0/join            joinRequest → joinAnswer (desk.Desk.Join: the code is kept in the store)
//	POST /v0/bundle/export   ?for=MEMBER_ID, body: CBOR version vector or empty → bundle bytes;
//	                         trailers Bundle-Count and Bundle-Error
//	POST /v0/bundle/import   body: bundle bytes → importResult
//	GET  /v0/bundle/vv       → CBOR version vector
//	POST /v0/import          ?id=ID[&dry_run=1], body []importer.Record → importAnswer;
//	                         stops between batches when the client goes away or
//	POST /v0/import/cancel   ?id=ID cancels import ID (Ctrl-C on the client) → {}
//	POST /v0/export          exportRequest → bulletin bytes; headers Demand-Count, Unpublished-Count
//	POST /v0/sign            ?name=FILE, body: the file's bytes → its .sig (desk.Desk.SignBulletin)
//	POST /v0/import/undo     [&dry_run=1], undoRequest → desk.UndoImportPlan
//	POST /v0/covenant        covenantRequest → covenantRequest (desk.Desk.WriteCovenant)
//
// Errors are a status code and errorBody.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
	rmnode "github.com/reliefmesh/reliefmesh/node"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
	"github.com/reliefmesh/reliefmesh/sync/changestream"
	"github.com/reliefmesh/reliefmesh/sync/join"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// socketName is the control socket's file name in the data dir.
const socketName = "hub.sock"

// badgerLocked is how Badger says another process holds the directory lock
// (it has no sentinel error).
const badgerLocked = "Another process is using this Badger database"

// socketPath returns the control socket of data dir dir.
func socketPath(dir string) string { return filepath.Join(dir, socketName) }

// openStore opens the store in dir for a subcommand when no hub serves it.
// A directory locked by another process (the desktop app, or a hub that is
// starting) gets an error saying so, in sp's language, instead of Badger's.
func openStore(dir string, opts store.Options, sp speaker) (*store.Store, error) {
	st, err := openRetrying(dir, opts, 3*time.Second)
	if err != nil && strings.Contains(err.Error(), badgerLocked) {
		return nil, sp.errorf("err.inuse", dir)
	}
	return st, err
}

// openRetrying opens the store in dir, retrying for up to wait while another
// process holds Badger's lock: a one-shot subcommand (status, endorse) holds
// it for a moment, and a hub starting meanwhile must not fail because of it.
func openRetrying(dir string, opts store.Options, wait time.Duration) (*store.Store, error) {
	deadline := time.Now().Add(wait)
	for {
		st, err := store.Open(dir, opts)
		if err == nil || !strings.Contains(err.Error(), badgerLocked) || time.Now().After(deadline) {
			return st, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// node is a running hub: what the control socket answers from. Every
// command and query goes through its desk (see desk()).
type node struct {
	st *store.Store
	dk *desk.Desk   // the desk on st
	rn *rmnode.Node // the running network node
	h  *p2p.Host    // rn's host
	r  *replicate.Replicator

	// err returns why the network node stopped working, nil while it works
	// (rn.Err; tests replace it).
	err func() error

	// imports are the imports running through the control socket (set by
	// handler), which stop at their next batch when the hub stops.
	imports *runningImports
}

// newNode returns the hub of the running network node rn on st, with dk the
// desk on st.
func newNode(st *store.Store, dk *desk.Desk, rn *rmnode.Node) *node {
	return &node{st: st, dk: dk, rn: rn, h: rn.Host(), r: rn.Replicator(), err: rn.Err}
}

// desk returns the desk on the node's store.
func (n *node) desk() *desk.Desk { return n.dk }

// hubStatus is what `status --json` prints: the desk's status (its fields at
// the top level), the sync status per peer, and the serving hub (null when no
// hub serves the data dir; peers is then empty).
type hubStatus struct {
	desk.Status
	Peers []peerStatus `json:"peers"`
	Hub   *hubInfo     `json:"hub"`
}

// hubInfo describes the hub serving the data dir.
type hubInfo struct {
	PeerID string   `json:"peer_id"`
	Addrs  []string `json:"addrs"`
	// WaitingForEndorsement is true while this device is not an active member:
	// no member admits it until one endorses its member id.
	WaitingForEndorsement bool `json:"waiting_for_endorsement"`
	// Error says why the network node stopped working (node.Node.Err:
	// replication stopped); empty while it works.
	Error string `json:"error"`
	// Sync counts what replication did since the hub started; its rejected
	// map counts what peers sent that was not a change at all (malformed or
	// oversized frames, other networks, changes outside the announced ranges).
	// Changes the store refused are in the top-level "rejected".
	Sync syncStats `json:"sync"`
	// NotMembers are the peer ids of --peer (or join code) addresses this
	// hub does not dial: not members of its network (node.Node.NotMembers).
	NotMembers []string `json:"not_members,omitempty"`
	// NotMemberPeers say, for each of NotMembers in the same order, what
	// is known of it (node.NotMember): it is named by these, not by its
	// peer id.
	NotMemberPeers []notMemberJSON `json:"not_member_peers,omitempty"`
}

// notMemberJSON is a node.NotMember: the peer id, the member id of its key
// (whole), its addresses (multiaddrs without /p2p/), its name in this
// network's roster ("" when not in it) and whether it was revoked.
type notMemberJSON struct {
	Peer    string   `json:"peer"`
	Member  string   `json:"member"`
	Addrs   []string `json:"addrs,omitempty"`
	Name    string   `json:"name,omitempty"`
	Revoked bool     `json:"revoked,omitempty"`
}

// syncStats is replicate.Stats on the wire.
type syncStats struct {
	Rounds         uint64            `json:"rounds"`
	RoundsFailed   uint64            `json:"rounds_failed"`
	Sent           uint64            `json:"sent"`
	Received       uint64            `json:"received"`
	Applied        uint64            `json:"applied"`
	GossipAccepted uint64            `json:"gossip_accepted"`
	GossipIgnored  uint64            `json:"gossip_ignored"`
	GossipRejected uint64            `json:"gossip_rejected"`
	Published      uint64            `json:"published"`
	Rejected       map[string]uint64 `json:"rejected"`
	// StreamsRefused counts catch-up streams reset unread because their
	// member (or all members together) already ran as many rounds with this
	// hub as it serves at once.
	StreamsRefused uint64 `json:"streams_refused"`
	// Refilled counts changes this hub's store had lost from its disk and
	// got back from members in catch-up.
	Refilled uint64 `json:"refilled"`
}

// peerStatus is replicate.PeerStatus on the wire.
type peerStatus struct {
	Member       string         `json:"member"`
	PeerID       string         `json:"peer_id"`
	Connected    bool           `json:"connected"`
	Kind         string         `json:"kind"` // lan, direct, relay; "" when not connected
	Synced       bool           `json:"synced"`
	Known        bool           `json:"known"` // we_lack and they_lack come from an exchange
	WeLack       int            `json:"we_lack"`
	TheyLack     int            `json:"they_lack"`
	LastExchange string         `json:"last_exchange,omitempty"` // RFC 3339; absent if never
	InStepAt     string         `json:"in_step_at,omitempty"`    // RFC 3339: a periodic round last skipped, the peer holding all we hold; absent if never
	Syncing      bool           `json:"syncing"`
	Progress     *progressState `json:"progress"`
	LastError    string         `json:"last_error"`
}

// progressState is a catch-up round's progress on the wire.
type progressState struct {
	Applied  int  `json:"applied"`
	Expected int  `json:"expected"`
	Received int  `json:"received"`
	Done     bool `json:"done"`
}

func peersToWire(ps []replicate.PeerStatus) []peerStatus {
	out := make([]peerStatus, 0, len(ps))
	for _, p := range ps {
		w := peerStatus{
			Member: p.Device.String(), PeerID: p.Peer.String(), Connected: p.Connected, Kind: p.Kind,
			Synced: p.Synced, Known: p.Known, WeLack: p.WeLack, TheyLack: p.TheyLack,
			Syncing: p.Syncing, LastError: p.LastError,
		}
		if !p.LastExchange.IsZero() {
			w.LastExchange = p.LastExchange.UTC().Format(time.RFC3339)
		}
		if !p.InStepAt.IsZero() {
			w.InStepAt = p.InStepAt.UTC().Format(time.RFC3339)
		}
		if p.Progress != nil {
			w.Progress = &progressState{Applied: p.Progress.Applied, Expected: p.Progress.Expected,
				Received: p.Progress.Received, Done: p.Progress.Done}
		}
		out = append(out, w)
	}
	return out
}

// status returns the node's status.
func (n *node) status() hubStatus {
	s := hubStatus{Status: n.desk().Status(), Peers: peersToWire(n.r.Status())}
	st := n.r.Stats()
	sync := syncStats{Rounds: st.Rounds, RoundsFailed: st.RoundsFailed, Sent: st.Sent, Received: st.Received,
		Applied: st.Applied, GossipAccepted: st.GossipAccepted, GossipIgnored: st.GossipIgnored,
		GossipRejected: st.GossipRejected, Published: st.Published, Rejected: map[string]uint64{},
		StreamsRefused: st.StreamsRefused, Refilled: st.Refilled}
	for r, c := range st.Rejected {
		sync.Rejected[string(r)] = c
	}
	s.Hub = &hubInfo{PeerID: n.h.ID().String(), Addrs: n.addrs(), WaitingForEndorsement: s.Role == "" || s.Revoked, Sync: sync}
	if n.err != nil {
		if err := n.err(); err != nil {
			s.Hub.Error = err.Error()
		}
	}
	if n.rn != nil {
		for _, p := range n.rn.NotMemberPeers() {
			s.Hub.NotMembers = append(s.Hub.NotMembers, p.Peer.String())
			s.Hub.NotMemberPeers = append(s.Hub.NotMemberPeers, notMemberJSON{Peer: p.Peer.String(), Member: p.Device.String(),
				Addrs: p.Addrs, Name: p.Name, Revoked: p.Revoked})
		}
	}
	return s
}

// addrs returns the hub's dialable addresses, each ending in /p2p/<peer id>
// (node.Node.Addrs: LAN and public first, loopback last).
func (n *node) addrs() []string {
	if a := n.rn.Addrs(); a != nil {
		return a
	}
	return []string{}
}

// endorsed reports whether this device is an active member of its network.
func endorsed(st *store.Store) bool {
	m, ok := st.Me()
	return ok && !m.Revoked
}

// undoRequest is the body of /v0/import/undo: the ids an import wrote, and
// of them those it updated rather than created (desk.Desk.PlanUndoImport;
// absent from an older hub's request: then they are told as changed).
type undoRequest struct {
	IDs     []string `json:"ids"`
	Updated []string `json:"updated,omitempty"`
}

// endorseRequest is the body of /v0/endorse, and its answer: then Name is
// the member's name in the roster and PromotedFrom, when not empty, the role
// an existing member had before it was promoted to Role instead.
type endorseRequest struct {
	Member       string `json:"member"`
	Role         string `json:"role"`
	Name         string `json:"name"`
	PromotedFrom string `json:"promoted_from,omitempty"`
}

// endorseOrPromote endorses req's member, or promotes it when it is one
// already (desk.EndorseOrPromote), and returns the answer of /v0/endorse.
func endorseOrPromote(dk *desk.Desk, req endorseRequest) (endorseRequest, error) {
	before, promoted, err := dk.EndorseOrPromote(req.Member, req.Role, req.Name)
	if err != nil {
		return req, err
	}
	if promoted {
		req.Name, req.PromotedFrom = before.Name, string(before.Role)
	}
	return req, nil
}

// joinCodeInfo is the answer of /v0/join-code.
type joinCodeInfo struct {
	Code    string   `json:"code"`
	Network string   `json:"network"`
	Name    string   `json:"name"`
	Addrs   []string `json:"addrs"`
}

// codeInfo returns c on the wire.
func codeInfo(c join.Code) joinCodeInfo {
	addrs := c.Addrs
	if addrs == nil {
		addrs = []string{}
	}
	return joinCodeInfo{Code: c.String(), Network: c.Network, Name: c.Name, Addrs: addrs}
}

// joinRequest is the body of /v0/join: a join code as typed.
type joinRequest struct {
	Code string `json:"code"`
}

// joinAnswer is the answer of /v0/join: the network joined, this device's
// member id, and whether it is already an active member (nobody needs to
// endorse it).
type joinAnswer struct {
	Network string `json:"network"`
	Name    string `json:"name"`
	Device  string `json:"device"`
	Member  bool   `json:"member"`
}

// importResult is bundle.Result on the wire, with the import's error.
type importResult struct {
	Received   int `json:"received"`
	Applied    int `json:"applied"`
	Duplicates int `json:"duplicates"`
	Held       int `json:"held"`
	Refused    int `json:"refused"`
	// RefusedAgain are changes refused before, refused again and not
	// counted again (a bundle imported twice).
	RefusedAgain int    `json:"refused_again"`
	Error        string `json:"error,omitempty"`
	// Code is the desk's code of Error (desk.CodeBundleOtherNetwork,
	// desk.CodeNotBundle, …), so that the client says it in its person's
	// language with the hint after it, as without a serving hub; "" when
	// the error has none.
	Code string `json:"code,omitempty"`
	// Network is, for desk.CodeBundleOtherNetwork, the bundle's network id
	// (the client says its short form); "" otherwise.
	Network string `json:"network,omitempty"`
	// Damage is the damage to the bundle file (bundle.FileError), so that
	// the client says how much was read and never read; nil otherwise.
	Damage *fileDamage `json:"damage,omitempty"`
}

// fileDamage is a bundle.FileError on the wire.
type fileDamage struct {
	Kind       string `json:"kind"`
	CountKnown bool   `json:"count_known"`
	Changes    uint64 `json:"changes"`
	Read       int    `json:"read"`
	Applied    int    `json:"applied"`
	// ReadAfter, Places and Missing: changes read after the damage, the
	// runs of bytes skipped, and what the store still lacks (absent from
	// an older hub's answer: then not said).
	ReadAfter int           `json:"read_after,omitempty"`
	Places    []damagePlace `json:"places,omitempty"`
	Missing   []missingRun  `json:"missing,omitempty"`
}

// damagePlace is a changestream.Damage on the wire.
type damagePlace struct {
	Offset  int64 `json:"offset"`  // byte of the file where it starts
	Bytes   int64 `json:"bytes"`   // bytes skipped
	Changes int   `json:"changes"` // changes read before it
	ToEnd   bool  `json:"to_end,omitempty"`
	Cut     bool  `json:"cut,omitempty"`
}

// missingRun is a bundle.Missing on the wire; Device is the member id (base32).
type missingRun struct {
	Device string `json:"device"`
	Name   string `json:"name,omitempty"`
	From   uint64 `json:"from"`
	To     uint64 `json:"to"`
}

// newFileDamage is fe on the wire.
func newFileDamage(fe *bundle.FileError) *fileDamage {
	d := &fileDamage{Kind: fe.Kind, CountKnown: fe.CountKnown, Changes: fe.Changes, Read: fe.Read, Applied: fe.Applied, ReadAfter: fe.ReadAfter}
	for _, p := range fe.Damage {
		d.Places = append(d.Places, damagePlace{Offset: p.Offset, Bytes: p.Bytes, Changes: p.Changes, ToEnd: p.ToEnd, Cut: p.Cut})
	}
	for _, m := range fe.Missing {
		d.Missing = append(d.Missing, missingRun{Device: m.Device.String(), Name: m.Name, From: m.From, To: m.To})
	}
	return d
}

// fileError is d as the bundle.FileError it came from, with cause err (a
// member id that does not parse is left out of Missing's device, its name
// and seqs kept).
func (d *fileDamage) fileError(err error) *bundle.FileError {
	fe := &bundle.FileError{Kind: d.Kind, CountKnown: d.CountKnown, Changes: d.Changes, Read: d.Read, Applied: d.Applied, ReadAfter: d.ReadAfter, Err: err}
	for _, p := range d.Places {
		fe.Damage = append(fe.Damage, changestream.Damage{Offset: p.Offset, Bytes: p.Bytes, Changes: p.Changes, ToEnd: p.ToEnd, Cut: p.Cut})
	}
	for _, m := range d.Missing {
		id, _ := ledger.ParseDeviceID(m.Device)
		fe.Missing = append(fe.Missing, bundle.Missing{Device: id, Name: m.Name, From: m.From, To: m.To})
	}
	return fe
}

// exportRequest is the body of /v0/export.
type exportRequest struct {
	Format      string `json:"format"`
	Unpublished bool   `json:"include_unpublished"`
	Level       string `json:"level,omitempty"`    // public (default), team or restricted: the hub's own member must be cleared for it
	Lang        string `json:"lang,omitempty"`     // of the bulletin: zh-CN (default) or en
	SigName     string `json:"sig_name,omitempty"` // the signature file the caller writes beside it (named on the XLSX metadata sheet)
}

// errorBody is the body of every error answer.
type errorBody struct {
	Error string `json:"error"`
	// Code is the desk.Error code of the error, when it has one, so that
	// the client says it in its user's language (hubClient.do).
	Code string `json:"code,omitempty"`
}

// control serves the control socket of a running node.
type control struct {
	n    *node
	srv  *http.Server
	ln   net.Listener
	path string
	done chan struct{}
	once sync.Once
}

// startControl listens on the control socket in dir (mode 0600) and serves n
// until stop. The caller holds the store, hence Badger's lock on dir: a
// socket file already there is left by a hub that crashed, and is replaced.
func startControl(dir string, n *node, log *slog.Logger) (*control, error) {
	ln, path, err := listenControl(dir, log)
	if err != nil {
		return nil, err
	}
	c := &control{
		srv: &http.Server{Handler: n.withViews(n.handler(log)), ReadHeaderTimeout: 10 * time.Second,
			ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)},
		n: n, ln: ln, path: path, done: make(chan struct{}),
	}
	go func() {
		defer close(c.done)
		if err := c.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("control socket", "err", err)
		}
	}()
	log.Info("control socket listening", "path", path)
	return c, nil
}

// listenControl listens on the control socket in dir (mode 0600),
// replacing a stale socket left by a hub that crashed, and returns the
// listener and the socket's path.
func listenControl(dir string, log *slog.Logger) (net.Listener, string, error) {
	path := socketPath(dir)
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode().Type() != fs.ModeSocket {
			return nil, "", fmt.Errorf("control socket %s: a file that is not a socket is in the way", path)
		}
		log.Info("replacing a stale control socket (a hub stopped without cleaning up)", "path", path)
		if err := os.Remove(path); err != nil {
			return nil, "", fmt.Errorf("control socket %s: remove stale socket: %w", path, err)
		}
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, "", fmt.Errorf("control socket %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, "", fmt.Errorf("control socket %s: %w", path, err)
	}
	return ln, path, nil
}

// stop stops accepting requests, stops the imports running through the
// socket at their next batch (each answers how many records it wrote, and
// that the hub stopped it), waits up to 10 s for running requests (a bundle
// being streamed is cut after that), removes the socket file and saves the
// demand counts for the next `status` run without a hub
// (desk.Desk.SaveStatus: the hub stops it before it closes the store).
// Stopping twice is harmless.
func (c *control) stop() {
	c.once.Do(func() {
		if c.n.imports != nil {
			c.n.imports.stopAll()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := c.srv.Shutdown(ctx); err != nil {
			c.srv.Close()
		}
		<-c.done
		os.Remove(c.path)       // the listener unlinks it; this covers a failed Shutdown
		c.n.desk().SaveStatus() // best effort: stale counts are detected and refolded
	})
}

func (n *node) handler(log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v0/status", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, n.status())
	})
	mux.HandleFunc("POST /v0/unlock", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, unlockAnswer{Already: true})
	})
	mux.HandleFunc("GET /v0/members", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, membersToWire(n.desk().Members()))
	})
	mux.HandleFunc("GET /v0/inbox", func(w http.ResponseWriter, r *http.Request) {
		ps, err := n.desk().Inbox()
		if err != nil {
			writeError(w, httpStatusOf(err), cliError(err))
			return
		}
		writeJSON(w, inboxToWire(ps, n.desk().MemberNames()))
	})
	mux.HandleFunc("POST /v0/endorse", func(w http.ResponseWriter, r *http.Request) {
		var req endorseRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("endorse: bad request: %w", err))
			return
		}
		req, err := endorseOrPromote(n.desk(), req)
		if err != nil {
			writeError(w, httpStatusOf(err), cliError(err))
			return
		}
		if req.PromotedFrom != "" {
			log.Info("promoted through the control socket (endorse of an existing member)", "member", req.Member, "from", req.PromotedFrom, "role", req.Role)
		} else {
			log.Info("endorsed through the control socket", "member", req.Member, "role", req.Role)
		}
		writeJSON(w, req)
	})
	handleCovenant(mux, n.desk, log)
	mux.HandleFunc("POST /v0/import/undo", func(w http.ResponseWriter, r *http.Request) {
		var req undoRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("undo import: bad request: %w", err))
			return
		}
		undo := n.desk().UndoImport
		if r.URL.Query().Get("dry_run") != "" {
			undo = n.desk().PlanUndoImport
		}
		plan, err := undo(req.IDs, req.Updated)
		if err != nil {
			writeError(w, httpStatusOf(err), cliError(err))
			return
		}
		log.Info("import undone through the control socket", "withdrawn", len(plan.Withdraw), "kept", len(plan.Kept))
		writeJSON(w, plan)
	})
	mux.HandleFunc("GET /v0/join-code", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, codeInfo(n.rn.JoinCode()))
	})
	mux.HandleFunc("POST /v0/join", func(w http.ResponseWriter, r *http.Request) {
		var req joinRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("join: bad request: %w", err))
			return
		}
		code, err := join.Parse(req.Code)
		if err != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("join: %w", err))
			return
		}
		// the running node dials the kept code's addresses on its next redial
		if err := n.desk().Join(code); err != nil {
			writeError(w, httpStatusOf(err), cliError(err))
			return
		}
		log.Info("join code kept through the control socket", "network", code.Network, "addrs", code.Addrs)
		writeJSON(w, joinAnswer{Network: code.Network, Name: code.Name, Device: n.st.Device().String(), Member: endorsed(n.st)})
	})
	mux.HandleFunc("POST /v0/bundle/export", func(w http.ResponseWriter, r *http.Request) {
		var since ledger.VersionVector
		b, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
		if err != nil {
			writeError(w, http.StatusBadRequest, err)
			return
		}
		if len(b) > 0 {
			if err := ledger.Unmarshal(b, &since); err != nil {
				writeError(w, http.StatusBadRequest, fmt.Errorf("--since-file: not a version vector: %w", err))
				return
			}
		}
		if f := r.URL.Query().Get("for"); f != "" {
			d, err := ledger.ParseDeviceID(f)
			if err != nil {
				writeError(w, http.StatusBadRequest, fmt.Errorf("--for: %w", err))
				return
			}
			vv, ok := n.desk().PeerVersionVector(d)
			if !ok {
				// the note in English for an older client; the member, for
				// the client to say in its person's language
				w.Header().Set("Bundle-Note", "never synced with "+d.Short()+": exporting everything")
				w.Header().Set("Bundle-Never-Synced", d.Short())
			}
			since = vv
		}
		w.Header().Set("Trailer", "Bundle-Count, Bundle-Error")
		w.Header().Set("Content-Type", "application/octet-stream")
		h, err := n.desk().ExportBundle(w, since)
		if err != nil {
			w.Header().Set("Bundle-Error", err.Error())
			return
		}
		w.Header().Set("Bundle-Count", strconv.FormatUint(h.Count, 10))
	})
	mux.HandleFunc("POST /v0/bundle/import", func(w http.ResponseWriter, r *http.Request) {
		res, err := n.desk().ImportBundle(r.Body, nil)
		out := importResult{Received: res.Received, Applied: res.Applied, Duplicates: res.Duplicates,
			Held: res.Held, Refused: sum(desk.Refused(res)), RefusedAgain: res.RefusedAgain}
		if err != nil {
			out.Error = err.Error()
			out.Code = desk.BundleError("", res, err).Code // the app's code for the same file
			if out.Code == desk.CodeBundleOtherNetwork {
				out.Network = res.Header.Network
			}
		}
		if fe := (*bundle.FileError)(nil); errors.As(err, &fe) {
			out.Damage = newFileDamage(fe)
		}
		if err != nil { // a refused or damaged bundle is for the operator to see, not an INFO line
			log.Warn("bundle import through the control socket refused or cut short", "received", out.Received, "applied", out.Applied, "code", out.Code, "err", out.Error)
		} else {
			log.Info("bundle imported through the control socket", "received", out.Received, "applied", out.Applied)
		}
		writeJSON(w, out)
	})
	mux.HandleFunc("GET /v0/bundle/vv", func(w http.ResponseWriter, r *http.Request) {
		b, err := ledger.Marshal(n.desk().VersionVector())
		if err != nil {
			writeError(w, http.StatusInternalServerError, err)
			return
		}
		w.Header().Set("Content-Type", "application/cbor")
		w.Write(b)
	})
	imports := &runningImports{cancels: map[string]context.CancelFunc{}, early: map[string]bool{}}
	n.imports = imports
	mux.HandleFunc("POST /v0/import", func(w http.ResponseWriter, r *http.Request) {
		// Read the body to its end first: only then does net/http watch the
		// connection and cancel r.Context() when the client goes away.
		b, err := io.ReadAll(io.LimitReader(r.Body, maxImportBody))
		if err != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("import: bad request: %w", err))
			return
		}
		var recs []importer.Record
		if err := json.Unmarshal(b, &recs); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("import: bad request: %w", err))
			return
		}
		ctx, done := imports.start(r.Context(), r.URL.Query().Get("id"))
		defer done()
		ans := importAnswer{Total: len(recs)}
		if r.URL.Query().Get("dry_run") != "" {
			ans.Report, err = n.desk().PlanImport(ctx, recs)
		} else {
			ans.Report, err = n.desk().Import(ctx, recs, func(done, _ int) { ans.Applied = done })
		}
		if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			ans.Interrupted, ans.HubStopped = true, imports.isStopping()
			log.Info("import through the control socket interrupted", "applied", ans.Applied, "records", len(recs), "hub_stopping", ans.HubStopped)
		} else if err != nil {
			writeError(w, http.StatusInternalServerError, err)
			return
		}
		ans.Report = nonNullReport(ans.Report)
		writeJSON(w, ans)
	})
	mux.HandleFunc("POST /v0/import/cancel", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		if id == "" {
			writeError(w, http.StatusBadRequest, errors.New("import cancel: no id"))
			return
		}
		imports.cancel(id)
		writeJSON(w, struct{}{})
	})
	mux.HandleFunc("POST /v0/export", func(w http.ResponseWriter, r *http.Request) {
		var req exportRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("export: bad request: %w", err))
			return
		}
		breq := desk.BulletinRequest{Format: req.Format, Level: req.Level, Lang: req.Lang,
			IncludeUnpublished: req.Unpublished, SigName: req.SigName}
		if n.st.Lean() && desk.BulletinStreams(breq) {
			n.streamBulletin(w, breq, log)
			return
		}
		release, err := n.useViews()
		if err != nil {
			writeError(w, http.StatusInternalServerError, fmt.Errorf("%s %s: %w", r.Method, r.URL.Path, err))
			return
		}
		defer release()
		var buf bytes.Buffer // a bulletin is small; buffering lets a format error be an error answer
		b, err := n.desk().WriteBulletin(&buf, breq)
		if err != nil {
			writeError(w, httpStatusOf(err), cliError(err))
			return
		}
		w.Header().Set("Demand-Count", strconv.Itoa(len(b.Demands)))
		w.Header().Set("Unpublished-Count", strconv.Itoa(b.Unpublished))
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(buf.Bytes())
	})
	mux.HandleFunc("POST /v0/sign", func(w http.ResponseWriter, r *http.Request) {
		// hashed as it arrives: a bulletin of a million demands is ≈ 565 MB
		sig, err := n.desk().SignBulletinFrom(http.MaxBytesReader(w, r.Body, maxSignBody), r.URL.Query().Get("name"), time.Now())
		if err != nil {
			writeError(w, httpStatusOf(err), cliError(err))
			return
		}
		w.Header().Set("Content-Type", "application/cbor")
		w.Write(sig)
	})
	return mux
}

// maxSignBody is the largest file /v0/sign signs, in bytes.
const maxSignBody = 1 << 30

// sign asks the hub to sign data, a bulletin file called name
// (desk.Desk.SignBulletin), and returns the .sig.
func (c *hubClient) sign(ctx context.Context, data []byte, name string) ([]byte, error) {
	resp, err := c.do(ctx, "POST", "/v0/sign?name="+url.QueryEscape(name), "application/octet-stream", bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// httpStatusOf maps a desk error's code to the status of an error answer.
func httpStatusOf(err error) int {
	var e *desk.Error
	if !errors.As(err, &e) {
		return http.StatusInternalServerError
	}
	switch e.Code {
	case desk.CodeRequired, desk.CodeInvalid, desk.CodeTooLong, desk.CodeNotNumber, desk.CodeNegative:
		return http.StatusBadRequest
	case desk.CodeNotAllowed:
		return http.StatusForbidden
	case desk.CodeNotFound:
		return http.StatusNotFound
	case desk.CodeNoNetwork:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	body := errorBody{Error: err.Error()}
	var de *desk.Error
	var ce *codedError
	switch {
	case errors.As(err, &ce):
		body.Code = ce.code
	case errors.As(err, &de):
		body.Code = de.Code
	}
	json.NewEncoder(w).Encode(body)
}

// hubClient talks to the hub serving a data dir over its control socket.
type hubClient struct {
	dir  string
	http *http.Client
	sp   speaker // the user's language, for the errors it says
}

// dialHub returns a client for the hub serving dir, or nil (and no error)
// when none does: no socket, or a stale one nobody listens on. A socket this
// user may not use is an error said in sp's language.
func dialHub(dir string, sp speaker) (*hubClient, error) {
	path := socketPath(dir)
	conn, err := net.DialTimeout("unix", path, 2*time.Second)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return nil, sp.errorf("ctl.permission", dir, path)
		}
		// No socket, a stale one (ECONNREFUSED), a data dir that is not a
		// directory or too long a path for a socket: no hub serves dir.
		return nil, nil
	}
	conn.Close()
	d := net.Dialer{Timeout: 2 * time.Second}
	return &hubClient{dir: dir, http: &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return d.DialContext(ctx, "unix", path)
		},
		DisableCompression: true,
	}}}, nil
}

// do sends a request to the hub and returns its answer, or the hub's error.
// The caller closes the body.
func (c *hubClient) do(ctx context.Context, method, path, contentType string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, "http://hub"+path, body)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.sp.t("ctl.unreachable", c.dir, socketPath(c.dir)), err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		var e errorBody
		if json.NewDecoder(resp.Body).Decode(&e) != nil || e.Error == "" {
			e.Error = "control socket: " + resp.Status
		}
		if c.sp.lang != langZH {
			return nil, errors.New(e.Error)
		}
		// the hub's words are English: say what happened in the user's
		// language first, and keep them after it
		what, ok := hubWords[langZH]["ctl.code."+e.Code]
		if !ok {
			what = c.sp.t("ctl.code")
		}
		return nil, errors.New(c.sp.t("ctl.refused", what, e.Error))
	}
	return resp, nil
}

// call sends in (JSON, unless nil) and decodes the JSON answer into out.
func (c *hubClient) call(ctx context.Context, method, path string, in, out any) error {
	return c.callFor(ctx, 5*time.Minute, method, path, in, out)
}

// callFor is call with a time limit of d.
func (c *hubClient) callFor(ctx context.Context, d time.Duration, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	resp, err := c.do(ctx, method, path, "application/json", body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return c.sp.errorf("ctl.unreadable", c.dir, path, err)
	}
	return nil
}

// maxImportBody is the largest body /v0/import reads (records as JSON).
const maxImportBody = 1 << 30

// importAnswer is the answer of /v0/import: the report, and, when the import
// was cancelled between batches, Interrupted with Applied of Total records
// written (the rest were not), and HubStopped when the hub stopping (not
// the client) cancelled it.
type importAnswer struct {
	Report      importer.Report `json:"report"`
	Applied     int             `json:"applied"`
	Total       int             `json:"total"`
	Interrupted bool            `json:"interrupted"`
	HubStopped  bool            `json:"hub_stopped,omitempty"`
}

// runningImports are the imports the control socket runs, by the id their
// client gave, so that /v0/import/cancel can stop one. A cancel that arrives
// before its import is kept until the import starts (and starts cancelled).
type runningImports struct {
	mu       sync.Mutex
	cancels  map[string]context.CancelFunc
	early    map[string]bool
	anon     map[*context.CancelFunc]bool // imports without an id
	stopping bool                         // the hub is stopping: every import is cancelled, new ones start cancelled
}

// start returns the context of import id (parent's, cancelled by cancel(id))
// and the function to call when it ends. An empty id cannot be cancelled
// but by parent.
func (ri *runningImports) start(parent context.Context, id string) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	ri.mu.Lock()
	defer ri.mu.Unlock()
	if ri.stopping {
		cancel()
	}
	if id == "" {
		if ri.anon == nil {
			ri.anon = map[*context.CancelFunc]bool{}
		}
		ri.anon[&cancel] = true
		return ctx, func() {
			ri.mu.Lock()
			delete(ri.anon, &cancel)
			ri.mu.Unlock()
			cancel()
		}
	}
	if ri.early[id] {
		delete(ri.early, id)
		cancel()
	}
	ri.cancels[id] = cancel
	return ctx, func() {
		ri.mu.Lock()
		delete(ri.cancels, id)
		ri.mu.Unlock()
		cancel()
	}
}

// stopAll cancels every running import (each stops at its next batch) and
// every import that starts after it: the hub is stopping.
func (ri *runningImports) stopAll() {
	ri.mu.Lock()
	defer ri.mu.Unlock()
	ri.stopping = true
	for _, c := range ri.cancels {
		c()
	}
	for c := range ri.anon {
		(*c)()
	}
}

// isStopping reports whether stopAll was called.
func (ri *runningImports) isStopping() bool {
	ri.mu.Lock()
	defer ri.mu.Unlock()
	return ri.stopping
}

// cancel stops import id, or the import id when it starts.
func (ri *runningImports) cancel(id string) {
	ri.mu.Lock()
	defer ri.mu.Unlock()
	if c, ok := ri.cancels[id]; ok {
		c()
		return
	}
	if len(ri.early) < 1000 {
		ri.early[id] = true
	}
}

// importRecords asks the hub to import recs (or, with dryRun, to say what it
// would do). When interrupt ends (Ctrl-C), it asks the hub to stop the
// import between batches and returns the hub's answer, which says how many
// records were applied. base is the context of the request itself.
func (c *hubClient) importRecords(interrupt, base context.Context, recs []importer.Record, dryRun bool, sp speaker) (importAnswer, error) {
	if err := interrupt.Err(); err != nil {
		return importAnswer{}, sp.errorf("import.nothingyet")
	}
	id := rand.Text()
	path := "/v0/import?id=" + id
	if dryRun {
		path += "&dry_run=1"
	}
	type result struct {
		ans importAnswer
		err error
	}
	ch := make(chan result, 1)
	go func() {
		var ans importAnswer
		err := c.callFor(base, time.Hour, "POST", path, recs, &ans)
		ch <- result{ans, err}
	}()
	select {
	case res := <-ch:
		return res.ans, res.err
	case <-interrupt.Done():
	}
	var empty struct{}
	if err := c.call(base, "POST", "/v0/import/cancel?id="+id, nil, &empty); err != nil {
		return importAnswer{}, sp.errorf("import.nocancel", err)
	}
	res := <-ch
	return res.ans, res.err
}

// hub returns a client for the hub serving the data dir, or nil when none does.
func (g *globals) hub() (*hubClient, error) {
	c, err := dialHub(g.dataDir, g.speaker())
	if c != nil {
		c.sp = g.speaker()
	}
	return c, err
}
