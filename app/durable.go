package app

import (
	"errors"
	"time"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/store"
)

// StorageView is the state of the disk and of this device's own feed, for
// the banner: Recovering says why local changes wait for this device's own
// newest changes from a peer or a bundle after an unclean stop ("" when they
// do not); DiskFull, with Free, Need (sizes such as "180.5 MiB") and Dir,
// says that writes are refused for lack of space while reads go on.
type StorageView struct {
	Recovering string `json:"recovering"`
	DiskFull   bool   `json:"diskFull"`
	Free       string `json:"free"`
	Need       string `json:"need"`
	Dir        string `json:"dir"`
	// ForkSeq, when not 0, says that this device's own feed forked: it wrote
	// two different changes numbered ForkSeq (at ForkSince, Unix
	// milliseconds), and every peer that knows refuses its changes from
	// ForkSeq on (desk.Desk.OwnFork).
	ForkSeq   uint64 `json:"forkSeq"`
	ForkSince int64  `json:"forkSince"`
	// RepairedRecords and RepairedMissing, when not 0, say what the check
	// made when the store opened repaired: records rebuilt from the changes
	// held (RepairedExamples names a few, "kind/id"), and changes missing or
	// damaged that are fetched again from other members' devices.
	RepairedRecords  int      `json:"repairedRecords"`
	RepairedExamples []string `json:"repairedExamples"`
	RepairedMissing  int      `json:"repairedMissing"`
}

// Storage returns the state of the disk and of the own feed (see
// StorageView). Errors: CodeStorage when the store is not open.
func (s *NetworkService) Storage() (StorageView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return StorageView{}, err
	}
	st := dk.Storage()
	v := StorageView{Recovering: st.Recovering, DiskFull: st.DiskFull, Free: st.Free, Need: st.Need, Dir: st.Dir, RepairedExamples: []string{}}
	if r := st.Repaired; r != nil {
		v.RepairedRecords, v.RepairedMissing = r.Records, r.Missing
		v.RepairedExamples = append(v.RepairedExamples, r.Examples...)
	}
	if st.Fork != nil {
		v.ForkSeq = st.Fork.Seq
		if t, err := time.Parse(time.RFC3339, st.Fork.Since); err == nil {
			v.ForkSince = t.UnixMilli()
		}
	}
	return v, nil
}

// ResumeWriting lets this device write again without waiting for a peer or
// a bundle to give it its own newest changes: for a person who knows no
// other device holds newer changes of this one. Errors: CodeStorage when
// the store is not open.
func (s *NetworkService) ResumeWriting() (StorageView, error) {
	dk, err := s.a.desk()
	if err != nil {
		return StorageView{}, err
	}
	dk.ResumeWriting()
	return s.Storage()
}

// RecoverDamaged moves the damaged store of the data directory aside
// (store.MoveAside; the device key stays), opens a new empty one and starts
// the app on it: the person then joins the network again with a join code
// or imports a bundle, and the device fetches its own feed before it
// writes. It returns the new Info. Errors: CodeInvalid when the store is
// not damaged (nothing is moved); CodeStorage when moving or opening fails.
func (s *NetworkService) RecoverDamaged() (Info, error) {
	a := s.a
	a.switchMu.Lock()
	a.mu.Lock()
	if a.st != nil || !errors.Is(a.openErr, store.ErrDamaged) {
		a.mu.Unlock()
		a.switchMu.Unlock()
		return Info{}, desk.FieldError(CodeInvalid, "dataDir", "the store is not damaged: nothing to recover")
	}
	if _, err := store.MoveAside(a.incDir, time.Now()); err != nil {
		a.mu.Unlock()
		a.switchMu.Unlock()
		return Info{}, &Error{Code: CodeStorage, Field: "dataDir", Message: err.Error()}
	}
	a.st, a.openErr = a.openMain()
	st, ctx, emit, emitData := a.st, a.ctx, a.emitName, a.emit
	if st != nil && ctx != nil {
		a.events = startForwarder(ctx, st, emit, emitData)
	}
	a.mu.Unlock()
	a.switchMu.Unlock()
	if st != nil {
		a.ensureNode()
	}
	return s.Info(), nil
}

// startupCode fills Info's StartupCode and StartupArgs from the error that
// kept the store closed: damaged (desk.CodeDamaged) or any other
// (CodeStorage), so that the start-up screen says it in the UI language.
func startupCode(info *Info, openErr error) {
	if openErr == nil {
		return
	}
	var e *desk.Error
	if errors.As(desk.AsError(openErr), &e) {
		info.StartupCode, info.StartupArgs = e.Code, e.Args
	}
	if info.StartupArgs == nil {
		info.StartupArgs = map[string]string{}
	}
}
