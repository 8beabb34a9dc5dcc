package app

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/reliefmesh/reliefmesh/practice"
	"github.com/reliefmesh/reliefmesh/store"
)

// dataEvents records the events with data an App emitted.
type dataEvents struct {
	mu       sync.Mutex
	switched []bool // EventStoreSwitched's practice flag, in order
	progress int    // EventImportProgress events
}

func (e *dataEvents) emit(name string, data any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch name {
	case EventStoreSwitched:
		e.switched = append(e.switched, data.(map[string]any)["practice"].(bool))
	case EventImportProgress:
		e.progress++
	}
}

// realState is what must not change in the real store while practice is open.
type realState struct {
	network string
	seq     uint64
	demands int
	offers  int
}

func stateOf(t *testing.T, a *App) realState {
	t.Helper()
	st, err := a.store()
	if err != nil {
		t.Fatal(err)
	}
	n, _ := st.Network()
	ds, err := st.Demands(store.DemandQuery{})
	if err != nil {
		t.Fatal(err)
	}
	os, err := st.Offers()
	if err != nil {
		t.Fatal(err)
	}
	return realState{network: n.Name, seq: st.VersionVector().Get(st.Device()), demands: len(ds), offers: len(os)}
}

func TestPracticeNetworkLeavesTheRealOneAlone(t *testing.T) {
	t.Setenv(EnvListen, "/ip4/127.0.0.1/tcp/0")
	dir := t.TempDir()
	a := New(dir, store.Options{})
	ev := &events{names: map[string]int{}}
	dev := &dataEvents{}
	ctx, cancel := context.WithCancel(context.Background())
	a.start(ctx, ev.emit, dev.emit)
	t.Cleanup(func() { a.Shutdown(ctx); cancel() })

	if _, err := a.Network.Create("Flood 2026", "甲"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Demands.Record(DemandInput{Title: "Village needs water", Category: "food_water", Items: []ItemInput{item("bottled water", "20", "箱")}}); err != nil {
		t.Fatal(err)
	}
	if !a.Network.Node().Running {
		t.Fatalf("Node() before practice = %+v; want the real network's node running", a.Network.Node())
	}
	before := stateOf(t, a)
	realID := a.Network.Info().DeviceID

	info, err := a.Network.StartPractice()
	if err != nil {
		t.Fatalf("StartPractice = %v", err)
	}
	wantNet, _ := practice.Names("zh-CN")
	if !info.Practice || !info.PracticeExists || info.NetworkName != wantNet || info.Role != "coordinator" || info.DeviceID == realID {
		t.Fatalf("StartPractice = %+v; want practice open, network %q, coordinator, a device key of its own", info, wantNet)
	}
	if n := a.Network.Node(); n.Running {
		t.Fatalf("Node() in practice = %+v; want no node: practice data must reach no one", n)
	}
	page, err := a.Demands.List(DemandQuery{})
	if err != nil || page.Total != practice.Demands {
		t.Fatalf("Demands.List in practice = %d demands, %v; want %d", page.Total, err, practice.Demands)
	}
	offers, err := a.Offers.List("")
	if err != nil || len(offers) != 87+22+20+59 {
		t.Fatalf("Offers.List in practice = %d offers, %v; want 188", len(offers), err)
	}
	published := 0
	for _, d := range page.Items {
		if d.Status == "published" || d.Status == "in_progress" {
			published++
		}
	}
	if published == 0 {
		t.Errorf("practice demands: none published; want a share moved along the pipeline")
	}
	if vs, err := a.Volunteers.List(); err != nil || len(vs) != 1 || len(vs[0].Skills) == 0 {
		t.Errorf("Volunteers.List in practice = %+v, %v; want the coordinator's profile with skills", vs, err)
	}
	if _, err := a.Network.Join("not a code"); err == nil {
		t.Errorf("Join in practice = nil error; want it refused")
	}
	again, err := a.Network.StartPractice()
	if err != nil || !again.Practice || again.DeviceID != info.DeviceID {
		t.Fatalf("second StartPractice = %+v, %v; want the same practice network, no error", again, err)
	}
	if p, _ := a.Demands.List(DemandQuery{}); p.Total != practice.Demands {
		t.Fatalf("after the second StartPractice: %d demands; want %d", p.Total, practice.Demands)
	}
	// the forwarder follows the practice store: recording a demand there tells the UI
	n := ev.count(EventDemandsChanged)
	if _, err := a.Demands.Record(DemandInput{Title: "练习需求", Category: "food_water", Items: []ItemInput{item("矿泉水", "10", "箱")}}); err != nil {
		t.Fatal(err)
	}
	poll(t, "demands:changed from the practice store", func() bool { return ev.count(EventDemandsChanged) > n })
	back, err := a.Network.LeavePractice()
	if err != nil || back.Practice || back.DeviceID != realID || back.NetworkName != "Flood 2026" || !back.PracticeExists {
		t.Fatalf("LeavePractice = %+v, %v; want the real network back, practice kept on disk", back, err)
	}
	if after := stateOf(t, a); after != before {
		t.Fatalf("real store after practice = %+v; want unchanged %+v", after, before)
	}
	poll(t, "the real node running again", func() bool { return a.Network.Node().Running })

	// practice reopens with what it had (and the demand recorded there), then is deleted from inside (which switches back first)
	if info, err := a.Network.StartPractice(); err != nil || !info.Practice {
		t.Fatalf("StartPractice again = %+v, %v", info, err)
	}
	if n := a.Network.Node(); n.Running {
		t.Fatalf("Node() in the reopened practice network = %+v; want no node", n)
	}
	if p, _ := a.Demands.List(DemandQuery{}); p.Total != practice.Demands+1 {
		t.Fatalf("reopened practice: %d demands; want %d", p.Total, practice.Demands+1)
	}
	gone, err := a.Network.DeletePractice()
	if err != nil || gone.Practice || gone.PracticeExists || gone.NetworkName != "Flood 2026" {
		t.Fatalf("DeletePractice = %+v, %v; want the real network open and no practice network", gone, err)
	}
	if _, err := os.Stat(PracticeDir(dir)); !os.IsNotExist(err) {
		t.Fatalf("practice dir after DeletePractice: %v; want it gone", err)
	}
	if after := stateOf(t, a); after != before {
		t.Fatalf("real store after delete = %+v; want unchanged %+v", after, before)
	}
	if _, err := a.Network.DeletePractice(); err != nil {
		t.Errorf("DeletePractice with none = %v; want nothing done", err)
	}
	dev.mu.Lock()
	defer dev.mu.Unlock()
	if len(dev.switched) < 4 || !dev.switched[0] || dev.switched[1] || dev.progress == 0 {
		t.Errorf("store:switched events %v, %d import:progress; want practice on, off, …, and progress while loading", dev.switched, dev.progress)
	}
}
