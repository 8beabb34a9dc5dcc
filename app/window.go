package app

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// InstanceID returns the single-instance id of the app on data directory
// dataDir (Wails' options.SingleInstanceLock.UniqueId): one app per data
// directory, so a second launch on the same directory brings the running
// window forward, while an app on another directory (a second node on one
// computer, --data-dir) runs beside it. The id is "org.reliefmesh.app."
// followed by 16 hex digits of the SHA-256 of the absolute path.
func InstanceID(dataDir string) string {
	if abs, err := filepath.Abs(dataDir); err == nil {
		dataDir = abs
	}
	sum := sha256.Sum256([]byte(filepath.Clean(dataDir)))
	return "org.reliefmesh.app." + hex.EncodeToString(sum[:8])
}

// SecondLaunch is Wails' OnSecondInstanceLaunch: another launch of the app
// on the same data directory handed over to this one (and exited), so the
// window is shown, unminimised and brought forward. args are the second
// launch's command-line arguments, logged.
func (a *App) SecondLaunch(args []string) {
	a.mu.Lock()
	ctx := a.ctx
	a.mu.Unlock()
	a.log.Info("the app was launched again on this data directory: bringing the window forward", "args", args)
	if ctx == nil {
		return
	}
	runtime.WindowUnminimise(ctx)
	runtime.Show(ctx)
	// GTK and Windows do not raise a window on request alone: on top for a
	// moment, then back to normal.
	runtime.WindowSetAlwaysOnTop(ctx, true)
	runtime.WindowSetAlwaysOnTop(ctx, false)
}
