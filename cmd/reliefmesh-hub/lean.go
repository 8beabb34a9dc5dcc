package main

import (
	"bufio"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/internal/memlimit"
)

// leanSafe are the control socket's requests answered without the demand
// list and the views, which `serve` keeps out of memory (store.Options.Lean):
// what they read (the feeds, the roster, the heads, the counts status shows)
// a lean store maintains. Every other request holds the views while it runs
// (withViews).
var leanSafe = map[string]bool{
	"GET /v0/status":         true,
	"POST /v0/unlock":        true,
	"GET /v0/members":        true,
	"GET /v0/join-code":      true,
	"POST /v0/bundle/export": true,
	"POST /v0/bundle/import": true,
	"GET /v0/bundle/vv":      true,
	"POST /v0/import/cancel": true,
	// export streams a public csv, hxl, json or text bulletin from a
	// snapshot of the store (desk.OpenBulletinStream); it takes the views
	// itself (useViews) for the others
	"POST /v0/export": true,
	// sign reads the roster, the hub's own member record and its key
	"POST /v0/sign": true,
}

// withViews wraps the control socket's handler h: a request that is not
// leanSafe makes the store's views resident (store.Store.UseViews: built
// from the views snapshot or by folding the records) until it is answered;
// the last one to end drops them. A store that is not lean answers as it
// is. When the views cannot be built the request is refused with why.
func (n *node) withViews(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if leanSafe[r.Method+" "+r.URL.Path] || !n.st.Lean() {
			h.ServeHTTP(w, r)
			return
		}
		release, err := n.useViews()
		if err != nil {
			writeError(w, http.StatusInternalServerError, fmt.Errorf("%s %s: %w", r.Method, r.URL.Path, err))
			return
		}
		defer release()
		h.ServeHTTP(w, r)
	})
}

// useViews makes the store's views resident (store.Store.UseViews) under
// memlimit.Hub's setting until release is called, for a request that reads
// them; on a store that is not lean it does nothing. Errors: UseViews'.
func (n *node) useViews() (release func(), err error) {
	if !n.st.Lean() {
		return func() {}, nil
	}
	viewsMemory.use()
	rel, err := n.st.UseViews()
	if err != nil {
		viewsMemory.done()
		return nil, err
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			rel()
			viewsMemory.done()
		})
	}, nil
}

// viewsMemory is the memory setting of a hub serving from a lean store:
// memlimit.HubLean while no request holds the views, memlimit.Hub while one
// does (their heap is far above HubLean's limit).
var viewsMemory leanMemory

// leanMemory switches the process's memory setting between memlimit.HubLean
// and memlimit.Hub. Its zero value does nothing until start.
type leanMemory struct {
	mu     sync.Mutex
	on     bool // between start and stop
	users  int  // requests holding the views
	limit  int64
	gcPerc int
}

// start sets memlimit.HubLean (GOGC and GOMEMLIMIT in the environment
// still win) and returns the function that puts back the setting found.
func (m *leanMemory) start() (stop func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.limit = debug.SetMemoryLimit(-1) // a negative limit only reads it
	m.gcPerc = debug.SetGCPercent(100)
	debug.SetGCPercent(m.gcPerc)
	m.on = true
	memlimit.Apply(memlimit.HubLean)
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.on = false
		debug.SetMemoryLimit(m.limit)
		debug.SetGCPercent(m.gcPerc)
	}
}

func (m *leanMemory) use() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.users++; m.users == 1 && m.on {
		memlimit.Apply(memlimit.Hub)
	}
}

func (m *leanMemory) done() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.users--; m.users == 0 && m.on {
		memlimit.Apply(memlimit.HubLean)
	}
}

// streamBulletin answers an export from a lean store a chunk of demands at
// a time (desk.OpenBulletinStream): the counts in the headers, then the
// bulletin as it is written, never the whole of it in memory. A failure
// before the first byte is an error answer; one part-way (the store, or
// the client gone) is logged and the connection cut
// (http.ErrAbortHandler), so that the client sees a truncated answer as an
// error rather than a short bulletin.
func (n *node) streamBulletin(w http.ResponseWriter, req desk.BulletinRequest, log *slog.Logger) {
	sb, err := n.desk().OpenBulletinStream(req)
	if err != nil {
		writeError(w, httpStatusOf(err), cliError(err))
		return
	}
	defer sb.Close()
	w.Header().Set("Demand-Count", strconv.Itoa(sb.Demands))
	w.Header().Set("Unpublished-Count", strconv.Itoa(sb.Unpublished))
	w.Header().Set("Content-Type", "application/octet-stream")
	bw := bufio.NewWriterSize(w, 64<<10)
	err = sb.Stream(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		log.Error("export cut short: the bulletin was not sent whole", "format", req.Format, "demands", sb.Demands, "err", err)
		panic(http.ErrAbortHandler)
	}
}
