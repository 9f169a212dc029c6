package boot

import (
	"net/http"
	"net/http/pprof"
)

// debugHandler serves the Go runtime's profiles (heap, allocations, goroutines, CPU, execution
// trace) for an engineer on call: `go tool pprof http://DEBUG_ADDR/debug/pprof/heap`. They name
// functions, sizes and counts, never what patients wrote. It is only ever served on DEBUG_ADDR, a
// listener of its own that is off unless set, never on HTTP_ADDR, which faces webhooks, patients
// and Practice Managers. A CPU profile or trace must be shorter than the listener's 30-second
// write timeout (?seconds=20).
func debugHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/pprof/", pprof.Index) // heap, allocs, goroutine, block, mutex, threadcreate
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return mux
}
