package store_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/practice"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// testKDF keeps argon2id cheap in tests; the parameters are stored in the
// note, so unlocking uses them too.
var testKDF = &store.KDF{Time: 1, MemoryKiB: 8 << 10, Threads: 1}

// loadWuhan opens a store in dir with opts, loads the practice network's
// Wuhan data (45 hospital demands, 188 offers, through the importer) and
// returns it with the known plaintext its demands hold: requesters' phone
// numbers (national digits) and organisation names.
func loadWuhan(t *testing.T, dir string, opts store.Options) (*store.Store, [][]byte) {
	t.Helper()
	opts.ValueLogGCInterval = -1
	st, err := store.Open(dir, opts)
	if err != nil {
		t.Fatalf("Open(%s) = %v", dir, err)
	}
	net, member := practice.Names("zh-CN")
	if _, err := practice.Load(context.Background(), desk.New(st), net, member, nil); err != nil {
		st.Close()
		t.Fatalf("practice.Load = %v", err)
	}
	ds, err := st.Demands(store.DemandQuery{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	digits := regexp.MustCompile(`1[3-9]\d{9}`)
	for _, d := range ds {
		if o := strings.TrimSpace(d.RequesterOrg); len([]rune(o)) >= 4 {
			seen[o] = true
		}
		for _, c := range d.Contacts {
			if m := digits.FindString(c.Phone); m != "" {
				seen[m] = true
			}
		}
	}
	var needles [][]byte
	for s := range seen {
		needles = append(needles, []byte(s))
	}
	sort.Slice(needles, func(i, j int) bool { return bytes.Compare(needles[i], needles[j]) < 0 })
	if len(needles) < 20 {
		t.Fatalf("the Wuhan data gave %d known values to look for; want at least 20", len(needles))
	}
	return st, needles
}

// plaintextIn returns "file: value" for each known value found in a file
// under dir.
func plaintextIn(t *testing.T, dir string, needles [][]byte) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, n := range needles {
			if bytes.Contains(b, n) {
				rel, _ := filepath.Rel(dir, path)
				found = append(found, rel+": "+string(n))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func TestEncryptedStoreHoldsNoPlaintext(t *testing.T) {
	for _, encrypted := range []bool{false, true} {
		t.Run(map[bool]string{false: "plaintext", true: "encrypted"}[encrypted], func(t *testing.T) {
			dir := t.TempDir()
			var opts store.Options
			if encrypted {
				key, ki, err := store.NewPassphraseKey("correct horse", testKDF)
				if err != nil {
					t.Fatal(err)
				}
				opts.EncryptionKey, opts.KeyInfo = key, &ki
			}
			st, needles := loadWuhan(t, dir, opts)
			open := plaintextIn(t, dir, needles) // the write-ahead log and value log while open
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			closed := plaintextIn(t, dir, needles) // the tables after the memtables were flushed
			found := append(open, closed...)
			if encrypted && len(found) > 0 {
				t.Errorf("encrypted store: %d known values in plain text, e.g. %q", len(found), found[:min(5, len(found))])
			}
			if !encrypted && len(closed) == 0 {
				t.Errorf("plaintext store: none of %d known values found in its files; the scan cannot tell", len(needles))
			}
		})
	}
}

func TestWrongPassphraseIsToldAndTouchesNothing(t *testing.T) {
	dir := t.TempDir()
	key, ki, err := store.NewPassphraseKey("correct horse", testKDF)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := loadWuhan(t, dir, store.Options{EncryptionKey: key, KeyInfo: &ki})
	want, _ := st.Demands(store.DemandQuery{})
	st.Close()
	before := snapshot(t, dir)

	_, err = store.UnlockPassphrase(dir, "battery staple")
	var le *store.LockedError
	if !errors.As(err, &le) || le.Reason != store.LockWrongKey || !strings.Contains(err.Error(), "wrong passphrase") {
		t.Fatalf("UnlockPassphrase(wrong) = %v; want a LockedError %s saying wrong passphrase", err, store.LockWrongKey)
	}
	other, _ := store.NewStoreKey()
	for name, opts := range map[string]store.Options{
		"no key":    {},
		"wrong key": {EncryptionKey: other},
	} {
		_, err := store.Open(dir, opts)
		if !errors.As(err, &le) {
			t.Fatalf("Open with %s = %v; want a *LockedError", name, err)
		}
		if name == "no key" && le.Reason != store.LockNoKey || name == "wrong key" && le.Reason != store.LockWrongKey {
			t.Errorf("Open with %s: reason %q", name, le.Reason)
		}
	}
	if after := snapshot(t, dir); !equalSnapshots(before, after) {
		t.Errorf("the data directory changed after refused opens:\nbefore %v\nafter  %v", before, after)
	}

	k, err := store.UnlockPassphrase(dir, "correct horse")
	if err != nil {
		t.Fatalf("UnlockPassphrase(right) = %v", err)
	}
	st, err = store.Open(dir, store.Options{EncryptionKey: k, ValueLogGCInterval: -1})
	if err != nil {
		t.Fatalf("Open with the right key = %v", err)
	}
	defer st.Close()
	if got, _ := st.Demands(store.DemandQuery{}); len(got) != len(want) || len(got) != practice.Demands {
		t.Errorf("reopened: %d demands; want %d", len(got), len(want))
	}
}

// snapshot maps each file under dir to its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(path)
			rel, _ := filepath.Rel(dir, path)
			m[rel] = string(b)
		}
		return err
	})
	return m
}

