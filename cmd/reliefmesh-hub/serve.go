package main

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/desk"
	rmnode "github.com/reliefmesh/reliefmesh/node"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/join"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

// serveOptions are the flags of `serve`.
type serveOptions struct {
	listen   []string
	peers    []string
	interval time.Duration
	relay    bool
	mdns     bool
	logJSON  bool
	verbose  bool
	join     string        // a join code: join its network and dial its addresses
	redial   time.Duration // how often to redial --peer and join-code addresses; 0 means 5 s
	key      []byte        // the store key (--key-file, RELIEFMESH_STORE_KEY); nil: none given
	mapFile  string        // --map: a street map (PMTiles) served to members; "" means DATA/maps/area.pmtiles when present
	sp       speaker       // the language of the errors said to the person who started it (--lang)
}

func newServe(g *globals) *cobra.Command {
	var o serveOptions
	c := &cobra.Command{
		Use:   "serve [--listen ADDR]... [--peer ADDR]... [--join CODE]",
		Short: "Run a headless node: store everything, serve catch-up, gossip, relay for members",
		Long: "Run this device as a hub until SIGINT or SIGTERM: it listens on --listen (multiaddrs,\n" +
			"default TCP and QUIC on port 4717), keeps connected to --peer addresses\n" +
			"(multiaddrs ending in /p2p/PEER_ID), serves catch-up and gossip to members, and relays\n" +
			"between members (circuit relay v2). A node that joined with a join code (`join` or --join)\n" +
			"dials the code's addresses until a member endorses it (\"waiting for endorsement\").\n" +
			"While serving, the other subcommands reach this node through the control socket\n" +
			"hub.sock in the data dir. On shutdown the store is closed cleanly: every\n" +
			"applied change is kept.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			log := newLogger(cmd.ErrOrStderr(), o.logJSON, o.verbose)
			key, err := g.storeKey()
			if err != nil {
				return err
			}
			o.key, o.sp = key, g.speaker()
			return serve(ctx, g.dataDir, o, log, nil)
		},
	}
	c.Flags().StringArrayVar(&o.listen, "listen", nil, "multiaddr to listen on (repeatable; default "+strings.Join(p2p.DefaultListen, ", ")+")")
	c.Flags().StringArrayVar(&o.peers, "peer", nil, "multiaddr of a peer to stay connected to (repeatable)")
	c.Flags().DurationVar(&o.interval, "interval", 30*time.Second, "periodic catch-up interval")
	c.Flags().BoolVar(&o.relay, "relay", true, "relay connections between members (circuit relay v2)")
	c.Flags().BoolVar(&o.mdns, "mdns", true, "discover members on the local network (mDNS, scoped to the network id)")
	c.Flags().StringVar(&o.join, "join", "", "join the network of this join code first and dial its addresses until endorsed (see 'join')")
	c.Flags().DurationVar(&o.redial, "redial", 5*time.Second, "how often to redial peers that are not connected")
	c.Flags().StringVar(&o.mapFile, "map", "", "a street map of the incident area (a PMTiles file) to serve to members, who download it from the map screen (default DATA/maps/area.pmtiles when present)")
	c.Flags().BoolVar(&o.logJSON, "log-json", false, "log JSON lines instead of text")
	c.Flags().BoolVarP(&o.verbose, "verbose", "v", false, "log debug messages")
	return c
}

func newLogger(w io.Writer, asJSON, verbose bool) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if verbose {
		opts.Level = slog.LevelDebug
	}
	if asJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// serve runs the hub until ctx ends, then shuts down in order: the control
