package app

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/internal/atomicfile"
	"github.com/reliefmesh/reliefmesh/node"
	"github.com/reliefmesh/reliefmesh/store"
)

// Several incidents on one laptop. A member may belong to several networks,
// one per incident, each with its own store, device key, at-rest key (its
// own keyring entry, atrest.go) and join code. The data directory itself
// holds the first incident (MainIncident: a data directory laid out before
// incidents existed is that incident, nothing is moved); the others live in
// incidents/<id>/, each a data directory of its own; IncidentsFile lists them,
// says which one is open and which keep syncing in the background. Exactly
// one incident (or the practice network) is open: its store backs every
// bound service and the UI. An inactive incident whose setting says so keeps
// its store open and its node running (BackgroundMemory), so that it stays
// in sync while another one is on screen; switching to it takes over that
// store and node without reopening anything.

const (
	// IncidentsFile, in the data directory, lists the incidents (JSON): the
	// open one, and per incident its directory, its network's name as last
	// seen and whether it keeps syncing in the background. Absent, the data
	// directory holds one incident, MainIncident; it is written only once
	// there is more to say.
	IncidentsFile = "incidents.json"
	// IncidentsDirName is the directory, inside the data directory, that
	// holds the incidents other than MainIncident, one directory each.
	IncidentsDirName = "incidents"
	// MainIncident is the id of the incident whose store is the data
	// directory itself: the one every data directory made before several
	// incidents had.
	MainIncident = "main"
	// BackgroundMemoryMiB is about what one small incident syncing in the
	// background adds to the app's Go heap, in MiB: an open Badger store
	// (its memtable is allocated whole) and a libp2p node (24 MiB measured
	// by BenchmarkBackgroundIncident, 50 demands each; its resident memory
	// grows only by some 2–6 MiB while idle, the memtable's pages being
	// touched as changes arrive).
	BackgroundMemoryMiB = 25
	// BackgroundMemoryMaxMiB is about what a large, busy incident syncing
	// in the background may take, in MiB: Badger's full memtables (3 × 16
	// MiB), block cache (32 MiB) and index cache (16 MiB), plus its
	// records' views, which grow with its size as the open incident's do.
	BackgroundMemoryMaxMiB = 100
)

// incidentEntry is one incident of IncidentsFile.
type incidentEntry struct {
	ID   string `json:"id"`
	Dir  string `json:"dir,omitempty"`  // relative to the data directory; "" for MainIncident (the data directory itself)
	Name string `json:"name,omitempty"` // the network's name when last seen open; "" before it has one
	// Network is the network's id when last seen open ("" before it has
	// one, or in a list written before it was kept): what names a bundle
	// or a join code of this incident when it reaches another one.
	Network    string `json:"network,omitempty"`
	Background bool   `json:"background,omitempty"`
}

// incidentList is the content of IncidentsFile.
type incidentList struct {
	Active    string          `json:"active"`
	Incidents []incidentEntry `json:"incidents"`
}

// find returns the entry of id, nil if none.
func (l *incidentList) find(id string) *incidentEntry {
	for i := range l.Incidents {
		if l.Incidents[i].ID == id {
			return &l.Incidents[i]
		}
	}
	return nil
}

// readIncidents reads IncidentsFile in dataDir; without one, the data
// directory holds MainIncident alone. Errors: the file cannot be read or is
// not such a list (it is then left as it is).
func readIncidents(dataDir string) (incidentList, error) {
	def := incidentList{Active: MainIncident, Incidents: []incidentEntry{{ID: MainIncident}}}
	path := filepath.Join(dataDir, IncidentsFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return def, nil
	}
	if err != nil {
		return def, fmt.Errorf("read the list of incidents %s: %w", path, err)
	}
	var l incidentList
	if err := json.Unmarshal(b, &l); err != nil {
		return def, fmt.Errorf("read the list of incidents %s: %w", path, err)
	}
	if l.find(MainIncident) == nil {
		l.Incidents = append([]incidentEntry{{ID: MainIncident}}, l.Incidents...)
	}
	for _, e := range l.Incidents {
		if e.ID != MainIncident && (e.Dir == "" || !filepath.IsLocal(e.Dir)) {
			return def, fmt.Errorf("read the list of incidents %s: incident %q has no directory inside the data directory", path, e.ID)
		}
	}
	if l.find(l.Active) == nil {
		l.Active = MainIncident
	}
	return l, nil
}