func equalSnapshots(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func demandIDs(t *testing.T, st *store.Store) []string {
	t.Helper()
	ds, err := st.Demands(store.DemandQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.ID+"/"+string(d.Status)+"/"+d.RequesterOrg)
	}
	sort.Strings(ids)
	return ids
}

func TestRekeyEncryptsAPlaintextStore(t *testing.T) {
	dir := t.TempDir()
	st, needles := loadWuhan(t, dir, store.Options{})
	want := demandIDs(t, st)
	st.Close()
	if len(plaintextIn(t, dir, needles)) == 0 {
		t.Fatal("the plaintext store shows no known value: the test cannot tell")
	}
	key, ki, err := store.NewPassphraseKey("new passphrase", testKDF)
	if err != nil {
		t.Fatal(err)
	}
	res, err := store.Rekey(dir, nil, key, ki, nil)
	if err != nil || !res.Streamed || res.Keys == 0 {
		t.Fatalf("Rekey = %+v, %v; want streamed keys", res, err)
	}
	if found := plaintextIn(t, dir, needles); len(found) > 0 {
		t.Errorf("after rekey: %d known values in plain text, e.g. %q", len(found), found[:min(5, len(found))])
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "db.") || e.Name() == "rekey-in-progress" {
			t.Errorf("after rekey %s is left in the data directory", e.Name())
		}
	}
	if _, err := store.Open(dir, store.Options{}); !errors.Is(err, store.ErrLocked) {
		t.Errorf("Open without a key after rekey = %v; want locked", err)
	}
	k, err := store.UnlockPassphrase(dir, "new passphrase")
	if err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(dir, store.Options{EncryptionKey: k, ValueLogGCInterval: -1})
	if err != nil {
		t.Fatalf("Open after rekey = %v", err)
	}
	got := demandIDs(t, st)
	st.Close()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("after rekey %d demands; want the same %d as before", len(got), len(want))
	}
}