// socket, the node (replicator rounds finish or are cut, then the host), the
// store (flushed and closed). The node is node.HubConfig with the flags; the
// join code (--join, `join` or the app's Join: desk.Desk.Join) is kept in the
// store, and its addresses are redialled. When the node stops working
// (node.Node.Err) it is logged once and shown by `status`. ready, if set, is called with the running node
// once serving.
func serve(ctx context.Context, dataDir string, o serveOptions, log *slog.Logger, ready func(*node)) (err error) {
	var code *join.Code
	if o.join != "" {
		c, err := desk.ParseJoinCode(o.join)
		if err != nil {
			return o.sp.errorf("serve.join", cliErrorIn(o.sp, err))
		}
		code = &c
	}
	// A hub keeps no views resident (store.Options.Lean): the control
	// socket builds them for the requests that read them (withViews).
	st, err := openRetrying(dataDir, store.Options{Logger: log, EncryptionKey: o.key, Lean: true}, 10*time.Second)
	if locked := (*store.LockedError)(nil); errors.As(err, &locked) && locked.Reason == store.LockNoKey && locked.Source == store.KeyFromPassphrase {
		// Wait for the passphrase from `reliefmesh-hub unlock`.
		key, werr := waitUnlock(ctx, dataDir, log, o.sp)
		if werr != nil {
			return werr
		}
		st, err = openRetrying(dataDir, store.Options{Logger: log, EncryptionKey: key, Lean: true}, 10*time.Second)
	}
	if err != nil {
		if strings.Contains(err.Error(), badgerLocked) {
			return errors.New(o.sp.t("err.inuse.serve", dataDir))
		}
		return err
	}
	if st.Lean() { // no views resident: a memory limit near the small heap (withViews lifts it)
		defer viewsMemory.start()()
	}
	defer func() {
		if cerr := st.Close(); cerr != nil && err == nil {
			err = o.sp.errorf("serve.close", cerr)
		}
		log.Info("store closed", "vv", st.VersionVector().String())
	}()
	dk := desk.New(st)
	if code != nil {
		if err := dk.Join(*code); err != nil {
			return o.sp.errorf("serve.join", cliErrorIn(o.sp, err))
		}
	}
	n, ok := st.Network()
	if !ok {
		return errors.New(o.sp.t("err.nonetwork.serve"))
	}
	cfg := rmnode.HubConfig()
	if len(o.listen) > 0 {
		cfg.Listen = o.listen
	}
	cfg.Peers, cfg.Interval, cfg.RelayService, cfg.MDNS, cfg.Logger = o.peers, o.interval, o.relay, o.mdns, log
	if o.redial > 0 {
		cfg.Redial = o.redial
	}
	var skipped *skippedMapError
	if cfg.MapFile, err = hubMap(dataDir, o.mapFile, o.sp); errors.As(err, &skipped) {
		log.Warn(err.Error())
	} else if err != nil {
		return err
	}
	rn, err := rmnode.Start(ctx, st, cfg)
	if taken := (*rmnode.PortsTakenError)(nil); errors.As(err, &taken) {
		return o.sp.errorf("serve.porttaken", strings.Join(taken.Ports, ", "))
	} else if err != nil {
		return o.sp.errorf("serve.node", err)
	}
	if cfg.MapFile != "" {
		fi, _ := os.Stat(cfg.MapFile)
		log.Info("serving a street map to members", "file", cfg.MapFile, "bytes", fi.Size())
	}
	defer func() {
		if cerr := rn.Close(); cerr != nil {
			log.Warn("close network node", "err", cerr)
		}
	}()
	// A hub grants the sealed values it can open (only with a reading role)
	// to the members cleared to read them; without one it stores and relays
	// them as they are.
	stopGranting := dk.KeepGranting(ctx, log)
	defer stopGranting()
	nd := newNode(st, dk, rn)
	ctl, err := startControl(dataDir, nd, log)
	if err != nil {
		// The node still serves its members; only local subcommands cannot reach it.
		log.Error("no control socket: status, endorse and the other subcommands cannot reach this hub", "err", err)
	} else {
		defer ctl.stop()
	}
	log.Info("serving", "network", n.ID, "name", n.Name, "member", st.Device().String(), "addrs", nd.addrs(), "relay", o.relay)
	member := endorsed(st)
	if !member {
		log.Info("waiting for endorsement: ask a member to run `reliefmesh-hub endorse "+st.Device().String()+" --role volunteer`",
			"member", st.Device().String())
	}
	if ready != nil {
		ready(nd)
	}
	t := time.NewTicker(cfg.Redial)
	defer t.Stop()
	lastWait := time.Now()
	var nodeErr error // the node's error, once logged
	for {
		if err := nd.err(); err != nil && nodeErr == nil {
			nodeErr = err
			log.Error("the network node stopped working: members are no longer served (see `status`); restart the hub", "err", err)
		}
		if !member && endorsed(st) {
			member = true
			me, _ := st.Me()
			log.Info("endorsed: admitted to the network", "member", st.Device().String(), "role", me.Role)
		}
		if !member && time.Since(lastWait) >= max(cfg.Redial, 10*time.Second) {
			// Peers that have not endorsed us close the connection after the
			// handshake, so a dial may "succeed": say it on a clock instead.
			lastWait = time.Now()
			log.Info("waiting for endorsement", "member", st.Device().String())
		}
		select {
		case <-ctx.Done():
			log.Info("shutting down")
			if ctl != nil {
				ctl.stop()
			}
			if err := nd.err(); err != nil && nodeErr == nil {
				log.Error("replicator", "err", err)
			}
			return nil
		case <-t.C:
		}
	}
}

// hubMap returns the street map the hub serves: flag when given (which must
// be a whole PMTiles file of version 3, at most node.MaxMapSize bytes: else
// an error that stops the hub), else DATA/maps/area.pmtiles when that
// exists and is such a file (else a *skippedMapError: the hub serves
// without a map and says why), else "".
func hubMap(dataDir, flag string, sp speaker) (string, error) {
	if flag != "" {
		if err := checkMap(flag, sp); err != nil {
			return "", sp.errorf("serve.map", err)
		}
		return flag, nil
	}
	path := filepath.Join(dataDir, "maps", "area.pmtiles")
	if _, err := os.Stat(path); err != nil {
		return "", nil
	}
	if err := checkMap(path, speaker{}); err != nil { // logged: English
		return "", &skippedMapError{err}
	}
	return path, nil
}

// skippedMapError says why the street map in the data directory is not
// served; the hub serves without it.
type skippedMapError struct{ err error }

func (e *skippedMapError) Error() string {
	return "the street map in the data directory is not served: " + e.err.Error()
}

func (e *skippedMapError) Unwrap() error { return e.err }

// checkMap checks that path is a PMTiles file of version 3, whole (every
// section its header names lies within the file: a copy cut short on the
// way is refused before members download it) and at most node.MaxMapSize
// bytes.
func checkMap(path string, sp speaker) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 127) // the PMTiles v3 header
	if _, err := io.ReadFull(f, head); err != nil || string(head[:7]) != "PMTiles" || head[7] != 3 {
		return sp.errorf("map.notpmtiles", path)
	}
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() > rmnode.MaxMapSize {
		return sp.errorf("map.toolarge", path, rmnode.MaxMapSize>>20)
	}
	// root directory, metadata, leaf directories, tile data: offset and length each
	for at := 8; at < 72; at += 16 {
		off, n := binary.LittleEndian.Uint64(head[at:]), binary.LittleEndian.Uint64(head[at+8:])
		if off+n > uint64(fi.Size()) || off+n < off {
			return sp.errorf("map.cut", path, off+n, fi.Size())
		}
	}
	return nil
}
