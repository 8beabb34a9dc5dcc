package app

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"
	"unicode/utf8"

	"github.com/zalando/go-keyring"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/store"
)

// Encryption at rest on the desktop. A new data directory is encrypted by
// default: its store key is random and kept in the operating system's
// keyring (Keyring); where there is no keyring (no Secret Service on a
// Linux desktop, for instance) the start-up screen asks for a passphrase
// instead (SetPassphrase), saying why. A store locked by a passphrase is
// opened by Unlock from the start-up screen. An existing plaintext store
// opens as it is (`reliefmesh-hub rekey` encrypts it). The practice
// network holds public data and is not encrypted.

// Reasons of CodeLocked the app adds to the store's (store.LockNoKey …).
const (
	// ReasonKeyring: the store's key is in the keyring, which cannot be
	// read; Args "detail" says what the keyring said.
	ReasonKeyring = "keyring"
	// ReasonNewPassphrase: a new data directory, and no keyring to keep
	// its key: the person chooses a passphrase (SetPassphrase); Args
	// "detail" says why the keyring could not be used.
	ReasonNewPassphrase = "new_passphrase"
	// ReasonPassphraseShort (CodeInvalid, passphrase): fewer than Args
	// "min" characters.
	ReasonPassphraseShort = "passphrase_short"
)

// CodeLocked: the store is encrypted and locked (desk.CodeLocked).
const CodeLocked = desk.CodeLocked

// MinPassphrase is the fewest characters a new passphrase may have.
const MinPassphrase = 8

// Keyring keeps store keys in the operating system's keyring. Get and Set
// must not block for long: the app calls them before its window opens.
type Keyring interface {
	// Get returns the key kept under account; an error when there is none
	// or the keyring cannot be read.
	Get(account string) ([]byte, error)
	// Set keeps key under account.
	Set(account string, key []byte) error
}

// keyringService is the service name of the app's keyring entries.
const keyringService = "reliefmesh"

// keyringTimeout bounds one call to the system keyring (a Secret Service
// that does not answer must not keep the window from opening).
const keyringTimeout = 10 * time.Second

// SystemKeyring returns the operating system's keyring (Secret Service over
// D-Bus on Linux, the Keychain on macOS, the Credential Manager on
// Windows), through github.com/zalando/go-keyring; keys are kept as hex
// under the service "reliefmesh".
func SystemKeyring() Keyring { return systemKeyring{} }

type systemKeyring struct{}

func (systemKeyring) Get(account string) ([]byte, error) {
	var s string
	err := withTimeout(func() (err error) { s, err = keyring.Get(keyringService, account); return })
	if err != nil {
		return nil, fmt.Errorf("keyring entry %s/%s: %w", keyringService, account, err)
	}
	k, err := hex.DecodeString(s)
	if err != nil || len(k) != store.StoreKeySize {
		return nil, fmt.Errorf("keyring entry %s/%s: not a store key", keyringService, account)
	}
	return k, nil
}

func (systemKeyring) Set(account string, key []byte) error {
	err := withTimeout(func() error { return keyring.Set(keyringService, account, hex.EncodeToString(key)) })
	if err != nil {
		return fmt.Errorf("keyring entry %s/%s: %w", keyringService, account, err)
	}
	return nil
}

// withTimeout runs f, giving up after keyringTimeout (f's goroutine then
// ends whenever the keyring answers).
func withTimeout(f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(keyringTimeout):
		return fmt.Errorf("the keyring did not answer within %v", keyringTimeout)
	}
}

// openMain opens the open incident's store in a.incDir (the data
// directory itself for the first incident), finding its key (see the top
// of this file), and keeps the key in a.storeKey for reopening it
// (RecoverDamaged, back from the practice network). Called before the app
// is shared, or with a.mu held.
func (a *App) openMain() (*store.Store, error) {
	st, key, err := a.openAt(a.incDir, a.storeKey)
	a.storeKey = key
	return st, err
}

