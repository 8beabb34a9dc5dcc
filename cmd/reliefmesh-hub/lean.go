package main

import (
	"fmt"
	"net/http"
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
		release, err := n.st.UseViews()
		if err != nil {
			writeError(w, http.StatusInternalServerError, fmt.Errorf("%s %s: %w", r.Method, r.URL.Path, err))
			return
		}
		defer release()
		h.ServeHTTP(w, r)
	})
}
