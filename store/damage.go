package store

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/fb"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/ristretto/v2"
	"github.com/dgraph-io/ristretto/v2/z"
)

// ErrDamaged is wrapped by *DamagedError: errors.Is(err, ErrDamaged) tells a
// store that cannot be opened because its files are damaged or missing.
var ErrDamaged = errors.New("store damaged")

// What is damaged, in DamagedError.What.
const (
	// DamageManifest: Badger's MANIFEST is missing while its tables or value
	// log files are there; opened as is, the store would look empty.
	DamageManifest = "manifest"
	// DamageFiles: a table (.sst), the value log or the MANIFEST is
	// truncated or fails its checksum, Badger failed (or panicked) on it, or
	// a stored record could not be read or decoded when the store was loaded.
	DamageFiles = "files"
	// DamageDataGone: the device key and the note of its network are there,
	// but the store holds no network: its data was deleted or replaced.
	DamageDataGone = "data_gone"
)

// DamagedError says that the store in Dir cannot be opened because its files
// are damaged or missing, and how to recover: MoveAside (reliefmesh-hub
// recover, or the app's start-up screen) moves Dir aside and keeps the
// device key, so that the device joins again as the same member, fetches
// its own feed from a peer or a bundle before writing (see Recovering) and
// continues it.
type DamagedError struct {
	Dir    string // Badger's directory (data directory/db)
	What   string // DamageManifest, DamageFiles or DamageDataGone
	Detail string // what Badger or the check said, in English
}

// Error says what is damaged and how to recover.
func (e *DamagedError) Error() string {
	return fmt.Sprintf("%v: %s (%s): %s; to recover, move it aside (`reliefmesh-hub recover`, or the app's start-up screen), start again and join the network again with a join code or import a bundle from a peer: the device key is kept, so this device continues its own feed",
		ErrDamaged, e.Dir, e.What, e.Detail)
}

// Unwrap returns ErrDamaged.
func (e *DamagedError) Unwrap() error { return ErrDamaged }

// checkDamage looks at the names of Badger's files (entries of dir/db)
// before it opens them: tables or value log files without a MANIFEST mean
// the MANIFEST was lost, and Badger would start an empty store over them.
// key is the store key of an encrypted store (nil: plaintext).
func checkDamage(dir string, entries []os.DirEntry, key []byte) error {
	var manifest bool
	var data []string
	for _, e := range entries {
		switch name := e.Name(); {
		case name == badgerManifest:
			manifest = true
		case strings.HasSuffix(name, ".sst"), strings.HasSuffix(name, ".vlog"):
			data = append(data, name)
		}
	}
	if !manifest && len(data) > 0 {
		return &DamagedError{Dir: filepath.Join(dir, "db"), What: DamageManifest,
			Detail: fmt.Sprintf("MANIFEST is missing but %d table and value log files are there (%s …)", len(data), data[0])}
	}
	return checkTables(filepath.Join(dir, "db"), entries, key)
}

