package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// settingJoinCode is the local setting holding the join code this device
// joined with (the text a person typed or scanned, "RMJ1-…").
const settingJoinCode = "join/code"

// JoinCodeFile is the file in which reliefmesh-hub kept its join code before
// the join code moved into the store. Open migrates it: its text becomes the
// join code setting (unless one is set already) and the file is removed.
const JoinCodeFile = "join-code.txt"

// JoinCode returns the join code this device joined with, as its text
// ("RMJ1-…"), and false if it joined with none (it created its network, or it
// has none). The store does not parse it: sync/join does.
func (s *Store) JoinCode() (string, bool) {
	v, ok := s.Setting(settingJoinCode)
	if !ok || v == "" {
		return "", false
	}
	return v, true
}

// SetJoinCode keeps code, the text of the join code this device joined with,
// so that every front end (the app and the hub) dials its addresses on every
// start. Errors: Badger's, wrapped.
func (s *Store) SetJoinCode(code string) error {
	if err := s.SetSetting(settingJoinCode, strings.TrimSpace(code)); err != nil {
		return fmt.Errorf("keep join code: %w", err)
	}
	return nil
}

// migrateJoinCodeFile moves a join-code.txt left in the data directory by an
// older hub into the store: the setting takes its text unless a join code is
// set already (the store's is the newer: the file was written only by hubs that
// never wrote the setting), then the file is removed. An empty or unreadable
// file is an error naming it; the store stays usable.
func (s *Store) migrateJoinCodeFile() error {
	path := filepath.Join(s.dir, JoinCodeFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("migrate %s: %w", path, err)
	}
	if _, ok := s.JoinCode(); !ok {
		text := strings.TrimSpace(string(b))
		if text == "" {
			return fmt.Errorf("migrate %s: the file is empty", path)
		}
		if err := s.SetJoinCode(text); err != nil {
			return fmt.Errorf("migrate %s: %w", path, err)
		}
		// Badger's write above is in its value log; sync it before the file goes.
		if err := s.db.Sync(); err != nil && !s.db.Opts().InMemory {
			return fmt.Errorf("migrate %s: %w", path, err)
		}
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("migrate %s: %w", path, err)
	}
	s.log.Info("join code moved from its file into the store", "file", path)
	return nil
}