// writeIncidents writes l to IncidentsFile in dataDir (a new file renamed
// over the old one, so a crash leaves either). A data directory holding
// MainIncident alone, with nothing set, gets no file unless it has one.
func writeIncidents(dataDir string, l incidentList) error {
	path := filepath.Join(dataDir, IncidentsFile)
	if len(l.Incidents) == 1 && !l.Incidents[0].Background && l.Active == MainIncident {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil
		}
	}
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return fmt.Errorf("write the list of incidents %s: %w", path, err)
	}
	if err := atomicfile.WriteBytes(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write the list of incidents: %w", err)
	}
	return nil
}

// bgIncident is an inactive incident that keeps syncing: its open store and
// its node (nil when the store has no network yet or the node failed: err
// says why). Owned by App; closed by closeBackground or Shutdown.
type bgIncident struct {
	st       *store.Store
	n        *node.Node
	err      error  // why it does not sync (the store is locked, the node failed); nil when it does
	granting func() // stops the desk's KeepGranting on st; nil when it does not run
	key      []byte // st's store key; nil for a plaintext store
}

// close stops the node and closes the store, saving the status the hub reads.
func (b *bgIncident) close() {
	if b.granting != nil {
		b.granting()
	}
	if b.n != nil {
		b.n.Close()
	}
	if b.st != nil {
		desk.New(b.st).SaveStatus() // best effort, as Shutdown does
		b.st.Close()
	}
}

// dirOfLocked returns the data directory of incident id ("" when unknown);
// the caller holds a.mu or the app is not shared yet.
func (a *App) dirOfLocked(id string) string {
	e := a.incidents.find(id)
	if e == nil {
		return ""
	}
	if e.Dir == "" {
		return a.DataDir
	}
	return filepath.Join(a.DataDir, e.Dir)
}

// activeDir returns the data directory of the open incident (the practice
// network's is PracticeDir(DataDir)).
func (a *App) activeDir() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.incDir
}

// saveIncidentsLocked writes the list of incidents; a failure is logged
// (the list in memory stays right for this session). The caller holds a.mu.
func (a *App) saveIncidentsLocked() {
	if a.incErr != nil {
		return // never overwrite a list that could not be read
	}
	if err := writeIncidents(a.DataDir, a.incidents); err != nil {
		a.log.Error("incidents", "err", err)
	}
}

// noteNameLocked keeps st's network name as the name of incident id. The
// caller holds a.mu.
func (a *App) noteNameLocked(id string, st *store.Store) {
	e := a.incidents.find(id)
	if e == nil || st == nil {
		return
	}
	if n, ok := st.Network(); ok && (n.Name != e.Name || n.ID != e.Network) {
		e.Name, e.Network = n.Name, n.ID
		a.saveIncidentsLocked()
	}
}

// ShortNetworkID is the length of a network id's short form
// (desk.ShortNetworkID).
const ShortNetworkID = desk.ShortNetworkID

