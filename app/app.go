package app

import (
	"context"
	"log/slog"
	"sync"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/internal/release"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// App owns the store for the desktop app and the services bound to the UI. A
// store that failed to open is kept as StartupError, so the window can still
// open and say what went wrong and where.
type App struct {
	// DataDir is the data directory: the first incident's store
	// (MainIncident), the other incidents' under IncidentsDirName, the
	// practice network's in PracticeDir(DataDir) (incidents.go).
	DataDir string

	mu sync.Mutex
	st *store.Store
	dk *desk.Desk // the desk on st, made by desk()
	// volViews and offerViews keep the pages' views by the desk's
	// revisions (pagecache.go).
	volViews   viewCache[keptVolunteer]
	offerViews viewCache[OfferView]
	openErr    error
	opts       store.Options
	storeKey   []byte     // the open incident's store key when it is encrypted at rest (atrest.go)
	keyring    Keyring    // where a new data directory's store key is kept; nil: new stores are plaintext
	practice   bool       // the open store is the practice network's
	switchMu   sync.Mutex // one switch between the real and the practice network at a time
	Network    *NetworkService
	Demands    *DemandService
	Settings   *SettingsService
	Volunteers *VolunteerService
	Tasks      *TaskService
	Inbox      *InboxService
	Points     *PointsService
	Offers     *OfferService
	Map        *MapService
	Imports    *ImportService
	events     *forwarder
	signals    func() // stops quitOnSignal; nil before Startup

	log      *slog.Logger
	ctx      context.Context // the Wails context, set by Startup
	emit     emitDataFunc    // sends an event with data to the UI; nil before Startup
	emitName emitFunc        // sends an event without data; nil before Startup
	node     nodeSlot        // the network node, started by ensureNode
	// releaseKeys are trusted for a carried release besides the
	// maintainers' (tests: the TEST-ONLY key).
	releaseKeys []release.Key

	// incidents is the list of incidents (incidents.go), incErr why it
	// could not be read; incDir the data directory of incidents.Active;
	// bg the inactive incidents syncing in the background, by id; keys the
	// store keys of the incidents opened this session, by id.
	incidents incidentList
	incErr    error
	incDir    string
	bg        map[string]*bgIncident
	keys      map[string][]byte
}

// New opens the store in dataDir (see store.Open). If opening fails, the error
// is kept and reported by NetworkService.Info; every other call returns it.
// A new data directory gets a plaintext store (NewDesktop encrypts it); an
// encrypted one opens with RELIEFMESH_STORE_KEY or waits for Unlock.
func New(dataDir string, opts store.Options) *App { return NewDesktop(dataDir, opts, nil) }

// NewDesktop is New for the desktop: a new data directory's store is
// encrypted at rest with a random key kept in keys (SystemKeyring), or,
// when keys cannot keep it, waits for a passphrase (SetPassphrase); a store
// whose key is in keys is opened with it (atrest.go).
func NewDesktop(dataDir string, opts store.Options, keys Keyring) *App {
	a := withServices(dataDir, opts)
	a.keyring = keys
	a.incidents, a.incErr = readIncidents(dataDir)
	if a.incErr != nil {
		a.log.Error("incidents: opening the first one", "err", a.incErr)
	}
	a.incDir = a.dirOfLocked(a.incidents.Active)
	a.st, a.openErr = a.openMain()
	if a.storeKey != nil {
		a.keys[a.incidents.Active] = a.storeKey
	}
	return a
}

// withServices returns the app with its services and no store.
func withServices(dataDir string, opts store.Options) *App {
	a := &App{DataDir: dataDir, log: opts.Logger, opts: opts, incDir: dataDir,
		incidents: incidentList{Active: MainIncident, Incidents: []incidentEntry{{ID: MainIncident}}},
		bg:        map[string]*bgIncident{}, keys: map[string][]byte{}}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	a.Network = &NetworkService{a: a}
	a.Demands = &DemandService{a: a}
	a.Settings = &SettingsService{a: a}
	a.Volunteers = &VolunteerService{a: a}
	a.Tasks = &TaskService{a: a}
	a.Inbox = &InboxService{a: a}
	a.Points = &PointsService{a: a}
	a.Offers = &OfferService{a: a}
	a.Map = &MapService{a: a}
	a.Imports = &ImportService{a: a}
	return a
}

// Bind returns the services for wails.Options.Bind.
func (a *App) Bind() []any {
	return []any{a.Network, a.Demands, a.Settings, a.Volunteers, a.Tasks, a.Inbox, a.Points, a.Offers, a.Map, a.Imports}
}

// Startup is Wails' OnStartup: it starts forwarding store events to the UI
// and, when the device has a network, the network node.
func (a *App) Startup(ctx context.Context) {
	stop := quitOnSignal(ctx, func() { runtime.Quit(ctx) })
	a.mu.Lock()
	a.signals = stop
	a.mu.Unlock()
	a.start(ctx, emitWails(ctx), emitWailsData(ctx))
}

// start is Startup with the emitters given (tests pass their own).
func (a *App) start(ctx context.Context, emit emitFunc, emitData emitDataFunc) {
	a.mu.Lock()
	a.ctx, a.emit, a.emitName = ctx, emitData, emit
	st := a.st
	if st != nil {
		a.events = startForwarder(ctx, st, emit, emitData)
	}
	a.mu.Unlock()
	if st != nil {
		a.ensureNode()
	}
	a.startBackground()
}

// ensureNode starts the network node if the store has a network and the app
// has started, never for the practice network (its data must not reach anyone).
// Catch-up progress reaches the UI through the store's bus and the forwarder.
func (a *App) ensureNode() {
	a.mu.Lock()
	ctx, st, practice := a.ctx, a.st, a.practice
	a.mu.Unlock()
	if ctx == nil || st == nil || practice {
		return
	}
	a.startNode(ctx, st, a.log)
}

// Shutdown is Wails' OnShutdown: it stops the event forwarder and closes the store.
func (a *App) Shutdown(ctx context.Context) {
	a.switchMu.Lock()
	defer a.switchMu.Unlock()
	a.stopNode()
	a.stopBackground()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.signals != nil {
		a.signals()
		a.signals = nil
	}
	if a.events != nil {
		a.events.stop()
		a.events = nil
	}
	if a.st != nil {
		if a.dk != nil && a.dk.Store() == a.st {
			a.dk.SaveStatus() // best effort: lets `reliefmesh-hub status` answer without folding every demand
		}
		a.st.Close()
		a.st = nil
	}
}

func (a *App) store() (*store.Store, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.st == nil {
		if a.openErr != nil {
			return nil, &Error{Code: CodeStorage, Field: "dataDir", Message: a.openErr.Error()}
		}
		return nil, &Error{Code: CodeStorage, Message: "store is closed"}
	}
	return a.st, nil
}

// ViewsBuilt returns a channel closed once the open store has built every
// view (store.Store.ViewsBuilt: a large store builds its inbox entries,
// tasks and volunteer and offer views after the open returned); a closed
// channel when no store is open.
func (a *App) ViewsBuilt() <-chan struct{} {
	a.mu.Lock()
	st := a.st
	a.mu.Unlock()
	if st == nil {
		c := make(chan struct{})
		close(c)
		return c
	}
	return st.ViewsBuilt()
}
