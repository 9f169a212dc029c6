// Package metrics defines Signpost's Prometheus metrics, served on /metrics by every binary.
// Labels carry channels, routes, flags, handlers and platforms: never ids or patient data.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/signpost/signpost/shared/feedback"
)

// Metrics are one process's metrics.
type Metrics struct {
	Registry        *prometheus.Registry
	ItemsReceived   *prometheus.CounterVec
	Decisions       *prometheus.CounterVec
	Flags           *prometheus.CounterVec
	HandlerDuration *prometheus.HistogramVec
	HandlerBatch    *prometheus.HistogramVec
	HandlerRetries  *prometheus.CounterVec
	DeadLetters     *prometheus.CounterVec
	PlatformCalls   *prometheus.CounterVec
}

// New registers every metric (and the Go runtime's) in a registry of its own.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		ItemsReceived: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "signpost_items_received_total",
			Help: "Items taken in and stored in JetStream, per channel."}, []string{"channel"}),
		Decisions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "signpost_decisions_total",
			Help: "Decisions stored, per route."}, []string{"route"}),
		Flags: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "signpost_flags_total",
			Help: "Flags raised on stored decisions, per flag."}, []string{"flag"}),
		HandlerDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "signpost_handler_duration_seconds",
			Help:    "Time a message handler took, per handler, retries included.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"handler"}),
		HandlerBatch: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "signpost_handler_batch_messages",
			Help:    "Messages a batch handler took at once, per handler: each batch is one transaction and one atomic publish, so small batches cost more a message.",
			Buckets: []float64{1, 4, 16, 64, 256, 1000}}, []string{"handler"}),
		HandlerRetries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "signpost_handler_retries_total",
			Help: "Handler attempts that failed and were tried again, per handler."}, []string{"handler"}),
		DeadLetters: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "signpost_dead_letters_total",
			Help: "Messages sent to the dead-letter stream, per handler."}, []string{"handler"}),
		PlatformCalls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "signpost_platform_calls_total",
			Help: "Calls to Facebook, GOV.UK Notify and Google, per platform and outcome (sent, retry, failed)."},
			[]string{"platform", "outcome"}),
	}
	m.Registry.MustRegister(m.ItemsReceived, m.Decisions, m.Flags, m.HandlerDuration, m.HandlerBatch, m.HandlerRetries, m.DeadLetters,
		m.PlatformCalls, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Every known series starts at zero, so a rate or an alert sees 0 rather than nothing.
	for _, c := range feedback.Channels {
		m.ItemsReceived.WithLabelValues(string(c))
	}
	for _, r := range []feedback.Route{feedback.OfficialReview, feedback.UnofficialReview, feedback.Complaint, feedback.Other} {
		m.Decisions.WithLabelValues(string(r))
	}
	for _, f := range feedback.Flags {
		m.Flags.WithLabelValues(string(f))
	}
	for _, p := range []string{"facebook", "notify", "google"} {
		for _, o := range []string{"sent", "retry", "failed"} {
			m.PlatformCalls.WithLabelValues(p, o)
		}
	}
	return m
}

// HandlerAdded implements bus.Observer: the handler's series start at zero.
func (m *Metrics) HandlerAdded(handler string) {
	m.HandlerDuration.WithLabelValues(handler)
	m.HandlerBatch.WithLabelValues(handler)
	m.HandlerRetries.WithLabelValues(handler)
	m.DeadLetters.WithLabelValues(handler)
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// HandlerDone implements bus.Observer.
func (m *Metrics) HandlerDone(handler string, took time.Duration) {
	m.HandlerDuration.WithLabelValues(handler).Observe(took.Seconds())
}

// BatchTaken implements bus.Observer.
func (m *Metrics) BatchTaken(handler string, messages int) {
	m.HandlerBatch.WithLabelValues(handler).Observe(float64(messages))
}

// Retried implements bus.Observer.
func (m *Metrics) Retried(handler string) { m.HandlerRetries.WithLabelValues(handler).Inc() }

// DeadLettered implements bus.Observer.
func (m *Metrics) DeadLettered(handler string) { m.DeadLetters.WithLabelValues(handler).Inc() }
