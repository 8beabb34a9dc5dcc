package store

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Options configure a Store. The zero value is usable: it logs nothing, reads
// the system clock and allows ledger.DefaultMaxDrift of clock drift.
type Options struct {
	// Logger receives warnings and Badger's own warnings; nil discards them.
	Logger *slog.Logger
	// Clock returns the current time; nil means time.Now. Tests pass a fake.
	Clock func() time.Time
	// MaxDrift is how far in the future a remote stamp may be before the change
	// is held until due; 0 means ledger.DefaultMaxDrift.
	MaxDrift time.Duration
	// InMemory keeps Badger in memory (tests only); the key still lives in dir.
	InMemory bool
	// ValueLogGCInterval is how often the store reclaims space in Badger's
	// value log (records are rewritten on every change, leaving stale
	// versions behind); 0 means DefaultValueLogGCInterval, negative disables
	// it. There is no value log GC in memory.
	ValueLogGCInterval time.Duration
	// SkipDemandList makes Open skip building the demand list and the views
	// of records (folding every demand, volunteer, offer and task: nearly all
	// of Open's time and memory on a large store); the members' view is built.
	// For one-shot readers that ask no demand, volunteer, offer, task or
	// inbox query, such as `reliefmesh-hub status` (see desk.SavedStatus): on
	// such a store DemandCounts is empty and those queries see nothing.
	// Nothing on disk depends on it; the next Open without it builds them.
	SkipDemandList bool
	// MinFree is the free space, in bytes, the data directory must keep: a
	// run from a peer or a bundle, an import and a local change are refused
	// with a *DiskFullError below it (Badger faults in its memory-mapped
	// files when the disk fills), while reads go on. 0 means DefaultMinFree;
	// negative disables the check. Tests set it above the free space to see
	// the refusal without filling a disk.
	MinFree int64
	// ListOnly makes Open build the demand list (with its counts, short
	// codes and text search) and the members' view, but not the
	// duplicate-key view (the similar-demand warning), the views of
	// volunteers, offers, tasks and inbox entries, nor the tasks' points:
	// half of Open's CPU time and 60 % of its heap at 100,000 demands
	// (BENCHMARKS.md). For one-shot readers of the demand list only, such as
	// the hub's bulletin export: on such a store the volunteer, offer, task
	// and inbox queries see nothing, no demand is similar to another and the
	// points count no task. Nothing on disk depends on it; the next Open
	// without it builds them. SkipDemandList wins over it.
	ListOnly bool
	// SkipCheck skips the open-time check of the records against the feeds
	// (check.go; also skipped with SkipDemandList and ListOnly). For
	// benchmarks that measure the open without it.
	SkipCheck bool
	// CheckEvery is how long after the last completed check a clean open
	// checks again; 0 means DefaultCheckEvery, negative checks at every
	// open (tests of the check itself). A store never checked, or whose
	// last session did not close cleanly, is checked at once whatever this
	// says.
	CheckEvery time.Duration
	// EncryptionKey is the store key (StoreKeySize bytes) of a store
	// encrypted at rest (atrest.go); nil opens a plaintext store. Open
	// refuses with a *LockedError an encrypted store without its key or with
	// another (nothing is written then), and a key for a plaintext store
	// that holds data (Rekey encrypts one). A new store given a key is
	// created encrypted, with KeyInfo as its note (KeyGiven when nil).
	// Ignored in memory.
	EncryptionKey []byte
	// KeyInfo is the note (KeyInfoFile) written when Open creates a new
	// encrypted store: where its key is found. It must match EncryptionKey.
	KeyInfo *KeyInfo
	// SnapshotInterval is how often the store writes its views snapshot
	// (snapshot.go) while open, when its state changed; it is written at
	// Close too. 0 means DefaultSnapshotInterval; negative writes it only
	// at Close. Ignored in memory.
	SnapshotInterval time.Duration
	// Lean opens the store as a hub's (lean.go): no demand list, no
	// duplicate-key view and no views of volunteers, offers, tasks or inbox
	// entries are built at open or kept while changes are applied; the
	// members' view, the roster, the feeds' heads and the demand counts by
	// status and the count of offers (DemandCounts, OfferCount: maintained
	// as changes are applied, saved at Close) are. A query that reads the
	// views calls UseViews first, which builds them and drops them when
	// released; without it such queries see nothing. Badger is opened with
	// smaller memtables and caches (leanBadger). The open-time check of the
	// records (SkipCheck) is not run. Nothing on disk depends on it.
	Lean bool
	// TuneBadger, when set, changes Badger's options last, after the
	// store's and Lean's (benchmarks compare memtable and cache sizes with
	// it: bench/cmd/rmingest). Nil for everyone else.
	TuneBadger func(badger.Options) badger.Options
	// CommitPipeline makes a lean store commit a feed's run of at least 128
	// changes in pieces of 64, the next piece prepared on both cores while
	// Badger writes the one before it (apply_pipe.go), as if pipeLean were
	// on. Off by default; for benchmarks that compare the two in one binary
	// (bench/cmd/rmingest -pipe). Ignored when Lean is false. Nothing on
	// disk depends on it.
	CommitPipeline bool
}

