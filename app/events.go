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
	EventStoreSwitched     = "store:switched"     // data {practice, incident}: the app opened another network's store (another incident, the practice network or back); every screen reloads
	// EventChangesUndone: data UndoneView: a revocation that arrived (by
	// sync or bundle) undid changes this device had applied and shown.
	EventChangesUndone = "changes:undone"
	// EventMapProgress: data {member, received, size, done, error}: a street
	// map download from a hub (MapService.FetchMap).
	EventMapProgress = "map:progress"
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
	flushc chan chan struct{} // flush's requests, answered once the progress is sent
}

// syncProgressData is the data of EventSyncProgress: {member, applied,
// expected, done}, as the UI has always received it.
func syncProgressData(p *store.SyncProgress) map[string]any {
	return map[string]any{"member": p.Device.String(), "applied": p.Applied, "expected": p.Expected, "done": p.Done}
}

// importProgressData is the data of EventImportProgress: {done, total}, as
// the UI has always received it.
func importProgressData(p *store.ImportProgress) map[string]any {
	return map[string]any{"done": p.Done, "total": p.Total}
}

// bundleProgressData is the data of EventBundleProgress: {total, received,
// applied}, as the UI has always received it.
func bundleProgressData(p *store.BundleProgress) map[string]any {
	return map[string]any{"total": p.Total, "received": p.Received, "applied": p.Applied}
}

// mapProgressData is the data of EventMapProgress: {member, received, size,
// done, error}.
func mapProgressData(p *store.MapProgress) map[string]any {
	return map[string]any{"member": p.Peer, "received": p.Received, "size": p.Size, "done": p.Done, "error": p.Err}
}

// startForwarder forwards st's events to the UI until ctx ends or stop:
// record changes as coalesced names (emit); catch-up, file import and bundle
// progress as EventSyncProgress, EventImportProgress and EventBundleProgress
// with their data (emitData, which may be nil: then progress is dropped), the
// latest of each (of each member, for catch-up) every coalescing period, so
// that the final report of a round or an import always arrives. flush sends
// the progress at once.
func startForwarder(ctx context.Context, st *store.Store, emit emitFunc, emitData emitDataFunc) *forwarder {
	ctx, cancel := context.WithCancel(ctx)
	f := &forwarder{cancel: cancel, done: make(chan struct{}), flushc: make(chan chan struct{})}
	events, unsubscribe := st.Subscribe()
	go func() {
		defer close(f.done)
		defer unsubscribe()
		pending := map[string]bool{}
		progress := map[string]*store.SyncProgress{} // by member, the latest
		var order []string                           // members in the order of their first report
		var imp *store.ImportProgress                // the latest, nil when sent
		var bun *store.BundleProgress                // the latest, nil when sent
		var mp *store.MapProgress                    // the latest, nil when sent
		var timer <-chan time.Time
		// take notes ev; false when it carries nothing to send.
		take := func(ev store.Event) bool {
			switch ev.Kind {
			case store.EventDemand, store.EventPositionsOpened: // the map re-reads its points on either
				pending[EventDemandsChanged] = true
			case store.EventMember, store.EventNetwork:
				pending[EventNetworkChanged] = true
			case store.EventVolunteer:
				pending[EventVolunteersChanged] = true
			case store.EventTask:
				pending[EventTasksChanged] = true
			case store.EventOffer:
				pending[EventOffersChanged] = true
			case store.EventDemandsBuilt: // a large catch-up's demand list is answerable: the list reads again before the other views are built
				pending[EventDemandsChanged] = true
			case store.EventViewsBuilt: // the views a large store's open built after it: every screen reads again
				for _, name := range []string{EventDemandsChanged, EventTasksChanged, EventVolunteersChanged, EventOffersChanged, EventNetworkChanged} {
					pending[name] = true
				}
			case store.EventSyncProgress:
				if ev.Sync == nil || emitData == nil {
					return false
				}
				m := ev.Sync.Device.String()
				if _, ok := progress[m]; !ok {
					order = append(order, m)
				}
				progress[m] = ev.Sync
			case store.EventImportProgress:
				if ev.Import == nil || emitData == nil {
					return false
				}
				imp = ev.Import
			case store.EventBundleProgress:
				if ev.Bundle == nil || emitData == nil {
					return false
				}
				bun = ev.Bundle
			case store.EventMapProgress:
				if ev.Map == nil || emitData == nil {
					return false
				}
				mp = ev.Map
			case store.EventUndone: // rare: said at once, never coalesced away
				if ev.Undone != nil && emitData != nil {
					emitData(EventChangesUndone, undoneView(*ev.Undone))
				}
				pending[EventNetworkChanged] = true
			default:
				return false
			}
			return true
		}
		sendProgress := func() {
			for _, m := range order {
				emitData(EventSyncProgress, syncProgressData(progress[m]))
			}
			clear(progress)
			order = order[:0]
			if imp != nil {
				emitData(EventImportProgress, importProgressData(imp))
				imp = nil
			}
			if bun != nil {
				emitData(EventBundleProgress, bundleProgressData(bun))
				bun = nil
			}
			if mp != nil {
				emitData(EventMapProgress, mapProgressData(mp))
				mp = nil
			}
		}
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				if take(ev) && timer == nil {
					timer = time.After(coalesce)
				}
			case <-timer:
				timer = nil
				for name := range pending {
					emit(name)
				}
				clear(pending)
				sendProgress()
			case ack := <-f.flushc:
				// what was published before flush was called is buffered
				// in events already: take it before sending
			drain:
				for {
					select {
					case ev, ok := <-events:
						if !ok {
							break drain
						}
						if take(ev) && timer == nil { // names drained here are sent after the coalescing period too
							timer = time.After(coalesce)
						}
					default:
						break drain
					}
				}
				sendProgress()
				close(ack)
			}
		}
	}()
	return f
}

// flush sends the progress the store published before the call (an
// import's, a bundle's, a catch-up's latest) to the UI before it returns, so
// that a bound method that reported progress has its last report reach the
// UI before its result (a late one would show a finished import as running).
// Record changes stay coalesced. It returns at once when the forwarder has
// stopped.
func (f *forwarder) flush() {
	ack := make(chan struct{})
	select {
	case f.flushc <- ack:
	case <-f.done:
		return
	}
	select {
	case <-ack:
	case <-f.done:
	}
}

func (f *forwarder) stop() {
	f.cancel()
	<-f.done
}

// flushEvents sends the progress published so far to the UI before it
// returns (forwarder.flush); nothing when no forwarder runs.
func (a *App) flushEvents() {
	a.mu.Lock()
	f := a.events
	a.mu.Unlock()
	if f != nil {
		f.flush()
	}
}
