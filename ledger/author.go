package ledger

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// Author writes this device's own feed: it numbers, links, stamps and signs
// changes. There must be one Author per feed, so that no seq is used twice
// (that would be a fork of our own feed). An Author is safe for concurrent use.
type Author struct {
	key     ed25519.PrivateKey
	device  DeviceID
	network string
	clock   *HLC

	mu   sync.Mutex
	head Head
	prev Head // head before the last Next, for Discard
	last Hash // id of the change the last Next returned; zero after Discard
}

// NewAuthor returns an Author for the feed of key's device in network, whose
// last persisted change is head (the zero Head for a new feed), stamping
// changes with clock. Restore clock from the persisted stamp first. It returns
// an error if key is not an ed25519 private key, network is empty or clock is nil.
func NewAuthor(key ed25519.PrivateKey, network string, head Head, clock *HLC) (*Author, error) {
	switch {
	case len(key) != ed25519.PrivateKeySize:
		return nil, fmt.Errorf("new author: private key is %d bytes, want %d", len(key), ed25519.PrivateKeySize)
	case network == "":
		return nil, errors.New("new author: empty network")
	case clock == nil:
		return nil, errors.New("new author: nil clock")
	case head.Seq == 0 && !head.ID.IsZero(), head.Seq != 0 && head.ID.IsZero():
		return nil, fmt.Errorf("new author: inconsistent head %v", head)
	}
	return &Author{key: key, device: DeviceOf(key), network: network, clock: clock, head: head}, nil
}

// Device returns the id of the feed the Author writes.
func (a *Author) Device() DeviceID { return a.device }

// Head returns the head of the feed including the last change Next returned.
func (a *Author) Head() Head {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.head
}

// Next returns the next change of the feed, carrying ops (the slice is copied,
// Bodies are shared), stamped with the clock and signed, and advances the head
// to it. The change is guaranteed to pass Decode(Encode(c)) and Verify. If it
// cannot be made (no ops, an op without Kind, ID or Type, a non-canonical
// Body, too large) Next returns a *RejectError (ReasonMalformed or
// ReasonTooLarge) and the head stays where it was.
//
// Persist the change before publishing it. If persisting fails, call Discard,
// or else the next change will link to one that does not exist.
func (a *Author) Next(ops []Op) (*Change, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := &Change{
		Network: a.network,
		Device:  a.device,
		Seq:     a.head.Seq + 1,
		Prev:    a.head.ID,
		Stamp:   a.clock.Now(),
		Ops:     slices.Clone(ops),
	}
	if err := c.validateRules(true); err != nil {
		return nil, err
	}
	if err := Sign(a.key, c); err != nil {
		return nil, err
	}
	b, err := Encode(c)
	if err != nil {
		return nil, err
	}
	// What peers will do: this catches non-canonical Bodies and invalid UTF-8.
	if _, err := Decode(b); err != nil {
		return nil, err
	}
	id := idOf(b)
	a.prev, a.last = a.head, id
	a.head = Head{Seq: c.Seq, ID: id}
	return c, nil
}

// Discard undoes the Next that returned c, when c could not be persisted. c
// must be the change the last Next returned and must not have been published
// (a later change with the same seq would be a fork); otherwise Discard
// returns an error and changes nothing. Only one change can be discarded.
func (a *Author) Discard(c *Change) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.last.IsZero() || c.Seq != a.head.Seq || c.ID() != a.last {
		return fmt.Errorf("discard seq %d: not the last change made (head %v)", c.Seq, a.head)
	}
	a.head, a.last = a.prev, Hash{}
	return nil
}
