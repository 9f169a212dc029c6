package faults

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/signpost/signpost/services/notifier/platform/graph"
	"github.com/signpost/signpost/services/notifier/platform/notify"
	"github.com/signpost/signpost/shared/storetest"
)

const (
	fbSecret   = "faults-facebook-app-secret"
	pageID     = "100000000000202" // Trent Meadows and Stretton's Facebook page in the shipped policies
	pageToken  = "faults-page-access-token"
	notifyKey  = "faults_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"
	templateID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
)

// pipeline is ingest, classifier and notifier, each its own process, over one NATS server and one
// Postgres database, delivering to local fakes of the Graph API and GOV.UK Notify.
type pipeline struct {
	t      *testing.T
	db     *sqlx.DB // the test's own connection, straight to the database, for checks
	nats   *natsServer
	graph  *graph.Fake
	notify *notify.Fake
	// env is what every service starts with; change it (NATS_URL, DATABASE_URL through a fault
	// proxy, say) before start. Per-service settings go in serviceEnv.
	env        map[string]string
	serviceEnv map[string]map[string]string
	ingest     *service
	classifier *service
	notifier   *service
}

// newPipeline prepares a pipeline on a fresh database of the shared Postgres and a NATS server of
// its own; extra overrides the services' settings. Call start to run the services.
func newPipeline(t *testing.T, extra map[string]string) *pipeline {
	t.Helper()
	db, dsn := storetest.New(t)
	return newPipelineOn(t, db, dsn, extra)
}

// newPipelineOn is newPipeline on a database the test provides.
func newPipelineOn(t *testing.T, db *sqlx.DB, dsn string, extra map[string]string) *pipeline {
	t.Helper()
	p := &pipeline{t: t, db: db, nats: startNATS(t), serviceEnv: map[string]map[string]string{},
		graph: &graph.Fake{Token: pageToken, PageID: pageID}, notify: &notify.Fake{APIKey: notifyKey}}
	p.notify.AddTemplate(templateID, "A message from your GP practice", "((body))")
	graphSrv, notifySrv := httptest.NewServer(p.graph), httptest.NewServer(p.notify)
	t.Cleanup(graphSrv.Close)
	t.Cleanup(notifySrv.Close)

	creds := map[string]map[string]string{}
	for _, org := range []string{"charlton-medical-centre", "trent-meadows-stretton"} {
		creds[org] = map[string]string{"facebook_page_access_token": pageToken, "notify_api_key": notifyKey,
			"notify_template_id": templateID}
	}
	credsFile := filepath.Join(t.TempDir(), "credentials.json")
	raw, _ := json.Marshal(creds)
	if err := os.WriteFile(credsFile, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	p.env = map[string]string{
		"NATS_URL": p.nats.URL(), "DATABASE_URL": dsn, "LOG_LEVEL": "warn", "LOG_FORMAT": "json",
		"BUS_ACK_WAIT": "5s", "BUS_RETRY_INTERVAL": "10ms", "BUS_REDELIVERY_DELAY": "200ms",
		// Tests post hundreds of items a second from one address.
		"FORM_RATE_PER_MINUTE": "1000000", "FORM_RATE_BURST": "1000000",
		"FACEBOOK_APP_SECRET": fbSecret, "NOTIFIER_CREDENTIALS_FILE": credsFile,
		"GRAPH_API_BASE_URL": graphSrv.URL, "NOTIFY_API_BASE_URL": notifySrv.URL,
		"DELIVERY_POLL": "20ms", "DELIVERY_BACKOFF": "50ms",
		// A worker that lost Postgres mid-batch leaves messages claimed; they are taken again this
		// long after (the fakes answer in milliseconds, so no live send takes this long).
		"DELIVERY_INTERRUPTED": "3s",
	}
	maps.Copy(p.env, extra)
	p.ingest = p.newService("ingest")
	p.classifier = p.newService("classifier")
	p.notifier = p.newService("notifier")
	return p
}

func (p *pipeline) newService(name string) *service {
	s := &service{addr: freeAddr(p.t)}
	s.process = newProcess(p.t, name, func() []string {
		env := os.Environ()
		for k, v := range p.env {
			env = append(env, k+"="+v)
		}
		for k, v := range p.serviceEnv[name] {
			env = append(env, k+"="+v)
		}
		return append(env, "HTTP_ADDR="+s.addr)
	})
	return s
}

// setFor sets one service's own setting (its database URL through a proxy, say).
func (p *pipeline) setFor(service, key, value string) {
	if p.serviceEnv[service] == nil {
		p.serviceEnv[service] = map[string]string{}
	}
	p.serviceEnv[service][key] = value
}

// start runs the services, classifier and notifier first so that their consumers exist, and
// waits until each is ready.
func (p *pipeline) start() {
	p.t.Helper()
	for _, s := range p.services() {
		s.start()
		s.waitReady()
	}
	p.t.Cleanup(p.stop) // before anything started earlier (fault proxies, NATS) goes away
}

// stop shuts the services down in order, intake first.
func (p *pipeline) stop() {
	for _, s := range []*service{p.ingest, p.classifier, p.notifier} {
		if !s.running() {
			continue
		}
		reportStop(p.t, s.process, s.stop(syscall.SIGINT, 30*time.Second))
	}
}

func (p *pipeline) services() []*service { return []*service{p.classifier, p.notifier, p.ingest} }

// emailsByRecipient counts the emails Notify accepted per address.
func (p *pipeline) emailsByRecipient() map[string]int {
	n := map[string]int{}
	for _, e := range p.notify.Sent() {
		n[e.To]++
	}
	return n
}

// repliesByComment counts the private replies Facebook delivered per comment, and the requests
// the notifier made for each (a second request is refused by Facebook, but shows a second try).
func (p *pipeline) repliesByComment() (delivered, requested map[string]int) {
	delivered, requested = map[string]int{}, map[string]int{}
	for _, r := range p.graph.Sent() {
		delivered[r.CommentID]++
	}
	for _, r := range p.graph.Requests() {
		if r.Method != http.MethodPost || filepath.Base(r.Path) != "messages" {
			continue
		}
		var params struct {
			Recipient struct {
				CommentID string `json:"comment_id"`
			} `json:"recipient"`
		}
		if json.Unmarshal(r.Body, &params) == nil && params.Recipient.CommentID != "" {
			requested[params.Recipient.CommentID]++
		}
	}
	return delivered, requested
}

// sortedKeys lists a map's keys in order, for stable messages.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
