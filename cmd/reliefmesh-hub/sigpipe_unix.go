//go:build !windows

package main

import (
	"os/signal"
	"syscall"
)

// keepGoingOnClosedOutput makes a write to a closed stdout or stderr (`… |
// head`) fail with EPIPE instead of killing the hub with SIGPIPE, so that a
// command whose reader went away still finishes what it was asked and closes
// the store cleanly; otherwise the data dir is left "not shut down cleanly"
// and the next command waits for peers (durable.go).
func keepGoingOnClosedOutput() { signal.Ignore(syscall.SIGPIPE) }
