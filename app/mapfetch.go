package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/node"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

// CodeMapFetch: a street map could not be fetched from a hub; Args
// "reason" (ReasonMapRefused, ReasonMapNone, ReasonMapBusy,
// ReasonMapDamaged, ReasonMapTooLarge, ReasonMapCut, ReasonMapOffline) and
// "member" (the hub's name, or its short id when it has none); with ReasonMapCut also "received" and
// "size" in bytes. Message is the English detail.
const CodeMapFetch = "map_fetch"

// Reasons of CodeMapFetch.
const (
	ReasonMapRefused  = "refused"   // the hub refused this device: not an active member
	ReasonMapNone     = "none"      // the hub serves no street map (any more)
	ReasonMapBusy     = "busy"      // the hub sends this device (or four members) a map already, or this app downloads one
	ReasonMapDamaged  = "damaged"   // what arrived did not have the hub's SHA-256: discarded
	ReasonMapTooLarge = "too_large" // larger than node.MaxMapSize
	ReasonMapCut      = "cut"       // cut off: what arrived is kept, the next download resumes
	ReasonMapOffline  = "offline"   // the network node is not running, or the hub not connected
)

// MapSource is a street map a connected member (usually a hub) serves.
type MapSource struct {
	Member MemberRef `json:"member"`
	Size   int64     `json:"size"`   // bytes
	SHA256 string    `json:"sha256"` // hex
	// Installed is true when the street map installed here is this file.
	Installed bool `json:"installed"`
}

// HubMaps asks the connected members which serve a street map (a hub
// started with --map) and returns them; empty when none does or the node is
// not running. Errors: CodeNoNetwork.
func (s *MapService) HubMaps() ([]MapSource, error) {
	dk, err := s.a.desk()
	if err != nil {
		return nil, err
	}
	out := []MapSource{}
	n := s.a.running()
	if n == nil {
		return out, nil
	}
	ctx, cancel := context.WithTimeout(s.a.context(), 10*time.Second)
	defer cancel()
	names := dk.MemberNames()
	installed := s.installedSum()
	for _, o := range n.MapOffers(ctx) {
		d, err := p2p.DeviceOf(o.Peer)
		if err != nil {
			continue
		}
		out = append(out, MapSource{Member: MemberRef{ID: d.String(), Name: names[d]}, Size: o.Size,
			SHA256: hex.EncodeToString(o.SHA256[:]), Installed: installed == o.SHA256})
	}
	return out, nil
}

// installedSum returns the SHA-256 of the installed street map (zero when
// none), computed again only when its size or time changed.
func (s *MapService) installedSum() [sha256.Size]byte {
	var zero [sha256.Size]byte
	f, err := os.Open(s.a.tilesPath())
	if err != nil {
		return zero
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return zero
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sumSize == fi.Size() && s.sumMod.Equal(fi.ModTime()) {
		return s.sum
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return zero
	}
	copy(s.sum[:], h.Sum(nil))
	s.sumSize, s.sumMod = fi.Size(), fi.ModTime()
	return s.sum
}

// FetchMap downloads the street map that member (a member id, as in
// MapSource) serves and installs it (as UseTiles does), publishing its
// progress as EventMapProgress. A download cut off is resumed by the next
// call from what arrived; what arrives damaged is discarded and the
// installed map kept. Errors: CodeInvalid (member is not a member id);
// CodeMapFetch with its reason; CodeNotTiles, CodeStorage as UseTiles.
func (s *MapService) FetchMap(member string) (TilesInfo, error) {
	st, err := s.a.store()
	if err != nil {
		return TilesInfo{}, err
	}
	d, err := ledger.ParseDeviceID(member)
	if err != nil {
		return TilesInfo{}, fieldError(CodeInvalid, "member", "street map from %q: not a member id: %v", member, err)
	}
	p, err := p2p.PeerIDOf(d)
	if err != nil {
		return TilesInfo{}, fieldError(CodeInvalid, "member", "street map from %q: %v", member, err)
	}
	who := d.Short()
	if dk, err := s.a.desk(); err == nil && dk.MemberNames()[d] != "" {
		who = dk.MemberNames()[d]
	}
	n := s.a.running()
	if n == nil {
		return TilesInfo{}, mapFetchError(ReasonMapOffline, who, errors.New("the network node is not running"), nil)
	}
	if !s.fetching.TryLock() {
		return TilesInfo{}, mapFetchError(ReasonMapBusy, who, errors.New("a street map download is already under way on this computer"), nil)
	}
	defer s.fetching.Unlock()
	staging := filepath.Join(filepath.Dir(s.a.tilesPath()), "fetched.pmtiles")
	var last store.MapProgress
	o, err := n.FetchMap(s.a.context(), p, staging, func(got, size int64) {
		last = store.MapProgress{Peer: member, Received: got, Size: size}
		st.PublishMapProgress(last)
	})
	last.Done = true
	if err != nil {
		last.Err = err.Error()
		st.PublishMapProgress(last)
		s.a.flushEvents()
		return TilesInfo{}, mapFetchError(mapReason(err), who, err, map[string]string{
			"received": strconv.FormatInt(last.Received, 10), "size": strconv.FormatInt(o.Size, 10)})
	}
	st.PublishMapProgress(last)
	s.a.flushEvents()
	defer os.Remove(staging)
	return s.UseTiles(staging)
}

func mapReason(err error) string {
	switch {
	case errors.Is(err, node.ErrMapRefused):
		return ReasonMapRefused
	case errors.Is(err, node.ErrNoMap):
		return ReasonMapNone
	case errors.Is(err, node.ErrMapBusy):
		return ReasonMapBusy
	case errors.Is(err, node.ErrMapDamaged):
		return ReasonMapDamaged
	case errors.Is(err, node.ErrMapTooLarge):
		return ReasonMapTooLarge
	}
	return ReasonMapCut
}

func mapFetchError(reason, member string, err error, args map[string]string) *Error {
	e := &Error{Code: CodeMapFetch, Field: "member", Message: fmt.Sprintf("street map from %s: %v", member, err),
		Args: map[string]string{"reason": reason, "member": member}}
	for k, v := range args {
		e.Args[k] = v
	}
	return e
}

// context returns the app's context (Startup's), or a background one
// before Startup (tests).
func (a *App) context() context.Context {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ctx == nil {
		return context.Background()
	}
	return a.ctx
}
