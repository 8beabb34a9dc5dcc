// Command reliefmesh-hub is the headless ReliefMesh node for regional hubs and
// scripting. It is built without cgo (no WebKit) and opens the same store format
// as the desktop app, so `reliefmesh-hub status --data-dir D` reports what the
// app stored in D.
//
// Usage:
//
//	reliefmesh-hub init --name "Wuhan 2020" --member-name "Zhang San"
//	reliefmesh-hub id                       # this device's member id
//	reliefmesh-hub status [--json]
//	reliefmesh-hub members [--json]         # the roster
//	reliefmesh-hub inbox [--limit N] [--json] # what waits on this device's member (the 50 most urgent)
//	reliefmesh-hub endorse MEMBER_ID --role volunteer --name "Li Si"
//	reliefmesh-hub bundle export -o FILE | bundle import FILE | bundle vv -o FILE
//	reliefmesh-hub serve --listen /ip4/0.0.0.0/tcp/4717
//	reliefmesh-hub join-code                # on a member: the code (text and QR)
//	reliefmesh-hub join CODE                # on the newcomer: prints its member id
//	reliefmesh-hub recover [--resume]       # move a damaged store aside, keeping the key
//	reliefmesh-hub --key-file F init ...    # a store encrypted at rest (F made if missing; or RELIEFMESH_STORE_KEY)
//	reliefmesh-hub unlock [--write-key F]   # type the passphrase for a serve waiting for it
//	reliefmesh-hub rekey --new-key-file F | --new-passphrase  # encrypt the store, or change its key
//
// Every command and query goes through the desk (package desk), as the
// desktop app's do, so both give the same answers on the same store. While
// `serve` runs it holds the store (Badger locks the data dir), so the other
// subcommands (status, members, inbox, endorse, join-code, bundle, import,
// export) ask it through the control socket hub.sock in the data dir (HTTP
// with JSON bodies, as Tailscale's LocalAPI); when no hub serves the dir they
// open the store themselves. `status` then opens it without folding the
// demands and reports the counts saved by the last process that had it open,
// when nothing changed since (desk.Desk.SavedStatus).
package main

import (
	"os"

	"github.com/reliefmesh/reliefmesh/internal/memlimit"
)

func main() {
	memlimit.Apply(memlimit.Hub) // a hub ingests whole incidents: fewer GCs, a limit from the machine
	keepGoingOnClosedOutput()
	g := &globals{}
	if err := newRootWith(g).Execute(); err != nil {
		printError(os.Stderr, g.speaker().lang, err)
		os.Exit(1)
	}
}
