package ingest_test

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/rs/zerolog"

	"github.com/signpost/signpost/services/ingest"
	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/bustest"
	"github.com/signpost/signpost/shared/metrics"
	"github.com/signpost/signpost/shared/policy"
	"github.com/signpost/signpost/shared/storetest"
)

// intakeWithItemStore serves intake publishing to a real NATS server, gated on the item store at dsn.
func intakeWithItemStore(t *testing.T, dsn string) (*httptest.Server, bustest.NATS) {
	t.Helper()
	n := bustest.Start(t)
	nc, err := n.Connect("ingest-itemstore-test")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := bus.NewPublisher(nc, watermill.NopLogger{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pub.Close() })
	db, err := ingest.OpenItemStore(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	set, err := policy.Load(policy.Examples())
	if err != nil {
		t.Fatal(err)
	}
	in, err := ingest.New(ingest.Config{FormsPerMinute: 600, FormBurst: 100}, set,
		ingest.RequireItemStore(pub, db.PingContext), n.Topology, metrics.New(), zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	in.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, n
}

const storeSubmission = `{"practice":"charlton-medical-centre","channel":"website_review","text":"Lovely team","submission_id":"itemstore-0001"}`

func TestIntakeAcceptsWhileTheItemStoreAnswers(t *testing.T) {
	_, dsn := storetest.New(t)
	srv, n := intakeWithItemStore(t, dsn)
	if resp := post(t, srv.URL, "application/json", storeSubmission); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("answered %d, want 202", resp.StatusCode)
	}
	if items, _ := published(t, n); len(items) != 1 {
		t.Fatalf("%d items published, want 1", len(items))
	}
}

func TestIntakeRefusesWith503AndPublishesNothingWhileTheItemStoreIsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "postgres://postgres@" + ln.Addr().String() + "/signpost?sslmode=disable&connect_timeout=1"
	ln.Close() // nobody listens there any more
	srv, n := intakeWithItemStore(t, down)
	resp := post(t, srv.URL, "application/json", storeSubmission)
	var p struct {
		Detail string `json:"detail"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&p)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Content-Type") != "application/problem+json" ||
		resp.Header.Get("Retry-After") == "" || !strings.Contains(p.Detail, "send it again") {
		t.Fatalf("answered %d %q Retry-After %q: %q; want 503 saying to send it again", resp.StatusCode,
			resp.Header.Get("Content-Type"), resp.Header.Get("Retry-After"), p.Detail)
	}
	if items, _ := published(t, n); len(items) != 0 {
		t.Fatalf("%d items published while the item store was down", len(items))
	}
}
