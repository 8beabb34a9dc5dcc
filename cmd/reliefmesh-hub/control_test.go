package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	stdpng "image/png"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/join"
)

// served is a hub running in-process on loopback.
type served struct {
	nd   *node
	logs *lockedWriter
	stop func() // cancels serve and waits for it to return
}

// startServe runs serve on dir until the test ends (or stop).
func startServe(t *testing.T, dir string, o serveOptions) *served {
	t.Helper()
	o.listen = []string{"/ip4/127.0.0.1/tcp/0"}
	if o.interval == 0 {
		o.interval = 200 * time.Millisecond
	}
	s := &served{logs: &lockedWriter{b: &strings.Builder{}}}
	log := slog.New(slog.NewTextHandler(s.logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan *node, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, dir, o, log, func(nd *node) { ready <- nd }) }()
	select {
	case s.nd = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("serve %s = %v", dir, err)
	}
	stopped := false
	s.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve %s = %v", dir, err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("serve %s did not stop within 30 s", dir)
		}
	}
	t.Cleanup(s.stop)
	return s
}

func (s *served) log() string {
	s.logs.mu.Lock()
	defer s.logs.mu.Unlock()
	return s.logs.b.String()
}

// statusJSON runs `status --json` on dir.
func statusJSON(t *testing.T, dir string) (hubStatus, string) {
	t.Helper()
	out, err := run(t, "status", "--json", "--data-dir", dir)
	if err != nil {
		t.Fatalf("status --json --data-dir %s = %v\n%s", dir, err, out)
	}
	var s hubStatus
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("status --json printed no JSON: %v\n%s", err, out)
	}
	return s, out
}

func newDeviceID(t *testing.T) string {
	t.Helper()
	d, _, err := ledger.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}

