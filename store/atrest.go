package store

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"golang.org/x/crypto/argon2"

	"github.com/reliefmesh/reliefmesh/internal/atomicfile"
)

// Encryption at rest. A store is encrypted with Badger's own encryption
// (AES-256 in CTR mode on tables, value log and write-ahead log): its
// 32-byte store key is Badger's master key, which encrypts the data keys in
// Badger's KEYREGISTRY; Badger makes a new data key every
// DataKeyRotation. Where the store key comes from is the caller's business
// (the desktop's keyring or a passphrase, the hub's key file or environment
// variable); KeyInfoFile in the data directory says that the store is
// encrypted, how its key is found, and holds a check value so that a wrong
// key or passphrase is told as such before Badger sees it.

// KeyInfoFile is the name, inside the data directory, of the note of an
// encrypted store (JSON, mode 0600): see KeyInfo. A data directory without
// it holds a plaintext store (or none yet).
const KeyInfoFile = "keyinfo.json"

// keyInfoPending is KeyInfoFile being replaced by Rekey; see rekeyMarker.
const keyInfoPending = KeyInfoFile + ".new"

// StoreKeySize is the length in bytes of a store key (AES-256).
const StoreKeySize = 32

// DataKeyRotation is how often Badger makes a new data key for what it
// writes next (Options.EncryptionKeyRotationDuration); older data keys stay
// in its registry, encrypted with the store key.
const DataKeyRotation = 7 * 24 * time.Hour

// EnvStoreKey names the environment variable that gives a hub its store key
// (64 hexadecimal digits or the base64 of 32 bytes).
const EnvStoreKey = "RELIEFMESH_STORE_KEY"

// Where a store key comes from, in KeyInfo.Source.
const (
	// KeyInKeyring: a random key kept in the operating system's keyring
	// (the desktop's default); KeyInfo.Account names the keyring entry.
	KeyInKeyring = "keyring"
	// KeyFromPassphrase: the key is derived from a passphrase with argon2id
	// (KeyInfo.KDF).
	KeyFromPassphrase = "passphrase"
	// KeyGiven: the key is given as it is (a hub's --key-file or
	// RELIEFMESH_STORE_KEY).
	KeyGiven = "key"
)

// KDF are the parameters of argon2id (golang.org/x/crypto/argon2.IDKey)
// that derive a store key from a passphrase.
type KDF struct {
	Name      string `json:"name"`       // "argon2id"
	Salt      []byte `json:"salt"`       // random, 16 bytes (base64 in JSON)
	Time      uint32 `json:"time"`       // passes over the memory
	MemoryKiB uint32 `json:"memory_kib"` // memory in KiB
	Threads   uint8  `json:"threads"`    // lanes
}

// maxKDFMemoryKiB is the most memory a passphrase's argon2id may ask for
// (1 GiB): a note asking more is refused as damaged.
const maxKDFMemoryKiB = 1 << 20

// DefaultKDF are the argon2id parameters of a new passphrase: the RFC 9106
// second recommendation (3 passes, 64 MiB), about 0.2 s on a laptop's two
// cores. The salt is filled in by NewPassphraseKey.
var DefaultKDF = KDF{Name: "argon2id", Time: 3, MemoryKiB: 64 << 10, Threads: 2}

// KeyInfo is the content of KeyInfoFile: how the store key of an encrypted
// store is found, and a check value of the key.
type KeyInfo struct {
	Version int    `json:"version"` // 1
	Source  string `json:"source"`  // KeyInKeyring, KeyFromPassphrase or KeyGiven
	// Account is the keyring entry's user name (KeyInKeyring).
	Account string `json:"account,omitempty"`
	// KDF derives the key from the passphrase (KeyFromPassphrase).
	KDF *KDF `json:"kdf,omitempty"`
	// Check is the first 16 bytes of HMAC-SHA256(key, checkLabel): it tells
	// a wrong key without revealing the key.
	Check []byte `json:"check"`
}

const checkLabel = "reliefmesh store key check v1"

// checkOf returns the check value of key (KeyInfo.Check).
func checkOf(key []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(checkLabel))
	return m.Sum(nil)[:16]
}

// Matches reports whether key is the store key this note was written for.
func (ki KeyInfo) Matches(key []byte) bool {
	return len(key) == StoreKeySize && hmac.Equal(checkOf(key), ki.Check)
}

// NewKeyInfo returns the note of an encrypted store whose key is key, found
// as source says (account for KeyInKeyring).
func NewKeyInfo(source, account string, key []byte) KeyInfo {
	return KeyInfo{Version: 1, Source: source, Account: account, Check: checkOf(key)}
}

// NewStoreKey returns a random store key.
func NewStoreKey() ([]byte, error) {
	k := make([]byte, StoreKeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("new store key: %w", err)
	}
	return k, nil
}

