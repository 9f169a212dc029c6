package ops

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/signpost/signpost/shared/httpx"
)

// ActionResult is the answer to a replay or discard of one dead letter.
type ActionResult struct {
	Seq     uint64 `json:"seq"`
	Outcome string `json:"outcome"` // "replayed" or "discarded"
}

// DeadLetterList is the answer to GET /ops/api/dead-letters, oldest first.
type DeadLetterList struct {
	Count       int          `json:"count"`
	DeadLetters []DeadLetter `json:"dead_letters"`
}

// Confirmation is the JSON body every replay, discard and replay-all must carry.
type Confirmation struct {
	Confirm bool `json:"confirm"`
}

// maxBody bounds what the API reads from a request body.
const maxBody = 64 << 10

func (o *Ops) apiRoutes(mux *http.ServeMux) {
	handle := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, o.requireBearer(h)) }
	handle("GET /ops/api/streams", o.apiStreams)
	handle("GET /ops/api/dead-letters", o.apiList)
	handle("GET /ops/api/dead-letters/{seq}", o.apiShow)
	handle("POST /ops/api/dead-letters/{seq}/replay", o.apiReplay)
	handle("POST /ops/api/dead-letters/replay-all", o.apiReplayAll)
	handle("DELETE /ops/api/dead-letters/{seq}", o.apiDiscard)
	handle("/ops/api/", o.apiUnknown)
}

func (o *Ops) apiStreams(w http.ResponseWriter, r *http.Request) {
	states, err := o.st.State(r.Context())
	if err != nil {
		o.log("reading stream state failed", map[string]any{"action": "streams", "error": err.Error()})
		unavailable(w, "the stream state", err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, o.rates.observe(o.now(), states))
}

func (o *Ops) apiList(w http.ResponseWriter, r *http.Request) {
	list, err := o.listDeadLetters(r)
	if err != nil {
		unavailable(w, "the dead-letter stream", err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, DeadLetterList{Count: len(list), DeadLetters: list})
}

func (o *Ops) apiShow(w http.ResponseWriter, r *http.Request) {
	seq, ok := seqFromPath(w, r)
	if !ok {
		return
	}
	d, err := o.dl.Get(r.Context(), seq)
	if err != nil {
		actionFailed(w, "reading", seq, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, d)
}

func (o *Ops) apiReplay(w http.ResponseWriter, r *http.Request) {
	seq, ok := seqFromPath(w, r)
	if !ok || !confirmed(w, r, fmt.Sprintf("replay dead letter %d", seq)) {
		return
	}
	if err := o.replay(r.Context(), seq, "api"); err != nil {
		actionFailed(w, "replaying", seq, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, ActionResult{Seq: seq, Outcome: "replayed"})
}

func (o *Ops) apiDiscard(w http.ResponseWriter, r *http.Request) {
	seq, ok := seqFromPath(w, r)
	if !ok || !confirmed(w, r, fmt.Sprintf("discard dead letter %d", seq)) {
		return
	}
	if err := o.discard(r.Context(), seq, "api"); err != nil {
		actionFailed(w, "discarding", seq, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, ActionResult{Seq: seq, Outcome: "discarded"})
}

func (o *Ops) apiReplayAll(w http.ResponseWriter, r *http.Request) {
	if !confirmed(w, r, "replay every dead letter") {
		return
	}
	list, err := o.listDeadLetters(r)
	if err != nil {
		unavailable(w, "the dead-letter stream", err)
		return
	}
	seqs := make([]uint64, len(list))
	for i, d := range list {
		seqs[i] = d.Seq
	}
	httpx.WriteJSON(w, http.StatusOK, o.replayAll(r.Context(), seqs, "api"))
}

func (o *Ops) apiUnknown(w http.ResponseWriter, r *http.Request) {
	httpx.WriteProblem(w, httpx.Problem{Status: http.StatusNotFound, Detail: "No such endpoint for " + r.Method +
		". The API has GET /ops/api/streams, GET /ops/api/dead-letters, GET /ops/api/dead-letters/{seq}, " +
		"POST /ops/api/dead-letters/{seq}/replay, POST /ops/api/dead-letters/replay-all and DELETE /ops/api/dead-letters/{seq}."})
}

// listDeadLetters lists the dead letters oldest first, logging a failure.
func (o *Ops) listDeadLetters(r *http.Request) ([]DeadLetter, error) {
	list, err := o.dl.List(r.Context())
	if err != nil {
		o.log("listing dead letters failed", map[string]any{"action": "list", "error": err.Error()})
		return nil, err
	}
	if list == nil {
		list = []DeadLetter{}
	}
	slices.SortFunc(list, func(a, b DeadLetter) int { return cmp.Compare(a.Seq, b.Seq) })
	return list, nil
}

// seqFromPath reads {seq}, answering 400 when it is not a dead-letter sequence.
func seqFromPath(w http.ResponseWriter, r *http.Request) (uint64, bool) {
	seq, ok := parseSeq(r.PathValue("seq"))
	if !ok {
		httpx.WriteProblem(w, httpx.Problem{Status: http.StatusBadRequest,
			Detail: "The sequence in the path must be a whole number above 0, as listed by GET /ops/api/dead-letters."})
	}
	return seq, ok
}

// confirmed reads the body and answers 422 unless it is {"confirm": true}.
func confirmed(w http.ResponseWriter, r *http.Request, what string) bool {
	var c Confirmation
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err == nil && len(body) > 0 {
		err = json.Unmarshal(body, &c)
	}
	if err != nil || !c.Confirm {
		detail := fmt.Sprintf(`To %s, send the JSON body {"confirm": true}. Nothing was changed.`, what)
		if err != nil {
			detail = fmt.Sprintf(`The body is not JSON. To %s, send the JSON body {"confirm": true}. Nothing was changed.`, what)
		}
		httpx.WriteProblem(w, httpx.Problem{Status: http.StatusUnprocessableEntity, Detail: detail})
		return false
	}
	return true
}

// actionFailed answers for a read, replay or discard of one dead letter that did not happen.
func actionFailed(w http.ResponseWriter, doing string, seq uint64, err error) {
	if errors.Is(err, ErrNotFound) {
		httpx.WriteProblem(w, httpx.Problem{Status: http.StatusNotFound, Detail: fmt.Sprintf(
			"There is no dead letter %d: it may already have been replayed or discarded. List them with GET /ops/api/dead-letters.", seq)})
		return
	}
	still := ""
	if doing != "reading" {
		still = " Nothing was lost: it is still in the dead-letter stream."
	}
	httpx.WriteProblem(w, httpx.Problem{Status: http.StatusBadGateway, Detail: fmt.Sprintf(
		"%s dead letter %d failed (%v).%s Check that NATS is healthy (GET /readyz) and try again.",
		capitalise(doing), seq, err, still)})
}

// unavailable answers 503 when the streams cannot be read.
func unavailable(w http.ResponseWriter, what string, err error) {
	httpx.WriteProblem(w, httpx.Problem{Status: http.StatusServiceUnavailable, Detail: fmt.Sprintf(
		"Could not read %s (%v). Check that NATS JetStream is up (GET /readyz) and try again.", what, err)})
}

func capitalise(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