// DefaultValueLogGCInterval is how often an open store runs Badger's value log
// garbage collection unless Options say otherwise.
const DefaultValueLogGCInterval = 5 * time.Minute

// valueLogGCRatio is the discard ratio passed to RunValueLogGC: a value log file
// is rewritten when at least half of it is stale.
const valueLogGCRatio = 0.5

// Network identifies the network (one incident) this store belongs to.
type Network struct {
	ID   string `cbor:"1,keyasint" json:"id"`   // random, 26 characters; carried by every change
	Name string `cbor:"2,keyasint" json:"name"` // the incident's name, as its first coordinator typed it
}

// Store is one device's copy of a network: its feeds, materialised records and
// query indexes. It is safe for concurrent use; writes are serialised.
type Store struct {
	dir    string
	db     *badger.DB
	key    ed25519.PrivateKey
	device ledger.DeviceID
	log    *slog.Logger
	clock  *ledger.HLC
	now    func() time.Time

	events bus

	// mu serialises writers and guards the fields below it. Readers of the
	// demand list (idx) take its own read lock, not mu.
	mu sync.Mutex
	// received holds, during ApplyReceived (under mu), the encodings and ids
	// of the changes it was handed, by change: applyFeed takes them instead
	// of encoding and hashing each change again.
	received map[*ledger.Change]encoded
	network  *Network
	author   *ledger.Author
	roster   *relief.Roster
	members  map[string]*relief.Record // member records by id, for rebuilding the roster
	// evRevokes are the revocations held only as evidence (cut table),
	// folded into member records for the roster (evidence.go); nil until
	// read, and again when the cut table changes. evRoster is set when a
	// refused revocation was kept, so ApplyRemote rebuilds the roster.
	evRevokes []*relief.Record
	evRoster  bool
	// evDevices are the devices that may have changes kept in the cut
	// table: read at open (load), added to before each write there (cut,
	// keepRefused), never taken from — a superset, so that heldEvidence
	// seeks Badger only for them.
	evDevices map[ledger.DeviceID]struct{}
	vv        ledger.VersionVector
	heads     map[ledger.DeviceID]ledger.Head
	forked    map[ledger.DeviceID]uint64 // device → seq at which its feed forked
	held      []*ledger.Change           // stamps too far ahead, retried when due
	rejected  map[ledger.Reason]uint64

	// forks is what is known of each fork (fork.go); integrity is the
	// report of the check made at Open (check.go).
	forks     forkState
	integrity CheckReport
	checkDone chan struct{} // closed when the open-time check ended (check.go)

	// recs keeps the records the screens' pages read last, decoded, by
	// their Badger version (views_query.go, readRecords).
	recs recordCache

	// folds are the demand records of the runs committed since the last
	// flushIndex, being folded into rows in the background; pendingEvents are the ids of the demands whose events wait for the same
	// flush. See flushIndex.
	folds         []*foldTask
	folding       int // rows in folds
	pendingEvents []string
	// undone are the changes the revocation cuts of the current
	// ApplyRemote or ApplyLocal call undid (undone.go), for its Result.
	undone []Undone
	// restored are the changes a lifted cut gave back in the current call
	// (cut.go, restoreLifted), for its Result; restoring is set while they
	// are applied, so that the cuts that run commits do stay nested.
	restored  []Undone
	restoring bool
	noRestore map[ledger.DeviceID]bool // devices whose restore was cut again in this enforceCuts
	// forkRefusals counts the ids of refused fork changes remembered in
	// this process (rejectFork); a bound, not a total.
	forkRefusals int

	// idx is the demand list, read without mu; rosterNow is the roster, for
	// Demand, which reads without mu too.
	idx       *demandIndex
	rosterNow atomic.Pointer[relief.Roster]
	// covenants caches what Covenants and CovenantPending answer, for one
	// roster and one covenantGen (store/covenant.go).
	covenants covenantCache
	skipList  bool      // Options.SkipDemandList, or a lean store without its views: no demand list
	listOnly  bool      // Options.ListOnly: load builds the demand list and members only
	lean      leanState // Options.Lean (lean.go)

	absent absentKeys // records certainly not in Badger (apply_absent.go)

	// views are the go-memdb views of volunteers, offers, tasks, members and
	// inbox entries (views.go), read without mu, written under it.
	views *views
	// refoldedTasks counts the tasks refoldRecords re-derived after roster
	// changes (the points' member→tasks index picks them): what tests read
	// to see that only the changed members' tasks are.
	refoldedTasks atomic.Int64

	// The views snapshot (snapshot.go): snapKey is the store key that seals
	// it (nil for a plaintext store); snap says what load did with it and
	// which state the file on disk holds for.
	snapKey []byte
	snap    snapState

	// settle is what the open builds after it returns (open_settle.go).
	settle settleState

	// The value log GC goroutine: stopGC ends it, gcDone is closed when it has.
	stopGC chan struct{}
	gcDone chan struct{}
	// bg counts the goroutines Background started; Close waits for them.
	bg       sync.WaitGroup
	gcRuns   atomic.Int64 // completed GC rounds, for tests
	stopOnce sync.Once
	snapDone chan struct{} // closed when the snapshot goroutine (snapshotLoop) has ended

	// Durability (durable.go, space.go): durable is false in memory;
	// recovering is why local writes wait for the head of the own feed ("" when
	// they do not); networkNoted is the network id NetworkFile holds;
	// minFree is Options.MinFree resolved.
	durable      bool
	running      bool // RunningFile written this session (markRunning)
	recovering   string
	networkNoted string
	minFree      int64
}

