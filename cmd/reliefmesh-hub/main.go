// Command reliefmesh-hub is the headless ReliefMesh node for regional hubs and
// scripting. It is built without cgo (no WebKit) and opens the same store format
// as the desktop app, so `reliefmesh-hub status --data-dir D` reports what the
// app stored in D.
//
// Usage:
//
//	reliefmesh-hub init --name "Wuhan 2020" --member-name "Zhang San"
//	reliefmesh-hub status [--json]
//	reliefmesh-hub endorse MEMBER_ID --role volunteer --name "Li Si"
//	reliefmesh-hub serve --listen /ip4/0.0.0.0/tcp/4717
//	reliefmesh-hub join-code                # on a member: the code (text and QR)
//	reliefmesh-hub join CODE                # on the newcomer: prints its member id
//
// While `serve` runs it holds the store (Badger locks the data dir), so the
// other subcommands (status, endorse, join-code, bundle, import, export) ask it
// through the control socket hub.sock in the data dir (HTTP with JSON bodies,
// as Tailscale's LocalAPI); when no hub serves the dir they open the store
// themselves.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := newRoot().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "reliefmesh-hub:", err)
		os.Exit(1)
	}
}
