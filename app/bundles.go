package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// BundleResult says what a bundle export or import did.
type BundleResult struct {
	Path     string `json:"path"`
	Changes  int    `json:"changes"`  // changes in the bundle
	Applied  int    `json:"applied"`  // import: changes newly stored (0 on a re-import)
	Canceled bool   `json:"canceled"` // the user closed the file dialog
	// Held: import: changes dated too far ahead of this computer's clock,
	// applied once due (until the app closes; the author still has them).
	Held int `json:"held"`
	// Refused: import: changes the checks refused (not a member, revoked,
	// bad signature …), by reason (ledger.Reason); empty when none was.
	Refused map[string]int `json:"refused"`
	// Undone: import: changes this device had applied that a revocation in
	// the bundle undid, by member; empty when none.
	Undone []UndoneView `json:"undone"`
	// Release: import: the release the bundle carried, checked (Present
	// false when none).
	Release ReleaseView `json:"release"`
}

// ExportBundle asks where to save (a file dialog) and writes every change this
// device holds to a bundle file, for a USB stick to carry to another site.
func (s *NetworkService) ExportBundle() (BundleResult, error) {
	name := fmt.Sprintf("reliefmesh-%s.rmbundle", time.Now().Format("20060102-1504"))
	path, err := runtime.SaveFileDialog(s.a.ctx, runtime.SaveDialogOptions{DefaultFilename: name,
		Filters: bundleFilter(s.a)})
	if err != nil || path == "" {
		return BundleResult{Canceled: true, Refused: map[string]int{}, Undone: []UndoneView{}}, nil
	}
	return s.ExportBundleTo(path)
}

// ExportBundleTo writes every change this device holds to the bundle file path
// (replacing it). Errors name the path.
func (s *NetworkService) ExportBundleTo(path string) (BundleResult, error) {
	dk, err := s.a.desk()
	if err != nil {
		return BundleResult{}, err
	}
	h, err := dk.ExportBundleFile(path, nil)
	if err != nil {
		return BundleResult{}, fieldError(CodeStorage, "path", "%v", err)
	}
	return BundleResult{Path: path, Changes: int(h.Count), Refused: map[string]int{}, Undone: []UndoneView{}}, nil
}

// ImportBundle asks for a bundle file (a file dialog) and applies it.
func (s *NetworkService) ImportBundle() (BundleResult, error) {
	path, err := runtime.OpenFileDialog(s.a.ctx, runtime.OpenDialogOptions{
		Filters: bundleFilter(s.a)})
	if err != nil || path == "" {
		return BundleResult{Canceled: true, Refused: map[string]int{}, Undone: []UndoneView{}}, nil
	}
	return s.ImportBundleFrom(path)
}

// ImportBundleFrom applies the bundle file path through the same checks as the
// network (every change verified; re-importing changes nothing), reporting
// progress as EventBundleProgress. Errors: CodeBundle naming the file when it
// is not a bundle, belongs to another network or is damaged.
func (s *NetworkService) ImportBundleFrom(path string) (BundleResult, error) {
	dk, err := s.a.desk()
	if err != nil {
		return BundleResult{}, err
	}
	f, err := os.Open(path)
	if err != nil { // the file's problem, not this device's data
		reason := "unreadable"
		if errors.Is(err, fs.ErrNotExist) {
			reason = "missing"
		}
		return BundleResult{}, &Error{Code: CodeBundle, Field: "path", Message: err.Error(),
			Args: map[string]string{"reason": reason, "file": path}}
	}
	defer f.Close()
	emit := s.a.emit
	res, err := dk.ImportBundle(f, nil) // progress goes through the store's bus and the forwarder
	s.a.flushEvents()
	if err != nil {
		name := filepath.Base(path)
		var fe *bundle.FileError
		switch {
		case errors.As(err, &fe):
			return BundleResult{}, fileDamageError(name, fe)
		case errors.Is(err, bundle.ErrOtherNetwork):
			return BundleResult{}, s.a.otherNetworkError(name, res.Header.Network)
		case errors.Is(err, bundle.ErrNotBundle):
			return BundleResult{}, &Error{Code: CodeNotBundle, Field: "path", Message: name}
		case errors.Is(err, bundle.ErrDamaged):
			return BundleResult{}, &Error{Code: CodeBundleDamaged, Field: "path", Message: name,
				Args: map[string]string{"applied": strconv.Itoa(res.Applied), "refused": strconv.Itoa(refusedTotal(res.Rejected))}}
		case errors.Is(err, io.ErrUnexpectedEOF):
			return BundleResult{}, &Error{Code: CodeBundleTruncated, Field: "path", Message: name,
				Args: map[string]string{"applied": strconv.Itoa(res.Applied), "changes": strconv.FormatUint(uint64(res.Header.Count), 10)}}
		}
		var rej *ledger.RejectError
		if errors.As(err, &rej) { // a frame that is not a change, or too large to be one
			return BundleResult{}, &Error{Code: CodeBundleDamaged, Field: "path", Message: name,
				Args: map[string]string{"applied": strconv.Itoa(res.Applied), "refused": strconv.Itoa(refusedTotal(res.Rejected) + 1)}}
		}
		return BundleResult{}, &Error{Code: CodeStorage, Field: "path", Message: name + ": " + err.Error()}
	}
	out := BundleResult{Path: path, Changes: int(res.Header.Count), Applied: res.Applied, Held: res.Held, Refused: map[string]int{},
		Undone: undoneViews(res.Undone), Release: s.a.carriedRelease(path)}
	for reason, n := range desk.Refused(res) {
		out.Refused[string(reason)] = n
	}
	if (res.Held > 0 || len(out.Refused) > 0) && emit != nil {
		emit(EventNetworkChanged, nil) // the clock banner and the network screen read again
	}
	return out, nil
}

