//go:build !bindings

package main

import (
	"os"
	"runtime"
)

// noDisplay returns a one-line explanation when no graphical display can be
// reached on Linux, where GTK would otherwise panic; empty when one may exist.
func noDisplay() string {
	if runtime.GOOS != "linux" || os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != "" {
		return ""
	}
	return "reliefmesh: no display (DISPLAY and WAYLAND_DISPLAY are unset): run it under a virtual display with `xvfb-run -a make run`, or use the headless hub: `make hub && build/bin/reliefmesh-hub --help`"
}
