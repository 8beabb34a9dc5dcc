package store

import (
	"testing"
	"time"
)

// TestBackgroundEndsBeforeClose: a goroutine started by Background (the
// desk's contact index build) is told to stop when Close begins, and Close
// returns only after it ended, so it never reads a closed Badger; after
// Close, Background runs nothing and says so.
func TestBackgroundEndsBeforeClose(t *testing.T) {
	s := openStore(t, t.TempDir(), newClock())
	started, ended := make(chan struct{}), make(chan struct{})
	var readAfterStop error
	if !s.Background(func(stop <-chan struct{}) {
		defer close(ended)
		close(started)
		<-stop                                 // held until Close begins
		_, readAfterStop = s.records("demand") // the store still open: Close waits for us
	}) {
		t.Fatal("Background on an open store = false; want it run")
	}
	select {
	case <-started:
	case <-time.After(time.Minute):
		t.Fatal("the background goroutine never started")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ended:
	default:
		t.Fatal("Close returned before the background goroutine ended")
	}
	if readAfterStop != nil {
		t.Errorf("a read after stop, before Close ended: %v; want the store still open", readAfterStop)
	}
	if s.Background(func(<-chan struct{}) { t.Error("ran after Close") }) {
		t.Error("Background after Close = true; want false")
	}
}
