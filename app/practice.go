package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/reliefmesh/reliefmesh/practice"
)

// PracticeDirName is the directory, inside the real data directory, that
// holds the practice network's own store and device key. store.Open keeps
// device.key, db/ (and the hub's hub.sock) in a data directory, so it
// cannot collide with them.
const PracticeDirName = "practice-wuhan2020"

// PracticeDir returns where the practice network of the real data directory
// dataDir lives.
func PracticeDir(dataDir string) string { return filepath.Join(dataDir, PracticeDirName) }

// PracticeInfo says where the practice data comes from, for the practice
// card: the source and its MIT licence text.
type PracticeInfo struct {
	Source  string `json:"source"`
	License string `json:"license"`
	Demands int    `json:"demands"` // demands the practice network starts with
}

// Practice returns the source and licence of the practice network's data.
func (s *NetworkService) Practice() PracticeInfo {
	return PracticeInfo{Source: practice.Source, License: practice.License(), Demands: practice.Demands}
}

// StartPractice switches the app to the practice network: a separate store
// in PracticeDir(DataDir) with its own device key, filled (the first time)
// with the 2020 Wuhan hospital demands and offers, this device its
// coordinator (with a volunteer profile), a share of the demands approved,
// published and claimed (all of it practice.Load). Loading reports EventImportProgress {done, total}; the
// switch is announced with EventStoreSwitched. The network node is stopped
// and not started for the practice network: nothing in it is sent to anyone,
// and the real network's data is not touched. Calling it while practice is
// open returns Info and does nothing else. Errors: CodeStorage naming
// "dataDir" when the practice store cannot be opened or loaded (the app then
// stays on, or returns to, the real network).
func (s *NetworkService) StartPractice() (Info, error) {
	a := s.a
	a.switchMu.Lock()
	defer a.switchMu.Unlock()
	inPractice := a.inPractice()
	if inPractice {
		return s.Info(), nil
	}
	lang := a.Settings.Locale()
	a.mu.Lock()
	from := a.incidents.Active
	a.mu.Unlock()
	if err := a.switchStore(from, true); err != nil {
		return s.Info(), err
	}
	dk, err := a.desk()
	if err != nil {
		return s.Info(), err
	}
	if err := dk.SetLocale(lang); err != nil {
		a.log.Warn("practice: keep the locale", "err", err)
	}
	a.mu.Lock()
	ctx := a.ctx
	a.mu.Unlock()
	if ctx == nil {
		ctx = context.Background()
	}
	network, member := practice.Names(lang)
	// the import's progress goes through the store's bus and the forwarder
	_, err = practice.Load(ctx, dk, network, member, nil)
	a.flushEvents()
	if err != nil {
		if back := a.switchStore(from, false); back != nil {
			a.log.Error("practice: back to the real network", "err", back)
		}
		return s.Info(), &Error{Code: CodeStorage, Field: "dataDir", Message: err.Error()}
	}
	return s.Info(), nil
}

// LeavePractice switches the app back to the incident it left for the
// practice network (its node starts again, or goes on when it kept
// syncing in the background); the practice network stays on disk for the next StartPractice.
// It does nothing when practice is not open. Errors: CodeStorage naming
// "dataDir" when the real store cannot be opened again.
func (s *NetworkService) LeavePractice() (Info, error) {
	a := s.a
	a.switchMu.Lock()
	defer a.switchMu.Unlock()
	a.mu.Lock()
	inPractice, back := a.practice, a.incidents.Active
	a.mu.Unlock()
	if inPractice {
		if err := a.switchStore(back, false); err != nil {
			return s.Info(), err
		}
	}
	return s.Info(), nil
}

// DeletePractice removes the practice network's directory, after switching
// back to the real network if practice is open. Deleting a practice network
// that does not exist does nothing. Errors: those of LeavePractice;
// CodeStorage naming "dataDir" when the directory cannot be removed.
func (s *NetworkService) DeletePractice() (Info, error) {
	if _, err := s.LeavePractice(); err != nil {
		return s.Info(), err
	}
	a := s.a
	a.switchMu.Lock()
	defer a.switchMu.Unlock()
	inPractice := a.inPractice()
	if inPractice { // StartPractice ran in between
		return s.Info(), &Error{Code: CodeStorage, Field: "dataDir", Message: "the practice network is open again; not deleted"}
	}
	dir := PracticeDir(a.DataDir)
	if err := os.RemoveAll(dir); err != nil {
		return s.Info(), &Error{Code: CodeStorage, Field: "dataDir", Message: fmt.Sprintf("delete practice network %s: %v", dir, err)}
	}
	if emit := a.emitter(); emit != nil {
		emit(EventStoreSwitched, map[string]any{"practice": false, "incident": a.incidents.Active})
	}
	return s.Info(), nil
}

// inPractice reports whether the practice network is the open one.
func (a *App) inPractice() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.practice
}

func (a *App) emitter() emitDataFunc {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.emit
}

// restartLocked starts the event forwarder on the open store once the app
// has started; the caller holds a.mu.
func (a *App) restartLocked() {
	if a.st != nil && a.ctx != nil && a.emitName != nil {
		a.events = startForwarder(a.ctx, a.st, a.emitName, a.emit)
	}
}