// incidentNamed returns the name of the incident on this laptop whose
// network is netID, as incidents.json last saw it (or its store, open or
// syncing in the background, says now); "" when no incident here is of
// that network or it has no name.
func (a *App) incidentNamed(netID string) string {
	if netID == "" {
		return ""
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, st := range append([]*store.Store{a.st}, a.bgStoresLocked()...) {
		if n, ok := netOf(st); ok && n.ID == netID && n.Name != "" {
			return n.Name
		}
	}
	for _, e := range a.incidents.Incidents {
		if e.Network == netID && e.Name != "" {
			return e.Name
		}
	}
	return ""
}

// bgStoresLocked returns the stores of the incidents syncing in the
// background. The caller holds a.mu.
func (a *App) bgStoresLocked() []*store.Store {
	var out []*store.Store
	for _, b := range a.bg {
		if b.st != nil {
			out = append(out, b.st)
		}
	}
	return out
}

// nodeConfig is the desktop node's configuration (EnvListen overrides its
// addresses), logging to the app's logger.
func (a *App) nodeConfig() node.Config {
	cfg := node.DesktopConfig()
	if env := os.Getenv(EnvListen); env != "" {
		cfg.Listen, cfg.FallbackListen = strings.Split(env, ","), nil
	}
	cfg.Logger = a.log
	return cfg
}

// switchStore makes incident id (practice: the practice network, from
// incident id) the open one: the store open now goes to the background
// when its incident keeps syncing there (its node keeps running), else its
// node stops and it is closed; the target's store is taken from the
// background, or opened with its key (a store locked by a passphrase opens
// on the start-up screen, as at start); the event forwarder and the node
// follow, and EventStoreSwitched {practice, incident} tells the UI. A file
// import that runs finishes first. When the practice network cannot be
// opened, the incident open before is opened again. The caller holds
// switchMu. Errors: CodeStorage naming "dataDir" (practice only: an
// incident that cannot be opened says why on the start-up screen).
func (a *App) switchStore(id string, practice bool) error {
	a.Imports.mu.Lock()
	defer a.Imports.mu.Unlock()
	a.mu.Lock()
	if a.events != nil {
		a.events.stop()
		a.events = nil
	}
	prevID, prevPractice := a.incidents.Active, a.practice
	a.mu.Unlock()
	a.detach()
	err := a.attach(id, practice)
	if err != nil && practice {
		if back := a.attach(prevID, prevPractice); back != nil {
			a.log.Error("back to the incident open before", "incident", prevID, "err", back)
		}
		err = &Error{Code: CodeStorage, Field: "dataDir", Message: fmt.Sprintf("open %s: %v", PracticeDir(a.DataDir), err)}
	} else {
		err = nil
	}
	a.ensureNode()
	a.mu.Lock()
	emit, now, inPractice := a.emit, a.incidents.Active, a.practice
	a.mu.Unlock()
	if emit != nil {
		emit(EventStoreSwitched, map[string]any{"practice": inPractice, "incident": now})
	}
	return err
}

// detach takes the open store off the UI: to the background, with its node,
// when its incident keeps syncing there and has a network; else its node
// stops and it is closed. The forwarder is stopped already.
func (a *App) detach() {
	a.mu.Lock()
	st, id, key := a.st, a.incidents.Active, a.storeKey
	e := a.incidents.find(id)
	_, hasNetwork := netOf(st)
	keep := st != nil && !a.practice && e != nil && e.Background && hasNetwork && a.ctx != nil
	if st != nil && !a.practice {
		a.noteNameLocked(id, st)
	}
	if !keep && st != nil && a.dk != nil && a.dk.Store() == st {
		a.dk.SaveStatus()
	}
	a.st, a.openErr = nil, nil
	a.mu.Unlock()
	if keep {
		a.node.mu.Lock()
		b := &bgIncident{st: st, n: a.node.n, granting: a.node.granting, err: a.node.err, key: key}
		a.node.n, a.node.granting, a.node.err = nil, nil, nil
		a.node.mu.Unlock()
		a.mu.Lock()
		a.bg[id] = b
		a.mu.Unlock()
		return
	}
	a.stopNode()
	a.node.mu.Lock()
	a.node.err = nil
	a.node.mu.Unlock()
	if st != nil {
		if err := st.Close(); err != nil {
			a.log.Warn("close store", "dir", st.Dir(), "err", err)
		}
	}
}

// netOf returns st's network; false when st is nil or has none.
func netOf(st *store.Store) (store.Network, bool) {
	if st == nil {
		return store.Network{}, false
	}
	return st.Network()
}

// attach opens incident id's store (practice: the practice network's) as
// the open one and starts the forwarder on it; a store syncing in the
// background is taken over with its node. It returns the error of opening
// (kept as the start-up error of an incident too).
func (a *App) attach(id string, practice bool) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.incidents.Active, a.incDir, a.practice = id, a.dirOfLocked(id), practice
	a.storeKey = a.keys[id]
	switch b := a.bg[id]; {
	case practice:
		st, err := store.Open(PracticeDir(a.DataDir), a.opts)
		if err != nil {
			return err
		}
		desk.New(st).ResumeWriting() // the practice network never sends a change: its feed cannot fork
		a.st, a.openErr = st, nil
	case b != nil && b.st != nil:
		delete(a.bg, id)
		a.st, a.openErr, a.storeKey = b.st, nil, b.key
		a.node.mu.Lock()
		a.node.n, a.node.granting, a.node.err = b.n, b.granting, b.err
		a.node.mu.Unlock()
	default:
		if b != nil {
			delete(a.bg, id) // it could not open in the background: try again in the open
		}
		a.st, a.openErr = a.openMain()
		if a.storeKey != nil {
			a.keys[id] = a.storeKey
		}
	}
	a.saveIncidentsLocked()
	a.restartLocked()
	return a.openErr
}

