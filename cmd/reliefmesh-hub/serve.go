package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/join"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
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
			return serve(ctx, g.dataDir, o, log, nil)
		},
	}
	c.Flags().StringArrayVar(&o.listen, "listen", nil, "multiaddr to listen on (repeatable; default "+strings.Join(p2p.DefaultListen, ", ")+")")
	c.Flags().StringArrayVar(&o.peers, "peer", nil, "multiaddr of a peer to stay connected to (repeatable)")
	c.Flags().DurationVar(&o.interval, "interval", 30*time.Second, "periodic catch-up interval")
	c.Flags().BoolVar(&o.relay, "relay", true, "relay connections between members (circuit relay v2)")
	c.Flags().BoolVar(&o.mdns, "mdns", true, "discover members on the local network (mDNS, scoped to the network id)")
	c.Flags().StringVar(&o.join, "join", "", "join the network of this join code first and dial its addresses until endorsed (see `join`)")
	c.Flags().DurationVar(&o.redial, "redial", 5*time.Second, "how often to redial peers that are not connected")
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
// socket, the replicator (rounds finish or are cut), the host, the store
// (flushed and closed). ready, if set, is called with the running node once
// serving.
func serve(ctx context.Context, dataDir string, o serveOptions, log *slog.Logger, ready func(*node)) (err error) {
	var code *join.Code
	if o.join != "" {
		c, err := join.Parse(o.join)
		if err != nil {
			return fmt.Errorf("--join: %w", err)
		}
		code = &c
	}
	st, err := openRetrying(dataDir, store.Options{Logger: log}, 10*time.Second)
	if err != nil {
		if strings.Contains(err.Error(), badgerLocked) {
			return fmt.Errorf("the data dir %s is in use by another process (another hub, or the desktop app?)", dataDir)
		}
		return err
	}
	defer func() {
		if cerr := st.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close store: %w", cerr)
		}
		log.Info("store closed", "vv", st.VersionVector().String())
	}()
	if code != nil {
		if err := st.JoinNetwork(code.Network); err != nil {
			return fmt.Errorf("--join: network %s: %w", code.Network, err)
		}
		if err := saveJoinCode(dataDir, *code); err != nil {
			return err
		}
	} else if c, ok, err := loadJoinCode(dataDir); err != nil {
		log.Warn("saved join code unreadable: not dialing its addresses", "err", err)
	} else if ok {
		code = &c
	}
	n, ok := st.Network()
	if !ok {
		return errors.New("no network yet: run `reliefmesh-hub init --name INCIDENT` or `reliefmesh-hub join CODE` first")
	}
	h, err := p2p.New(st.PrivateKey(), st, p2p.Config{Listen: o.listen, RelayService: o.relay, Logger: log})
	if err != nil {
		return err
	}
	defer h.Close()
	r, err := replicate.New(h, st, replicate.Config{Interval: o.interval, Logger: log})
	if err != nil {
		return err
	}
	runErr := make(chan error, 1)
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { runErr <- r.Run(rctx) }()
	select {
	case <-r.Ready():
	case err := <-runErr:
		return err
	}
	nd := &node{st: st, h: h, r: r}
	ctl, err := startControl(dataDir, nd, log)
	if err != nil {
		// The node still serves its members; only local subcommands cannot reach it.
		log.Error("no control socket: status, endorse and the other subcommands cannot reach this hub", "err", err)
	} else {
		defer ctl.stop()
	}
	log.Info("serving", "network", n.ID, "name", n.Name, "member", st.Device().String(), "addrs", nd.addrs(), "relay", o.relay)
	if o.mdns {
		if m, err := h.StartMDNS(n.ID); err != nil {
			log.Warn("mdns discovery off", "err", err)
		} else {
			defer m.Close()
		}
	}
	addrs := slices.Clone(o.peers)
	if code != nil && code.Network == n.ID {
		addrs = append(addrs, code.Addrs...)
	}
	peers, bad := p2p.Targets(h.ID(), addrs)
	for _, err := range bad {
		log.Error("bad peer address", "err", err)
	}
	member := endorsed(st)
	if !member {
		log.Info("waiting for endorsement: ask a member to run `reliefmesh-hub endorse "+st.Device().String()+" --role volunteer`",
			"member", st.Device().String(), "dialing", len(peers))
	}
	if ready != nil {
		ready(nd)
	}
	redial := o.redial
	if redial <= 0 {
		redial = 5 * time.Second
	}
	go h.Redial(rctx, peers, redial, func() bool { return !endorsed(st) }, func(p peer.ID, err error) {
		if endorsed(st) {
			log.Warn("peer unreachable", "peer", p, "err", err)
		} else {
			log.Info("waiting for endorsement", "member", st.Device().String(), "peer", p, "err", err)
		}
	})
	t := time.NewTicker(redial)
	defer t.Stop()
	lastWait := time.Now()
	for {
		if !member && endorsed(st) {
			member = true
			me, _ := st.Me()
			log.Info("endorsed: admitted to the network", "member", st.Device().String(), "role", me.Role)
		}
		if !member && time.Since(lastWait) >= max(redial, 10*time.Second) {
			// Peers that have not endorsed us close the connection after the
			// handshake, so a dial may "succeed": say it on a clock instead.
			lastWait = time.Now()
			log.Info("waiting for endorsement", "member", st.Device().String(), "dialing", len(peers))
		}
		select {
		case <-ctx.Done():
			log.Info("shutting down")
			if ctl != nil {
				ctl.stop()
			}
			cancel()
			if err := <-runErr; err != nil && !errors.Is(err, context.Canceled) {
				log.Error("replicator", "err", err)
			}
			return nil
		case <-t.C:
		}
	}
}
