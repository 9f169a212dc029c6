package ops_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/ops"
)

func TestAPIRefusesCallsWithoutTheOperatorToken(t *testing.T) {
	h := newHarness(t)
	calls := []struct{ method, path, body string }{
		{"GET", "/ops/api/streams", ""},
		{"GET", "/ops/api/dead-letters", ""},
		{"GET", "/ops/api/dead-letters/7", ""},
		{"POST", "/ops/api/dead-letters/7/replay", `{"confirm":true}`},
		{"POST", "/ops/api/dead-letters/replay-all", `{"confirm":true}`},
		{"DELETE", "/ops/api/dead-letters/7", `{"confirm":true}`},
	}
	for _, c := range calls {
		for _, bearer := range []string{"", "wrong-token", token + "x", strings.ToUpper(token)} {
			w := h.api(t, c.method, c.path, bearer, c.body)
			problem(t, w, http.StatusUnauthorized)
			if w.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s with %q: no WWW-Authenticate", c.method, c.path, bearer)
			}
		}
	}
	req := h.api(t, "GET", "/ops/api/dead-letters", "", "")
	if strings.Contains(req.Body.String(), "classifier") {
		t.Fatal("a refused call was shown dead letters")
	}
	if !h.store.Has(7) || !h.store.Has(9) || len(h.store.Republished()) != 0 {
		t.Fatal("a refused call changed the dead letters")
	}
}

func TestAPIRefusesWhenNoOperatorTokenIsConfigured(t *testing.T) {
	h := newHarness(t)
	o := ops.New(h.store, h.store, "", nil)
	mux := http.NewServeMux()
	o.Routes(mux)
	h.mux = mux
	problem(t, h.api(t, "GET", "/ops/api/dead-letters", "anything", ""), http.StatusUnauthorized)
}

func TestAPIListsAndShowsDeadLettersWithoutPayloads(t *testing.T) {
	h := newHarness(t)
	w := h.api(t, "GET", "/ops/api/dead-letters", token, "")
	list := decode[ops.DeadLetterList](t, w, http.StatusOK)
	if list.Count != 2 || len(list.DeadLetters) != 2 || list.DeadLetters[0].Seq != 7 || list.DeadLetters[1].Seq != 9 {
		t.Fatalf("list = %+v", list)
	}
	if list.DeadLetters[0].Reason != "classifier model not loaded" || list.DeadLetters[0].Size != len(payload) {
		t.Fatalf("first = %+v", list.DeadLetters[0])
	}
	if strings.Contains(w.Body.String(), "PATIENT-PAYLOAD") {
		t.Fatal("the list shows a payload")
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Error("the API answer may be cached")
	}

	w = h.api(t, "GET", "/ops/api/dead-letters/9", token, "")
	d := decode[ops.DeadLetter](t, w, http.StatusOK)
	if d.Seq != 9 || d.Origin != "feedback.classified" || d.Handler != "route" || d.Attempts != 3 || !d.At.Equal(deadLetteredAt.Add(60e9)) {
		t.Fatalf("show = %+v", d)
	}
	if strings.Contains(w.Body.String(), "PATIENT-PAYLOAD") {
		t.Fatal("show shows a payload")
	}

	p := problem(t, h.api(t, "GET", "/ops/api/dead-letters/99", token, ""), http.StatusNotFound)
	if !strings.Contains(p["detail"].(string), "no dead letter 99") {
		t.Errorf("404 detail = %q", p["detail"])
	}
	problem(t, h.api(t, "GET", "/ops/api/dead-letters/abc", token, ""), http.StatusBadRequest)
	problem(t, h.api(t, "GET", "/ops/api/dead-letters/0", token, ""), http.StatusBadRequest)
	problem(t, h.api(t, "GET", "/ops/api/nothing-here", token, ""), http.StatusNotFound)
}

func TestAPIReplayNeedsConfirmation(t *testing.T) {
	h := newHarness(t)
	for _, body := range []string{"", "{}", `{"confirm":false}`, `{"confirm":"yes"}`, "yes please"} {
		for _, call := range [][2]string{{"POST", "/ops/api/dead-letters/7/replay"}, {"DELETE", "/ops/api/dead-letters/7"},
			{"POST", "/ops/api/dead-letters/replay-all"}} {
			p := problem(t, h.api(t, call[0], call[1], token, body), http.StatusUnprocessableEntity)
			if d := p["detail"].(string); !strings.Contains(d, `{"confirm": true}`) || !strings.Contains(d, "Nothing was changed") {
				t.Errorf("%s %s with %q: detail %q does not say how to confirm", call[0], call[1], body, d)
			}
		}
	}
	if !h.store.Has(7) || !h.store.Has(9) || len(h.store.Republished()) != 0 {
		t.Fatal("an unconfirmed call changed the dead letters")
	}
}

