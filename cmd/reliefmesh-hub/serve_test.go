package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reliefmesh/reliefmesh/desk"
	rmnode "github.com/reliefmesh/reliefmesh/node"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/join"
)

func waitFor(t *testing.T, d time.Duration, msg string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v: %v", msg, d, err)
		}
		<-tick.C
	}
}

func TestServeClientCatchesUpAndShutdownKeepsEverything(t *testing.T) {
	hubDir := t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--member-name", "hub", "--data-dir", hubDir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	client, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if out, err := run(t, "endorse", client.Device().String(), "--role", "volunteer", "--data-dir", hubDir); err != nil {
		t.Fatalf("endorse = %v\n%s", err, out)
	}
	hub, err := store.Open(hubDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if _, err := hub.RecordDemand(relief.Demand{Title: fmt.Sprintf("hub demand %d", i), Category: "other"}); err != nil {
			t.Fatal(err)
		}
	}
	net, _ := hub.Network()
	hub.Close()
	if err := client.JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type served struct {
		info peer.AddrInfo
	}
	ready := make(chan served, 1)
	done := make(chan error, 1)
	logs := &lockedWriter{b: &strings.Builder{}}
	log := slog.New(slog.NewTextHandler(logs, nil))
	go func() {
		done <- serve(ctx, hubDir, serveOptions{listen: []string{"/ip4/127.0.0.1/tcp/0"}, interval: 200 * time.Millisecond, relay: true},
			log, func(nd *node) {
				ready <- served{peer.AddrInfo{ID: nd.h.ID(), Addrs: nd.h.Libp2p().Addrs()}}
			})
	}()
	var s served
	select {
	case s = <-ready:
	case err := <-done:
		t.Fatalf("serve = %v", err)
	}

	// The client: a node like the app's (node.LoopbackConfig), not a member
	// of its own (empty) roster yet, so it may dial out; the hub admits it
	// because it endorsed it.
	cn, err := rmnode.Start(context.Background(), client, rmnode.LoopbackConfig())
	if err != nil {
		t.Fatal(err)
	}
	cctx, ccancel := context.WithTimeout(ctx, 30*time.Second) // a bound for -race at a load of 50
	defer ccancel()
	if err := cn.Host().ConnectInfo(cctx, s.info); err != nil {
		t.Fatalf("connect to hub: %v", err)
	}
	waitFor(t, 30*time.Second, "client caught up from the hub", func() error {
		if n := len(must(client.Demands(store.DemandQuery{}))); n != 200 {
			return fmt.Errorf("client has %d demands", n)
		}
		return nil
	})
	mine, err := client.RecordDemand(relief.Demand{Title: "from the client", Category: "other"})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "hub has the client's demand (synced)", func() error {
		for _, ps := range cn.Peers() {
			if ps.Peer == s.info.ID && ps.Synced {
				return nil
			}
		}
		return fmt.Errorf("status %+v", cn.Peers())
	})

	// SIGTERM-like shutdown: cancel. The hub's store must hold everything it applied.
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve = %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30 s of cancel")
	}
	if err := cn.Close(); err != nil {
		t.Errorf("client node Close = %v", err)
	}
	hub, err = store.Open(hubDir, store.Options{})
	if err != nil {
		t.Fatalf("reopen hub store: %v", err)
	}
	defer hub.Close()
	if _, err := hub.Demand(mine.ID); err != nil {
		t.Errorf("after shutdown the hub lost the client's demand: %v", err)
	}
	if !hub.VersionVector().Equal(client.VersionVector()) {
		t.Errorf("hub vv %v; client %v", hub.VersionVector(), client.VersionVector())
	}
	if !strings.Contains(logs.String(), "serving") || !strings.Contains(logs.String(), "store closed") {
		t.Errorf("logs lack serving/store closed:\n%s", logs.String())
	}
}

