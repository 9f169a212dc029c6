package inbox_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/rs/zerolog"

	"github.com/signpost/signpost/services/inbox"
	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/bustest"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
	"github.com/signpost/signpost/shared/storetest"
)

// testCost is real argon2id at a cost that keeps tests quick (1 MiB, 1 pass); the product's
// default is OWASP's minimum.
var testCost = inbox.PasswordCost{MemoryKiB: 1024, Passes: 1, Lanes: 1}

const (
	charlton = "charlton-medical-centre"
	trent    = "trent-meadows-stretton"
	password = "correct horse battery staple"
)

// clock is a settable time for idle timeouts and throttling, so no test sleeps.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type env struct {
	db    *sqlx.DB
	dsn   string
	srv   *httptest.Server
	in    *inbox.Inbox
	nats  bustest.NATS
	clock *clock
	logs  *strings.Builder
}

// start runs the inbox on a fresh database; opts change its configuration.
func start(t *testing.T, opts ...func(*inbox.Config)) *env {
	t.Helper()
	db, dsn := storetest.New(t)
	n := bustest.Start(t)
	policies, err := policy.Load(policy.Examples())
	if err != nil {
		t.Fatal(err)
	}
	nc, err := n.Connect("inbox-test")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := bus.NewPublisher(nc, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pub.Close() })
	for _, org := range []string{charlton, trent} {
		if err := inbox.AddOrganisation(context.Background(), db, policies, org); err != nil {
			t.Fatal(err)
		}
	}
	c := &clock{now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	logs := &strings.Builder{}
	var mu sync.Mutex
	logger := zerolog.New(zerolog.SyncWriter(writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return logs.Write(p) })))
	cfg := inbox.Config{InsecureCookies: true, IdleTimeout: 30 * time.Minute, SessionMax: 12 * time.Hour,
		DatabaseURL: dsn, Now: c.Now, PasswordCost: testCost}
	for _, o := range opts {
		o(&cfg)
	}
	in := inbox.New(db, policies, cfg, pub, n.Topology, logger)
	mux := http.NewServeMux()
	in.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{db: db, dsn: dsn, srv: srv, in: in, nats: n, clock: c, logs: logs}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func (e *env) user(t *testing.T, org, email, role string) {
	t.Helper()
	if err := testCost.AddUser(context.Background(), e.db, org, email, role, password); err != nil {
		t.Fatal(err)
	}
}

// person is a browser: a cookie jar that does not follow redirects, so each answer can be checked.
type person struct {
	t      *testing.T
	e      *env
	client *http.Client
	csrf   string
}

func (e *env) person(t *testing.T) *person {
	jar, _ := cookiejar.New(nil)
	return &person{t: t, e: e, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (p *person) do(req *http.Request) (int, string, http.Header) {
	p.t.Helper()
	req.Header.Set("Origin", p.e.srv.URL)
	resp, err := p.client.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	body := string(b)
	if m := csrfField.FindStringSubmatch(body); m != nil {
		p.csrf = m[1]
	}
	return resp.StatusCode, body, resp.Header
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (p *person) get(path string) (int, string, http.Header) {
	req, _ := http.NewRequest(http.MethodGet, p.e.srv.URL+path, nil)
	return p.do(req)
}

// post sends a form with the CSRF token of the last page seen (unless the form sets csrf itself).
func (p *person) post(path string, form url.Values) (int, string, http.Header) {
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", p.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, p.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return p.do(req)
}

func (p *person) signIn(email string) {
	p.t.Helper()
	status, _, h := p.post("/inbox/sign-in", url.Values{"email": {email}, "password": {password}})
	if status != http.StatusSeeOther || h.Get("Location") != "/inbox" {
		p.t.Fatalf("sign-in answered %d to %q", status, h.Get("Location"))
	}
	p.get("/inbox/views/respond") // a page, for the CSRF token
}

// item stores an item as the pipeline would (classifier and notifier, as the tables' owner).
type item struct {
	org, practice, channel, text, rating, route string
	flags                                       []string
	kinds                                       []string
	needsReview                                 bool
	reply                                       string
	sourceID                                    string
	writtenAt                                   time.Time
}

func (e *env) store(t *testing.T, it item) uuid.UUID {
	t.Helper()
	if it.sourceID == "" {
		it.sourceID = uuid.NewString()
	}
	if it.writtenAt.IsZero() {
		it.writtenAt = time.Now()
	}
	if it.flags == nil {
		it.flags = []string{}
	}
	id := feedback.ItemID(it.org, feedback.Channel(it.channel), it.sourceID)
	mustExec(t, e.db, `INSERT INTO items (id, organisation, practice, channel, source_id, body, rating, written_at, first_written_at, correlation_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 'corr-1')`, id, it.org, it.practice, it.channel, it.sourceID, it.text, it.rating, it.writtenAt)
	if it.route != "" {
		mustExec(t, e.db, `INSERT INTO decisions (item_id, organisation, route, flags, confidence, needs_review, reasons, model_version)
			VALUES ($1, $2, $3, $4, 0.9, $5, '{"a reason"}', 'test-model')`, id, it.org, it.route, pq.Array(it.flags), it.needsReview)
	}
	for _, k := range it.kinds {
		priority, reply := "normal", ""
		if k == "urgent" {
			priority = "urgent"
		}
		if k == "respond" || k == "signpost" {
			reply = it.reply
		}
		mustExec(t, e.db, `INSERT INTO inbox_entries (id, item_id, organisation, practice, kind, priority, suggested_reply)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, uuid.New(), id, it.org, it.practice, k, priority, reply)
	}
	return id
}

func mustExec(t *testing.T, db *sqlx.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, db *sqlx.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Get(&n, q, args...); err != nil {
		t.Fatal(err)
	}
	return n
}
