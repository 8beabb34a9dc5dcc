package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"
)

// rekeyMarker is the file, inside the data directory, that exists while a
// Rekey is unfinished: Open finding it finishes the rekey or undoes it
// (finishRekey), so that a crash or a failure midway leaves the store usable
// with its old key or its new one, never neither.
const rekeyMarker = "rekey-in-progress"

// Rekey modes, in the marker.
const (
	rekeyStream   = "stream"   // a plaintext store copied into a new encrypted directory
	rekeyRegistry = "registry" // an encrypted store's key registry re-encrypted
)

// registryBackup is the copy, in the data directory, of Badger's key
// registry while a rekey of an encrypted store rewrites it.
const registryBackup = "KEYREGISTRY.before-rekey"

// rekeyState is the content of rekeyMarker.
type rekeyState struct {
	Mode  string `json:"mode"`
	Aside string `json:"aside"` // stream: the old db's name while swapped; registry: the registry's copy
}

// RekeyResult says what Rekey did: Streamed when the store was copied into a
// new encrypted directory (a plaintext store: Badger cannot encrypt one in
// place), with Keys the keys copied; otherwise only Badger's key registry was
// re-encrypted with the new key. Took is how long it took.
type RekeyResult struct {
	Streamed bool
	Keys     int
	Took     time.Duration
}

// rekeyFault, set by tests, is called at each step of a rekey; an error it
// returns makes that step fail, as a crash or a full disk would.
var rekeyFault func(step string) error

// errCrash, returned by rekeyFault, makes the rekey stop where it is without
// undoing anything, as if the process died there.
var errCrash = errors.New("simulated crash")

func fault(step string) error {
	if rekeyFault == nil {
		return nil
	}
	return rekeyFault(step)
}

// Rekey changes the key of the store in data directory dir, which no process
// may have open: from oldKey (nil for a plaintext store) to newKey, noted as
// info says (info.Matches(newKey) must hold). An encrypted store keeps its
// files: Badger's key registry (the data keys) is re-encrypted with the new
// key (as `badger rotate` does). A plaintext store is streamed into a new
// encrypted directory beside it (db.rekey), which replaces db only once it
// opened and holds as many keys as the original; the original is removed
// only then. If anything fails midway the store is left as it was (with its
// old key); if the process dies midway, the next Open or Rekey finishes or
// undoes it. Errors: a *LockedError when oldKey is not the store's.
func Rekey(dir string, oldKey, newKey []byte, info KeyInfo, log *slog.Logger) (RekeyResult, error) {
	start := time.Now()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if len(newKey) != StoreKeySize || !info.Matches(newKey) {
		return RekeyResult{}, fmt.Errorf("rekey store %s: the new key is not %d bytes or does not match its note", dir, StoreKeySize)
	}
	db := filepath.Join(dir, "db")
	if !hasData(db) {
		return RekeyResult{}, fmt.Errorf("rekey store %s: no store there", dir)
	}
	if err := finishRekey(dir, log); err != nil {
		return RekeyResult{}, err
	}
	old, err := resolveKey(dir, oldKey, nil)
	if err != nil {
		return RekeyResult{}, err
	}
	if old != nil {
		err = rekeyRegistryOf(dir, old, newKey, info, log)
		return RekeyResult{Took: time.Since(start)}, err
	}
	n, err := rekeyStreamOf(dir, newKey, info, log)
	if err != nil {
		return RekeyResult{}, err
	}
	return RekeyResult{Streamed: true, Keys: n, Took: time.Since(start)}, nil
}

// writeMarker writes rekeyMarker (synced) with st.
func writeMarker(dir string, st rekeyState) error {
	b, _ := json.Marshal(st)
	return writeSynced(filepath.Join(dir, rekeyMarker), string(b)+"\n")
}

