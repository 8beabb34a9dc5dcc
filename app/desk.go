package app

import "github.com/reliefmesh/reliefmesh/desk"

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