// openAt opens the store in dir with key (nil: the key is looked for as the
// top of this file says; a new data directory gets a new one) and returns
// it with the key to keep for it (nil for a plaintext store, or when none
// was found). It reads only what does not change once the app is made
// (options, keyring, logger): it needs no lock.
func (a *App) openAt(dir string, key []byte) (*store.Store, []byte, error) {
	opts := a.opts
	if v := os.Getenv(store.EnvStoreKey); v != "" {
		k, err := store.ParseStoreKey(v)
		if err != nil {
			return nil, key, fmt.Errorf("%s: %w", store.EnvStoreKey, err)
		}
		key = k
	}
	if key != nil {
		if _, encrypted, err := store.ReadKeyInfo(dir); err == nil && !encrypted && store.HasStore(dir) {
			// A plaintext store (made by the hub, or before encryption at
			// rest) stays as it was: the key encrypts new stores; the
			// Network screen offers to encrypt this one (EncryptStore).
			a.log.Warn("the store is not encrypted: opened without the given key", "dir", dir, "env", store.EnvStoreKey)
			st, err := store.Open(dir, opts)
			return st, nil, err
		}
		opts.EncryptionKey = key
		st, err := store.Open(dir, opts)
		return st, key, err
	}
	info, encrypted, err := store.ReadKeyInfo(dir)
	if err != nil {
		return nil, nil, err
	}
	if encrypted {
		if info.Source != store.KeyInKeyring {
			st, err := store.Open(dir, opts) // locked: the start-up screen asks for the passphrase
			return st, nil, err
		}
		if a.keyring == nil {
			return nil, nil, lockedBy(dir, ReasonKeyring, info.Source, "no keyring")
		}
		k, err := a.keyring.Get(info.Account)
		if err != nil {
			return nil, nil, lockedBy(dir, ReasonKeyring, info.Source, err.Error())
		}
		opts.EncryptionKey = k
		st, err := store.Open(dir, opts)
		return st, k, err
	}
	if a.keyring == nil || store.HasStore(dir) {
		st, err := store.Open(dir, opts) // a plaintext store, as it was
		return st, nil, err
	}
	// A new data directory: encrypted, its key in the keyring.
	k, err := store.NewStoreKey()
	if err != nil {
		return nil, nil, err
	}
	var id [8]byte
	rand.Read(id[:])
	account := "store-" + hex.EncodeToString(id[:])
	if err := a.keyring.Set(account, k); err != nil {
		a.log.Warn("no keyring for the store key: asking for a passphrase", "err", err)
		return nil, nil, lockedBy(dir, ReasonNewPassphrase, "", err.Error())
	}
	ki := store.NewKeyInfo(store.KeyInKeyring, account, k)
	opts.EncryptionKey, opts.KeyInfo = k, &ki
	st, err := store.Open(dir, opts)
	if err != nil {
		return nil, nil, err
	}
	return st, k, nil
}

// lockedBy is CodeLocked for reason with detail (what the keyring said).
func lockedBy(dir, reason, source, detail string) *Error {
	return &Error{Code: CodeLocked, Message: fmt.Sprintf("store %s locked: %s: %s", dir, reason, detail),
		Args: map[string]string{"reason": reason, "source": source, "dir": dir, "detail": detail}}
}

// optionsFor returns the store options for opening the store in dir: the
// open incident's with its key, the practice network's without one. The
// caller holds a.mu.
func (a *App) optionsFor(dir string) store.Options {
	opts := a.opts
	if dir == a.incDir {
		opts.EncryptionKey = a.storeKey
	}
	return opts
}

// lockedReason returns the reason of the CodeLocked error that kept the
// store closed ("" when it is open or closed for another reason). The
// caller holds a.mu.
func (a *App) lockedReason() string {
	if a.st != nil || a.openErr == nil {
		return ""
	}
	var e *Error
	if errors.As(desk.AsError(a.openErr), &e) && e.Code == CodeLocked {
		return e.Args["reason"]
	}
	return ""
}

