package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/internal/atomicfile"
	"github.com/reliefmesh/reliefmesh/ledger"
)

// Files in the data directory that keep a device from forking its own feed
// after a crash (see Open and ApplyLocal).
const (
	// RunningFile exists while a store that made a change of its own this
	// session is open; Open finding it means that session did not close the
	// store (a crash, a power cut, a kill).
	RunningFile = "running"
	// RecoverFile exists while this device must fetch the head of its own
	// feed from a peer or a bundle before it writes again (Recovering). It
	// holds the reason, in English, for whoever looks.
	RecoverFile = "recover-own-feed"
	// NetworkFile holds the id of the network this device's store belongs
	// to, outside Badger: a store that finds it but no network in Badger has
	// lost its data, and says so instead of starting as an empty device.
	NetworkFile = "network"
)

// ErrRecovering is returned by ApplyLocal (wrapped in a *RecoveringError)
// while this device waits for the head of its own feed after an unclean stop.
var ErrRecovering = errors.New("waiting for this device's own newest changes from a peer or a bundle")

// RecoveringError refuses a local write while the device has not yet
// fetched the head of its own feed (see Recovering). Nothing was written.
type RecoveringError struct {
	Reason string // why: "unclean stop" or "data directory restored"
	Head   uint64 // the seq of the device's own feed it holds now
}

// Error says why writing waits and what ends the wait.
func (e *RecoveringError) Error() string {
	return fmt.Sprintf("%v (after an %s this device holds its own feed up to %d and must not write the next changes twice): connect to a peer of the network or import a bundle from one",
		ErrRecovering, e.Reason, e.Head)
}

// Unwrap returns ErrRecovering.
func (e *RecoveringError) Unwrap() error { return ErrRecovering }

// Reasons of a RecoveringError.
const (
	RecoverUncleanStop = "unclean stop"              // RunningFile was found at Open
	RecoverRestored    = "damaged store moved aside" // MoveAside: the db was moved aside, the device key kept
)

// dirState is what Open found in the data directory before opening Badger.
type dirState struct {
	unclean bool   // RunningFile was there: the last session did not close
	recover bool   // RecoverFile was there: the device is still recovering
	network string // NetworkFile's content; "" when absent
}