// openBackground opens incident id's store and starts its node, to keep it
// syncing while another incident is open; why it could not is kept and
// shown in its IncidentView. Nothing happens before the app has started,
// for the open incident, or one already in the background. The caller
// holds switchMu.
func (a *App) openBackground(id string) {
	a.mu.Lock()
	ctx := a.ctx
	open := id == a.incidents.Active && !a.practice
	if ctx == nil || open || a.bg[id] != nil || a.incidents.find(id) == nil {
		a.mu.Unlock()
		return
	}
	dir, known := a.dirOfLocked(id), a.keys[id]
	a.mu.Unlock()
	// opened without a.mu: a large store takes a while, and the screens read on meanwhile
	st, key, err := a.openAt(dir, known)
	b := &bgIncident{st: st, key: key, err: err}
	a.mu.Lock()
	if err == nil {
		if key != nil {
			a.keys[id] = key
		}
		a.noteNameLocked(id, st)
	}
	a.bg[id] = b
	a.mu.Unlock()
	if err != nil {
		a.log.Warn("incident not syncing in the background", "incident", id, "err", err)
		return
	}
	if _, ok := st.Network(); !ok {
		return
	}
	n, err := node.Start(ctx, st, a.nodeConfig())
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.bg[id] != b { // closed meanwhile (cannot happen under switchMu; stay safe)
		if n != nil {
			n.Close()
		}
		return
	}
	if err != nil {
		b.err = err
		a.log.Error("background node not started", "incident", id, "err", err)
		return
	}
	b.n = n
	b.granting = desk.New(st).KeepGranting(ctx, a.log)
}

// closeBackground stops incident id's node and closes its store if it
// syncs in the background. The caller holds switchMu.
func (a *App) closeBackground(id string) {
	a.mu.Lock()
	b := a.bg[id]
	delete(a.bg, id)
	a.mu.Unlock()
	if b != nil {
		b.close()
	}
}

// startBackground opens every inactive incident set to keep syncing in the
// background (openBackground); called once the app has started.
func (a *App) startBackground() {
	a.switchMu.Lock()
	defer a.switchMu.Unlock()
	a.mu.Lock()
	var ids []string
	for _, e := range a.incidents.Incidents {
		if e.Background {
			ids = append(ids, e.ID)
		}
	}
	a.mu.Unlock()
	for _, id := range ids {
		a.openBackground(id)
	}
}

// stopBackground closes every incident syncing in the background (Shutdown).
func (a *App) stopBackground() {
	a.mu.Lock()
	bg := a.bg
	a.bg = map[string]*bgIncident{}
	a.mu.Unlock()
	for _, b := range bg {
		b.close()
	}
}

// IncidentView is one incident (network) on this laptop, for the header's
// switch.
type IncidentView struct {
	ID   string `json:"id"`
	Name string `json:"name"` // its network's name; "" before the incident creates or joins one
	Dir  string `json:"dir"`  // its data directory
	// Active: it is the open incident (false for every one while the
	// practice network is open).
	Active bool `json:"active"`
	// Background is the setting: its node keeps running while another
	// incident is open (it costs about BackgroundMemoryMiB of memory).
	Background bool `json:"background"`
	// Syncing: its node runs while another incident (or the practice
	// network) is open; Peers is how many peers it is connected to then.
	Syncing bool `json:"syncing"`
	Peers   int  `json:"peers"`
	// Problem says why an incident set to sync in the background does not
	// (its store is locked by a passphrase, in use, damaged, or its node
	// did not start): the error as bound methods return it; nil when none.
	Problem *Error `json:"problem"`
}

