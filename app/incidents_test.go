package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/store"
)

// startedDesktop is a started desktop app on dir with keys for its keyring,
// its node on loopback; it is shut down at the end of the test.
func startedDesktop(t *testing.T, dir string, keys Keyring) (*App, *events) {
	t.Helper()
	t.Setenv(EnvListen, "/ip4/127.0.0.1/tcp/0")
	a := NewDesktop(dir, store.Options{}, keys)
	ev := &events{names: map[string]int{}}
	ctx, cancel := context.WithCancel(context.Background())
	a.start(ctx, ev.emit, ev.emitData)
	t.Cleanup(func() { a.Shutdown(ctx); cancel() })
	return a, ev
}

// demandTitles returns the titles of the open incident's demands, sorted.
func demandTitles(t *testing.T, a *App) []string {
	t.Helper()
	page, err := a.Demands.List(DemandQuery{})
	if err != nil {
		t.Fatalf("Demands.List = %v", err)
	}
	var out []string
	for _, d := range page.Items {
		out = append(out, d.Title)
	}
	slices.Sort(out)
	return out
}

// incidentNamed returns the view of the incident called name.
func incidentNamed(t *testing.T, a *App, name string) IncidentView {
	t.Helper()
	v, err := a.Network.Incidents()
	if err != nil {
		t.Fatalf("Incidents = %v", err)
	}
	for _, iv := range v.Incidents {
		if iv.Name == name {
			return iv
		}
	}
	t.Fatalf("Incidents = %+v; want one called %q", v.Incidents, name)
	return IncidentView{}
}

// switchedTo returns the incidents EventStoreSwitched named, in order.
func switchedTo(ev *events) []string {
	var out []string
	for _, d := range ev.sent(EventStoreSwitched) {
		if m, ok := d.(map[string]any); ok {
			id, _ := m["incident"].(string)
			out = append(out, id)
		}
	}
	return out
}

// TestOldDataDirectoryIsTheFirstIncident: a data directory laid out as
// before several incidents (device.key, db/, no list of incidents) opens
// as the first incident with its data, nothing moved or written beside it;
// adding a second incident leaves the first where it is.
func TestOldDataDirectoryIsTheFirstIncident(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dk := desk.New(st)
	if _, err := dk.CreateNetwork("旧网络", "甲"); err != nil {
		t.Fatal(err)
	}
	if _, err := dk.RecordDemand(DemandInput{Title: "旧需求", Category: "food_water", Items: []ItemInput{item("水", "5", "箱")}}); err != nil {
		t.Fatal(err)
	}
	device := st.Device().String()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	keyBefore, err := os.ReadFile(filepath.Join(dir, "device.key"))
	if err != nil {
		t.Fatal(err)
	}
	names := func() []string {
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.Name())
		}
		return out
	}
	before := names()

	a, _ := startedDesktop(t, dir, nil)
	info := a.Network.Info()
	if info.Incident != MainIncident || info.DeviceID != device || info.NetworkName != "旧网络" || info.DataDir != dir {
		t.Fatalf("Info() = %+v; want the old store as incident %q, device %s, in %s", info, MainIncident, device, dir)
	}
	if got := demandTitles(t, a); !slices.Equal(got, []string{"旧需求"}) {
		t.Fatalf("demands = %v; want the old one", got)
	}
	v, err := a.Network.Incidents()
	if err != nil || len(v.Incidents) != 1 || v.Incidents[0].ID != MainIncident || !v.Incidents[0].Active || v.Incidents[0].Name != "旧网络" || v.Incidents[0].Dir != dir {
		t.Fatalf("Incidents = %+v, %v; want the old store alone, active, named", v, err)
	}
	if after := names(); !slices.Equal(after, before) {
		t.Fatalf("data directory after opening = %v; want untouched %v", after, before)
	}

	if _, err := a.Network.AddIncident(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, IncidentsFile)); err != nil {
		t.Fatalf("%s after adding an incident: %v; want the list written", IncidentsFile, err)
	}
	if _, err := a.Network.SwitchIncident(MainIncident); err != nil {
		t.Fatal(err)
	}
	if got := demandTitles(t, a); !slices.Equal(got, []string{"旧需求"}) {
		t.Fatalf("demands back in the first incident = %v; want the old one", got)
	}
	keyAfter, err := os.ReadFile(filepath.Join(dir, "device.key"))
	if err != nil || !bytes.Equal(keyAfter, keyBefore) || !store.HasStore(dir) {
		t.Fatalf("device.key changed (%v) or db/ gone (%v); want the first incident where it was", err, store.HasStore(dir))
	}
}

