package app

import (
	"os"
	"time"

	"github.com/reliefmesh/reliefmesh/desk"
)

// EnvContactBuildDelay, a Go duration ("8s"), makes every build of the
// desk's contact index wait that long before it reads: for the screenshots
// of the list's "building the contact index" line (frontend/e2e), which a
// small store builds too fast to see. Unset in use.
const EnvContactBuildDelay = "RELIEFMESH_E2E_CONTACT_BUILD_DELAY"

// desk returns the desk of this device's member on the open store: every
// command and query of the bound services goes through it. Errors as store().
func (a *App) desk() (*desk.Desk, error) {
	st, err := a.store()
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.dk == nil || a.dk.Store() != st {
		a.dk = desk.New(st)
		if d, err := time.ParseDuration(os.Getenv(EnvContactBuildDelay)); err == nil && d > 0 {
			a.dk.SetContactBuildHook(func() { time.Sleep(d) })
		}
	}
	return a.dk, nil
}

// viewsDesk is desk for the screens that read the views a large store's open
// builds after it returned (inbox, tasks, points, volunteers, offers): while
// they are being built it returns *Error CodeBuilding at once, so the screen
// says "building…" instead of waiting (store.Store.ViewsBuilding); the
// forwarder tells the UI to read again when they are built
// (store.EventViewsBuilt).
func (a *App) viewsDesk() (*desk.Desk, error) {
	dk, err := a.desk()
	if err != nil {
		return nil, err
	}
	if dk.Store().ViewsBuilding() {
		return nil, &Error{Code: CodeBuilding, Message: "the views are still being built after the open"}
	}
	return dk, nil
}
