package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/reliefmesh/reliefmesh/region"
	"github.com/reliefmesh/reliefmesh/relief"
)

// MapPoint is one demand or offer to put on the map. Lat and Lon are set only
// when an exact position exists and the viewer may see it (exact positions are
// restricted); otherwise Place names where it is (district, address, region)
// and ApproxLat, ApproxLon are the centre of its county, city or province
// (ApproxOf says which; all three empty when it names no place in China).
type MapPoint struct {
	Kind   string   `json:"kind"` // demand or offer
	ID     string   `json:"id"`
	Code   string   `json:"code"`
	Title  string   `json:"title"`
	Status string   `json:"status"` // demand status; "offer" for offers ("expired" when past valid-until)
	Lat    *float64 `json:"lat"`
	Lon    *float64 `json:"lon"`
	Place  string   `json:"place"`
	// ApproxLat and ApproxLon, in degrees, are the centre of the division the
	// point lies in when it has no exact position.
	ApproxLat *float64 `json:"approxLat"`
	ApproxLon *float64 `json:"approxLon"`
	// ApproxOf is the level of that division: "county", "city" or
	// "province"; "" with no approximate place.
	ApproxOf string `json:"approxOf"`
	// ApproxName is that division's name ("江汉区"), for the map's label.
	ApproxName string `json:"approxName"`
	// PositionSealed says that the demand's exact position is sealed and
	// this device cannot open it: the point is at the approximate place,
	// and the map tells that only reviewers, coordinators and the owner
	// see it.
	PositionSealed bool `json:"positionSealed"`
	// PositionOpening says that the demand's exact position is sealed and
	// being opened in the background (the draw opens a few hundred itself):
	// the point is at the approximate place for now, and EventDemandsChanged
	// follows once it is opened.
	PositionOpening bool `json:"positionOpening"`
}

// MapService gives the map its points and its street map (a PMTiles file).
type MapService struct {
	a *App

	fetching sync.Mutex // held by FetchMap: one download at a time
	mu       sync.Mutex // guards the installed map's hash (installedSum)
	sum      [sha256.Size]byte
	sumSize  int64
	sumMod   time.Time
}

// Startup is called by Wails when the window opens.
func (s *MapService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *MapService) Shutdown() {}

var approxLevels = map[int]string{region.LevelCounty: "county", region.LevelCity: "city", region.LevelProvince: "province"}

// Points returns the open and the fulfilled demands (not rejected, duplicate
// or withdrawn) and the offers, as this member may see them, each placed
// exactly or at the centre of its county, city or province
// (desk.Desk.MapPoints).
func (s *MapService) Points() ([]MapPoint, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	ps, err := dk.MapPoints()
	if err != nil {
		return nil, err
	}
	out := make([]MapPoint, len(ps))
	for i, p := range ps {
		out[i] = MapPoint{Kind: p.Kind, ID: p.ID, Code: p.Code, Title: p.Title, Status: p.Status, Place: p.Place, PositionSealed: p.PositionSealed, PositionOpening: p.PositionOpening}
		if p.Position != nil {
			lat, lon := p.Position.Lat, p.Position.Lon
			out[i].Lat, out[i].Lon = &lat, &lon
		} else if p.Approx != nil {
			lat, lon := p.Approx.Lat, p.Approx.Lon
			out[i].ApproxLat, out[i].ApproxLon, out[i].ApproxOf, out[i].ApproxName = &lat, &lon, approxLevels[p.ApproxOf], p.ApproxName
		}
	}
	return out, nil
}

// MapLeftOut is how many demands the map does not draw, by why: the
// rejected, duplicate and withdrawn ones (desk.Desk.MapLeftOut).
type MapLeftOut struct {
	Rejected  int `json:"rejected"`
	Duplicate int `json:"duplicate"`
	Withdrawn int `json:"withdrawn"`
}

// LeftOut counts the demands Points leaves out, so that the map's counts add
// up to the demands there are. Errors: no network open.
func (s *MapService) LeftOut() (MapLeftOut, error) {
	dk, err := s.a.desk()
	if err != nil {
		return MapLeftOut{}, err
	}
	c := dk.MapLeftOut()
	return MapLeftOut{Rejected: c[relief.StatusRejected], Duplicate: c[relief.StatusDuplicate], Withdrawn: c[relief.StatusWithdrawn]}, nil
}

// CodeNotTiles: the file chosen as the street map is not a PMTiles package
// (version 3) of vector tiles; Message names the file.
const CodeNotTiles = "not_tiles"

// TilesURL is where the webview reads the street map the user chose, by
// byte ranges (MapTiles serves it).
const TilesURL = "/mapdata/area.pmtiles"

// TilesInfo says whether a street map is installed: its size in bytes, when
// it was installed and the URL the map reads it from.
type TilesInfo struct {
	Present   bool   `json:"present"`
	Size      int64  `json:"size"`
	Installed string `json:"installed"` // RFC 3339, "" when none
	URL       string `json:"url"`
}

