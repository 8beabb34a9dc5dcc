package app

import (
	"context"
	"sync"

	"github.com/reliefmesh/reliefmesh/store"
)

// App owns the store for the desktop app and the services bound to the UI. A
// store that failed to open is kept as StartupError, so the window can still
// open and say what went wrong and where.
type App struct {
	DataDir string

	mu         sync.Mutex
	st         *store.Store
	openErr    error
	Network    *NetworkService
	Demands    *DemandService
	Settings   *SettingsService
	Volunteers *VolunteerService
	Tasks      *TaskService
	Inbox      *InboxService
	Points     *PointsService
	events     *forwarder
}

// New opens the store in dataDir (see store.Open). If opening fails, the error
// is kept and reported by NetworkService.Info; every other call returns it.
func New(dataDir string, opts store.Options) *App {
	a := &App{DataDir: dataDir}
	a.st, a.openErr = store.Open(dataDir, opts)
	a.Network = &NetworkService{a: a}
	a.Demands = &DemandService{a: a}
	a.Settings = &SettingsService{a: a}
	a.Volunteers = &VolunteerService{a: a}
	a.Tasks = &TaskService{a: a}
	a.Inbox = &InboxService{a: a}
	a.Points = &PointsService{a: a}
	return a
}

// Bind returns the services for wails.Options.Bind.
func (a *App) Bind() []any {
	return []any{a.Network, a.Demands, a.Settings, a.Volunteers, a.Tasks, a.Inbox, a.Points}
}

// Startup is Wails' OnStartup: it starts forwarding store events to the UI.
func (a *App) Startup(ctx context.Context) {
	if a.st != nil {
		a.events = startForwarder(ctx, a.st, emitWails(ctx))
	}
}

// Shutdown is Wails' OnShutdown: it stops the event forwarder and closes the store.
func (a *App) Shutdown(ctx context.Context) {
	if a.events != nil {
		a.events.stop()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.st != nil {
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