// otherNetworkError is the bundle file name of the network netID, not this
// one's: CodeBundleOtherNetwork, its Message "name: netID" (the whole id,
// for logs), Args "file", "network" (the id's short form, desk.ShortID) and,
// when an incident on this laptop is of that network (incidents.json, or
// its store open in the background), "name", its name, with reason
// "named": the coordinator reads which incident the bundle is of.
func (a *App) otherNetworkError(name, netID string) *Error {
	e := &Error{Code: CodeBundleOtherNetwork, Field: "path", Message: name + ": " + netID,
		Args: map[string]string{"file": name, "network": desk.ShortID(netID)}}
	if n := a.incidentNamed(netID); n != "" {
		e.Args["name"], e.Args["reason"] = n, "named"
	}
	return e
}

// fileDamageError is a damaged bundle file (empty, cut short, bytes
// changed) as the UI says it: CodeBundleTruncated or CodeBundleDamaged
// naming the file, Args "changes" (what its header promised), "read" (read
// and verified), "applied" (of those, newly stored), "unread" (never read)
// and "reason": "empty", "header" (it ends or breaks inside its header:
// nothing read), "corrupt" (a frame that is not a change, nothing read
// after it), "skipped" (bytes that are not a change were skipped and the
// changes after them read; Args "offset" (the file's byte where the damage
// starts), "before" (changes read before it), "read_after", "places" (runs
// skipped) and "missing" (a JSON array of MissingView: what this device
// still lacks of the bundle)), "skipped_header" (the same with an
// unreadable header: "changes" and "unread" are 0), "nothing_new" (cut
// short, and what was read was all held already), or none.
func fileDamageError(name string, fe *bundle.FileError) *Error {
	args := map[string]string{"changes": strconv.FormatUint(fe.Changes, 10), "read": strconv.Itoa(fe.Read),
		"applied": strconv.Itoa(fe.Applied), "unread": strconv.FormatUint(fe.Unread(), 10)}
	code := CodeBundleTruncated
	switch {
	case fe.Kind == bundle.FileEmpty:
		args["reason"] = "empty"
	case !fe.CountKnown:
		args["reason"] = "header"
	case fe.Kind == bundle.FileCorrupt:
		code, args["reason"] = CodeBundleDamaged, "corrupt"
	case fe.Applied == 0:
		args["reason"] = "nothing_new"
	}
	if fe.Kind == bundle.FileCorrupt && !fe.CountKnown {
		code = CodeBundleDamaged
	}
	if fe.Kind == bundle.FileCorrupt && len(fe.Damage) > 0 && fe.Read > 0 {
		// read on past the damage: where it was, what was read after it,
		// what this device still lacks
		d := fe.Damage[0]
		code, args["reason"] = CodeBundleDamaged, "skipped"
		if !fe.CountKnown {
			args["reason"] = "skipped_header"
		}
		args["offset"] = strconv.FormatInt(d.Offset, 10)
		args["before"] = strconv.Itoa(d.Changes)
		args["read_after"] = strconv.Itoa(fe.ReadAfter)
		args["places"] = strconv.Itoa(len(fe.Damage))
		args["missing"] = missingJSON(fe.Missing)
	}
	return &Error{Code: code, Field: "path", Message: name, Args: args}
}

// MissingView is a run of one member's changes a damaged bundle held that
// this device still lacks (bundle.Missing): seqs From..To of the feed of
// the member ID (desk.ShortID-able base32), Name from the roster ("" when
// not there). In Error.Args["missing"] as a JSON array (args are strings).
type MissingView struct {
	Name string `json:"name"`
	ID   string `json:"id"`   // the short id (8 characters)
	From string `json:"from"` // decimal (a uint64)
	To   string `json:"to"`
}

// missingJSON is ms as the JSON array of MissingView ("[]" for none).
func missingJSON(ms []bundle.Missing) string {
	out := make([]MissingView, 0, len(ms))
	for _, m := range ms {
		out = append(out, MissingView{Name: m.Name, ID: m.Device.Short(), From: strconv.FormatUint(m.From, 10), To: strconv.FormatUint(m.To, 10)})
	}
	b, _ := json.Marshal(out) // strings only: cannot fail
	return string(b)
}

// refusedTotal sums refusals by reason.
func refusedTotal(by map[ledger.Reason]int) int {
	n := 0
	for _, c := range by {
		n += c
	}
	return n
}

// bundleFilter is the file dialogs' filter for bundles, labelled in the UI
// language (Settings.Locale).
func bundleFilter(a *App) []runtime.FileFilter {
	label := "ReliefMesh bundle (*.rmbundle)"
	if a.Settings.Locale() == "zh-CN" {
		label = "聚援同步包 (*.rmbundle)"
	}
	return []runtime.FileFilter{{DisplayName: label, Pattern: "*.rmbundle"}}
}