// inspectDir looks at the data directory before Badger opens it: whether
// the last session closed cleanly, whether it was recovering, and whether
// Badger's files are damaged (checkDamage; key is the store key of an
// encrypted store, nil for a plaintext one). It writes nothing.
func inspectDir(dir string, inMemory bool, key []byte) (dirState, error) {
	var ds dirState
	if inMemory {
		return ds, nil
	}
	_, err := os.Stat(filepath.Join(dir, RunningFile))
	ds.unclean = err == nil
	_, err = os.Stat(filepath.Join(dir, RecoverFile))
	ds.recover = err == nil
	if b, err := os.ReadFile(filepath.Join(dir, NetworkFile)); err == nil {
		ds.network = strings.TrimSpace(string(b))
	}
	entries, err := os.ReadDir(filepath.Join(dir, "db"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ds, nil
	case err != nil:
		return ds, fmt.Errorf("open store %s: %w", filepath.Join(dir, "db"), err)
	}
	return ds, checkDamage(dir, entries, key)
}

// startDurable is called by Open once the store is loaded. It refuses a
// store that lost its network (NetworkFile says it had one, Badger holds
// none, and MoveAside did not start a recovery) and puts the device in
// recovery after an unclean stop. RunningFile is written before the first
// own change (markRunning). In memory it does nothing.
func (s *Store) startDurable(ds dirState, inMemory bool) error {
	if inMemory {
		return nil
	}
	s.durable = true
	if ds.network != "" && s.network == nil && !ds.recover {
		return &DamagedError{Dir: filepath.Join(s.dir, "db"), What: DamageDataGone,
			Detail: fmt.Sprintf("the device key and the note of network %s are here, but the store holds no network: its files were deleted or replaced", ds.network)}
	}
	if ds.unclean && s.network != nil {
		s.startRecovery(RecoverUncleanStop) // RecoverFile keeps it from now on
	}
	if ds.unclean {
		os.Remove(filepath.Join(s.dir, RunningFile))
	}
	if b, err := os.ReadFile(filepath.Join(s.dir, RecoverFile)); err == nil {
		s.recovering = firstLine(string(b))
	}
	s.noteNetwork()
	return nil
}

// markRunning writes RunningFile before this session's first own change, so
// that an unclean stop after it is found at the next Open. A session that
// makes no change of its own (a reader: status, inbox, an export, a store
// that only receives) leaves no marker: killed, it lost nothing of its own
// feed and the next Open need not wait for it. Called with s.mu held.
func (s *Store) markRunning() {
	if !s.durable || s.running {
		return
	}
	s.running = true
	if err := writeSynced(filepath.Join(s.dir, RunningFile), "open\n"); err != nil {
		// A full disk, most often (writes check the space first); an unclean
		// stop of this session goes unnoticed, but own changes are synced
		// anyway.
		s.log.Warn("running marker not written: an unclean stop of this session will not be detected", "err", err)
	}
}

// MoveAside moves the Badger directory of the data directory dir (a
// damaged store: see DamagedError) to dir/db.damaged-<time> and marks the
// device as recovering (RecoverFile), keeping the device key. The next Open
// starts an empty store; once the device has joined its network again, it
// writes nothing before a peer or a bundle gave it its own feed back
// (ConfirmOwnHead), then continues that feed. The store must not be open.
// It returns where the damaged directory went.
func MoveAside(dir string, now time.Time) (string, error) {
	db := filepath.Join(dir, "db")
	to := filepath.Join(dir, "db.damaged-"+now.UTC().Format("20060102-150405"))
	if err := writeSynced(filepath.Join(dir, RecoverFile), RecoverRestored+"\n"); err != nil {
		return "", fmt.Errorf("move damaged store aside: %w", err)
	}
	if err := os.Rename(db, to); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("move damaged store %s aside: %w", db, err)
	}
	os.Remove(filepath.Join(dir, RunningFile))
	return to, nil
}

// startRecovery writes RecoverFile with reason. A failure to write it is
// logged: the device then waits only until it is closed.
func (s *Store) startRecovery(reason string) {
	s.log.Warn("own feed: waiting for its newest changes from a peer or a bundle before writing", "reason", reason)
	if err := writeSynced(filepath.Join(s.dir, RecoverFile), reason+"\n"); err != nil {
		s.log.Error("write recovery marker", "err", err)
	}
	s.recovering = reason
}

// stopDurable removes RunningFile after Badger closed cleanly. Called by
// Close with s.mu held.
func (s *Store) stopDurable() {
	if !s.durable {
		return
	}
	s.noteNetwork()
	if err := os.Remove(filepath.Join(s.dir, RunningFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.log.Warn("remove running marker", "err", err)
	}
}

// noteNetwork writes NetworkFile once the store has a network, if it does
// not say so yet. Called with s.mu held (or before the store is shared).
func (s *Store) noteNetwork() {
	if !s.durable || s.network == nil || s.networkNoted == s.network.ID {
		return
	}
	if err := writeSynced(filepath.Join(s.dir, NetworkFile), s.network.ID+"\n"); err != nil {
		s.log.Warn("write network marker", "err", err)
		return
	}
	s.networkNoted = s.network.ID
}

// Recovering returns why this device may not write yet ("" when it may):
// after an unclean stop it must first fetch the head of its own feed from a
// peer (ConfirmOwnHead, called after each catch-up round) or a bundle, lest
// it write again seq numbers that peers already hold with other content.
func (s *Store) Recovering() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.recovering
}

