package app

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"
)

// TestTermQuitsCleanly: SIGTERM (a logout or a shutdown of the computer, a
// `kill`) and SIGINT make the app quit the way closing its window does, so
// that OnShutdown closes the store. Killed outright instead, the store was
// left open and the next start waited for the device's own feed from a peer
// ("unclean stop") before it would write anything.
func TestTermQuitsCleanly(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		quit := make(chan struct{})
		stop := quitOnSignal(context.Background(), func() { close(quit) })
		if err := syscall.Kill(os.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		select {
		case <-quit:
		case <-time.After(10 * time.Second):
			t.Fatalf("%v: the app did not quit", sig)
		}
		stop()
	}
}

// TestQuitOnSignalStops: once the app is shutting down (its context done)
// the handler is gone and quits nothing.
func TestQuitOnSignalStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	called := make(chan struct{}, 1)
	stop := quitOnSignal(ctx, func() { called <- struct{}{} })
	cancel()
	stop()
	select {
	case <-called:
		t.Fatal("quit called without a signal")
	case <-time.After(50 * time.Millisecond):
	}
}
