// Command reliefmesh is the ReliefMesh (聚援) desktop app: an offline-first tool
// for volunteer relief coordination, built with Wails. It keeps the whole incident
// in a local Badger store under the data directory ($XDG_DATA_HOME/reliefmesh,
// overridden by --data-dir or RELIEFMESH_DATA).
package main

import (
	"embed"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"

	"github.com/reliefmesh/reliefmesh/app"
	"github.com/reliefmesh/reliefmesh/internal/memlimit"
	"github.com/reliefmesh/reliefmesh/store"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	dataDir := flag.String("data-dir", store.DefaultDataDir(), "where the store and the device key live (env RELIEFMESH_DATA)")
	flag.Parse()
	memlimit.Apply(memlimit.Desktop)

	if msg := noDisplay(); msg != "" {
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(2)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var a *app.App
	if generatingBindings {
		// `wails build` runs this binary only to read the bound methods:
		// the user's data directory is neither created nor opened.
		a = app.ForBindings(*dataDir)
	} else {
		a = app.NewDesktop(*dataDir, store.Options{Logger: logger}, app.SystemKeyring())
		if err := a.Network.Info().StartupError; err != "" {
			logger.Error("store not opened; the window will show why (a second launch on this data directory hands over to the running app and exits)", "dir", *dataDir, "err", err)
		}
		go func() { // a memory limit near the live heap once the views are built (memlimit.ForLive)
			<-a.ViewsBuilt()
			set, live := memlimit.ApplyLive(memlimit.Desktop)
			logger.Info("memory limit set from the live heap", "live_mib", live>>20, "limit_mib", set.Limit>>20, "gogc", set.GCPercent)
		}()
	}

	err := wails.Run(&options.App{
		Title:            "ReliefMesh 聚援",
		Width:            1280,
		Height:           800,
		MinWidth:         960,
		MinHeight:        600,
		AssetServer:      &assetserver.Options{Assets: assets, Middleware: a.MapTiles},
		BackgroundColour: &options.RGBA{R: 248, G: 249, B: 251, A: 1},
		OnStartup:        a.Startup,
		OnShutdown:       a.Shutdown,
		Bind:             a.Bind(),
		// One app per data directory: a second launch on it brings this
		// window forward and exits (on Linux through the D-Bus session bus).
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               app.InstanceID(*dataDir),
			OnSecondInstanceLaunch: func(d options.SecondInstanceData) { a.SecondLaunch(d.Args) },
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "reliefmesh:", err)
		os.Exit(1)
	}
}
