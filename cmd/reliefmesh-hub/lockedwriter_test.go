package main

import (
	"strings"
	"sync"
)

// lockedWriter lets the serving goroutine log while the test reads.
type lockedWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// String returns what was written so far, under the lock (the serving
// goroutine may be logging: a CI run under -race caught a read without it).
func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