// Open opens (creating if needed) the store in data directory dir: the device
// key in dir/device.key and Badger in dir/db. It rebuilds the query indexes from
// Badger before returning. Errors name the path and what is wrong with it (not a
// directory, not writable, damaged key, locked by another process).
func Open(dir string, opts Options) (*Store, error) {
	if err := prepareDir(dir); err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var storeKey []byte
	if !opts.InMemory {
		if err := finishRekey(dir, log); err != nil {
			return nil, err
		}
		k, err := resolveKey(dir, opts.EncryptionKey, opts.KeyInfo)
		if err != nil {
			return nil, err
		}
		storeKey = k
	}
	ds, err := inspectDir(dir, opts.InMemory, storeKey)
	if err != nil {
		return nil, err
	}
	key, err := loadOrCreateKey(dir)
	if err != nil {
		return nil, err
	}
	now := opts.Clock
	if now == nil {
		now = time.Now
	}
	drift := opts.MaxDrift
	if drift == 0 {
		drift = ledger.DefaultMaxDrift
	}
	dbDir := filepath.Join(dir, "db")
	bo := badgerOptions(dbDir, opts.InMemory, log)
	if opts.Lean {
		bo = leanBadger(bo)
	}
	if opts.TuneBadger != nil && !opts.InMemory {
		bo = opts.TuneBadger(bo)
	}
	db, err := openBadger(withKey(bo, storeKey), log)
	if errors.Is(err, badger.ErrEncryptionKeyMismatch) {
		// The note matched but Badger's registry did not: the note is not this store's.
		return nil, &LockedError{Dir: dir, Reason: LockWrongKey, Source: KeyGiven}
	}
	if err != nil {
		return nil, err
	}
	s := &Store{
		dir: dir, db: db, key: key, device: ledger.DeviceOf(key), log: log,
		clock: ledger.NewHLC(now, drift), now: now,
		heads: map[ledger.DeviceID]ledger.Head{}, forked: map[ledger.DeviceID]uint64{},
		rejected: map[ledger.Reason]uint64{}, skipList: opts.SkipDemandList || opts.Lean,
		minFree:  resolveMinFree(opts),
		listOnly: opts.ListOnly,
		snapKey:  storeKey,
	}
	s.snap.off = opts.InMemory
	s.lean.on = opts.Lean
	s.lean.pipe = opts.Lean && opts.CommitPipeline
	s.lean.off.Store(opts.Lean)
	if err := s.load(); err != nil {
		db.Close()
		// load only reads: a stored record that cannot be read or decoded
		// (a value log cut short, a checksum mismatch, a failing disk) is
		// damage, told with the way to recover like damaged tables.
		return nil, &DamagedError{Dir: dbDir, What: DamageFiles, Detail: "reading the stored records: " + err.Error()}
	}
	if err := s.startDurable(ds, opts.InMemory); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrateJoinCodeFile(); err != nil {
		// the file stays: the next open tries again; the store works meanwhile
		log.Warn("join code file not migrated", "err", err)
	}
	// what load left for after the open (open_settle.go), started before
	// the goroutines below that wait for it
	s.startSettle()
	s.stopGC, s.gcDone = make(chan struct{}), make(chan struct{})
	interval := opts.ValueLogGCInterval
	if interval == 0 {
		interval = DefaultValueLogGCInterval
	}
	if interval > 0 && !opts.InMemory {
		go s.valueLogGC(interval)
	} else {
		close(s.gcDone)
	}
	s.snapDone = make(chan struct{})
	snapEvery := opts.SnapshotInterval
	if snapEvery == 0 {
		snapEvery = DefaultSnapshotInterval
	}
	if snapEvery > 0 && !opts.InMemory && !opts.ListOnly && !opts.SkipDemandList && !opts.Lean {
		go s.snapshotLoop(snapEvery)
	} else {
		close(s.snapDone)
	}
	if !opts.SkipDemandList && !opts.ListOnly && !opts.SkipCheck && !opts.Lean && s.checkDue(opts.CheckEvery, ds.unclean) {
		s.startCheck()
	} else {
		s.checkDone = make(chan struct{})
		close(s.checkDone)
	}
	return s, nil
}

