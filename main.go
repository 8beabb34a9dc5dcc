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
	a := app.New(*dataDir, store.Options{Logger: logger})
	if err := a.Network.Info().StartupError; err != "" {
		logger.Error("store not opened; the window will show why", "dir", *dataDir, "err", err)
	}

	err := wails.Run(&options.App{
		Title:            "ReliefMesh 聚援",
		Width:            1280,
		Height:           800,
		MinWidth:         960,
		MinHeight:        600,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 248, G: 249, B: 251, A: 1},
		OnStartup:        a.Startup,
		OnShutdown:       a.Shutdown,
		Bind:             a.Bind(),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "reliefmesh:", err)
		os.Exit(1)
	}
}
