// Package ingest takes in what patients send and publishes it as feedback.received. A sender hears
// "accepted" only once JetStream has acknowledged the event, so nothing acknowledged is lost.
package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"regexp"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/signpost/signpost/services/ingest/internal/submission"
	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/httpx"
	"github.com/signpost/signpost/shared/policy"
)

// MaxBody is the largest request body accepted.
const MaxBody = 64 << 10

// Ingest is the intake of website forms.
type Ingest struct {
	policies *policy.Set
	pub      message.Publisher
	topo     event.Topology
	log      zerolog.Logger
	now      func() time.Time
}

// New builds the intake; pub must publish durably (bus.NewPublisher).
func New(policies *policy.Set, pub message.Publisher, topo event.Topology, log zerolog.Logger) *Ingest {
	return &Ingest{policies: policies, pub: pub, topo: topo, log: log, now: time.Now}
}

// Routes adds the intake's endpoints to mux.
func (in *Ingest) Routes(mux *http.ServeMux) {
	mux.Handle("POST /v1/submissions", in.submit())
}

// Accepted is the answer to an accepted submission.
type Accepted struct {
	ItemID string `json:"item_id"`
	Status string `json:"status"`
}

var correlationID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

func (in *Ingest) submit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		corr := r.Header.Get("X-Correlation-ID")
		if !correlationID.MatchString(corr) {
			corr = uuid.NewString()
		}
		w.Header().Set("X-Correlation-ID", corr)
		reject := func(status int, detail string, fields ...httpx.FieldProblem) {
			in.log.Info().Str("correlation_id", corr).Int("status", status).Msg("submission rejected")
			httpx.WriteProblem(w, httpx.Problem{Status: status, Detail: detail, Errors: fields})
		}

		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			reject(http.StatusUnsupportedMediaType, "send the submission as JSON with Content-Type: application/json")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			reject(http.StatusRequestEntityTooLarge, "the submission is larger than 64 KiB; shorten the text")
			return
		} else if err != nil {
			reject(http.StatusBadRequest, "the request body could not be read")
			return
		}
		var f submission.Form
		if err := decodeStrict(body, &f); err != nil {
			reject(http.StatusBadRequest, "the body is not a submission: "+err.Error())
			return
		}
		item, problems := submission.Item(f, in.policies, in.now())
		if len(problems) > 0 {
			reject(http.StatusUnprocessableEntity, "the submission has fields to correct", problems...)
			return
		}

		data, id, err := event.NewReceived(item, corr, in.now())
		if err != nil {
			reject(http.StatusInternalServerError, "the submission could not be encoded; nothing was kept")
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		if err := publish(ctx, in.pub, in.topo.Subject(event.Received), bus.NewMessage(id, data, corr)); err != nil {
			in.log.Error().Err(err).Str("correlation_id", corr).Str("item_id", item.ID.String()).Msg("publish failed")
			w.Header().Set("Retry-After", "5")
			reject(http.StatusServiceUnavailable, "the submission could not be stored just now and nothing was kept; please send it again")
			return
		}
		in.log.Info().Str("correlation_id", corr).Str("item_id", item.ID.String()).Str("channel", string(item.Channel)).
			Str("practice", item.Practice).Msg("submission accepted")
		httpx.WriteJSON(w, http.StatusAccepted, Accepted{ItemID: item.ID.String(), Status: "received"})
	})
}

// publish waits for JetStream's acknowledgement, or gives up when ctx ends.
func publish(ctx context.Context, pub message.Publisher, topic string, m *message.Message) error {
	done := make(chan error, 1)
	go func() { done <- pub.Publish(topic, m) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON object")
	}
	return nil
}