// TestTwoIncidents: a second incident has its own store, device key and
// at-rest key (a keyring entry of its own); switching shows each one's own
// data; the app opens the last one used at its next start; an incident
// with a network is never removed, an empty one is.
func TestTwoIncidents(t *testing.T) {
	dir := t.TempDir()
	keys := &fakeKeyring{}
	a, ev := startedDesktop(t, dir, keys)
	if _, err := a.Network.Create("洪水 A", "甲"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Demands.Record(DemandInput{Title: "A 村需要饮用水", Category: "food_water", Items: []ItemInput{item("水", "10", "箱")}}); err != nil {
		t.Fatal(err)
	}
	infoA := a.Network.Info()

	infoB, err := a.Network.AddIncident()
	if err != nil {
		t.Fatal(err)
	}
	if infoB.Incident == MainIncident || infoB.NetworkID != "" || infoB.DeviceID == "" || infoB.DeviceID == infoA.DeviceID || infoB.StartupError != "" {
		t.Fatalf("AddIncident = %+v; want a new incident, no network yet, a device key of its own (A's is %s)", infoB, infoA.DeviceID)
	}
	if got := demandTitles(t, a); len(got) != 0 {
		t.Fatalf("demands of the new incident = %v; want none", got)
	}
	if _, err := a.Network.Create("地震 B", "乙"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Demands.Record(DemandInput{Title: "B 镇需要帐篷", Category: "shelter", Items: []ItemInput{item("帐篷", "30", "顶")}}); err != nil {
		t.Fatal(err)
	}
	if !a.Network.Node().Running {
		t.Fatalf("B's node = %+v; want it running", a.Network.Node())
	}
	dirB := a.Network.Info().DataDir
	if dirB == dir || filepath.Dir(dirB) != filepath.Join(dir, IncidentsDirName) {
		t.Fatalf("B's data directory = %s; want one under %s", dirB, filepath.Join(dir, IncidentsDirName))
	}
	kiA, encA, errA := store.ReadKeyInfo(dir)
	kiB, encB, errB := store.ReadKeyInfo(dirB)
	if errA != nil || errB != nil || !encA || !encB || kiA.Account == kiB.Account || len(keys.keys) != 2 {
		t.Fatalf("at-rest keys: A %+v %v %v, B %+v %v %v, %d in the keyring; want each encrypted under a keyring entry of its own", kiA, encA, errA, kiB, encB, errB, len(keys.keys))
	}

	back, err := a.Network.SwitchIncident(MainIncident)
	if err != nil || back.DeviceID != infoA.DeviceID || back.NetworkName != "洪水 A" || back.Incident != MainIncident {
		t.Fatalf("SwitchIncident(main) = %+v, %v; want A again", back, err)
	}
	if got := demandTitles(t, a); !slices.Equal(got, []string{"A 村需要饮用水"}) {
		t.Fatalf("A's demands = %v; want its own only", got)
	}
	if !a.Network.Node().Running {
		t.Fatalf("A's node after the switch = %+v; want it running", a.Network.Node())
	}
	if b := incidentNamed(t, a, "地震 B"); b.Active || b.Syncing || b.ID != infoB.Incident {
		t.Fatalf("B in Incidents = %+v; want inactive, not syncing (not set to)", b)
	}
	if aa := incidentNamed(t, a, "洪水 A"); !aa.Active {
		t.Fatalf("A in Incidents = %+v; want active", aa)
	}
	if _, err := a.Network.SwitchIncident("nope"); !isCode(err, CodeNotFound) {
		t.Errorf("SwitchIncident(unknown) = %v; want %s", err, CodeNotFound)
	}
	if _, err := a.Network.RemoveIncident(infoB.Incident); !isCode(err, CodeNotAllowed) {
		t.Errorf("RemoveIncident(B, with a network) = %v; want %s", err, CodeNotAllowed)
	}
	if _, err := a.Network.SwitchIncident(infoB.Incident); err != nil {
		t.Fatal(err)
	}
	if got := demandTitles(t, a); !slices.Equal(got, []string{"B 镇需要帐篷"}) {
		t.Fatalf("B's demands = %v; want its own only", got)
	}
	if got, want := switchedTo(ev), []string{infoB.Incident, MainIncident, infoB.Incident}; !slices.Equal(got, want) {
		t.Errorf("store:switched incidents = %v; want %v", got, want)
	}

	// an empty incident is removed (the open one: the first opens)
	empty, err := a.Network.AddIncident()
	if err != nil {
		t.Fatal(err)
	}
	emptyDir := empty.DataDir
	gone, err := a.Network.RemoveIncident(empty.Incident)
	if err != nil || gone.Incident != MainIncident {
		t.Fatalf("RemoveIncident(empty) = %+v, %v; want the first incident open", gone, err)
	}
	if _, err := os.Stat(emptyDir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("removed incident's directory: %v; want it gone", err)
	}
	if v, _ := a.Network.Incidents(); len(v.Incidents) != 2 {
		t.Fatalf("Incidents after removing the empty one = %+v; want A and B", v.Incidents)
	}

	// the next start opens the incident used last
	if _, err := a.Network.SwitchIncident(infoB.Incident); err != nil {
		t.Fatal(err)
	}
	a.Shutdown(context.Background())
	again, _ := startedDesktop(t, dir, keys)
	if info := again.Network.Info(); info.Incident != infoB.Incident || info.NetworkName != "地震 B" || info.DeviceID != infoB.DeviceID {
		t.Fatalf("Info() after a restart = %+v; want B, the last one open", info)
	}
	if aa := incidentNamed(t, again, "洪水 A"); aa.Active || aa.Dir != dir {
		t.Fatalf("A after a restart = %+v; want listed by its name, inactive", aa)
	}
}

// isCode reports whether err is an *Error with code.
func isCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// TestBackgroundSync: incident A, set to keep syncing in the background,
// receives a peer's demand over libp2p while incident B is open; switching
// back takes over A's running node and store (same peer id, the demand
// there at once). With the setting off, A's node stops when B opens.
func TestBackgroundSync(t *testing.T) {
	x, _ := startedDesktop(t, t.TempDir(), nil)
	peer, _ := startedApp(t)
	if _, err := x.Network.Create("洪水 A", "甲"); err != nil {
		t.Fatal(err)
	}
	code, err := x.Network.JoinCode()
	if err != nil {
		t.Fatal(err)
	}
	joined, err := peer.Network.Join(code.Code)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.Network.Endorse(joined.DeviceID, "coordinator", "乙"); err != nil {
		t.Fatal(err)
	}
	poll(t, "the peer endorsed", func() bool { return peer.Network.Info().Role == "coordinator" })

	if v, err := x.Network.SetBackgroundSync(MainIncident, true); err != nil || !v.Incidents[0].Background || v.Incidents[0].Syncing {
		t.Fatalf("SetBackgroundSync(main, on) = %+v, %v; want the setting on, nothing in the background yet (A is open)", v, err)
	}
	peerID := x.Network.Node().PeerID
	if _, err := x.Network.AddIncident(); err != nil {
		t.Fatal(err)
	}
	if _, err := x.Network.Create("地震 B", "甲"); err != nil {
		t.Fatal(err)
	}
	if n := x.Network.Node(); !n.Running || n.PeerID == peerID {
		t.Fatalf("B's node = %+v; want one of its own (A's is %s)", n, peerID)
	}
	poll(t, "A syncing in the background, connected to the peer", func() bool {
		a := incidentNamed(t, x, "洪水 A")
		return a.Syncing && a.Peers == 1 && !a.Active && a.Problem == nil
	})
	d, err := peer.Demands.Record(DemandInput{Title: "后台同步的需求", Category: "food_water", Items: []ItemInput{item("水", "3", "箱")}})
	if err != nil {
		t.Fatal(err)
	}
	poll(t, "the peer's demand in A's store while B is open", func() bool {
		x.mu.Lock()
		b := x.bg[MainIncident]
		x.mu.Unlock()
		if b == nil || b.st == nil {
			return false
		}
		ds, err := b.st.Demands(store.DemandQuery{})
		return err == nil && len(ds) == 1 && ds[0].ID == d.ID
	})
	if got := demandTitles(t, x); len(got) != 0 {
		t.Fatalf("B's demands = %v; want none of A's", got)
	}

	if _, err := x.Network.SwitchIncident(MainIncident); err != nil {
		t.Fatal(err)
	}
	if got := demandTitles(t, x); !slices.Equal(got, []string{"后台同步的需求"}) {
		t.Fatalf("A's demands right after the switch = %v; want the peer's, synced in the background", got)
	}
	if n := x.Network.Node(); !n.Running || n.PeerID != peerID {
		t.Fatalf("A's node after the switch = %+v; want the one that ran in the background (%s)", n, peerID)
	}

	// setting off: A's node stops once B is open
	if _, err := x.Network.SetBackgroundSync(MainIncident, false); err != nil {
		t.Fatal(err)
	}
	if _, err := x.Network.SwitchIncident(incidentNamed(t, x, "地震 B").ID); err != nil {
		t.Fatal(err)
	}
	if a := incidentNamed(t, x, "洪水 A"); a.Syncing || a.Background {
		t.Fatalf("A with the setting off = %+v; want it not syncing", a)
	}
	x.mu.Lock()
	n := len(x.bg)
	x.mu.Unlock()
	if n != 0 {
		t.Fatalf("%d incidents in the background; want none", n)
	}
	// on again while B is open: A starts syncing at once
	if _, err := x.Network.SetBackgroundSync(MainIncident, true); err != nil {
		t.Fatal(err)
	}
	poll(t, "A syncing again once set on", func() bool {
		a := incidentNamed(t, x, "洪水 A")
		return a.Syncing && a.Peers == 1
	})
}

// TestIncidentWithAPassphrase: where the keyring cannot keep a new
// incident's key, the new incident asks for a passphrase (and only it: the
// first incident keeps its keyring key); switching back and forth in the
// session asks nothing again; at the next start the incident opened last,
// locked by its passphrase, waits on the start-up screen, with the switch
// still able to open the other one, and opens with its passphrase.
func TestIncidentWithAPassphrase(t *testing.T) {
	dir := t.TempDir()
	keys := &fakeKeyring{}
	a, _ := startedDesktop(t, dir, keys)
	if _, err := a.Network.Create("洪水 A", "甲"); err != nil {
		t.Fatal(err)
	}
	keys.mu.Lock()
	keys.broken = errors.New("no Secret Service")
	keys.mu.Unlock()
	info, err := a.Network.AddIncident()
	if err != nil {
		t.Fatal(err)
	}
	lockedInfo(t, info, ReasonNewPassphrase)
	if info.Incident == MainIncident {
		t.Fatalf("AddIncident = %+v; want the new incident open (locked)", info)
	}
	idB := info.Incident
	if info, err = a.Network.SetPassphrase("correct horse battery"); err != nil || info.StartupError != "" {
		t.Fatalf("SetPassphrase = %+v, %v", info, err)
	}
	if _, err := a.Network.Create("地震 B", "乙"); err != nil {
		t.Fatal(err)
	}
	if ki, enc, err := store.ReadKeyInfo(a.Network.Info().DataDir); err != nil || !enc || ki.Source != store.KeyFromPassphrase {
		t.Fatalf("B's key note = %+v, %v, %v; want encrypted by a passphrase", ki, enc, err)
	}
	if ki, _, _ := store.ReadKeyInfo(dir); ki.Source != store.KeyInKeyring {
		t.Fatalf("A's key note = %+v; want its keyring entry still", ki)
	}
	// the keyring is still broken: A opens with the key read this session, B with the passphrase typed
	if info, err := a.Network.SwitchIncident(MainIncident); err != nil || info.NetworkName != "洪水 A" || info.StartupError != "" {
		t.Fatalf("SwitchIncident(A) = %+v, %v; want A open without the keyring", info, err)
	}
	if info, err := a.Network.SwitchIncident(idB); err != nil || info.NetworkName != "地震 B" || info.StartupError != "" {
		t.Fatalf("SwitchIncident(B) = %+v, %v; want B open without asking again", info, err)
	}
	a.Shutdown(context.Background())

	keys.mu.Lock()
	keys.broken = nil
	keys.mu.Unlock()
	again, _ := startedDesktop(t, dir, keys)
	info = again.Network.Info()
	lockedInfo(t, info, store.LockNoKey)
	if info.Incident != idB {
		t.Fatalf("Info() after a restart = %+v; want B, locked", info)
	}
	if aa := incidentNamed(t, again, "洪水 A"); aa.Active {
		t.Fatalf("A = %+v; want listed, inactive", aa)
	}
	if info, err := again.Network.SwitchIncident(MainIncident); err != nil || info.NetworkName != "洪水 A" {
		t.Fatalf("SwitchIncident(A) from B's start-up screen = %+v, %v", info, err)
	}
	if _, err := again.Network.SwitchIncident(idB); err != nil {
		t.Fatal(err)
	}
	if _, err := again.Network.Unlock("wrong horse battery"); !isCode(err, CodeLocked) {
		t.Fatalf("Unlock(wrong) = %v; want %s", err, CodeLocked)
	}
	if info, err := again.Network.Unlock("correct horse battery"); err != nil || info.NetworkName != "地震 B" || info.Incident != idB {
		t.Fatalf("Unlock = %+v, %v; want B open", info, err)
	}
}