// valueLogGC runs Badger's value log GC every interval until Close. Each round
// rewrites value log files while Badger finds one worth rewriting (at least
// valueLogGCRatio stale), as Badger's documentation recommends.
func (s *Store) valueLogGC(interval time.Duration) {
	defer close(s.gcDone)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.stopGC:
			return
		case <-t.C:
		}
		for {
			err := s.db.RunValueLogGC(valueLogGCRatio)
			if err == nil {
				select {
				case <-s.stopGC:
					return
				default:
					continue // a file was rewritten; try the next
				}
			}
			if !errors.Is(err, badger.ErrNoRewrite) && !errors.Is(err, badger.ErrRejected) {
				s.log.Warn("value log GC", "err", err)
			}
			break
		}
		s.gcRuns.Add(1)
	}
}

// valueThreshold is the size from which Badger keeps a value in its value log
// rather than inside the LSM tree: under the size of a change (≈ 250 B for a
// status step, ≈ 750 B for a new demand) and of a record (≈ 1.5 KB), so that
// compactions move 20-byte pointers instead of the values (BENCHMARKS.md,
// "Ingest at a million changes"). Stores written with another threshold read
// alike: Badger records where each value lives.
const valueThreshold = 256

// badgerOptions are chosen for a laptop: small memtables and caches keep RSS
// low (measured in BENCHMARKS.md), and one value log file is 64 MiB.
func badgerOptions(dir string, inMemory bool, log *slog.Logger) badger.Options {
	o := badger.DefaultOptions(dir).
		WithLogger(badgerLogger{log}).
		WithMemTableSize(16 << 20).
		WithNumMemtables(3).
		WithBlockCacheSize(32 << 20).
		WithIndexCacheSize(16 << 20).
		WithValueLogFileSize(valueLogFileSize).
		// Tables are verified before Badger opens them (checkTables); a
		// damaged value is an error, not a wrong record.
		WithVerifyValueChecksum(true).
		WithValueThreshold(valueThreshold).
		WithNumCompactors(2).
		WithCompactL0OnClose(true)
	if inMemory {
		// Without a value log every value must stay in the LSM tree: records
		// over ValueThreshold were refused with "Value with size … exceeded".
		o = o.WithDir("").WithValueDir("").WithInMemory(true).WithValueThreshold(1 << 20)
	}
	return o
}

