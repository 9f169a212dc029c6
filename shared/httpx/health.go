package httpx

import (
	"context"
	"net/http"
	"sort"
	"time"
)

// Check reports whether one dependency is ready.
type Check func(ctx context.Context) error

// Health serves /healthz (the process is alive) and /readyz (every check passes).
func Health(mux *http.ServeMux, checks map[string]Check) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		names := make([]string, 0, len(checks))
		for n := range checks {
			names = append(names, n)
		}
		sort.Strings(names)
		status, result := http.StatusOK, map[string]string{}
		for _, n := range names {
			if err := checks[n](ctx); err != nil {
				status, result[n] = http.StatusServiceUnavailable, "unavailable: "+err.Error()
			} else {
				result[n] = "ok"
			}
		}
		WriteJSON(w, status, result)
	})
}