func TestControlSocket(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	hub := startServe(t, dir, serveOptions{})

	fi, err := os.Lstat(socketPath(dir))
	if err != nil || fi.Mode().Type() != fs.ModeSocket || fi.Mode().Perm() != 0o600 {
		t.Fatalf("control socket: %v, %v; want a socket with mode 0600", fi, err)
	}

	// The store is locked by the hub: these only work through the socket.
	s, out := statusJSON(t, dir)
	if s.Device != hub.nd.st.Device().String() || s.Network == nil || s.Network.Name != "Flood" || s.Role != "coordinator" ||
		s.Hub == nil || len(s.Hub.Addrs) == 0 || s.Hub.WaitingForEndorsement {
		t.Errorf("status --json through the socket:\n%s", out)
	}
	for _, field := range []string{`"peers": []`, `"demands_by_status"`, `"members": 1`, `"version_vector"`} {
		if !strings.Contains(out, field) {
			t.Errorf("status --json lacks %s:\n%s", field, out)
		}
	}

	// The serving hub, a coordinator here, publishes its encryption key in
	// a change of its own (desk.KeepGranting) unless a write of its own comes
	// first: desk.sealOps then appends the publish_key to that write. Wait for
	// it before the endorse, so that the count below is known (3: genesis,
	// publish_key, endorse).
	deadline := time.Now().Add(30 * time.Second)
	for _, ok := hub.nd.st.EncryptionKeys()[hub.nd.st.Device()]; !ok; _, ok = hub.nd.st.EncryptionKeys()[hub.nd.st.Device()] {
		if time.Now().After(deadline) {
			t.Fatal("the serving hub did not publish its encryption key within 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}

	id := newDeviceID(t)
	if out, err := run(t, "endorse", id, "--role", "reviewer", "--name", "乙", "--data-dir", dir); err != nil {
		t.Fatalf("endorse through the socket = %v\n%s", err, out)
	}
	d, _ := ledger.ParseDeviceID(id)
	if m, ok := hub.nd.st.Member(d); !ok || m.Role != relief.RoleReviewer || m.Name != "乙" {
		t.Errorf("the running hub's roster has %+v, %v; want 乙 as reviewer", m, ok)
	}
	if s, out := statusJSON(t, dir); s.Members != 2 {
		t.Errorf("status after endorse:\n%s\nwant 2 members", out)
	}
	if _, err := run(t, "endorse", id, "--role", "admiral", "--data-dir", dir); err == nil || !strings.Contains(err.Error(), "--role") {
		t.Errorf("endorse --role admiral = %v; want an error naming --role", err)
	}

	// Bundles stream through the socket both ways.
	file := filepath.Join(t.TempDir(), "all.rmb")
	if out, err := run(t, "bundle", "export", "-o", file, "--data-dir", dir); err != nil || !strings.Contains(out, "wrote 3 changes") {
		t.Fatalf("bundle export through the socket = %v\n%s", err, out)
	}
	if out, err := run(t, "bundle", "import", file, "--data-dir", dir); err != nil || !strings.Contains(out, "0 applied, 3 already held") {
		t.Errorf("bundle import through the socket = %v\n%s", err, out)
	}
	other := t.TempDir()
	net, _ := hub.nd.st.Network()
	if st, err := store.Open(other, store.Options{}); err != nil {
		t.Fatal(err)
	} else {
		st.JoinNetwork(net.ID)
		st.Close()
	}
	if out, err := run(t, "bundle", "import", file, "--data-dir", other); err != nil || !strings.Contains(out, "3 applied") {
		t.Errorf("bundle import (no hub) of the hub's export = %v\n%s", err, out)
	}
	bulletinFile := filepath.Join(t.TempDir(), "b.json")
	if out, err := run(t, "export", "--public", "--include-unpublished", "-o", bulletinFile, "--data-dir", dir); err != nil || !strings.Contains(out, "signed: "+bulletinFile+".sig") {
		t.Errorf("export through the socket = %v\n%s; want it signed by the hub", err, out)
	}
	if out, err := run(t, "verify", bulletinFile, "--data-dir", dir); err != nil || !strings.Contains(out, "VERIFIED") || strings.Contains(out, "roster too") {
		t.Errorf("verify while the hub serves = %v\n%s; want verified from the files alone", err, out)
	}

	// A clean shutdown removes the socket; the store is then opened directly.
	hub.stop()
	if _, err := os.Lstat(socketPath(dir)); !os.IsNotExist(err) {
		t.Errorf("after shutdown the control socket is still there: %v", err)
	}
	if out, err := run(t, "verify", bulletinFile, "--data-dir", dir); err != nil || !strings.Contains(out, "checked against this device's roster too") {
		t.Errorf("verify with the store free = %v\n%s; want it checked against the roster too", err, out)
	}
	s, out = statusJSON(t, dir)
	if s.Hub != nil || s.Peers == nil || len(s.Peers) != 0 || s.Members != 2 {
		t.Errorf("status --json with no hub:\n%s\nwant hub null, peers [], 2 members", out)
	}
}

func TestStaleSocketAndDirInUse(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "Quake", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	// A hub that crashed leaves its socket behind.
	ln, err := net.Listen("unix", socketPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Lstat(socketPath(dir)); err != nil {
		t.Fatalf("stale socket: %v", err)
	}
	if s, out := statusJSON(t, dir); s.Hub != nil || s.Network == nil {
		t.Errorf("status with a stale socket:\n%s\nwant the store read directly", out)
	}
	hub := startServe(t, dir, serveOptions{})
	if s, out := statusJSON(t, dir); s.Hub == nil {
		t.Errorf("status after serve replaced the stale socket:\n%s\nwant the hub's answer", out)
	}
	if !strings.Contains(hub.log(), "stale control socket") {
		t.Errorf("serve did not say it replaced a stale socket:\n%s", hub.log())
	}
	hub.stop()

	// The desktop app holds the store: no hub answers, and the store is locked.
	app, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	want := fmt.Sprintf("the data dir %s is in use by another process (the desktop app?)", dir)
	for _, args := range [][]string{{"status"}, {"endorse", newDeviceID(t)}, {"join-code", "--addr", "/ip4/127.0.0.1/tcp/4717"}} {
		if _, err := run(t, append(args, "--data-dir", dir)...); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v while the app holds the dir = %v; want %q", args, err, want)
		}
	}
}

func TestJoinCodeWithoutHub(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "join-code", "--addr", "/ip4/127.0.0.1/tcp/4717", "--data-dir", dir); err == nil || !strings.Contains(err.Error(), "no ReliefMesh device") {
		t.Errorf("join-code before init = %v\n%s; want no ReliefMesh device", err, out)
	}
	run(t, "init", "--name", "Flood", "--data-dir", dir)
	out, err := run(t, "join-code", "--addr", "/ip4/192.168.1.10/tcp/4717", "--data-dir", dir)
	if err != nil {
		t.Fatalf("join-code --addr = %v\n%s", err, out)
	}
	code, err := join.Parse(strings.SplitN(out, "\n", 2)[0])
	if err != nil {
		t.Fatalf("join-code's first line is not a join code: %v\n%s", err, out)
	}
	if code.Name != "Flood" || len(code.Addrs) != 1 || !strings.HasPrefix(code.Addrs[0], "/ip4/192.168.1.10/tcp/4717/p2p/12D3KooW") {
		t.Errorf("join code = %+v; want Flood and the --addr with /p2p/<peer id>", code)
	}
	if !strings.Contains(out, "█") {
		t.Errorf("join-code printed no QR:\n%s", out)
	}
	png := filepath.Join(t.TempDir(), "join.png")
	if out, err := run(t, "join-code", "--qr=false", "--addr", "/ip4/192.168.1.10/tcp/4717", "--png", png, "--data-dir", dir); err != nil {
		t.Fatalf("join-code --png = %v", err)
	} else if !strings.Contains(out, "QR picture written to "+png+"\n") {
		t.Errorf("join-code --png said nothing of the file:\n%s", out)
	} else if _, err := join.Parse(strings.SplitN(out, "\n", 2)[0]); err != nil {
		t.Errorf("join-code --png: the first line is not the code alone: %v\n%s", err, out)
	}
	if f, err := os.Open(png); err != nil {
		t.Errorf("join-code --png wrote no file: %v", err)
	} else if img, err := stdpng.Decode(f); err != nil || img.Bounds().Dx() < 200 {
		t.Errorf("join-code --png: not a readable QR picture (%v, %v)", err, img)
	} else {
		f.Close()
	}
	if _, err := run(t, "join-code", "--addr", "not-an-address", "--data-dir", dir); err == nil || !strings.Contains(err.Error(), "--addr") {
		t.Errorf("join-code --addr not-an-address = %v; want an error naming --addr", err)
	}
	if _, err := run(t, "join", "RMJ1-NOPE", "--data-dir", t.TempDir()); err == nil || !strings.Contains(err.Error(), "join code") {
		t.Errorf("join with a damaged code = %v; want a join code error", err)
	}
}

// TestJoinEndorseCatchUp is the newcomer's path: a hub serves; a second node
// joins with the hub's join code, is refused until a member endorses it
// through the hub's control socket, then catches up.
func TestJoinEndorseCatchUp(t *testing.T) {
	hubDir, newDir := t.TempDir(), t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--member-name", "hub", "--data-dir", hubDir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	st, err := store.Open(hubDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		if _, err := st.RecordDemand(relief.Demand{Title: fmt.Sprintf("demand %d", i), Category: "other"}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	hub := startServe(t, hubDir, serveOptions{})

	out, err := run(t, "join-code", "--qr=false", "--data-dir", hubDir)
	if err != nil {
		t.Fatalf("join-code through the socket = %v\n%s", err, out)
	}
	codeText := strings.SplitN(out, "\n", 2)[0]
	code, err := join.Parse(codeText)
	if err != nil || len(code.Addrs) == 0 || !strings.Contains(code.Addrs[0], "/p2p/"+hub.nd.h.ID().String()) {
		t.Fatalf("join code %q = %+v, %v; want the hub's addresses", codeText, code, err)
	}

	out, err = run(t, "join", codeText, "--data-dir", newDir)
	if err != nil || !strings.Contains(out, "ask a member to endorse this id") {
		t.Fatalf("join = %v\n%s", err, out)
	}
	var id string
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, "member id: "); ok {
			id = v
		}
	}
	if _, err := ledger.ParseDeviceID(id); err != nil {
		t.Fatalf("join printed no member id (%v):\n%s", err, out)
	}

	newcomer := startServe(t, newDir, serveOptions{redial: 50 * time.Millisecond})
	hubPeer := hub.nd.h.ID()
	waitFor(t, 20*time.Second, "the newcomer dialled the hub and was refused", func() error {
		for _, p := range newcomer.nd.r.Status() {
			if p.Peer == hubPeer && p.LastError != "" {
				return nil
			}
		}
		return fmt.Errorf("newcomer status %+v", newcomer.nd.r.Status())
	})
	if !strings.Contains(newcomer.log(), "waiting for endorsement") {
		t.Errorf("the newcomer did not log waiting for endorsement:\n%s", newcomer.log())
	}
	s, sout := statusJSON(t, newDir)
	if s.Hub == nil || !s.Hub.WaitingForEndorsement || len(s.VersionVector) != 0 {
		t.Errorf("newcomer's status before endorsement:\n%s\nwant waiting_for_endorsement and nothing received", sout)
	}
	for _, p := range hub.nd.r.Status() {
		if p.Device.String() == id {
			t.Errorf("the hub lists the newcomer before endorsing it: %+v", p)
		}
	}

	if out, err := run(t, "endorse", id, "--role", "volunteer", "--name", "newcomer", "--data-dir", hubDir); err != nil {
		t.Fatalf("endorse through the socket = %v\n%s", err, out)
	}
	waitFor(t, 60*time.Second, "the newcomer caught up", func() error {
		hs, _ := statusJSON(t, hubDir)
		ns, _ := statusJSON(t, newDir)
		if ns.Hub.WaitingForEndorsement || ns.Demands != 300 || !vvEqual(hs.VersionVector, ns.VersionVector) {
			return fmt.Errorf("newcomer: waiting %v, %d demands, vv %v; hub vv %v",
				ns.Hub.WaitingForEndorsement, ns.Demands, ns.VersionVector, hs.VersionVector)
		}
		// the newcomer's replication counters say how the 300 demands came
		if s := ns.Hub.Sync; s.Rounds == 0 || s.Applied+s.GossipAccepted < 300 {
			return fmt.Errorf("newcomer sync counters %+v; want rounds and ≥ 300 changes applied", s)
		}
		return nil
	})
	waitFor(t, 60*time.Second, "the newcomer logs its admission", func() error {
		if !strings.Contains(newcomer.log(), "endorsed: admitted to the network") {
			return fmt.Errorf("logs:\n%s", newcomer.log())
		}
		return nil
	})
	waitFor(t, 20*time.Second, "the hub reports the newcomer synced", func() error {
		hs, _ := statusJSON(t, hubDir)
		for _, p := range hs.Peers {
			if p.Member == id && p.Connected && p.Synced && p.LastExchange != "" {
				if _, err := time.Parse(time.RFC3339, p.LastExchange); err != nil {
					return err
				}
				return nil
			}
		}
		return fmt.Errorf("hub peers %+v", hs.Peers)
	})

	// The newcomer stops; the hub records more; the newcomer, restarted,
	// dials the hub from its saved join code and catches up.
	newcomer.stop()
	for i := range 50 {
		if _, err := hub.nd.st.RecordDemand(relief.Demand{Title: fmt.Sprintf("while away %d", i), Category: "other"}); err != nil {
			t.Fatal(err)
		}
	}
	startServe(t, newDir, serveOptions{redial: 50 * time.Millisecond})
	waitFor(t, 60*time.Second, "the restarted newcomer caught up", func() error {
		hs, _ := statusJSON(t, hubDir)
		ns, _ := statusJSON(t, newDir)
		if ns.Demands != 350 || !vvEqual(hs.VersionVector, ns.VersionVector) {
			return fmt.Errorf("newcomer: %d demands, vv %v; hub vv %v", ns.Demands, ns.VersionVector, hs.VersionVector)
		}
		return nil
	})
}