// checkTables opens each table (.sst) of Badger's directory db with Badger's
// own reader and verifies its checksums (index and every block), so that a
// truncated or altered table is an error before Badger opens it: Badger
// opens tables on goroutines of its own, where a truncated table panics
// (slice bounds out of range) beyond any recover, and without checksum
// verification an altered block hides its records silently. It costs one
// read of every table at open. The tables of an encrypted store (key not
// nil) are read with their data keys, found through the MANIFEST and
// Badger's key registry (tableKeys).
func checkTables(db string, entries []os.DirEntry, key []byte) error {
	bo := badgerOptions(db, false, slog.New(slog.DiscardHandler))
	topts := table.Options{ReadOnly: true, ChkMode: options.OnTableRead, BlockSize: bo.BlockSize,
		Compression: bo.Compression, ZSTDCompressionLevel: bo.ZSTDCompressionLevel,
		BloomFalsePositive: bo.BloomFalsePositive, TableSize: uint64(bo.BaseTableSize)}
	var tables []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sst") {
			tables = append(tables, filepath.Join(db, e.Name()))
		}
	}
	var keys map[string]*pb.DataKey
	if key == nil && len(tables) > 0 {
		// Only the tables the MANIFEST lists: Badger deletes the others
		// (a flush cut off before it was recorded) when it opens.
		m, err := readManifest(db)
		if err != nil {
			return err
		}
		listed := tables[:0]
		for _, t := range tables {
			if id, ok := table.ParseFileID(filepath.Base(t)); ok {
				if _, in := m.Tables[id]; in {
					listed = append(listed, t)
				}
			}
		}
		tables = listed
	}
	if key != nil && len(tables) > 0 {
		var err error
		if keys, tables, err = tableKeys(db, key, tables); err != nil {
			return err
		}
		// Badger reads the index of an encrypted table through its index
		// cache only (it panics without one).
		cache, err := ristretto.NewCache(&ristretto.Config[uint64, *fb.TableIndex]{NumCounters: 1 << 10, MaxCost: 4 << 20, BufferItems: 64})
		if err != nil {
			return fmt.Errorf("check tables of %s: %w", db, err)
		}
		defer cache.Close()
		topts.IndexCache = cache
	}
	// Tables are independent: verify them on all cores.
	errs := make([]error, len(tables))
	var wg sync.WaitGroup
	work := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(tables)) {
		wg.Go(func() {
			for i := range work {
				o := topts
				o.DataKey = keys[tables[i]]
				errs[i] = checkTable(tables[i], o)
			}
		})
	}
	for i := range tables {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return &DamagedError{Dir: db, What: DamageFiles, Detail: err.Error()}
		}
	}
	return nil
}

// checkTable opens and closes one table, turning a panic into an error.
func checkTable(path string, topts table.Options) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("table %s: unreadable (truncated?): %v", filepath.Base(path), p)
		}
	}()
	mf, err := z.OpenMmapFile(path, os.O_RDONLY, 0)
	if err != nil {
		return fmt.Errorf("table %s: %w", filepath.Base(path), err)
	}
	t, err := table.OpenTable(mf, topts) // closes mf when it fails
	if err != nil {
		return fmt.Errorf("table %s: %w", filepath.Base(path), err)
	}
	return t.Close(-1)
}

// tableKeys returns the data key of each of tables (paths in db) of an
// encrypted store, from the MANIFEST (which table has which key id) and the
// key registry (the data keys, encrypted with key), and the tables the
// MANIFEST lists (Badger deletes the others at open). A MANIFEST or registry
// that cannot be read is damage; a registry that does not open with key is
// a *LockedError.
func tableKeys(db string, key []byte, tables []string) (map[string]*pb.DataKey, []string, error) {
	kr, err := badger.OpenKeyRegistry(badger.KeyRegistryOptions{Dir: db, ReadOnly: true, EncryptionKey: key, EncryptionKeyRotationDuration: DataKeyRotation})
	if errors.Is(err, badger.ErrEncryptionKeyMismatch) {
		return nil, nil, &LockedError{Dir: filepath.Dir(db), Reason: LockWrongKey, Source: KeyGiven}
	}
	if err != nil {
		return nil, nil, &DamagedError{Dir: db, What: DamageFiles, Detail: "key registry: " + err.Error()}
	}
	defer kr.Close()
	m, err := readManifest(db)
	if err != nil {
		return nil, nil, err
	}
	keys := map[string]*pb.DataKey{}
	var listed []string
	for _, t := range tables {
		id, ok := table.ParseFileID(filepath.Base(t))
		tm, inManifest := m.Tables[id]
		if !ok || !inManifest {
			continue
		}
		dk, err := kr.DataKey(tm.KeyID)
		if err != nil {
			return nil, nil, &DamagedError{Dir: db, What: DamageFiles, Detail: fmt.Sprintf("table %s: %v", filepath.Base(t), err)}
		}
		keys[t] = dk
		listed = append(listed, t)
	}
	return keys, listed, nil
}

