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
