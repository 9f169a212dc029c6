package metrics

import (
	"context"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
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
	for _, name := range j.streams {
		s, err := j.js.Stream(ctx, name)
		if err != nil {
			continue // the stream is missing or NATS is down: /readyz says so; no numbers beat wrong ones
		}
		info := s.CachedInfo()
		ch <- prometheus.MustNewConstMetric(j.messages, prometheus.GaugeValue, float64(info.State.Msgs), name)
		consumers := s.ListConsumers(ctx)
		for ci := range consumers.Info() {
			labels := []string{name, ci.Name}
			ch <- prometheus.MustNewConstMetric(j.pending, prometheus.GaugeValue, float64(ci.NumPending), labels...)
			ch <- prometheus.MustNewConstMetric(j.ackPending, prometheus.GaugeValue, float64(ci.NumAckPending), labels...)
			ch <- prometheus.MustNewConstMetric(j.redelivered, prometheus.GaugeValue, float64(ci.NumRedelivered), labels...)
			ch <- prometheus.MustNewConstMetric(j.oldest, prometheus.GaugeValue, j.oldestUnacked(ctx, s, ci).Seconds(), labels...)
		}
	}
}

// oldestUnacked is the age of the first message after the consumer's acknowledgement floor, when
// it has delivered messages it has not acknowledged.
func (j *jetStream) oldestUnacked(ctx context.Context, s jetstream.Stream, ci *jetstream.ConsumerInfo) time.Duration {
	if ci.NumAckPending == 0 {
		return 0
	}
	last := min(ci.Delivered.Stream, ci.AckFloor.Stream+1000) // bounded: a scrape must stay quick
	for seq := ci.AckFloor.Stream + 1; seq <= last; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil || ci.Config.FilterSubject != "" && m.Subject != ci.Config.FilterSubject {
			continue // deleted, or another subject of the stream
		}
		return time.Since(m.Time)
	}
	return 0
}