func TestAPIReplayRepublishesAndRemovesIt(t *testing.T) {
	h := newHarness(t)
	res := decode[ops.ActionResult](t, h.api(t, "POST", "/ops/api/dead-letters/7/replay", token, `{"confirm":true}`), http.StatusOK)
	if res.Seq != 7 || res.Outcome != "replayed" {
		t.Fatalf("result = %+v", res)
	}
	if h.store.Has(7) || !h.store.Has(9) {
		t.Fatal("replay did not remove exactly dead letter 7")
	}
	if rep := h.store.Republished(); len(rep) != 1 || rep[0].Seq != 7 || rep[0].Origin != "feedback.received" {
		t.Fatalf("republished = %+v", rep)
	}
	problem(t, h.api(t, "GET", "/ops/api/dead-letters/7", token, ""), http.StatusNotFound)
	problem(t, h.api(t, "POST", "/ops/api/dead-letters/7/replay", token, `{"confirm":true}`), http.StatusNotFound)

	logged := h.logs.find("replay")
	if len(logged) != 2 || logged[0].Fields["seq"] != uint64(7) || logged[0].Fields["outcome"] != "replayed" ||
		logged[0].Fields["via"] != "api" || logged[1].Fields["outcome"] != "not_found" {
		t.Fatalf("replay log = %s", h.logs)
	}
	if strings.Contains(h.logs.String(), "PATIENT-PAYLOAD") {
		t.Fatal("a payload was logged")
	}
}

func TestAPIDiscardRemovesWithoutReplaying(t *testing.T) {
	h := newHarness(t)
	res := decode[ops.ActionResult](t, h.api(t, "DELETE", "/ops/api/dead-letters/9", token, `{"confirm":true}`), http.StatusOK)
	if res.Seq != 9 || res.Outcome != "discarded" {
		t.Fatalf("result = %+v", res)
	}
	if h.store.Has(9) || !h.store.Has(7) || len(h.store.Republished()) != 0 {
		t.Fatal("discard did not just remove dead letter 9")
	}
	if l := h.logs.find("discard"); len(l) != 1 || l[0].Fields["seq"] != uint64(9) || l[0].Fields["outcome"] != "discarded" {
		t.Fatalf("discard log = %s", h.logs)
	}
	problem(t, h.api(t, "DELETE", "/ops/api/dead-letters/9", token, `{"confirm":true}`), http.StatusNotFound)
}

func TestAPIReplayAllReportsTheOneThatFailed(t *testing.T) {
	h := newHarness(t)
	h.store.Add(ops.DeadLetter{Seq: 12, Origin: "feedback.received", Handler: "classify", Reason: "timeout"}, []byte(payload))
	h.store.FailReplay(9, errors.New("nats: timeout publishing to feedback.classified"))

	res := decode[ops.ReplayAllResult](t, h.api(t, "POST", "/ops/api/dead-letters/replay-all", token, `{"confirm":true}`), http.StatusOK)
	if res.Replayed != 2 || res.Failed != 1 || len(res.Failures) != 1 || res.Failures[0].Seq != 9 ||
		!strings.Contains(res.Failures[0].Reason, "nats: timeout") {
		t.Fatalf("result = %+v", res)
	}
	if h.store.Has(7) || h.store.Has(12) || !h.store.Has(9) {
		t.Fatal("replay-all did not replay the two that could be and keep the one that failed")
	}
	if l := h.logs.find("replay"); len(l) != 3 {
		t.Fatalf("want one log entry per replay, got %s", h.logs)
	}
	if l := h.logs.find("replay-all"); len(l) != 1 || l[0].Fields["replayed"] != 2 || l[0].Fields["failed"] != 1 {
		t.Fatalf("replay-all log = %s", h.logs)
	}
}

func TestAPIReplayFailureSaysItIsStillThere(t *testing.T) {
	h := newHarness(t)
	h.store.FailReplay(7, errors.New("nats: no responders"))
	p := problem(t, h.api(t, "POST", "/ops/api/dead-letters/7/replay", token, `{"confirm":true}`), http.StatusBadGateway)
	if d := p["detail"].(string); !strings.Contains(d, "still in the dead-letter stream") || !strings.Contains(d, "no responders") {
		t.Errorf("detail = %q", d)
	}
	if l := h.logs.find("replay"); len(l) != 1 || l[0].Fields["outcome"] != "failed" || l[0].Fields["error"] == nil {
		t.Fatalf("log = %s", h.logs)
	}
}