// tilesPath is where the street map is kept: in the real data directory,
// shared by the real and the practice network.
func (a *App) tilesPath() string { return filepath.Join(a.DataDir, "maps", "area.pmtiles") }

// Tiles says whether a street map is installed.
func (s *MapService) Tiles() TilesInfo {
	fi, err := os.Stat(s.a.tilesPath())
	if err != nil {
		return TilesInfo{}
	}
	return TilesInfo{Present: true, Size: fi.Size(), Installed: fi.ModTime().UTC().Format(time.RFC3339), URL: TilesURL}
}

// PickTiles asks for a PMTiles file (a file dialog) and installs it
// (UseTiles); the TilesInfo of what is installed when canceled.
func (s *MapService) PickTiles() (TilesInfo, error) {
	path, err := runtime.OpenFileDialog(s.a.ctx, runtime.OpenDialogOptions{Filters: []runtime.FileFilter{
		{DisplayName: "PMTiles (*.pmtiles)", Pattern: "*.pmtiles"},
		{DisplayName: "All files", Pattern: "*"},
	}})
	if err != nil || path == "" {
		return s.Tiles(), nil
	}
	return s.UseTiles(path)
}

// UseTiles installs the PMTiles file at path as the street map: it checks
// that it is a PMTiles package of version 3 and copies it into the data
// directory (replacing the one before only once the copy is whole), so that
// the USB stick it came on can be taken away. Errors: CodeNotTiles naming
// the file; CodeStorage naming the file or the data directory.
func (s *MapService) UseTiles(path string) (TilesInfo, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return TilesInfo{}, fieldError(CodeStorage, "path", "open street map %s: %v", path, err)
	}
	defer f.Close()
	head := make([]byte, 8)
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head[:7], []byte("PMTiles")) || head[7] != 3 {
		return TilesInfo{}, &Error{Code: CodeNotTiles, Field: "path", Message: name}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return TilesInfo{}, fieldError(CodeStorage, "path", "read street map %s: %v", path, err)
	}
	to := s.a.tilesPath()
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		return TilesInfo{}, fieldError(CodeStorage, "dataDir", "install street map in %s: %v", filepath.Dir(to), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(to), "area-*.pmtiles.part")
	if err != nil {
		return TilesInfo{}, fieldError(CodeStorage, "dataDir", "install street map in %s: %v", filepath.Dir(to), err)
	}
	defer os.Remove(tmp.Name()) // gone after the rename; left over only on failure
	if _, err := io.Copy(tmp, f); err != nil {
		tmp.Close()
		return TilesInfo{}, fieldError(CodeStorage, "dataDir", "copy street map %s into %s: %v", name, filepath.Dir(to), err)
	}
	if err := errors.Join(tmp.Sync(), tmp.Close()); err != nil {
		return TilesInfo{}, fieldError(CodeStorage, "dataDir", "write street map into %s: %v", filepath.Dir(to), err)
	}
	if err := os.Rename(tmp.Name(), to); err != nil {
		return TilesInfo{}, fieldError(CodeStorage, "dataDir", "install street map as %s: %v", to, err)
	}
	return s.Tiles(), nil
}

// RemoveTiles removes the installed street map (the map shows only the
// boundaries again). Errors: CodeStorage naming the file.
func (s *MapService) RemoveTiles() (TilesInfo, error) {
	if err := os.Remove(s.a.tilesPath()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return TilesInfo{}, fieldError(CodeStorage, "dataDir", "remove street map %s: %v", s.a.tilesPath(), err)
	}
	return s.Tiles(), nil
}

// MapTiles is a Wails asset-server middleware that serves the installed
// street map at TilesURL to the webview and passes every other request to
// next. A request reads a byte range, either by the Range header or by the
// query offset and length (webviews differ in passing Range to the app), and
// is answered 404 when no street map is installed.
func (a *App) MapTiles(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != TilesURL {
			next.ServeHTTP(w, r)
			return
		}
		f, err := os.Open(a.tilesPath())
		if err != nil {
			http.Error(w, "no street map installed", http.StatusNotFound)
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			http.Error(w, "read street map: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Cache-Control", "no-store") // replaced in place by UseTiles
		q := r.URL.Query()
		if q.Has("offset") {
			off, err1 := strconv.ParseInt(q.Get("offset"), 10, 64)
			n, err2 := strconv.ParseInt(q.Get("length"), 10, 64)
			if err1 != nil || err2 != nil || off < 0 || n <= 0 || off >= fi.Size() {
				http.Error(w, fmt.Sprintf("byte range %s+%s outside the street map's %d bytes", q.Get("offset"), q.Get("length"), fi.Size()), http.StatusRequestedRangeNotSatisfiable)
				return
			}
			n = min(n, fi.Size()-off)
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
			io.Copy(w, io.NewSectionReader(f, off, n))
			return
		}
		http.ServeContent(w, r, "area.pmtiles", fi.ModTime(), f)
	})
}