// rekeyRegistryOf re-encrypts the key registry of the encrypted store in dir
// from old to newKey and replaces its note by info.
func rekeyRegistryOf(dir string, old, newKey []byte, info KeyInfo, log *slog.Logger) error {
	db := filepath.Join(dir, "db")
	reg := filepath.Join(db, badger.KeyRegistryFileName)
	backup := filepath.Join(dir, registryBackup)
	fail := func(err error) error {
		if errors.Is(err, errCrash) {
			return err
		}
		undoRekey(dir, rekeyState{Mode: rekeyRegistry, Aside: filepath.Base(backup)}, log)
		return fmt.Errorf("rekey store %s: %w (the store keeps its old key)", dir, err)
	}
	if err := writeMarker(dir, rekeyState{Mode: rekeyRegistry, Aside: filepath.Base(backup)}); err != nil {
		return fmt.Errorf("rekey store %s: %w", dir, err)
	}
	if err := writeKeyInfo(filepath.Join(dir, keyInfoPending), info); err != nil {
		return fail(err)
	}
	b, err := os.ReadFile(reg)
	if err != nil {
		return fail(err)
	}
	if err := writeSynced(backup, string(b)); err != nil {
		return fail(err)
	}
	opt := badger.KeyRegistryOptions{Dir: db, ReadOnly: true, EncryptionKey: old, EncryptionKeyRotationDuration: DataKeyRotation}
	kr, err := badger.OpenKeyRegistry(opt)
	if err != nil {
		if errors.Is(err, badger.ErrEncryptionKeyMismatch) {
			undoRekey(dir, rekeyState{Mode: rekeyRegistry, Aside: filepath.Base(backup)}, log)
			return &LockedError{Dir: dir, Reason: LockWrongKey}
		}
		return fail(fmt.Errorf("open key registry: %w", err))
	}
	if err := fault("registry"); err != nil {
		return fail(err)
	}
	opt.EncryptionKey = newKey
	if err := badger.WriteKeyRegistry(kr, opt); err != nil {
		return fail(fmt.Errorf("write key registry: %w", err))
	}
	if _, err := badger.OpenKeyRegistry(opt); err != nil {
		return fail(fmt.Errorf("key registry does not open with the new key: %w", err))
	}
	if err := fault("commit"); err != nil {
		return fail(err)
	}
	if err := os.Rename(filepath.Join(dir, keyInfoPending), filepath.Join(dir, KeyInfoFile)); err != nil {
		return fail(err)
	}
	os.Remove(backup)
	return removeMarker(dir)
}

// rekeyStreamOf copies the plaintext store of dir into a new directory
// encrypted with newKey, swaps the two once the copy opened with as many
// keys, and removes the original. It returns the number of keys copied.
func rekeyStreamOf(dir string, newKey []byte, info KeyInfo, log *slog.Logger) (int, error) {
	db := filepath.Join(dir, "db")
	tmp := filepath.Join(dir, "db.rekey")
	aside := "db.plaintext-" + time.Now().UTC().Format("20060102-150405")
	st := rekeyState{Mode: rekeyStream, Aside: aside}
	fail := func(err error) (int, error) {
		if errors.Is(err, errCrash) {
			return 0, err
		}
		undoRekey(dir, st, log)
		return 0, fmt.Errorf("rekey store %s: %w (the store is as it was, not encrypted)", dir, err)
	}
	if err := writeMarker(dir, st); err != nil {
		return 0, fmt.Errorf("rekey store %s: %w", dir, err)
	}
	os.RemoveAll(tmp) // a copy left by an interrupted rekey before this one
	src, err := openBadger(badgerOptions(db, false, log), log)
	if err != nil {
		return fail(err)
	}
	n, err := countKeys(src)
	if err == nil {
		err = fault("stream")
	}
	if err == nil {
		err = streamInto(src, withKey(badgerOptions(tmp, false, log), newKey), log)
	}
	if cerr := src.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fail(fmt.Errorf("copy into an encrypted store: %w", err))
	}
	if err := writeKeyInfo(filepath.Join(dir, keyInfoPending), info); err != nil {
		return fail(err)
	}
	if err := os.Rename(db, filepath.Join(dir, aside)); err != nil {
		return fail(err)
	}
	if err := fault("swap"); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, db); err != nil {
		return fail(err)
	}
	// The new store must open with the new key and hold every key.
	dst, err := openBadger(withKey(badgerOptions(db, false, log), newKey), log)
	if err != nil {
		return fail(fmt.Errorf("the encrypted copy does not open: %w", err))
	}
	m, err := countKeys(dst)
	if cerr := dst.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err == nil && m != n {
		err = fmt.Errorf("the encrypted copy holds %d keys, the original %d", m, n)
	}
	if err == nil {
		err = fault("verify")
	}
	if err != nil {
		return fail(err)
	}
	if err := os.Rename(filepath.Join(dir, keyInfoPending), filepath.Join(dir, KeyInfoFile)); err != nil {
		return fail(err)
	}
	// Committed: the encrypted store and its note are in place.
	if err := syncDir(dir); err != nil {
		log.Warn("rekey: sync data directory", "err", err)
	}
	if err := os.RemoveAll(filepath.Join(dir, aside)); err != nil {
		log.Warn("rekey: remove the plaintext original", "dir", aside, "err", err)
	}
	return n, removeMarker(dir)
}

// streamInto copies every key of src into a new store opened with opts
// (Badger's Stream into a StreamWriter, as `badger stream` does, which
// writes tables directly instead of transactions).
func streamInto(src *badger.DB, opts badger.Options, log *slog.Logger) error {
	dst, err := openBadger(opts, log)
	if err != nil {
		return err
	}
	w := dst.NewStreamWriter()
	if err := w.Prepare(); err != nil {
		dst.Close()
		return fmt.Errorf("prepare %s: %w", opts.Dir, err)
	}
	stream := src.NewStream()
	stream.LogPrefix = "rekey"
	stream.Send = func(buf *z.Buffer) error { return w.Write(buf) }
	err = stream.Orchestrate(context.Background())
	if err == nil {
		err = w.Flush()
	} else {
		w.Cancel()
	}
	if cerr := dst.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("stream into %s: %w", opts.Dir, err)
	}
	return nil
}