// NewPassphraseKey derives a new store key from passphrase with kdf's
// parameters and a new random salt (DefaultKDF when kdf is nil), and returns
// it with its note. An empty passphrase is refused.
func NewPassphraseKey(passphrase string, kdf *KDF) ([]byte, KeyInfo, error) {
	if passphrase == "" {
		return nil, KeyInfo{}, errors.New("new passphrase: empty")
	}
	p := DefaultKDF
	if kdf != nil {
		p = *kdf
	}
	p.Name = "argon2id"
	p.Salt = make([]byte, 16)
	if _, err := rand.Read(p.Salt); err != nil {
		return nil, KeyInfo{}, fmt.Errorf("new passphrase salt: %w", err)
	}
	key := p.derive(passphrase)
	ki := NewKeyInfo(KeyFromPassphrase, "", key)
	ki.KDF = &p
	return key, ki, nil
}

func (p KDF) derive(passphrase string) []byte {
	return argon2.IDKey([]byte(passphrase), p.Salt, p.Time, p.MemoryKiB, p.Threads, StoreKeySize)
}

// Unlock derives the store key from passphrase and checks it. Errors: a
// *LockedError with LockWrongKey when the passphrase is not the store's,
// and an error when the note is not a passphrase's.
func (ki KeyInfo) Unlock(dir, passphrase string) ([]byte, error) {
	if ki.Source != KeyFromPassphrase || ki.KDF == nil || ki.KDF.Name != "argon2id" {
		return nil, fmt.Errorf("unlock store %s: its key is not a passphrase's (source %q in %s)", dir, ki.Source, KeyInfoFile)
	}
	if p := ki.KDF; p.Time < 1 || p.Time > 64 || p.Threads < 1 || p.Threads > 64 || p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxKDFMemoryKiB || len(p.Salt) < 8 {
		// a damaged or hostile note must not make argon2id panic or take all memory
		return nil, &DamagedError{Dir: dir, What: DamageFiles,
			Detail: fmt.Sprintf("%s: argon2id parameters out of range (time %d, memory %d KiB, threads %d, salt %d bytes)", KeyInfoFile, p.Time, p.MemoryKiB, p.Threads, len(p.Salt))}
	}
	key := ki.KDF.derive(passphrase)
	if !ki.Matches(key) {
		return nil, &LockedError{Dir: dir, Reason: LockWrongKey, Source: ki.Source}
	}
	return key, nil
}

// ReadKeyInfo reads the note of the encrypted store in data directory dir;
// false when there is none (a plaintext store, or none yet). While a Rekey
// of dir is unfinished it returns the note the store's files hold now (see
// UnlockPassphrase for a passphrase that may be either).
func ReadKeyInfo(dir string) (KeyInfo, bool, error) {
	return readKeyInfo(filepath.Join(dir, KeyInfoFile))
}

func readKeyInfo(path string) (KeyInfo, bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return KeyInfo{}, false, nil
	}
	if err != nil {
		return KeyInfo{}, false, fmt.Errorf("read %s: %w", path, err)
	}
	var ki KeyInfo
	if err := json.Unmarshal(b, &ki); err != nil || ki.Version != 1 || len(ki.Check) != 16 {
		return KeyInfo{}, false, &DamagedError{Dir: filepath.Dir(path), What: DamageFiles,
			Detail: fmt.Sprintf("%s is not a store key note (damaged?)", filepath.Base(path))}
	}
	return ki, true, nil
}

// writeKeyInfo writes ki to path atomically (a synced temporary file renamed).
func writeKeyInfo(path string, ki KeyInfo) error {
	b, err := json.MarshalIndent(ki, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return atomicfile.WriteBytes(path, append(b, '\n'), 0o600)
}

// syncDir syncs directory dir, so that a rename in it survives a power cut.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// UnlockPassphrase derives the store key of the store in dir from
// passphrase. Errors: a *LockedError with LockWrongKey when it is not the
// store's passphrase (the store is untouched), LockNotEncrypted when the
// store has no key note. During an unfinished Rekey either passphrase works:
// Open settles which one the files hold.
func UnlockPassphrase(dir, passphrase string) ([]byte, error) {
	ki, ok, err := ReadKeyInfo(dir)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &LockedError{Dir: dir, Reason: LockNotEncrypted}
	}
	key, err := ki.Unlock(dir, passphrase)
	if err == nil || !errors.Is(err, ErrLocked) {
		return key, err
	}
	if pending, ok, perr := readKeyInfo(filepath.Join(dir, keyInfoPending)); perr == nil && ok {
		if k, perr := pending.Unlock(dir, passphrase); perr == nil {
			return k, nil
		}
	}
	return nil, err
}

// ParseStoreKey reads a store key written as 64 hexadecimal digits or as
// the base64 (standard or URL alphabet, padded or not) of 32 bytes; spaces
// around it are ignored.
func ParseStoreKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == StoreKeySize {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == StoreKeySize {
			return b, nil
		}
	}
	return nil, fmt.Errorf("store key: want 64 hexadecimal digits or the base64 of %d bytes, got %d characters", StoreKeySize, len(s))
}

