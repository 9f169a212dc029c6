package metrics

import (
	"context"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/signpost/signpost/shared/bus"
)

// jetStream reads stream and consumer state from the server at each scrape.
type jetStream struct {
	js          jetstream.JetStream
	streams     []string
	messages    *prometheus.Desc
	pending     *prometheus.Desc
	ackPending  *prometheus.Desc
	redelivered *prometheus.Desc
	oldest      *prometheus.Desc
}

// WatchJetStream exports the state of the streams and their consumers, read from the server.
func (m *Metrics) WatchJetStream(nc *nats.Conn, streams ...string) error {
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	c := []string{"stream", "consumer"}
	return m.Registry.Register(&jetStream{js: js, streams: streams,
		messages: prometheus.NewDesc("signpost_jetstream_stream_messages", "Messages in the stream.", []string{"stream"}, nil),
		pending: prometheus.NewDesc("signpost_jetstream_consumer_pending",
			"Messages of the stream not yet delivered to the consumer (its lag).", c, nil),
		ackPending: prometheus.NewDesc("signpost_jetstream_consumer_ack_pending",
			"Messages delivered to the consumer and not yet acknowledged.", c, nil),
		redelivered: prometheus.NewDesc("signpost_jetstream_consumer_redelivered",
			"Messages delivered more than once and not yet acknowledged.", c, nil),
		oldest: prometheus.NewDesc("signpost_jetstream_consumer_oldest_unacked_age_seconds",
			"Age of the oldest message the consumer has not acknowledged; 0 when it has none.", c, nil),
	})
}

func (j *jetStream) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{j.messages, j.pending, j.ackPending, j.redelivered, j.oldest} {
		ch <- d
	}
}

func (j *jetStream) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	// A stream that cannot be read (NATS down) is left out: /readyz says so; no numbers beat wrong ones.
	for _, st := range bus.StreamStates(ctx, j.js, j.streams...) {
		ch <- prometheus.MustNewConstMetric(j.messages, prometheus.GaugeValue, float64(st.Messages), st.Name)
		for _, c := range st.Consumers {
			labels := []string{st.Name, c.Name}
			ch <- prometheus.MustNewConstMetric(j.pending, prometheus.GaugeValue, float64(c.Pending), labels...)
			ch <- prometheus.MustNewConstMetric(j.ackPending, prometheus.GaugeValue, float64(c.AckPending), labels...)
			ch <- prometheus.MustNewConstMetric(j.redelivered, prometheus.GaugeValue, float64(c.Redelivered), labels...)
			ch <- prometheus.MustNewConstMetric(j.oldest, prometheus.GaugeValue, c.OldestUnackedAge.Seconds(), labels...)
		}
	}
}
