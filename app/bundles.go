package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// BundleResult says what a bundle export or import did.
type BundleResult struct {
	Path     string `json:"path"`
	Changes  int    `json:"changes"`  // changes in the bundle
	Applied  int    `json:"applied"`  // import: changes newly stored (0 on a re-import)
	Canceled bool   `json:"canceled"` // the user closed the file dialog
}

// ExportBundle asks where to save (a file dialog) and writes every change this
// device holds to a bundle file, for a USB stick to carry to another site.
func (s *NetworkService) ExportBundle() (BundleResult, error) {
	name := fmt.Sprintf("reliefmesh-%s.rmbundle", time.Now().Format("20060102-1504"))
	path, err := runtime.SaveFileDialog(s.a.ctx, runtime.SaveDialogOptions{DefaultFilename: name,
		Filters: []runtime.FileFilter{{DisplayName: "ReliefMesh bundle (*.rmbundle)", Pattern: "*.rmbundle"}}})
	if err != nil || path == "" {
		return BundleResult{Canceled: true}, nil
	}
	return s.ExportBundleTo(path)
}

// ExportBundleTo writes every change this device holds to the bundle file path
// (replacing it). Errors name the path.
func (s *NetworkService) ExportBundleTo(path string) (BundleResult, error) {
	st, err := s.a.store()
	if err != nil {
		return BundleResult{}, err
	}
	var h bundle.Header
	err = writeFileAtomic(path, func(w io.Writer) error {
		var err error
		h, err = bundle.Export(w, st, ledger.VersionVector{})
		return err
	})
	if err != nil {
		return BundleResult{}, fieldError(CodeStorage, "path", "write bundle %s: %v", path, err)
	}
	return BundleResult{Path: path, Changes: int(h.Count)}, nil
}

// ImportBundle asks for a bundle file (a file dialog) and applies it.
func (s *NetworkService) ImportBundle() (BundleResult, error) {
	path, err := runtime.OpenFileDialog(s.a.ctx, runtime.OpenDialogOptions{
		Filters: []runtime.FileFilter{{DisplayName: "ReliefMesh bundle (*.rmbundle)", Pattern: "*.rmbundle"}}})
	if err != nil || path == "" {
		return BundleResult{Canceled: true}, nil
	}
	return s.ImportBundleFrom(path)
}

// ImportBundleFrom applies the bundle file path through the same checks as the
// network (every change verified; re-importing changes nothing), reporting
// progress as EventBundleProgress. Errors: CodeBundle naming the file when it
// is not a bundle, belongs to another network or is damaged.
func (s *NetworkService) ImportBundleFrom(path string) (BundleResult, error) {
	st, err := s.a.store()
	if err != nil {
		return BundleResult{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return BundleResult{}, fieldError(CodeStorage, "path", "%v", err)
	}
	defer f.Close()
	emit := s.a.emit
	res, err := bundle.Import(f, st, func(p bundle.Progress) {
		if emit != nil {
			emit(EventBundleProgress, map[string]any{"total": p.Total, "received": p.Received, "applied": p.Applied})
		}
	})
	if err != nil {
		name := filepath.Base(path)
		switch {
		case errors.Is(err, bundle.ErrOtherNetwork):
			return BundleResult{}, &Error{Code: CodeBundleOtherNetwork, Field: "path", Message: name + ": " + res.Header.Network}
		case errors.Is(err, bundle.ErrNotBundle):
			return BundleResult{}, &Error{Code: CodeNotBundle, Field: "path", Message: name}
		case errors.Is(err, bundle.ErrDamaged), errors.Is(err, io.ErrUnexpectedEOF):
			return BundleResult{}, &Error{Code: CodeBundle, Field: "path", Message: name + ": " + err.Error()}
		}
		return BundleResult{}, &Error{Code: CodeStorage, Field: "path", Message: name + ": " + err.Error()}
	}
	return BundleResult{Path: path, Changes: int(res.Header.Count), Applied: res.Applied}, nil
}

// writeFileAtomic writes path through write into path.partial and renames it
// into place once write and the close succeeded, so that a failed export
// never leaves a half-written file under the name asked for.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp := path + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