func TestRekeyChangesThePassphrase(t *testing.T) {
	dir := t.TempDir()
	key, ki, _ := store.NewPassphraseKey("first", testKDF)
	st, needles := loadWuhan(t, dir, store.Options{EncryptionKey: key, KeyInfo: &ki})
	want := demandIDs(t, st)
	st.Close()
	key2, ki2, _ := store.NewPassphraseKey("second", testKDF)
	wrong, _ := store.NewStoreKey()
	if _, err := store.Rekey(dir, wrong, key2, ki2, nil); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("Rekey with a wrong old key = %v; want locked", err)
	}
	res, err := store.Rekey(dir, key, key2, ki2, nil)
	if err != nil || res.Streamed {
		t.Fatalf("Rekey = %+v, %v; want the key registry re-encrypted in place", res, err)
	}
	if _, err := store.UnlockPassphrase(dir, "first"); !errors.Is(err, store.ErrLocked) {
		t.Errorf("the old passphrase after rekey: %v; want wrong passphrase", err)
	}
	k, err := store.UnlockPassphrase(dir, "second")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(dir, store.Options{EncryptionKey: key}); !errors.Is(err, store.ErrLocked) {
		t.Errorf("Open with the old key = %v; want locked", err)
	}
	st, err = store.Open(dir, store.Options{EncryptionKey: k, ValueLogGCInterval: -1})
	if err != nil {
		t.Fatalf("Open with the new key = %v", err)
	}
	got := demandIDs(t, st)
	st.Close()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("after rekey %d demands; want %d", len(got), len(want))
	}
	if found := plaintextIn(t, dir, needles); len(found) > 0 {
		t.Errorf("plain text after rekey: %q", found)
	}
}

func TestInterruptedRekeyLeavesTheOriginalUsable(t *testing.T) {
	for _, c := range []struct {
		name      string
		encrypted bool
		step      string
	}{
		{"stream fails", false, "stream"},
		{"fails after the original was moved aside", false, "swap"},
		{"fails after the copy was checked", false, "verify"},
		{"registry not rewritten", true, "registry"},
		{"registry rewritten, note not", true, "commit"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			var opts store.Options
			old, oldInfo, _ := store.NewPassphraseKey("old", testKDF)
			if c.encrypted {
				opts.EncryptionKey, opts.KeyInfo = old, &oldInfo
			} else {
				old = nil
			}
			st, _ := loadWuhan(t, dir, opts)
			want := demandIDs(t, st)
			st.Close()
			key, ki, _ := store.NewPassphraseKey("new", testKDF)
			store.SetRekeyFault(t, func(step string) error {
				if step == c.step {
					return errors.New("simulated failure at " + step)
				}
				return nil
			})
			if _, err := store.Rekey(dir, old, key, ki, nil); err == nil || !strings.Contains(err.Error(), "simulated failure") {
				t.Fatalf("Rekey = %v; want the simulated failure", err)
			}
			store.SetRekeyFault(t, nil)
			st, err := store.Open(dir, store.Options{EncryptionKey: old, ValueLogGCInterval: -1})
			if err != nil {
				t.Fatalf("Open with the old key after a failed rekey = %v", err)
			}
			got := demandIDs(t, st)
			st.Close()
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("after a failed rekey %d demands; want %d", len(got), len(want))
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), "db.") || strings.HasPrefix(e.Name(), "KEYREGISTRY") || strings.HasSuffix(e.Name(), ".new") {
					t.Errorf("after a failed rekey %s is left in the data directory", e.Name())
				}
			}
			// And the rekey can be done after it.
			if _, err := store.Rekey(dir, old, key, ki, nil); err != nil {
				t.Fatalf("Rekey after the failed one = %v", err)
			}
		})
	}
}

// TestCrashedRekeyIsSettledAtOpen leaves a rekey as a crash would (the
// process gone midway, nothing undone) and checks that Open settles it: the
// original before the commit, the new key after.
func TestCrashedRekeyIsSettledAtOpen(t *testing.T) {
	for _, c := range []struct {
		step     string
		encrypt  bool
		newKeyOK bool // the rekey had committed
	}{
		{"swap", false, false},
		{"verify", false, false},
		{"registry", true, false},
		{"commit", true, true}, // the registry holds the new key: the note follows
	} {
		t.Run(c.step, func(t *testing.T) {
			dir := t.TempDir()
			var opts store.Options
			old, oldInfo, _ := store.NewPassphraseKey("old", testKDF)
			if c.encrypt {
				opts.EncryptionKey, opts.KeyInfo = old, &oldInfo
			} else {
				old = nil
			}
			st, _ := loadWuhan(t, dir, opts)
			want := demandIDs(t, st)
			st.Close()
			key, ki, _ := store.NewPassphraseKey("new", testKDF)
			store.SetRekeyFault(t, func(step string) error {
				if step == c.step {
					return store.ErrCrash
				}
				return nil
			})
			if _, err := store.Rekey(dir, old, key, ki, nil); !errors.Is(err, store.ErrCrash) {
				t.Fatalf("Rekey = %v; want the simulated crash", err)
			}
			store.SetRekeyFault(t, nil)
			k := old
			if c.newKeyOK {
				k = key
			}
			st, err := store.Open(dir, store.Options{EncryptionKey: k, ValueLogGCInterval: -1})
			if err != nil {
				t.Fatalf("Open after a crashed rekey = %v", err)
			}
			got := demandIDs(t, st)
			st.Close()
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("after a crashed rekey %d demands; want %d", len(got), len(want))
			}
		})
	}
}

