package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/relief"
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
	name := fmt.Sprintf("reliefmesh-%s.rmbundle", time.Now().In(relief.IncidentZone).Format("20060102-1504"))
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
	if err != nil { // the desk's mapping, the hub's too (desk.BundleError)
		e := desk.BundleError(filepath.Base(path), res, err)
		if e.Code == CodeBundleOtherNetwork {
			s.a.nameOtherNetwork(e, res.Header.Network)
		}
		return BundleResult{}, e
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

// nameOtherNetwork adds to e, desk.BundleError of a bundle of the network
// netID (CodeBundleOtherNetwork, Args "file" and "network", the id's short
// form), when an incident on this laptop is of that network (incidents.json,
// or its store open in the background), Args "name", its name, with reason
// "named": the coordinator reads which incident the bundle is of.
func (a *App) nameOtherNetwork(e *Error, netID string) {
	if n := a.incidentNamed(netID); n != "" {
		e.Args["name"], e.Args["reason"] = n, "named"
	}
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
