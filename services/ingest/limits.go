package ingest

import (
	"errors"
	"io"
	"net/http"

	"github.com/signpost/signpost/services/ingest/internal/ratelimit"
	"github.com/signpost/signpost/services/ingest/internal/submission"
	"github.com/signpost/signpost/services/ingest/internal/webform"
	"github.com/signpost/signpost/shared/httpx"
)

// DefaultRequestsPerMinute and DefaultRequestBurst limit each client's requests other than
// submissions: far above what Meta, Google, a practice's staff or a patient browsing the forms
// send, far below what a flood from one address does.
const (
	DefaultRequestsPerMinute = 6000
	DefaultRequestBurst      = 1000
)

// limited applies the per-client limit on submissions to the JSON API.
func (in *Ingest) limited(next http.Handler) http.Handler {
	return in.limit(in.limiter, "submissions", next)
}

// throttled applies the per-client limit on every other request, before anything else is done
// with it (a signature checked, a token compared, a body read).
func (in *Ingest) throttled(next http.Handler) http.Handler {
	return in.limit(in.requests, "requests", next)
}

// limit refuses a client over l's limit with 429 and how long to wait for its next what.
func (in *Ingest) limit(l *ratelimit.Limiter, what string, next http.Handler) http.Handler {
	return correlate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := l.Allow(r); !ok {
			w.Header().Set("Retry-After", ratelimit.RetryAfter(wait))
			in.reject(w, r, http.StatusTooManyRequests, "too many "+what+" from your address; wait "+
				ratelimit.RetryAfter(wait)+" seconds (Retry-After) and send again")
			return
		}
		next.ServeHTTP(w, r)
	}))
}

// limitedForm applies the per-client limit on submissions to a posted form. A patient over the
// limit sees the form again with what they wrote and how long to wait, not a machine's answer.
func (in *Ingest) limitedForm(next http.Handler) http.Handler {
	return correlate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, wait := in.limiter.Allow(r)
		if ok {
			next.ServeHTTP(w, r)
			return
		}
		k, _, pr, found := in.formPage(w, r)
		if !found {
			return
		}
		in.log.Info().Str("correlation_id", correlationID(r.Context())).Str("path", r.URL.Path).
			Int("status", http.StatusTooManyRequests).Msg("form refused: too many from this address")
		var f submission.Form // what they wrote, unless the body is too large to read
		if r.ContentLength <= MaxBody {
			f, _, _ = webform.Decode(k, pr.Slug, http.MaxBytesReader(w, r.Body, MaxBody))
		}
		page := webform.NewPage(k, pr.Name).WithProblems(f, []httpx.FieldProblem{{Field: "text", Detail: "Several forms " +
			"have been sent from your connection in a short time. Wait " + ratelimit.RetryAfter(wait) + " seconds, then send " +
			"this one again: what you wrote is still here."}})
		w.Header().Set("Retry-After", ratelimit.RetryAfter(wait))
		webform.Render(w, http.StatusTooManyRequests, page, in.cfg.FrameAncestors)
	}))
}

// declaredTooLarge answers 413 (when w is not nil) if the request says its body is longer than
// limit, before a byte of it is read. A body that does not say (chunked) is cut at the limit by
// http.MaxBytesReader as it is read.
func (in *Ingest) declaredTooLarge(w http.ResponseWriter, r *http.Request, limit int64) bool {
	if r.ContentLength <= limit {
		return false
	}
	if w != nil {
		in.reject(w, r, http.StatusRequestEntityTooLarge, "the body is "+humanBytes(r.ContentLength)+
			", larger than the limit of "+humanBytes(limit)+"; nothing was read")
	}
	return true
}

// readAll reads a body already cut at its limit (http.MaxBytesReader) without io.ReadAll's
// doubling copies: into one buffer of the declared length when there is one (the server holds the
// body to it), otherwise chunk by chunk, joined once at the end. Refusing an endless body so
// costs about its limit in memory, whatever its size.
func readAll(r io.Reader, declared int64) ([]byte, error) {
	if declared >= 0 {
		buf := make([]byte, declared)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		return buf, nil
	}
	var chunks [][]byte
	total, size := 0, 32<<10
	for {
		chunk := make([]byte, size)
		n, err := io.ReadFull(r, chunk)
		chunks, total = append(chunks, chunk[:n]), total+n
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		} else if err != nil {
			return nil, err
		}
		size = min(2*size, 1<<20)
	}
	body := make([]byte, 0, total)
	for _, c := range chunks {
		body = append(body, c...)
	}
	return body, nil
}