func TestStoreKeyFormats(t *testing.T) {
	key, _ := store.NewStoreKey()
	dir := t.TempDir()
	path := filepath.Join(dir, "store.key")
	if err := store.WriteKeyFile(path, key); err != nil {
		t.Fatal(err)
	}
	if got, err := store.ReadKeyFile(path); err != nil || !bytes.Equal(got, key) {
		t.Errorf("ReadKeyFile = %x, %v; want %x", got, err, key)
	}
	os.Chmod(path, 0o644)
	if _, err := store.ReadKeyFile(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("ReadKeyFile of a file others can read = %v; want refused", err)
	}
	for _, s := range []string{"zz", strings.Repeat("a", 63), ""} {
		if _, err := store.ParseStoreKey(s); err == nil {
			t.Errorf("ParseStoreKey(%q) = nil error", s)
		}
	}
}

// TestDamagedEncryptedTableIsTold: the check of tables before Badger opens
// them reads an encrypted store's tables with their data keys, so a table
// cut short is still a *DamagedError, and an intact encrypted store passes.
func TestDamagedEncryptedTableIsTold(t *testing.T) {
	dir := t.TempDir()
	key, _ := store.NewStoreKey()
	st, _ := loadWuhan(t, dir, store.Options{EncryptionKey: key})
	st.Close()
	tables, _ := filepath.Glob(filepath.Join(dir, "db", "*.sst"))
	if len(tables) == 0 {
		t.Fatal("no table after close: nothing to check")
	}
	fi, err := os.Stat(tables[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(tables[0], fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	_, err = store.Open(dir, store.Options{EncryptionKey: key})
	var dam *store.DamagedError
	if !errors.As(err, &dam) {
		t.Fatalf("Open with a table cut short = %v; want a *DamagedError", err)
	}
}

// TestSyncedIntoAnEncryptedStoreLeavesNoPlaintext: a hub or laptop that
// receives the whole Wuhan network by catch-up's stream (a bundle) into an
// encrypted store holds none of its phone numbers or organisations in
// plain text, while the sender's plaintext store does.
func TestSyncedIntoAnEncryptedStoreLeavesNoPlaintext(t *testing.T) {
	from := t.TempDir()
	a, needles := loadWuhan(t, from, store.Options{})
	var buf bytes.Buffer
	if _, err := bundle.Export(&buf, a, nil); err != nil {
		t.Fatal(err)
	}
	n, _ := a.Network()
	a.Close()
	if len(plaintextIn(t, from, needles)) == 0 {
		t.Fatal("the sender's plaintext store shows no known value: the scan cannot tell")
	}
	to := t.TempDir()
	key, _ := store.NewStoreKey()
	b, err := store.Open(to, store.Options{EncryptionKey: key, ValueLogGCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.JoinNetwork(n.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.Import(&buf, b, nil); err != nil {
		t.Fatalf("bundle.Import = %v", err)
	}
	if ds, _ := b.Demands(store.DemandQuery{}); len(ds) != practice.Demands {
		t.Fatalf("received %d demands; want %d", len(ds), practice.Demands)
	}
	open := plaintextIn(t, to, needles)
	b.Close()
	if found := append(open, plaintextIn(t, to, needles)...); len(found) > 0 {
		t.Errorf("the receiving encrypted store: %d known values in plain text, e.g. %q", len(found), found[:min(5, len(found))])
	}
}
