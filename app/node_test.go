package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/join"
)

// events records what an App emitted to its UI.
type events struct {
	mu    sync.Mutex
	names map[string]int
	data  map[string][]any // the data of events sent with data, in order
}

func (e *events) emit(name string) { e.mu.Lock(); e.names[name]++; e.mu.Unlock() }
func (e *events) emitData(name string, data any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.names[name]++
	if e.data == nil {
		e.data = map[string][]any{}
	}
	e.data[name] = append(e.data[name], data)
}

// sent returns the data of the events name sent so far.
func (e *events) sent(name string) []any {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]any(nil), e.data[name]...)
}
func (e *events) count(name string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.names[name]
}

func startedApp(t *testing.T) (*App, *events) {
	t.Helper()
	t.Setenv(EnvListen, "/ip4/127.0.0.1/tcp/0")
	a := New(t.TempDir(), store.Options{})
	ev := &events{names: map[string]int{}}
	ctx, cancel := context.WithCancel(context.Background())
	a.start(ctx, ev.emit, ev.emitData)
	t.Cleanup(func() { a.Shutdown(ctx); cancel() })
	return a, ev
}

func poll(t *testing.T, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	start := time.Now()
	defer func() { t.Logf("%s: %v", what, time.Since(start).Round(time.Millisecond)) }()
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestJoinAndReplicate: a coordinator's app shows a join code; a newcomer's
// app joins with it and waits; once endorsed it is admitted, catches up, and
// a demand recorded on the coordinator's side appears in the newcomer's open
// list with a demands:changed event, without a reload.
func TestJoinAndReplicate(t *testing.T) {
	a, _ := startedApp(t)
	b, evB := startedApp(t)
	if _, err := a.Network.Create("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	if !a.Network.Node().Running {
		t.Fatalf("A's node is not running: %+v", a.Network.Node())
	}
	code, err := a.Network.JoinCode()
	if err != nil || !strings.HasPrefix(code.Code, "RMJ1-") || !strings.HasPrefix(code.QR, "data:image/png;base64,") {
		t.Fatalf("JoinCode = %+v, %v", code, err)
	}
	if _, err := b.Network.Join("RMJ1-garbage"); err == nil || !strings.Contains(err.Error(), "joinCode") {
		t.Errorf("Join(garbage) = %v; want an error naming joinCode", err)
	}
	info, err := b.Network.Join(code.Code)
	if err != nil || info.NetworkID == "" || info.Role != "" {
		t.Fatalf("Join = %+v, %v; want the network and no role yet (waiting for endorsement)", info, err)
	}
	if _, err := a.Network.Endorse(info.DeviceID, "volunteer", "乙"); err != nil {
		t.Fatal(err)
	}
	// B keeps dialling the join code's addresses until A admits it
	poll(t, "B endorsed and caught up", func() bool { return b.Network.Info().Role == "volunteer" })
	if b.Network.Info().NetworkName != "Flood" {
		t.Errorf("B's network name = %q", b.Network.Info().NetworkName)
	}
	poll(t, "synced status on both sides", func() bool {
		pa, _ := a.Network.Peers()
		pb, _ := b.Network.Peers()
		return len(pa) == 1 && pa[0].Synced && pa[0].Connected && len(pb) == 1 && pb[0].Synced && pb[0].Member.Name == "甲"
	})
	// B's catch-up progress reached its UI through the store's bus and the forwarder
	poll(t, "B's UI told of the catch-up's end", func() bool {
		for _, d := range evB.sent(EventSyncProgress) {
			m, ok := d.(map[string]any)
			if ok && m["member"] == a.Network.Info().DeviceID && m["done"] == true && m["expected"] != nil && m["applied"] != nil {
				return true
			}
		}
		return false
	})
	before := evB.count(EventDemandsChanged)
	d, err := a.Demands.Record(DemandInput{Title: "water", Category: "food_water", Items: []ItemInput{item("water", "", "")}})
	if err != nil {
		t.Fatal(err)
	}
	poll(t, "the demand on B with an event to its UI", func() bool {
		page, _ := b.Demands.List(DemandQuery{})
		list := page.Items
		return len(list) == 1 && list[0].ID == d.ID && evB.count(EventDemandsChanged) > before
	})
}

func TestBundleRoundTrip(t *testing.T) {
	a := newApp(t, t.TempDir())
	a.Network.Create("Flood", "甲")
	for i := 0; i < 5; i++ {
		if _, err := a.Demands.Record(DemandInput{Title: "d", Category: "other", Items: []ItemInput{item("x", "1", "")}}); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "site-a.rmbundle")
	res, err := a.Network.ExportBundleTo(path)
	if err != nil || res.Changes != 6 {
		t.Fatalf("ExportBundleTo = %+v, %v; want 6 changes", res, err)
	}
	b := newApp(t, t.TempDir())
	n, _ := a.store()
	net, _ := n.Network()
	bs, _ := b.store()
	bs.JoinNetwork(net.ID)
	res, err = b.Network.ImportBundleFrom(path)
	if err != nil || res.Applied != 6 {
		t.Fatalf("ImportBundleFrom = %+v, %v; want 6 applied", res, err)
	}
	if res, err = b.Network.ImportBundleFrom(path); err != nil || res.Applied != 0 {
		t.Errorf("re-import = %+v, %v; want nothing new", res, err)
	}
	if p, _ := b.Demands.List(DemandQuery{}); p.Total != 5 {
		t.Errorf("B has %d demands; want 5", p.Total)
	}
	if _, err := b.Network.ImportBundleFrom(filepath.Join(t.TempDir(), "missing.rmbundle")); err == nil || !strings.Contains(err.Error(), "missing.rmbundle") {
		t.Errorf("import of a missing file = %v; want an error naming it", err)
	}
}

// startedAppIn is startedApp on an existing data directory.
func startedAppIn(t *testing.T, dir string) *App {
	t.Helper()
	t.Setenv(EnvListen, "/ip4/127.0.0.1/tcp/0")
	a := New(dir, store.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	a.start(ctx, func(string) {}, func(string, any) {})
	t.Cleanup(func() { a.Shutdown(ctx); cancel() })
	return a
}

// TestHubJoinedDirOpenedByApp: a data directory joined by the hub
// (`reliefmesh-hub join CODE`, which kept the code in join-code.txt before the
// join code moved into the store) and then opened by the app keeps its join
// code: the app dials the code's addresses, is admitted once endorsed and
// catches up.
func TestHubJoinedDirOpenedByApp(t *testing.T) {
	a, _ := startedApp(t)
	if _, err := a.Network.Create("Flood", "甲"); err != nil {
		t.Fatal(err)
	}
	code, err := a.Network.JoinCode()
	if err != nil {
		t.Fatal(err)
	}
	c, err := join.Parse(code.Code)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.JoinNetwork(c.Network); err != nil {
		t.Fatal(err)
	}
	device := st.Device().String()
	st.Close()
	if err := os.WriteFile(filepath.Join(dir, "join-code.txt"), []byte(code.Code+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Network.Endorse(device, "volunteer", "乙"); err != nil {
		t.Fatal(err)
	}
	b := startedAppIn(t, dir)
	bs, err := b.store()
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := bs.JoinCode(); !ok || got != code.Code {
		t.Errorf("the app's store keeps join code %q, %v; want the file's %q", got, ok, code.Code)
	}
	if _, err := os.Stat(filepath.Join(dir, "join-code.txt")); !os.IsNotExist(err) {
		t.Errorf("join-code.txt still there (%v); want it moved into the store", err)
	}
	poll(t, "the app on the hub-joined dir redialled the code's addresses and caught up", func() bool {
		return b.Network.Info().Role == "volunteer" && b.Network.Info().NetworkName == "Flood"
	})
}

// TestSyncProgressForwarded: catch-up progress published on the store's bus
// reaches the UI as EventSyncProgress with the payload {member, applied,
// expected, done}, the latest of each member per coalescing period, so the
// final report of a round always arrives last.
func TestSyncProgressForwarded(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ev := &events{names: map[string]int{}}
	f := startForwarder(t.Context(), st, ev.emit, ev.emitData)
	defer f.stop()
	member := st.Device()
	for i := 1; i <= 10; i++ {
		st.PublishSyncProgress(store.SyncProgress{Device: member, Expected: 10, Applied: i, Done: i == 10})
	}
	var last map[string]any
	poll(t, "the final progress forwarded", func() bool {
		sent := ev.sent(EventSyncProgress)
		if len(sent) == 0 {
			return false
		}
		last, _ = sent[len(sent)-1].(map[string]any)
		return last != nil && last["done"] == true
	})
	want := map[string]any{"member": member.String(), "applied": 10, "expected": 10, "done": true}
	for k, v := range want {
		if last[k] != v {
			t.Errorf("forwarded progress %v; want %v", last, want)
			break
		}
	}
	if n := len(ev.sent(EventSyncProgress)); n > 10 {
		t.Errorf("%d progress events forwarded for 10 published; want at most 10", n)
	}
}