// Unlock opens the store locked by a passphrase with passphrase, and starts
// the app on it; it returns the new Info. Errors: CodeLocked with reason
// store.LockWrongKey (field "passphrase") when the passphrase is wrong, and
// nothing changes; CodeInvalid when the store is not locked by a
// passphrase; CodeStorage when opening fails otherwise.
func (s *NetworkService) Unlock(passphrase string) (Info, error) {
	a := s.a
	a.switchMu.Lock()
	defer a.switchMu.Unlock()
	a.mu.Lock()
	if r := a.lockedReason(); r != store.LockNoKey && r != store.LockWrongKey {
		a.mu.Unlock()
		return Info{}, desk.FieldError(CodeInvalid, "passphrase", "the store is not locked by a passphrase")
	}
	key, err := store.UnlockPassphrase(a.incDir, passphrase)
	if err != nil {
		a.mu.Unlock()
		e := asError(err).(*Error)
		e.Field = "passphrase"
		return Info{}, e
	}
	a.storeKey = key
	a.keys[a.incidents.Active] = key
	return s.startOpened(store.Open(a.incDir, a.optionsFor(a.incDir)))
}

// SetPassphrase creates the store of a new data directory encrypted with a
// key derived from passphrase (argon2id), when there is no keyring to keep
// a key (the start-up screen asks for it), and starts the app on it; it
// returns the new Info. Errors: CodeInvalid (field "passphrase") when it
// is shorter than MinPassphrase characters (reason ReasonPassphraseShort,
// Args "min") or the data directory does not wait for one; CodeStorage
// when creating the store fails.
func (s *NetworkService) SetPassphrase(passphrase string) (Info, error) {
	a := s.a
	a.switchMu.Lock()
	defer a.switchMu.Unlock()
	a.mu.Lock()
	if a.lockedReason() != ReasonNewPassphrase {
		a.mu.Unlock()
		return Info{}, desk.FieldError(CodeInvalid, "passphrase", "this data directory does not wait for a new passphrase")
	}
	if n := utf8.RuneCountInString(passphrase); n < MinPassphrase {
		a.mu.Unlock()
		e := desk.FieldError(CodeInvalid, "passphrase", "%d characters, at least %d needed", n, MinPassphrase)
		return Info{}, e.Because(ReasonPassphraseShort, "min", fmt.Sprint(MinPassphrase))
	}
	key, ki, err := store.NewPassphraseKey(passphrase, nil)
	if err != nil {
		a.mu.Unlock()
		return Info{}, &Error{Code: CodeStorage, Field: "passphrase", Message: err.Error()}
	}
	opts := a.opts
	opts.EncryptionKey, opts.KeyInfo = key, &ki
	a.storeKey = key
	a.keys[a.incidents.Active] = key
	return s.startOpened(store.Open(a.incDir, opts))
}

// startOpened keeps the store just opened (or why it was not), starts the
// event forwarder and the node on it, and returns the new Info. The caller
// holds a.switchMu and a.mu, which it releases.
func (s *NetworkService) startOpened(st *store.Store, err error) (Info, error) {
	a := s.a
	a.st, a.openErr = st, err
	if err != nil {
		a.storeKey = nil
		delete(a.keys, a.incidents.Active)
	}
	a.restartLocked()
	a.mu.Unlock()
	if err != nil {
		return s.Info(), asError(err)
	}
	a.ensureNode()
	return s.Info(), nil
}

// AtRestView says whether the open store is encrypted at rest, for the
// Network screen: Source is where its key is found (store.KeyInKeyring,
// KeyFromPassphrase, KeyGiven; "" when it is not encrypted), Keyring
// whether EncryptStore can keep a new key in the system keyring (else it
// needs a passphrase), Practice that the open store is the practice
// network's (public data, never encrypted).
type AtRestView struct {
	Encrypted bool   `json:"encrypted"`
	Source    string `json:"source"`
	Keyring   bool   `json:"keyring"`
	Practice  bool   `json:"practice"`
}

// EncryptResult is what EncryptStore did: the new state, the keys copied
// into the encrypted store and how long it took, in milliseconds.
type EncryptResult struct {
	AtRest AtRestView `json:"atRest"`
	Keys   int        `json:"keys"`
	Millis int64      `json:"millis"`
}

// AtRest returns whether the open store is encrypted at rest (AtRestView).
// Errors: CodeStorage when the store is not open.
func (s *NetworkService) AtRest() (AtRestView, error) {
	if _, err := s.a.desk(); err != nil {
		return AtRestView{}, err
	}
	a := s.a
	a.mu.Lock()
	practice := a.practice
	a.mu.Unlock()
	v := AtRestView{Keyring: a.keyring != nil, Practice: practice}
	if practice {
		return v, nil
	}
	ki, ok, err := store.ReadKeyInfo(a.activeDir())
	if err != nil {
		return AtRestView{}, asError(err)
	}
	v.Encrypted, v.Source = ok, ki.Source
	return v, nil
}