func TestBundleCommands(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if out, err := run(t, "init", "--name", "Quake", "--data-dir", a); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	st, err := store.Open(a, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		st.RecordDemand(relief.Demand{Title: fmt.Sprintf("d%d", i), Category: "other"})
	}
	net, _ := st.Network()
	st.Close()
	sb, err := store.Open(b, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sb.JoinNetwork(net.ID)
	sb.Close()

	vv := filepath.Join(t.TempDir(), "b.vv")
	if out, err := run(t, "bundle", "vv", "-o", vv, "--data-dir", b); err != nil {
		t.Fatalf("bundle vv = %v\n%s", err, out)
	}
	file := filepath.Join(t.TempDir(), "site.rmb")
	out, err := run(t, "bundle", "export", "-o", file, "--since-file", vv, "--data-dir", a)
	// 50 demands, the network, and this device's encryption key, which
	// the export publishes first (Desk.ExportBundle)
	if err != nil || !strings.Contains(out, "wrote 52 changes") {
		t.Fatalf("bundle export = %v\n%s", err, out)
	}
	// a --key file that is not there is refused before anything is imported
	// (a tester saw the changes imported, then a raw "no such file")
	out, err = run(t, "bundle", "import", file, "--key", filepath.Join(t.TempDir(), "gone.pub"), "--data-dir", b)
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") || strings.Contains(out, "applied") {
		t.Fatalf("bundle import --key missing = %v\n%s; want refused before importing", err, out)
	}
	out, err = run(t, "bundle", "import", file, "--data-dir", b)
	if err != nil || !strings.Contains(out, "52 applied") {
		t.Fatalf("bundle import = %v\n%s", err, out)
	}
	out, err = run(t, "bundle", "import", file, "--data-dir", b)
	if err != nil || !strings.Contains(out, "0 applied, 52 already held") {
		t.Fatalf("bundle import again = %v\n%s", err, out)
	}
	// A bundle damaged inside a change's network id is damaged, not "N refused"
	// with success.
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.LastIndex(raw, []byte(net.ID)) // the last change's
	if raw[at] == 'a' {
		raw[at] = 'b'
	} else {
		raw[at] = 'a'
	}
	damaged := filepath.Join(t.TempDir(), "damaged.rmb")
	os.WriteFile(damaged, raw, 0o644)
	c := t.TempDir()
	sc := must(store.Open(c, store.Options{}))
	sc.JoinNetwork(net.ID)
	sc.Close()
	out, err = run(t, "bundle", "import", damaged, "--data-dir", c)
	if err == nil || !strings.Contains(err.Error(), "damaged") || !strings.Contains(out, "51 applied") {
		t.Errorf("bundle import of a bundle damaged in a network id = %v\n%s; want an error saying damaged, the 51 changes before it applied", err, out)
	}
	os.WriteFile(file, []byte("garbage"), 0o644)
	if _, err := run(t, "bundle", "import", file, "--data-dir", b); err == nil || !strings.Contains(err.Error(), "not a ReliefMesh bundle") {
		t.Errorf("import garbage = %v", err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestAppJoinedDirServedByHub: a data directory joined in the app (which
// keeps the join code in the store) and then served by the hub keeps its join
// code: the hub dials the code's addresses, is admitted once endorsed and
// catches up.
func TestAppJoinedDirServedByHub(t *testing.T) {
	hubDir, newDir := t.TempDir(), t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--member-name", "hub", "--data-dir", hubDir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	hub := startServe(t, hubDir, serveOptions{})
	out, err := run(t, "join-code", "--qr=false", "--data-dir", hubDir)
	if err != nil {
		t.Fatalf("join-code = %v\n%s", err, out)
	}
	code, err := join.Parse(strings.SplitN(out, "\n", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	// what the app's Join does: join the network, keep the code in the store
	st, err := store.Open(newDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.New(st).Join(code); err != nil {
		t.Fatal(err)
	}
	id := st.Device().String()
	st.Close()
	if out, err := run(t, "endorse", id, "--role", "volunteer", "--name", "newcomer", "--data-dir", hubDir); err != nil {
		t.Fatalf("endorse = %v\n%s", err, out)
	}
	newcomer := startServe(t, newDir, serveOptions{redial: 50 * time.Millisecond})
	waitFor(t, 30*time.Second, "the hub on the app-joined dir redialled the code's addresses and caught up", func() error {
		if !endorsed(newcomer.nd.st) {
			return fmt.Errorf("not admitted yet; peers %+v", newcomer.nd.r.Status())
		}
		return nil
	})
	if ps := newcomer.nd.r.Status(); len(ps) == 0 || ps[0].Peer != hub.nd.h.ID() {
		t.Errorf("newcomer's peers %+v; want the hub of the join code", ps)
	}
}

// TestJoinKeepsCodeInStore: `join CODE` keeps the code in the store (where
// the app reads it too), not in a file of its own.
func TestJoinKeepsCodeInStore(t *testing.T) {
	hubDir, newDir := t.TempDir(), t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--data-dir", hubDir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	out, err := run(t, "join-code", "--qr=false", "--addr", "/ip4/192.168.1.10/tcp/4717", "--data-dir", hubDir)
	if err != nil {
		t.Fatalf("join-code = %v\n%s", err, out)
	}
	text := strings.SplitN(out, "\n", 2)[0]
	if out, err := run(t, "join", text, "--data-dir", newDir); err != nil {
		t.Fatalf("join = %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(newDir, store.JoinCodeFile)); !os.IsNotExist(err) {
		t.Errorf("join wrote %s (%v); want the code in the store only", store.JoinCodeFile, err)
	}
	st, err := store.Open(newDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if c, ok, err := rmnode.SavedJoinCode(st); err != nil || !ok || c.String() != text {
		t.Errorf("SavedJoinCode = %v, %v, %v; want %s", c, ok, err, text)
	}
}