// IncidentsView is the list of incidents and what one in the background
// costs.
type IncidentsView struct {
	Incidents []IncidentView `json:"incidents"`
	// Practice: the practice network is open.
	Practice bool `json:"practice"`
	// BackgroundMiB is about what one small incident syncing in the
	// background adds to the app's memory, in MiB (BackgroundMemoryMiB);
	// BackgroundMaxMiB what a large busy one may (BackgroundMemoryMaxMiB).
	BackgroundMiB    int `json:"backgroundMiB"`
	BackgroundMaxMiB int `json:"backgroundMaxMiB"`
}

// Incidents lists the incidents on this laptop, the first one (the data
// directory's own) first, then in the order they were added. Errors:
// CodeStorage naming "incidents" when the list cannot be read (the first
// incident is still listed: the app runs on it).
func (s *NetworkService) Incidents() (IncidentsView, error) {
	a := s.a
	a.mu.Lock()
	defer a.mu.Unlock()
	v := IncidentsView{Incidents: []IncidentView{}, Practice: a.practice,
		BackgroundMiB: BackgroundMemoryMiB, BackgroundMaxMiB: BackgroundMemoryMaxMiB}
	for _, e := range a.incidents.Incidents {
		iv := IncidentView{ID: e.ID, Name: e.Name, Dir: a.dirOfLocked(e.ID), Background: e.Background}
		iv.Active = e.ID == a.incidents.Active && !a.practice
		if iv.Active {
			if n, ok := netOf(a.st); ok {
				iv.Name = n.Name
			}
		}
		if b := a.bg[e.ID]; b != nil {
			if n, ok := netOf(b.st); ok {
				iv.Name = n.Name
			}
			if b.err != nil {
				iv.Problem = desk.AsError(b.err).(*Error)
			}
			if b.n != nil {
				iv.Syncing = true
				for _, p := range b.n.Peers() {
					if p.Connected {
						iv.Peers++
					}
				}
			}
		}
		v.Incidents = append(v.Incidents, iv)
	}
	if a.incErr != nil {
		return v, &Error{Code: CodeStorage, Field: "incidents", Message: a.incErr.Error()}
	}
	return v, nil
}

// AddIncident adds a new, empty incident (its own data directory under
// IncidentsDirName, device key and, on the desktop, at-rest key) and
// switches to it: the onboarding then founds a network or joins one with a
// join code (Create, Join), as on a first start. The incident open before
// goes to the background if it keeps syncing there. Errors: CodeStorage
// naming "incidents" when the list of incidents cannot be read or the
// directory cannot be made.
func (s *NetworkService) AddIncident() (Info, error) {
	a := s.a
	a.switchMu.Lock()
	defer a.switchMu.Unlock()
	a.mu.Lock()
	if a.incErr != nil {
		a.mu.Unlock()
		return s.Info(), &Error{Code: CodeStorage, Field: "incidents", Message: a.incErr.Error()}
	}
	var b [5]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	rel := filepath.Join(IncidentsDirName, id)
	if err := os.MkdirAll(filepath.Join(a.DataDir, rel), 0o700); err != nil {
		a.mu.Unlock()
		return s.Info(), &Error{Code: CodeStorage, Field: "incidents", Message: fmt.Sprintf("new incident: %v", err)}
	}
	a.incidents.Incidents = append(a.incidents.Incidents, incidentEntry{ID: id, Dir: rel})
	a.saveIncidentsLocked()
	a.mu.Unlock()
	a.switchStore(id, false)
	return s.Info(), nil
}

