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
