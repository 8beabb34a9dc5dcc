package app

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// quitOnSignal calls quit once when the process receives SIGINT or SIGTERM
// (a terminal's Ctrl-C, `kill`, the session ending or the computer shutting
// down), so that the app quits the way closing its window does and
// OnShutdown closes the store cleanly. Left to the default action, those
// signals killed the app with its store open, and the next start waited for
// the device's own feed from a peer before writing ("unclean stop").
// The handler is removed when ctx is done or stop is called; a second
// signal after the first is left to the default action, so a stuck shutdown
// can still be interrupted.
func quitOnSignal(ctx context.Context, quit func()) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		defer signal.Stop(ch)
		select {
		case <-ch:
			signal.Stop(ch)
			quit()
		case <-ctx.Done():
		case <-done:
		}
	}()
	return func() {
		select {
		case <-done:
		default:
			close(done)
		}
	}
}