// SwitchIncident makes incident id the open one (see AddIncident for what
// happens to the one open before); from the practice network it leaves it.
// Switching to the open incident does nothing. An incident whose store
// cannot be opened (locked by a passphrase, damaged) is open on the
// start-up screen, which says why, as at start. Errors: CodeNotFound naming
// "incident" for an unknown id.
func (s *NetworkService) SwitchIncident(id string) (Info, error) {
	a := s.a
	a.switchMu.Lock()
	defer a.switchMu.Unlock()
	a.mu.Lock()
	known := a.incidents.find(id) != nil
	same := id == a.incidents.Active && !a.practice
	a.mu.Unlock()
	if !known {
		return s.Info(), fieldError(CodeNotFound, "incident", "no incident %q on this laptop", id)
	}
	if !same {
		a.switchStore(id, false)
	}
	return s.Info(), nil
}

// SetBackgroundSync sets whether incident id keeps syncing while another
// one is open (its node keeps running; about BackgroundMemoryMiB of
// memory). For an inactive incident it takes effect at once (its store
// opens and its node starts, or they stop); for the open one when the
// user switches away. It is kept in IncidentsFile: at the next start the
// incidents set so start syncing in the background. Errors: CodeNotFound
// naming "incident"; CodeStorage naming "incidents" when the list cannot be
// read.
func (s *NetworkService) SetBackgroundSync(id string, on bool) (IncidentsView, error) {
	a := s.a
	a.switchMu.Lock()
	a.mu.Lock()
	e := a.incidents.find(id)
	switch {
	case a.incErr != nil:
		a.mu.Unlock()
		a.switchMu.Unlock()
		return s.Incidents()
	case e == nil:
		a.mu.Unlock()
		a.switchMu.Unlock()
		return IncidentsView{}, fieldError(CodeNotFound, "incident", "no incident %q on this laptop", id)
	}
	e.Background = on
	a.saveIncidentsLocked()
	inactive := id != a.incidents.Active || a.practice
	a.mu.Unlock()
	if inactive && on {
		a.openBackground(id)
	} else if inactive {
		a.closeBackground(id)
	}
	a.switchMu.Unlock()
	return s.Incidents()
}

// RemoveIncident removes an incident that never founded or joined a
// network (made by AddIncident and left): its directory is deleted, and
// when it is the open one the first incident opens. An incident with a
// network is never removed here (its data and device key are the member's).
// Errors: CodeNotFound naming "incident"; CodeNotAllowed naming "incident"
// for the first incident or one with a network; CodeStorage when the
// directory cannot be removed.
func (s *NetworkService) RemoveIncident(id string) (Info, error) {
	a := s.a
	a.switchMu.Lock()
	defer a.switchMu.Unlock()
	a.mu.Lock()
	e := a.incidents.find(id)
	if e == nil {
		a.mu.Unlock()
		return s.Info(), fieldError(CodeNotFound, "incident", "no incident %q on this laptop", id)
	}
	dir := a.dirOfLocked(id)
	open := id == a.incidents.Active && !a.practice
	_, hasNet := netOf(a.st)
	if !open {
		if b := a.bg[id]; b != nil {
			_, hasNet = netOf(b.st)
		} else if _, err := os.Stat(filepath.Join(dir, store.NetworkFile)); err == nil {
			hasNet = true
		}
	}
	if id == MainIncident || hasNet {
		a.mu.Unlock()
		return s.Info(), fieldError(CodeNotAllowed, "incident", "incident %q has a network: its data stay on this laptop", id)
	}
	a.mu.Unlock()
	if open {
		a.switchStore(MainIncident, false)
	}
	a.closeBackground(id)
	a.mu.Lock()
	for i := range a.incidents.Incidents {
		if a.incidents.Incidents[i].ID == id {
			a.incidents.Incidents = append(a.incidents.Incidents[:i], a.incidents.Incidents[i+1:]...)
			break
		}
	}
	delete(a.keys, id)
	a.saveIncidentsLocked()
	a.mu.Unlock()
	if err := os.RemoveAll(dir); err != nil {
		return s.Info(), &Error{Code: CodeStorage, Field: "incident", Message: fmt.Sprintf("remove incident %s: %v", dir, err)}
	}
	a.mu.Lock()
	emit := a.emitName
	a.mu.Unlock()
	if emit != nil {
		emit(EventNetworkChanged) // the list of incidents changed
	}
	return s.Info(), nil
}