// EncryptStore encrypts the open plaintext store at rest (store.Rekey: it
// is copied into a new encrypted directory, which replaces it once it
// opened with every key): with a key kept in the system keyring when
// passphrase is empty, else with passphrase (argon2id). The node and the
// screens pause meanwhile (EventStoreSwitched tells them to reload). If
// anything fails, the store is as it was and is opened again. Errors:
// CodeInvalid when the store is encrypted already, the practice network
// is open, the passphrase is shorter than MinPassphrase (reason
// ReasonPassphraseShort) or empty with no keyring; CodeStorage when the
// keyring refuses the key or the copy fails (the message says what).
func (s *NetworkService) EncryptStore(passphrase string) (EncryptResult, error) {
	a := s.a
	v, err := s.AtRest()
	if err != nil {
		return EncryptResult{}, err
	}
	if v.Practice || v.Encrypted {
		return EncryptResult{}, desk.FieldError(CodeInvalid, "passphrase", "the open store is the practice network's, or encrypted already")
	}
	var key []byte
	var info store.KeyInfo
	switch {
	case passphrase != "":
		if n := utf8.RuneCountInString(passphrase); n < MinPassphrase {
			e := desk.FieldError(CodeInvalid, "passphrase", "%d characters, at least %d needed", n, MinPassphrase)
			return EncryptResult{}, e.Because(ReasonPassphraseShort, "min", fmt.Sprint(MinPassphrase))
		}
		if key, info, err = store.NewPassphraseKey(passphrase, nil); err != nil {
			return EncryptResult{}, &Error{Code: CodeStorage, Message: err.Error()}
		}
	case a.keyring == nil:
		return EncryptResult{}, desk.FieldError(CodeRequired, "passphrase", "no keyring: a passphrase is needed")
	default:
		if key, err = store.NewStoreKey(); err != nil {
			return EncryptResult{}, &Error{Code: CodeStorage, Message: err.Error()}
		}
		var id [8]byte
		rand.Read(id[:])
		account := "store-" + hex.EncodeToString(id[:])
		if err := a.keyring.Set(account, key); err != nil {
			return EncryptResult{}, &Error{Code: CodeStorage, Field: "passphrase", Message: "the system keyring cannot keep the key: " + err.Error()}
		}
		info = store.NewKeyInfo(store.KeyInKeyring, account, key)
	}

	a.switchMu.Lock()
	defer a.switchMu.Unlock()
	a.Imports.mu.Lock()
	defer a.Imports.mu.Unlock()
	a.stopNode()
	a.mu.Lock()
	if a.events != nil {
		a.events.stop()
		a.events = nil
	}
	if a.st != nil {
		if a.dk != nil && a.dk.Store() == a.st {
			a.dk.SaveStatus()
		}
		if err := a.st.Close(); err != nil {
			a.log.Warn("close store before encrypting it", "err", err)
		}
		a.st = nil
	}
	res, rerr := store.Rekey(a.incDir, nil, key, info, a.log)
	if rerr == nil {
		a.storeKey = key
		a.keys[a.incidents.Active] = key
	}
	a.st, a.openErr = store.Open(a.incDir, a.optionsFor(a.incDir))
	a.restartLocked()
	emit := a.emit
	a.mu.Unlock()
	a.ensureNode()
	if emit != nil {
		emit(EventStoreSwitched, map[string]any{"practice": false, "incident": a.incidents.Active})
	}
	if rerr != nil {
		return EncryptResult{}, &Error{Code: CodeStorage, Message: rerr.Error()}
	}
	if a.openErr != nil {
		return EncryptResult{}, asError(a.openErr)
	}
	v, _ = s.AtRest()
	a.log.Info("store encrypted at rest", "keys", res.Keys, "took", res.Took)
	return EncryptResult{AtRest: v, Keys: res.Keys, Millis: res.Took.Milliseconds()}, nil
}
