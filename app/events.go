package app

import (
	"context"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/reliefmesh/reliefmesh/store"
)

// Event names sent to the UI; mirrored in frontend/src/api/events.ts.
const (
	EventDemandsChanged    = "demands:changed"    // demands were added or changed; re-read the list
	EventNetworkChanged    = "network:changed"    // membership or network info changed
	EventVolunteersChanged = "volunteers:changed" // a volunteer profile changed
	EventTasksChanged      = "tasks:changed"      // a task was offered or answered
	EventOffersChanged     = "offers:changed"     // an offer was recorded or changed
	EventSyncProgress      = "sync:progress"      // data {member, applied, expected, done}: a catch-up round
	EventBundleProgress    = "bundle:progress"    // data {total, received, applied}: a bundle import
	EventImportProgress    = "import:progress"    // data {done, total}: records of a file import written
	EventStoreSwitched     = "store:switched"     // data {practice}: the app opened another network's store (practice or the real one); every screen reloads
)

// coalesce is how long the forwarder gathers store events before telling the UI.
const coalesce = 150 * time.Millisecond

type emitFunc func(name string)

func emitWails(ctx context.Context) emitFunc {
	return func(name string) { runtime.EventsEmit(ctx, name) }
}

// emitDataFunc sends an event with one data value to the UI; it must not block.
type emitDataFunc func(name string, data any)

func emitWailsData(ctx context.Context) emitDataFunc {
	return func(name string, data any) { runtime.EventsEmit(ctx, name, data) }
}

// forwarder turns store events into coalesced UI events. It is owned by App and
// stops when ctx ends or stop is called.
type forwarder struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// syncProgressData is the data of EventSyncProgress: {member, applied,
// expected, done}, as the UI has always received it.
func syncProgressData(p *store.SyncProgress) map[string]any {
	return map[string]any{"member": p.Device.String(), "applied": p.Applied, "expected": p.Expected, "done": p.Done}
}

// startForwarder forwards st's events to the UI until ctx ends or stop:
// record changes as coalesced names (emit), catch-up progress as
// EventSyncProgress with its data (emitData, which may be nil: then progress
// is dropped), the latest per member every coalescing period (a round's final
// report is its latest, so it always arrives).
func startForwarder(ctx context.Context, st *store.Store, emit emitFunc, emitData emitDataFunc) *forwarder {
	ctx, cancel := context.WithCancel(ctx)
	f := &forwarder{cancel: cancel, done: make(chan struct{})}
	events, unsubscribe := st.Subscribe()
	go func() {
		defer close(f.done)
		defer unsubscribe()
		pending := map[string]bool{}
		progress := map[string]*store.SyncProgress{} // by member, the latest
		var order []string                           // members in the order of their first report
		var timer <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				switch ev.Kind {
				case store.EventDemand:
					pending[EventDemandsChanged] = true
				case store.EventMember, store.EventNetwork:
					pending[EventNetworkChanged] = true
				case store.EventVolunteer:
					pending[EventVolunteersChanged] = true
				case store.EventTask:
					pending[EventTasksChanged] = true
				case store.EventOffer:
					pending[EventOffersChanged] = true
				case store.EventSyncProgress:
					if ev.Sync == nil || emitData == nil {
						continue
					}
					m := ev.Sync.Device.String()
					if _, ok := progress[m]; !ok {
						order = append(order, m)
					}
					progress[m] = ev.Sync
				}
				if timer == nil {
					timer = time.After(coalesce)
				}
			case <-timer:
				timer = nil
				for name := range pending {
					emit(name)
				}
				clear(pending)
				for _, m := range order {
					emitData(EventSyncProgress, syncProgressData(progress[m]))
				}
				clear(progress)
				order = order[:0]
			}
		}
	}()
	return f
}

func (f *forwarder) stop() {
	f.cancel()
	<-f.done
}