// Close stops the value log GC and the background openers of sealed
// positions (OpenedPositionsWithin), flushes and closes Badger. Subscribers'
// channels are closed. Closing twice is harmless.
func (s *Store) Close() error {
	s.waitSettled() // the views the open builds after it returned (open_settle.go)
	s.stopOnce.Do(func() { close(s.stopGC) })
	s.mu.Lock() // a Background past its check has counted itself: wait for it
	s.mu.Unlock()
	s.bg.Wait()
	if s.idx != nil {
		s.idx.positions.stopOpening()
	}
	<-s.gcDone
	<-s.snapDone
	<-s.checkDone
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events.closeAll()
	if s.db == nil {
		return nil
	}
	s.saveLeanCounts() // first: a setting written after the snapshot would make it stale
	s.saveSnapshotAtClose()
	err := s.db.Close()
	s.db = nil
	if err == nil {
		s.stopDurable()
	}
	return err
}

// Background runs fn in a goroutine of its own that Close waits for, for a
// reader above the store whose work outlives the call that started it (the
// desk's contact index). stop is closed when Close begins: fn returns soon
// after. Background returns false, and does not run fn, when the store is
// closing or closed.
func (s *Store) Background(fn func(stop <-chan struct{})) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.stopGC:
		return false
	default:
	}
	if s.db == nil {
		return false
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		fn(s.stopGC)
	}()
	return true
}

// Dir returns the data directory the store was opened in.
func (s *Store) Dir() string { return s.dir }

// Device returns this device's id (its public key).
func (s *Store) Device() ledger.DeviceID { return s.device }

// Network returns the network this store belongs to; false before one is
// created or joined.
func (s *Store) Network() (Network, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.network == nil {
		return Network{}, false
	}
	return *s.network, true
}

// Subscribe returns a channel of events and a function that ends the
// subscription. A subscriber that falls more than 1024 events behind loses
// events; it must re-read state on any event anyway.
func (s *Store) Subscribe() (<-chan Event, func()) { return s.events.subscribe() }

// Setting returns a local (not replicated) setting; false if never set.
func (s *Store) Setting(name string) (string, bool) {
	var v []byte
	err := s.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(settingKey(name))
		if err != nil {
			return err
		}
		v, err = it.ValueCopy(nil)
		return err
	})
	if err != nil {
		return "", false
	}
	return string(v), true
}

// SetSetting stores a local (not replicated) setting.
func (s *Store) SetSetting(name, value string) error {
	err := s.absent.settingTxn(s.db, func(txn *badger.Txn) error { return txn.Set(settingKey(name), []byte(value)) })
	if err != nil {
		return fmt.Errorf("store setting %s: %w", name, err)
	}
	return nil
}

// Rejected returns how many remote changes were refused, by reason, since the
// store was created (the counts are kept in the store across restarts).
// Changes that arrived before earlier ones of their feed (ledger.ReasonGap)
// are not refusals: they wait for catch-up, and are counted by Waited.
func (s *Store) Rejected() map[ledger.Reason]uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[ledger.Reason]uint64, len(s.rejected))
	for r, n := range s.rejected {
		if r != ledger.ReasonGap {
			out[r] = n
		}
	}
	return out
}

// Waited returns how many remote changes arrived before an earlier change of
// their feed since the store was created: not stored then, they wait for
// catch-up to fetch them again in order (an ApplyRemote Result counts each
// as rejected with ledger.ReasonGap). A large count that keeps growing while
// the version vectors stay apart means catch-up does not fill the gaps.
func (s *Store) Waited() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected[ledger.ReasonGap]
}

// VersionVector returns a copy of what this store holds: device → highest
// contiguous seq.
func (s *Store) VersionVector() ledger.VersionVector {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.vv.Clone()
}

// ClockBehind returns how far the network's clocks are ahead of this device's;
// the UI warns when it is over a minute.
func (s *Store) ClockBehind() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clock.Behind()
}

// Held returns how many received changes are held because their stamps are
// more than the maximum drift ahead of this device's clock (see
// Options.MaxDrift); they are applied when due.
func (s *Store) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.held)
}

var errClosed = errors.New("store is closed")

type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any)   { b.l.Error(fmt.Sprintf("badger: "+f, a...)) }
func (b badgerLogger) Warningf(f string, a ...any) { b.l.Warn(fmt.Sprintf("badger: "+f, a...)) }
func (b badgerLogger) Infof(string, ...any)        {}
func (b badgerLogger) Debugf(string, ...any)       {}
