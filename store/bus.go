package store

import (
	"sync"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// EventKind says what an Event is about.
type EventKind int

// Event kinds published by the store.
const (
	EventDemand         EventKind = iota + 1 // a demand was created or changed
	EventVolunteer                           // a volunteer was created or changed
	EventOffer                               // an offer was created or changed
	EventTask                                // a task was created or changed
	EventMember                              // the roster changed
	EventNetwork                             // the network was created or joined
	EventRejected                            // a remote change was rejected (see Status.Rejected)
	EventSyncProgress                        // a catch-up round with a peer advanced; Event.Sync says how far
	EventImportProgress                      // a file import advanced; Event.Import says how far
	EventBundleProgress                      // a bundle import advanced; Event.Bundle says how far
	EventUndone                              // a revocation cut undid changes this store had applied; Event.Undone says which
	EventMapProgress                         // a street map download advanced; Event.Map says how far
	EventViewsBuilt                          // the open built the views it left for after it returned (open_settle.go): read them again
	// EventDemandsBuilt says that a large catch-up into an empty store
	// (catchup.go) has built its demand list: every change it brought is
	// durable and the list's pages, orders, counts and search answer with
	// them. The other views are still being built (ViewsBuilding);
	// EventViewsBuilt follows when they are. The demand list reads again.
	EventDemandsBuilt
)

// EventPositionsOpened says that the sealed positions queued by
// OpenedPositionsWithin were opened in the background: the map may draw them
// exactly. Its value lies far past the kinds above, so that kinds appended
// to them never take it.
const EventPositionsOpened EventKind = 64

// eventFor returns the event kind that announces a change to a record of kind;
// 0 for kinds nobody subscribes to.
func eventFor(kind string) EventKind {
	switch kind {
	case relief.KindDemand:
		return EventDemand
	case relief.KindVolunteer:
		return EventVolunteer
	case relief.KindOffer:
		return EventOffer
	case relief.KindTask:
		return EventTask
	case relief.KindMember:
		return EventMember
	case relief.KindNetwork:
		return EventNetwork
	case relief.KindCovenant: // acceptances show on the people screen and in inboxes
		return EventMember
	case relief.KindPartner:
		return EventNetwork
	case relief.KindCourse: // courses and completions show on the volunteers' training screen
		return EventVolunteer
	}
	return 0
}

// Event tells subscribers that something was applied or progressed. ID is the
// entity id, when the event concerns one entity; Sync is set for
// EventSyncProgress only, Import for EventImportProgress only, Bundle for
// EventBundleProgress only.
type Event struct {
	Kind   EventKind
	ID     string
	Sync   *SyncProgress
	Import *ImportProgress
	Bundle *BundleProgress
	Undone *Undone // EventUndone only
	// Map says how far a street map download got (EventMapProgress only).
	Map *MapProgress
}

// MapProgress is how far a street map download from a peer got: Received
// of Size bytes. The app publishes it (PublishMapProgress) as the file
// arrives, and once at the end with Done (and Err when it failed).
type MapProgress struct {
	Peer     string // the peer's device (member) id
	Received int64  // bytes held so far (those of a transfer resumed included)
	Size     int64  // the file's size
	Done     bool   // the download ended
	Err      string // why it failed, if Done and it did; "" otherwise
}

// PublishMapProgress tells subscribers how far a street map download got
// (EventMapProgress). It never blocks, as PublishImportProgress.
func (s *Store) PublishMapProgress(p MapProgress) {
	s.events.publish(Event{Kind: EventMapProgress, ID: p.Peer, Map: &p})
}

// ImportProgress is how far a file import got: Done of Total records
// written or planned. The desk publishes it (PublishImportProgress) once
// before the first batch, after each batch and once at the end (Done ==
// Total).
type ImportProgress struct {
	Done  int // records done so far
	Total int // records of the import
}

// PublishImportProgress tells subscribers how far a file import got
// (EventImportProgress). It never blocks: a subscriber that is behind loses
// the event, and the next one (or the final one) says where the import is.
func (s *Store) PublishImportProgress(p ImportProgress) {
	s.events.publish(Event{Kind: EventImportProgress, Import: &p})
}

// BundleProgress is how far a bundle import got: Received of Total changes
// read from the bundle, Applied of them stored. The desk publishes it
// (PublishBundleProgress) as the bundle is read.
type BundleProgress struct {
	Total    int // changes the bundle's header announces
	Received int // changes read so far
	Applied  int // changes stored so far
}

// PublishBundleProgress tells subscribers how far a bundle import got
// (EventBundleProgress). It never blocks, as PublishImportProgress.
func (s *Store) PublishBundleProgress(p BundleProgress) {
	s.events.publish(Event{Kind: EventBundleProgress, Bundle: &p})
}

// SyncProgress is how far a catch-up round with one peer got: Applied of
// Expected changes stored so far. It is published by the network node (see
// PublishSyncProgress), one event per applied batch and one when the round
// ends, and forwarded to the UI as is.
type SyncProgress struct {
	Device   ledger.DeviceID // the peer's device (member) id
	Expected int             // changes the peer is sending this round
	Received int             // changes received so far (new, duplicate or refused)
	Applied  int             // changes stored so far
	Done     bool            // the round ended
	Err      string          // why the round failed, if Done and it did; "" otherwise
}

// PublishSyncProgress tells subscribers how far a catch-up round got
// (EventSyncProgress). It never blocks: a subscriber that is behind loses the
// event, and the next one (or the round's final one) says where the round is.
func (s *Store) PublishSyncProgress(p SyncProgress) {
	s.events.publish(Event{Kind: EventSyncProgress, ID: p.Device.String(), Sync: &p})
}

// subscriberBuffer is how many events a subscriber may fall behind before it
// starts losing events.
const subscriberBuffer = 1024

// bus fans events out to subscribers. Publish never blocks: a subscriber whose
// buffer is full loses the event (and should re-read state, which it must do on
// any event anyway).
type bus struct {
	mu   sync.Mutex
	subs map[chan Event]struct{}
}

func (b *bus) publish(ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- ev:
		default:
		}
	}
}

func (b *bus) subscribe() (<-chan Event, func()) {
	ch := make(chan Event, subscriberBuffer)
	b.mu.Lock()
	if b.subs == nil {
		b.subs = map[chan Event]struct{}{}
	}
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			if _, ok := b.subs[ch]; ok { // closeAll may have closed it already
				delete(b.subs, ch)
				close(ch)
			}
		})
	}
}

func (b *bus) closeAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		close(ch)
	}
	b.subs = nil
}