// ConfirmOwnHead ends the recovery after an unclean stop when this device
// now holds its own feed at least as far as peer (the version vector of a
// peer it has completed a catch-up round with, or of a bundle's exporter,
// bundle.Header.UpTo). It returns true when the device may write (whether
// the recovery ended now or was not under way).
func (s *Store) ConfirmOwnHead(peer ledger.VersionVector) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.recovering == "" {
		return true
	}
	if s.vv.Get(s.device) < peer.Get(s.device) {
		return false
	}
	s.endRecovery("a peer's version vector confirms the head")
	return true
}

// ConfirmOwnHeadByBundle is ConfirmOwnHead for a bundle's exporter
// (bundle.Header.UpTo): it ends only the wait after an unclean stop. Own
// changes are synced before they can leave (syncOwn), so whatever a bundle
// lacks of this device's feed after an unclean stop never left it. A device
// whose store was moved aside or restored (RecoverRestored) cannot tell how
// far its feed went, and a bundle may be older than its last changes: it
// keeps waiting for a peer's completed catch-up round (ConfirmOwnHead) or a
// person's decision (EndRecovery), and false is returned.
func (s *Store) ConfirmOwnHeadByBundle(upTo ledger.VersionVector) bool {
	s.mu.Lock()
	restored := s.recovering == RecoverRestored
	s.mu.Unlock()
	if restored {
		s.log.Warn("own feed: a bundle does not end the wait of a restored device (it may be older than the device's last changes); connect to a peer, or end the wait by hand")
		return false
	}
	return s.ConfirmOwnHead(upTo)
}

// EndRecovery lets this device write again without a peer's confirmation of
// its own feed's head: for a person who knows that no other device holds
// newer changes of it (a device that never sent anything). If another does,
// this device's next changes fork its feed.
func (s *Store) EndRecovery() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.recovering != "" {
		s.endRecovery("ended by hand")
	}
}

// endRecovery removes RecoverFile; called with s.mu held.
func (s *Store) endRecovery(why string) {
	if s.durable {
		if err := os.Remove(filepath.Join(s.dir, RecoverFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.log.Warn("remove recovery marker", "err", err)
		}
	}
	s.log.Info("own feed: writing again", "seq", s.vv.Get(s.device), "why", why)
	s.recovering = ""
	if s.network != nil {
		s.events.publish(Event{Kind: EventNetwork, ID: s.network.ID}) // the UI re-reads the status
	}
}

// checkWritable refuses a local change while the device recovers its own
// feed; a genesis (a new network, a new feed) is allowed. Called with s.mu held.
func (s *Store) checkWritable(c *ledger.Change) error {
	if s.recovering == "" || isGenesis(c) {
		return nil
	}
	return &RecoveringError{Reason: s.recovering, Head: s.vv.Get(s.device)}
}

// syncOwn makes a committed change of this device's own feed durable
// (Badger's WAL and value log fsynced) before it can leave the device:
// peers that receive it must never see this seq again with other content.
// Remote runs are not synced one by one (see commitRun); a crash loses at
// most changes other devices still hold, which catch-up fetches again.
func (s *Store) syncOwn() error {
	if !s.durable {
		return nil
	}
	if err := s.db.Sync(); err != nil {
		return fmt.Errorf("sync own change to disk %s: %w", s.dir, err)
	}
	return nil
}

// followOwnHead moves this device's author to its feed's head when changes of
// its own feed arrived from a peer or a bundle (after a crash lost them
// here), so that the next local change continues after them.
func (s *Store) followOwnHead(head ledger.Head) error {
	if s.author == nil || s.author.Head().Seq >= head.Seq {
		return nil
	}
	a, err := ledger.NewAuthor(s.key, s.network.ID, head, s.clock)
	if err != nil {
		return err
	}
	s.author = a
	return nil
}

// writeSynced writes text to path through a temporary file, fsyncs it and
// renames it into place.
func writeSynced(path, text string) error {
	return atomicfile.WriteBytes(path, []byte(text), 0o600)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}
