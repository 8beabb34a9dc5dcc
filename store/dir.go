package store

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// EnvDataDir names the environment variable that overrides the data directory.
const EnvDataDir = "RELIEFMESH_DATA"

// KeyFile is the name, inside the data directory, of the device's ed25519 private
// key (64 bytes, mode 0600). The key is the device's identity: its member id and
// its libp2p peer id. Losing it means joining again as a new member.
const KeyFile = "device.key"

// DefaultDataDir returns $RELIEFMESH_DATA if set, else $XDG_DATA_HOME/reliefmesh,
// else ~/.local/share/reliefmesh.
func DefaultDataDir() string {
	if d := os.Getenv(EnvDataDir); d != "" {
		return d
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "reliefmesh")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "reliefmesh")
	}
	return "reliefmesh-data"
}

// prepareDir creates dir (and parents) if missing and checks that it is a
// writable directory. Errors name the path and what is wrong with it.
func prepareDir(dir string) error {
	if dir == "" {
		return errors.New("data directory: empty path")
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("data directory %s: cannot create: %w", dir, err)
		}
	case err != nil:
		return fmt.Errorf("data directory %s: %w", dir, err)
	case !fi.IsDir():
		return fmt.Errorf("data directory %s: exists but is not a directory", dir)
	}
	probe, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return fmt.Errorf("data directory %s: not writable: %w", dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// loadOrCreateKey reads the device key from dir/KeyFile, creating it on first start.
func loadOrCreateKey(dir string) (ed25519.PrivateKey, error) {
	path := filepath.Join(dir, KeyFile)
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if len(b) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("device key %s: %d bytes, want %d (file damaged?)", path, len(b), ed25519.PrivateKeySize)
		}
		return ed25519.PrivateKey(b), nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("device key %s: %w", path, err)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate device key: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, key, 0o600); err != nil {
		return nil, fmt.Errorf("device key %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("device key %s: %w", path, err)
	}
	return key, nil
}