// ReadKeyFile reads a store key from the file at path: 32 raw bytes, or the
// text ParseStoreKey reads. The file must be readable by its owner only
// (mode 0600 or stricter): a key others can read protects nothing.
func ReadKeyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("key file %s: mode %04o lets others read it; chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if len(b) == StoreKeySize {
		return b, nil
	}
	k, err := ParseStoreKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, nil
}

// WriteKeyFile writes key to a new file at path, mode 0600, as 64
// hexadecimal digits and a newline. An existing file is not replaced.
func WriteKeyFile(path string, key []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	_, err = f.WriteString(hex.EncodeToString(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("key file %s: %w", path, err)
	}
	return nil
}

// ErrLocked is wrapped by *LockedError.
var ErrLocked = errors.New("store locked")

// Why a store is locked, in LockedError.Reason.
const (
	// LockNoKey: the store is encrypted and no key was given.
	LockNoKey = "no_key"
	// LockWrongKey: the key or passphrase given is not the store's.
	LockWrongKey = "wrong_key"
	// LockNotEncrypted: a key was given for a plaintext store (encrypt it
	// with Rekey first).
	LockNotEncrypted = "not_encrypted"
)

// LockedError says that the store in Dir cannot be opened with the key
// given (or without one): Reason is LockNoKey, LockWrongKey or
// LockNotEncrypted, Source where its key is found (KeyInfo.Source; "" for a
// plaintext store). Nothing was written.
type LockedError struct {
	Dir    string
	Reason string
	Source string
}

// Error says what is wrong and what to do.
func (e *LockedError) Error() string {
	var how string
	switch e.Source {
	case KeyFromPassphrase:
		how = "unlock it with its passphrase (the app's start-up screen, or `reliefmesh-hub unlock`)"
	case KeyInKeyring:
		how = "its key is kept in the keyring of the user who created it on this computer; log in as that user with the keyring unlocked"
	default:
		how = "give its key (`--key-file FILE` or " + EnvStoreKey + ")"
	}
	switch e.Reason {
	case LockWrongKey:
		return fmt.Sprintf("%v: %s: wrong passphrase or key (nothing was changed); %s", ErrLocked, e.Dir, how)
	case LockNotEncrypted:
		return fmt.Sprintf("%v: %s: the store is not encrypted, yet a key was given; encrypt it first with `reliefmesh-hub rekey`, or open it without a key", ErrLocked, e.Dir)
	}
	return fmt.Sprintf("%v: %s is encrypted at rest; %s", ErrLocked, e.Dir, how)
}

// Unwrap returns ErrLocked.
func (e *LockedError) Unwrap() error { return ErrLocked }

// HasStore reports whether data directory dir holds a store (Badger's
// MANIFEST in dir/db), encrypted or not: a data directory without one is
// new (or its store was moved aside).
func HasStore(dir string) bool { return hasData(filepath.Join(dir, "db")) }

// hasData reports whether Badger's directory db holds a store (a MANIFEST).
func hasData(db string) bool {
	_, err := os.Stat(filepath.Join(db, badgerManifest))
	return err == nil
}

// resolveKey decides, before Badger opens anything, with which key the
// store in dir opens: the key given when the note matches it, nil for a
// plaintext store. A new store given a key gets its note (ki, or KeyGiven
// when nil) first, so that no encrypted file exists without one.
func resolveKey(dir string, key []byte, ki *KeyInfo) ([]byte, error) {
	if key != nil && len(key) != StoreKeySize {
		return nil, fmt.Errorf("open store %s: store key of %d bytes, want %d", dir, len(key), StoreKeySize)
	}
	info, ok, err := ReadKeyInfo(dir)
	if err != nil {
		return nil, err
	}
	switch {
	case ok && key == nil:
		return nil, &LockedError{Dir: dir, Reason: LockNoKey, Source: info.Source}
	case ok && !info.Matches(key):
		return nil, &LockedError{Dir: dir, Reason: LockWrongKey, Source: info.Source}
	case ok:
		return key, nil
	case key == nil:
		return nil, nil
	case hasData(filepath.Join(dir, "db")):
		return nil, &LockedError{Dir: dir, Reason: LockNotEncrypted}
	}
	note := NewKeyInfo(KeyGiven, "", key)
	if ki != nil {
		if !ki.Matches(key) {
			return nil, fmt.Errorf("open store %s: the key note given does not match the key", dir)
		}
		note = *ki
	}
	if err := writeKeyInfo(filepath.Join(dir, KeyInfoFile), note); err != nil {
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	return key, nil
}

// withKey returns o encrypting with key (plaintext when nil).
func withKey(o badger.Options, key []byte) badger.Options {
	if key == nil {
		return o
	}
	return o.WithEncryptionKey(key).WithEncryptionKeyRotationDuration(DataKeyRotation)
}
