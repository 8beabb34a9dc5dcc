package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/skip2/go-qrcode"
	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/desk"
	rmnode "github.com/reliefmesh/reliefmesh/node"
	"github.com/reliefmesh/reliefmesh/sync/join"
)

func newJoinCode(g *globals) *cobra.Command {
	var addrs []string
	var qr bool
	var png string
	c := &cobra.Command{
		Use:   "join-code [--addr MULTIADDR]...",
		Short: "Print the join code (text and QR) a newcomer types or scans to join this network",
		Long: "Print the join code of this network: its id and name and the addresses where this\n" +
			"node can be reached. When a hub serves the data dir, its listen addresses are used;\n" +
			"otherwise give them with --addr (e.g. /ip4/192.168.1.10/tcp/4717; /p2p/<this peer id>\n" +
			"is appended). The first line is the code alone, for scripts.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sp := g.speaker()
			info, err := joinCodeOf(cmd.Context(), g, addrs)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintln(out, info.Code)
			if qr {
				q, err := qrcode.New(info.Code, qrcode.Low)
				if err != nil {
					return sp.errorf("joincode.qr", err)
				}
				fmt.Fprint(out, q.ToSmallString(false))
			}
			if png != "" {
				// 8 px per module: about 4 cm wide on A4, readable from a
				// wall by a laptop's camera or a phone photo.
				b, err := qrcode.Encode(info.Code, qrcode.Medium, -8)
				if err != nil {
					return sp.errorf("joincode.qr", err)
				}
				if err := os.WriteFile(png, b, 0o644); err != nil {
					return sp.errorf("joincode.png", png, err)
				}
				// on stderr: stdout stays the code and what it names, for scripts
				fmt.Fprintln(cmd.ErrOrStderr(), sp.t("joincode.pngwrote", png))
			}
			fmt.Fprintln(out, sp.t("joincode.network", info.Name, info.Network))
			if len(info.Addrs) == 0 {
				fmt.Fprintln(out, sp.t("joincode.noaddrs"))
				fmt.Fprintln(cmd.ErrOrStderr(), sp.t("joincode.noaddrwarn"))
			}
			for _, a := range info.Addrs {
				fmt.Fprintln(out, sp.t("joincode.address", a))
			}
			return nil
		},
	}
	c.Flags().StringArrayVar(&addrs, "addr", nil, "an address where this node is reached, when no hub serves the data dir (repeatable)")
	c.Flags().BoolVar(&qr, "qr", true, "print the code as a QR code too")
	c.Flags().StringVar(&png, "png", "", "also write the code as a QR code picture (PNG) to this file, to print or send")
	return c
}

// joinCodeOf asks the hub serving the data dir for the join code, or builds
// it from the store and addrs.
func joinCodeOf(ctx context.Context, g *globals, addrs []string) (joinCodeInfo, error) {
	var info joinCodeInfo
	sp := g.speaker()
	hub, err := g.hub()
	if err != nil {
		return info, err
	}
	if hub != nil {
		if len(addrs) > 0 {
			return info, sp.errorf("joincode.addrhub")
		}
		return info, hub.call(ctx, "GET", "/v0/join-code", nil, &info)
	}
	st, err := g.openExisting()
	if err != nil {
		return info, err
	}
	defer st.Close()
	c, err := rmnode.CodeFor(st, addrs)
	if errors.Is(err, rmnode.ErrNoNetwork) {
		return info, sp.errorf("joincode.nonetwork")
	}
	if err != nil {
		return info, sp.errorf("joincode.addr", err)
	}
	return codeInfo(c), nil
}

func newJoin(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "join CODE",
		Short: "Prepare the data dir for the network of a join code and print this device's member id",
		Long: "Join the network of CODE (from `reliefmesh-hub join-code` or a member's app): the data\n" +
			"dir then accepts that network's changes and keeps the code (also when a hub serves the\n" +
			"data dir: it is told through its control socket and dials the code's addresses).\n" +
			"Ask a member to endorse the printed member id;\n" +
			"`reliefmesh-hub serve` dials the code's addresses and waits for the endorsement, then\n" +
			"catches up.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sp := g.speaker()
			code, err := desk.ParseJoinCode(args[0])
			if err != nil {
				return cliErrorIn(sp, err)
			}
			out := cmd.OutOrStdout()
			hub, err := g.hub()
			if err != nil {
				return err
			}
			var device string
			if hub != nil {
				// the hub holds the store: it keeps the code, and its node
				// dials the code's addresses on its next redial
				var a joinAnswer
				if err := hub.call(cmd.Context(), "POST", "/v0/join", joinRequest{Code: args[0]}, &a); err != nil {
					return err
				}
				device = a.Device
				if a.Member {
					fmt.Fprintln(out, g.speaker().t("join.already", code.Name, code.Network, device))
					fmt.Fprintln(out, g.speaker().t("join.hubkeeps", g.dataDir))
					return nil
				}
			} else {
				if err := g.newKeyFile(out); err != nil {
					return err
				}
				st, err := g.open() // a new data dir becomes a new device here
				if err != nil {
					return err
				}
				defer st.Close()
				dk := desk.New(st)
				// the store keeps the code, for `serve` and for the app alike
				if err := dk.Join(code); err != nil {
					return cliErrorIn(sp, err)
				}
				device = dk.Store().Device().String()
				if endorsed(dk.Store()) {
					fmt.Fprintln(out, g.speaker().t("join.already", code.Name, code.Network, device))
					return nil
				}
			}
			printJoined(out, code, device, hub != nil, g.speaker())
			return nil
		},
	}
}

// printJoined tells the device joined to code what comes next: a member
// endorses device, and a hub (served, when a hub serves the data dir
// already) dials the code's addresses until then; a code without an address
// gets a warning that nothing will be dialled instead.
func printJoined(w io.Writer, code join.Code, device string, served bool, sp speaker) {
	fmt.Fprintln(w, sp.t("join.joined", code.Name, code.Network, device))
	fmt.Fprintln(w, sp.t("join.endorse", device))
	if len(code.Addrs) == 0 {
		fmt.Fprintln(w, sp.t("join.noaddr"))
		return
	}
	if served {
		fmt.Fprintln(w, sp.t("join.served"))
		return
	}
	fmt.Fprintln(w, sp.t("join.serve"))
}
