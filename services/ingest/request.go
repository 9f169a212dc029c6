package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/signpost/signpost/shared/httpx"
)

type correlationKey struct{}

var correlationPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// correlate gives every request a correlation id (the caller's, when it sent a sensible one) that
// travels with the events it publishes into every log line of the pipeline.
func correlate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		corr := r.Header.Get("X-Correlation-ID")
		if !correlationPattern.MatchString(corr) {
			corr = uuid.NewString()
		}
		w.Header().Set("X-Correlation-ID", corr)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), correlationKey{}, corr)))
	})
}

func correlationID(ctx context.Context) string {
	c, _ := ctx.Value(correlationKey{}).(string)
	return c
}

// reject answers with a problem and logs the status, never the request's content.
func (in *Ingest) reject(w http.ResponseWriter, r *http.Request, status int, detail string, fields ...httpx.FieldProblem) {
	in.log.Info().Str("correlation_id", correlationID(r.Context())).Str("path", r.URL.Path).Int("status", status).
		Msg("request rejected")
	httpx.WriteProblem(w, httpx.Problem{Status: status, Detail: detail, Errors: fields})
}

// staffOnly requires the intake token (rate-limited by throttled around it, so guessing is slow).
func (in *Ingest) staffOnly(next http.Handler) http.Handler {
	return httpx.RequireBearer(in.cfg.IntakeToken, "intake", next)
}

// readBody reads a body of one of the content types, at most limit bytes, or answers why not.
func (in *Ingest) readBody(w http.ResponseWriter, r *http.Request, limit int64, contentTypes ...string) ([]byte, bool) {
	if in.declaredTooLarge(w, r, limit) {
		return nil, false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !slices.Contains(contentTypes, mt) {
		in.reject(w, r, http.StatusUnsupportedMediaType, "send the body with Content-Type: "+strings.Join(contentTypes, " or "))
		return nil, false
	}
	body, err := readAll(http.MaxBytesReader(w, r.Body, limit), r.ContentLength)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		in.reject(w, r, http.StatusRequestEntityTooLarge, "the body is larger than the limit of "+humanBytes(limit))
		return nil, false
	} else if err != nil {
		in.reject(w, r, http.StatusBadRequest, "the request body could not be read")
		return nil, false
	}
	return body, true
}

// readJSON reads a JSON body, checks it against the API description and decodes it into v.
func (in *Ingest) readJSON(w http.ResponseWriter, r *http.Request, path string, v any) bool {
	body, ok := in.readBody(w, r, MaxBody, "application/json")
	if !ok {
		return false
	}
	if !json.Valid(body) {
		in.reject(w, r, http.StatusBadRequest, "the body is not valid JSON")
		return false
	}
	if problems := httpx.ValidateBody(in.schemas[path], body); len(problems) > 0 {
		in.reject(w, r, http.StatusUnprocessableEntity, "the body does not match the API description (schemas/openapi/ingest.json)", problems...)
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		in.reject(w, r, http.StatusBadRequest, "the body could not be decoded")
		return false
	}
	return true
}

func humanBytes(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n>>10, 10) + " KiB"
}