// countKeys counts the keys of db (latest versions, without values).
func countKeys(db *badger.DB) (int, error) {
	n := 0
	err := db.View(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.PrefetchValues = false
		it := txn.NewIterator(o)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	return n, err
}

func removeMarker(dir string) error {
	if err := os.Remove(filepath.Join(dir, rekeyMarker)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("rekey store %s: %w", dir, err)
	}
	return syncDir(dir)
}

// finishRekey settles a Rekey of dir that did not finish (rekeyMarker is
// there): once the new note is in place the rekey is complete and what is
// left of the original is removed; before that, the original is put back.
func finishRekey(dir string, log *slog.Logger) error {
	b, err := os.ReadFile(filepath.Join(dir, rekeyMarker))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open store %s: %w", dir, err)
	}
	var st rekeyState
	// The marker names what it moved aside; only the names Rekey gives are
	// taken, so that a damaged marker can never make Open remove the store.
	err = json.Unmarshal(b, &st)
	validAside := st.Mode == rekeyStream && strings.HasPrefix(st.Aside, "db.plaintext-") ||
		st.Mode == rekeyRegistry && st.Aside == registryBackup
	if err != nil || !validAside || filepath.Base(st.Aside) != st.Aside {
		return &DamagedError{Dir: dir, What: DamageFiles, Detail: rekeyMarker + " is not a rekey note (damaged?)"}
	}
	_, perr := os.Stat(filepath.Join(dir, keyInfoPending))
	pending := perr == nil
	if st.Mode == rekeyRegistry && pending {
		// Committed when the registry differs from its copy: it was
		// rewritten with the new key, so the new note is the right one.
		reg, err1 := os.ReadFile(filepath.Join(dir, "db", badger.KeyRegistryFileName))
		cp, err2 := os.ReadFile(filepath.Join(dir, st.Aside))
		if err1 == nil && err2 == nil && !bytes.Equal(reg, cp) {
			log.Warn("rekey: finishing an interrupted rekey (the key registry holds the new key)", "dir", dir)
			if err := os.Rename(filepath.Join(dir, keyInfoPending), filepath.Join(dir, KeyInfoFile)); err != nil {
				return fmt.Errorf("open store %s: finish rekey: %w", dir, err)
			}
			pending = false
		}
	}
	if pending {
		log.Warn("rekey: undoing an interrupted rekey; the store keeps its old key", "dir", dir)
		return undoRekey(dir, st, log)
	}
	log.Warn("rekey: an interrupted rekey had completed; removing what is left of the original", "dir", dir, "left", st.Aside)
	if err := os.RemoveAll(filepath.Join(dir, st.Aside)); err != nil {
		return fmt.Errorf("open store %s: remove %s: %w", dir, st.Aside, err)
	}
	os.RemoveAll(filepath.Join(dir, "db.rekey"))
	return removeMarker(dir)
}

// undoRekey puts the store of dir back as it was before the rekey st
// (not committed: the new note is still pending) and removes the marker.
func undoRekey(dir string, st rekeyState, log *slog.Logger) error {
	db := filepath.Join(dir, "db")
	aside := filepath.Join(dir, st.Aside)
	switch st.Mode {
	case rekeyStream:
		if _, err := os.Stat(aside); err == nil {
			// The original was moved aside: whatever is in db now is the copy.
			if err := os.RemoveAll(db); err != nil {
				return fmt.Errorf("undo rekey of %s: %w", dir, err)
			}
			if err := os.Rename(aside, db); err != nil {
				return fmt.Errorf("undo rekey of %s: put the original back from %s: %w", dir, aside, err)
			}
		}
		os.RemoveAll(filepath.Join(dir, "db.rekey"))
	case rekeyRegistry:
		reg := filepath.Join(db, badger.KeyRegistryFileName)
		if cp, err := os.ReadFile(aside); err == nil {
			if cur, err := os.ReadFile(reg); err != nil || !bytes.Equal(cur, cp) {
				if err := writeSynced(reg, string(cp)); err != nil {
					return fmt.Errorf("undo rekey of %s: put the key registry back: %w", dir, err)
				}
			}
		}
		os.Remove(aside)
	}
	os.Remove(filepath.Join(dir, keyInfoPending))
	if err := removeMarker(dir); err != nil {
		log.Warn("rekey: remove marker", "err", err)
		return err
	}
	return nil
}
