package app

import (
	"errors"

	"github.com/reliefmesh/reliefmesh/store"
)

// errBindingsOnly is the open error of an app made by ForBindings.
var errBindingsOnly = errors.New("no store: this app only describes its services for binding generation")

// ForBindings returns the app with its services but no store, for Wails'
// binding generation (`wails build` and `wails generate module` run main
// compiled with the `bindings` tag to read the bound methods): it never
// creates, opens or touches dataDir, the user's data directory. Every call
// of its services fails as with a store that could not be opened.
func ForBindings(dataDir string) *App {
	a := withServices(dataDir, store.Options{})
	a.openErr = errBindingsOnly
	return a
}