// readManifest replays Badger's MANIFEST in db: which tables the store holds
// (and, encrypted, with which data key). A MANIFEST that cannot be read is a
// *DamagedError.
func readManifest(db string) (badger.Manifest, error) {
	f, err := os.Open(filepath.Join(db, badgerManifest))
	if err != nil {
		return badger.Manifest{}, &DamagedError{Dir: db, What: DamageFiles, Detail: err.Error()}
	}
	defer f.Close()
	m, _, err := badger.ReplayManifestFile(f, 0, badger.DefaultOptions(db).WithLogger(nil))
	if err != nil {
		return badger.Manifest{}, &DamagedError{Dir: db, What: DamageFiles, Detail: "MANIFEST: " + err.Error()}
	}
	return m, nil
}

// removeEmptyCrashFiles removes the empty (0-byte) memtable (.mem) and value
// log (.vlog) files of the Badger directory dir: a crash between Badger's
// creating such a file and its first write leaves it so, and badger.Open
// then fails on it with "Create a new file" (z.NewFile, Badger issue #2207)
// though it holds nothing. Each removal is logged. Errors (a file that cannot
// be listed or removed) are left for badger.Open to report.
func removeEmptyCrashFiles(dir string, log *slog.Logger) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || (filepath.Ext(name) != ".mem" && filepath.Ext(name) != ".vlog") {
			continue
		}
		if fi, err := e.Info(); err != nil || fi.Size() != 0 {
			continue
		}
		if err := os.Remove(filepath.Join(dir, name)); err == nil {
			log.Warn("removed an empty Badger file a crash left (it held nothing; Badger would refuse to open)", "dir", dir, "file", name)
		}
	}
}

// badgerManifest is the name of Badger's manifest file.
const badgerManifest = "MANIFEST"

// openBadger opens Badger with opts and turns a panic inside it (a truncated
// table panics with slice bounds out of range) or an error that names a
// damaged file into a *DamagedError. Other errors (the directory is locked
// by another process, permissions) are returned wrapped as they are. After
// a panic, Badger's goroutines and open files of this attempt may remain until
// the process exits; the store is not opened.
func openBadger(opts badger.Options, log *slog.Logger) (db *badger.DB, err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("badger panicked while opening the store", "dir", opts.Dir, "panic", p)
			db, err = nil, &DamagedError{Dir: opts.Dir, What: DamageFiles, Detail: fmt.Sprintf("opening failed: %v", p)}
		}
	}()
	if !opts.ReadOnly {
		removeEmptyCrashFiles(opts.Dir, log)
	}
	db, err = badger.Open(opts)
	if err != nil {
		if lockedMessage(err.Error()) {
			return nil, inUse(opts.Dir, err)
		}
		if strings.Contains(err.Error(), badger.ErrEncryptionKeyMismatch.Error()) {
			// Badger wraps it as text only.
			return nil, fmt.Errorf("open store %s: %w", opts.Dir, badger.ErrEncryptionKeyMismatch)
		}
		if damagedMessage(err.Error()) {
			return nil, &DamagedError{Dir: opts.Dir, What: DamageFiles, Detail: err.Error()}
		}
		return nil, fmt.Errorf("open store %s: %w", opts.Dir, err)
	}
	return db, nil
}

// resourceLimits are the system's words (lower case, as Linux and macOS say
// them) for a limit met by a healthy store: ENOSPC, EFBIG, EMFILE and
// ENFILE, ENOMEM, EDQUOT.
var resourceLimits = []string{"no space left on device", "file too large", "too many open files", "cannot allocate memory", "disk quota exceeded"}

// damagedMessage reports whether Badger's error text says a file is damaged
// (checksums, truncation, unreadable manifest or table) rather than, say,
// locked or not permitted. Badger has no typed errors for these.
// A resource limit met while opening (a full disk, a file size limit, too
// many open files, no memory) is not damage, though its text names the
// memtable or table Badger was opening ("truncate …/00001.mem: file too
// large"): moving such a store aside (`recover`) would make a healthy
// device wait for its own feed.
func damagedMessage(msg string) bool {
	msg = strings.ToLower(msg)
	if strings.Contains(msg, "another process") || strings.Contains(msg, "permission denied") {
		return false
	}
	for _, s := range resourceLimits {
		if strings.Contains(msg, s) {
			return false
		}
	}
	for _, s := range []string{"checksum", "truncat", "manifest", "corrupt", "table", ".sst", ".vlog", "unexpected eof", "bad magic", "invalid"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