func vvEqual(a, b map[string]uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// memberIDIn returns the member id `join` printed in out.
func memberIDIn(t *testing.T, out string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, "member id: "); ok {
			if _, err := ledger.ParseDeviceID(v); err == nil {
				return v
			}
		}
	}
	t.Fatalf("no member id printed:\n%s", out)
	return ""
}

// TestJoinWhileServed: `join CODE` on a data dir a hub serves keeps the code
// through the control socket (the store is the hub's), and the running node
// dials the new code's addresses: a newcomer that joined with a code whose
// address reaches nobody is told the right code while it serves, is endorsed
// and catches up. A code of another network is refused and the kept code
// stays.
func TestJoinWhileServed(t *testing.T) {
	hubDir, newDir, otherDir := t.TempDir(), t.TempDir(), t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--member-name", "hub", "--data-dir", hubDir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	hub := startServe(t, hubDir, serveOptions{})
	out, err := run(t, "join-code", "--qr=false", "--data-dir", hubDir)
	if err != nil {
		t.Fatalf("join-code through the socket = %v\n%s", err, out)
	}
	code, err := join.Parse(strings.SplitN(out, "\n", 2)[0])
	if err != nil || code.Name != "Flood" || len(code.Addrs) == 0 {
		t.Fatalf("join code = %+v, %v; want Flood with the hub's addresses", code, err)
	}
	nowhere := join.Code{Network: code.Network, Name: code.Name, Addrs: []string{"/ip4/127.0.0.1/tcp/1/p2p/" + hub.nd.h.ID().String()}}
	out, err = run(t, "join", nowhere.String(), "--data-dir", newDir)
	if err != nil {
		t.Fatalf("join (no hub) = %v\n%s", err, out)
	}
	id := memberIDIn(t, out)
	newcomer := startServe(t, newDir, serveOptions{redial: 50 * time.Millisecond})

	out, err = run(t, "join", code.String(), "--data-dir", newDir)
	if err != nil || memberIDIn(t, out) != id || !strings.Contains(out, "ask a member to endorse this id") ||
		!strings.Contains(out, "the hub serving this data dir dials") {
		t.Fatalf("join while served = %v\n%s\nwant member id %s, the endorsement hint and that the serving hub dials", err, out, id)
	}
	if text, ok := newcomer.nd.st.JoinCode(); !ok || text != code.String() {
		t.Errorf("the serving newcomer keeps %q, %v; want the code joined through the socket %q", text, ok, code.String())
	}

	if out, err := run(t, "init", "--name", "Fire", "--data-dir", otherDir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	out, err = run(t, "join-code", "--qr=false", "--addr", "/ip4/127.0.0.1/tcp/9", "--data-dir", otherDir)
	if err != nil {
		t.Fatalf("join-code (no hub) = %v\n%s", err, out)
	}
	if out, err := run(t, "join", strings.SplitN(out, "\n", 2)[0], "--data-dir", newDir); err == nil || !strings.Contains(err.Error(), "network") {
		t.Errorf("join with another network's code while served = %v\n%s\nwant an error about the network", err, out)
	}
	if text, _ := newcomer.nd.st.JoinCode(); text != code.String() {
		t.Errorf("a refused join changed the kept code to %q", text)
	}

	if out, err := run(t, "endorse", id, "--role", "volunteer", "--name", "newcomer", "--data-dir", hubDir); err != nil {
		t.Fatalf("endorse through the socket = %v\n%s", err, out)
	}
	waitFor(t, 60*time.Second, "the newcomer dialled the code kept through the socket and was admitted", func() error {
		ns, _ := statusJSON(t, newDir)
		if ns.Hub == nil || ns.Hub.WaitingForEndorsement || ns.Members != 2 {
			return fmt.Errorf("newcomer status %+v", ns)
		}
		return nil
	})
}

// TestStatusShowsNodeError: when the network node stops working
// (node.Node.Err), status says why, in JSON and in text; while it works the
// error is empty.
func TestStatusShowsNodeError(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	hub := startServe(t, dir, serveOptions{})
	if s, out := statusJSON(t, dir); s.Hub == nil || s.Hub.Error != "" || !strings.Contains(out, `"error": ""`) {
		t.Errorf("status of a working hub:\n%s\nwant hub.error empty", out)
	}
	broken := *hub.nd // a copy: the serving loop reads hub.nd.err
	broken.err = func() error { return fmt.Errorf("replication stopped: %w", net.ErrClosed) }
	s := broken.status()
	if s.Hub == nil || !strings.Contains(s.Hub.Error, "replication stopped") {
		t.Fatalf("status of a node that stopped = %+v; want hub.error saying so", s.Hub)
	}
	var b strings.Builder
	printPeers(&b, s)
	if !strings.Contains(b.String(), "error:    replication stopped") {
		t.Errorf("status text of a node that stopped:\n%s\nwant the error", b.String())
	}
}

// TestControlSocketErrorsInLanguage: an error the serving hub answered on
// its control socket reached a zh-CN user in English only; it is said in
// the user's language (the hub's own words kept beside it), and stays as
// it was in en.
func TestControlSocketErrorsInLanguage(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "Flood", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	startServe(t, dir, serveOptions{})
	id := newDeviceID(t)
	if out, err := run(t, "endorse", id, "--role", "volunteer", "--data-dir", dir); err != nil {
		t.Fatalf("endorse = %v\n%s", err, out)
	}
	// the hub refuses a second endorsement of the same member
	_, err := run(t, "endorse", id, "--role", "volunteer", "--lang", "zh-CN", "--data-dir", dir)
	if err == nil || !strings.Contains(err.Error(), "正在运行的枢纽拒绝了") || !strings.Contains(err.Error(), "值无效") || !strings.Contains(err.Error(), "already a") {
		t.Errorf("endorse again --lang zh-CN through the socket = %v; want it said in Chinese, the hub's words kept", err)
	}
	_, err = run(t, "endorse", id, "--role", "volunteer", "--lang", "en", "--data-dir", dir)
	if err == nil || strings.Contains(err.Error(), "枢纽") || !strings.Contains(err.Error(), "already a") {
		t.Errorf("endorse again --lang en through the socket = %v; want the hub's English", err)
	}
}
