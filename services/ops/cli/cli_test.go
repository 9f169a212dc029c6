package cli_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/services/ops"
	"github.com/signpost/signpost/services/ops/cli"
	"github.com/signpost/signpost/services/ops/internal/fake"
)

const token = "op-token-3f9a1c0b7e"

const payload = "PATIENT-PAYLOAD my NHS number is 943 476 5919"

// server runs the real operations handlers over a fake holding dead letters 7 and 9.
func server(t *testing.T) (*fake.Store, func(string) string) {
	t.Helper()
	store := fake.New()
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	store.Add(ops.DeadLetter{Seq: 7, MessageID: "msg-7", Origin: "feedback.received", Handler: "classify",
		Reason: "classifier model not loaded", Attempts: 5, At: at}, []byte(payload))
	store.Add(ops.DeadLetter{Seq: 9, MessageID: "msg-9", Origin: "feedback.classified", Handler: "route",
		Reason: "policy missing", Attempts: 3, At: at.Add(time.Minute)}, []byte(payload))
	mux := http.NewServeMux()
	ops.New(store, store, token, nil).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	env := map[string]string{"OPS_URL": srv.URL, "OPS_TOKEN": token}
	return store, func(k string) string { return env[k] }
}

func run(t *testing.T, getenv func(string) string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := cli.Run(context.Background(), args, getenv, strings.NewReader(stdin), &out)
	if strings.Contains(out.String(), "PATIENT-PAYLOAD") {
		t.Fatalf("the CLI printed a payload:\n%s", out.String())
	}
	return out.String(), err
}

func TestList(t *testing.T) {
	_, env := server(t)
	out, err := run(t, env, "", "dlq", "list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "SEQ") || !strings.HasPrefix(lines[1], "7 ") ||
		!strings.Contains(lines[1], "classifier model not loaded") || !strings.Contains(lines[2], "feedback.classified") ||
		lines[3] != "2 dead letters." {
		t.Fatalf("list:\n%s", out)
	}
	// Columns line up: every row's origin starts where the header's ORIGIN does.
	col := strings.Index(lines[0], "ORIGIN")
	if strings.Index(lines[1], "feedback.received") != col || strings.Index(lines[2], "feedback.classified") != col {
		t.Fatalf("columns do not line up:\n%s", out)
	}
}

func TestShow(t *testing.T) {
	_, env := server(t)
	out, err := run(t, env, "", "dlq", "show", "7")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"seq: 7\n", "message_id: msg-7\n", "origin: feedback.received\n", "handler: classify\n",
		"reason: classifier model not loaded\n", "attempts: 5\n", "dead_lettered_at: 2026-03-02T09:30:00Z\n",
		fmt.Sprintf("payload: %d bytes (not shown: patient data)\n", len(payload))} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if _, err := run(t, env, "", "dlq", "show", "99"); err == nil || !strings.Contains(err.Error(), "no dead letter 99") {
		t.Errorf("show 99: %v", err)
	}
}

func TestReplayWithYesReplays(t *testing.T) {
	store, env := server(t)
	out, err := run(t, env, "", "dlq", "replay", "7", "--yes")
	if err != nil {
		t.Fatal(err)
	}
	if out != "Replayed dead letter 7.\n" || store.Has(7) || len(store.Republished()) != 1 {
		t.Fatalf("replay --yes: %q", out)
	}
}

func TestReplayAnsweredNoDoesNothing(t *testing.T) {
	store, env := server(t)
	for _, answer := range []string{"no\n", "\n", "", "y\n"} {
		out, err := run(t, env, answer, "dlq", "replay", "7")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "Replay dead letter 7 back to feedback.received") || !strings.Contains(out, "Nothing changed.") {
			t.Fatalf("answer %q:\n%s", answer, out)
		}
	}
	if !store.Has(7) || len(store.Republished()) != 0 {
		t.Fatal("a replay that was not confirmed happened")
	}
	if _, err := run(t, env, "yes\n", "dlq", "replay", "7"); err != nil || store.Has(7) {
		t.Fatalf("answering yes did not replay: %v", err)
	}
}

func TestDiscardAsksFirst(t *testing.T) {
	store, env := server(t)
	if out, err := run(t, env, "no\n", "dlq", "discard", "9"); err != nil || !strings.Contains(out, "cannot be undone") || !store.Has(9) {
		t.Fatalf("discard answered no: %v\n%s", err, out)
	}
	if out, err := run(t, env, "", "dlq", "discard", "9", "--yes"); err != nil || out != "Discarded dead letter 9.\n" || store.Has(9) {
		t.Fatalf("discard --yes: %v %q", err, out)
	}
	if len(store.Republished()) != 0 {
		t.Fatal("discard republished")
	}
}

func TestReplayAllReportsFailures(t *testing.T) {
	store, env := server(t)
	store.FailReplay(9, errors.New("nats: timeout"))
	out, err := run(t, env, "yes\n", "dlq", "replay", "--all")
	if err == nil || !strings.Contains(err.Error(), "1 of 2 replays failed") {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(out, "Replay all 2 dead letters") || !strings.Contains(out, "Replayed 1, failed 1.") ||
		!strings.Contains(out, "9: replay failed") || store.Has(7) || !store.Has(9) {
		t.Fatalf("replay --all:\n%s", out)
	}
}

func TestConfigurationAndUsageErrors(t *testing.T) {
	_, env := server(t)
	noToken := func(k string) string {
		if k == "OPS_TOKEN" {
			return ""
		}
		return env(k)
	}
	wrongToken := func(k string) string {
		if k == "OPS_TOKEN" {
			return "wrong"
		}
		return env(k)
	}
	for _, c := range []struct {
		getenv func(string) string
		args   []string
		want   string
	}{
		{noToken, []string{"dlq", "list"}, "OPS_TOKEN is not set"},
		{wrongToken, []string{"dlq", "list"}, "not the operator token"},
		{env, []string{"dlq", "show", "abc"}, "SEQ must be a whole number"},
		{env, []string{"dlq", "replay"}, "usage:"},
		{env, []string{"dlq", "frobnicate"}, "usage:"},
		{env, []string{"dlq", "list", "--force"}, "unknown option --force"},
	} {
		if _, err := run(t, c.getenv, "", c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.args, err, c.want)
		}
	}
}
