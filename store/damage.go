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
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/table"
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
func checkDamage(dir string, entries []os.DirEntry) error {
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
	return checkTables(filepath.Join(dir, "db"), entries)
}

// checkTables opens each table (.sst) of Badger's directory db with Badger's
// own reader and verifies its checksums (index and every block), so that a
// truncated or altered table is an error before Badger opens it: Badger
// opens tables on goroutines of its own, where a truncated table panics
// (slice bounds out of range) beyond any recover, and without checksum
// verification an altered block hides its records silently. It costs one
// read of every table at open.
func checkTables(db string, entries []os.DirEntry) error {
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
	// Tables are independent: verify them on all cores.
	errs := make([]error, len(tables))
	var wg sync.WaitGroup
	work := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(tables)) {
		wg.Go(func() {
			for i := range work {
				errs[i] = checkTable(tables[i], topts)
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
	db, err = badger.Open(opts)
	if err != nil {
		if lockedMessage(err.Error()) {
			return nil, inUse(opts.Dir, err)
		}
		if damagedMessage(err.Error()) {
			return nil, &DamagedError{Dir: opts.Dir, What: DamageFiles, Detail: err.Error()}
		}
		return nil, fmt.Errorf("open store %s: %w", opts.Dir, err)
	}
	return db, nil
}

// damagedMessage reports whether Badger's error text says a file is damaged
// (checksums, truncation, unreadable manifest or table) rather than, say,
// locked or not permitted. Badger has no typed errors for these.
func damagedMessage(msg string) bool {
	msg = strings.ToLower(msg)
	if strings.Contains(msg, "another process") || strings.Contains(msg, "permission denied") {
		return false
	}
	for _, s := range []string{"checksum", "truncat", "manifest", "corrupt", "table", ".sst", ".vlog", "unexpected eof", "bad magic", "invalid"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
