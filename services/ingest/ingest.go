// Package ingest takes in what patients say, from every channel, and publishes it as
// feedback.received (or feedback.removed). A sender hears "accepted" only once JetStream has
// acknowledged every event of its request, so nothing acknowledged is lost; every rejection is
// problem+json saying what is wrong, and publishes nothing.
package ingest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/rs/zerolog"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/signpost/signpost/schemas"
	"github.com/signpost/signpost/services/ingest/internal/facebook"
	"github.com/signpost/signpost/services/ingest/internal/ratelimit"
	"github.com/signpost/signpost/shared/config"
	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/google"
	"github.com/signpost/signpost/shared/httpx"
	"github.com/signpost/signpost/shared/metrics"
	"github.com/signpost/signpost/shared/policy"
)

// MaxBody is the largest JSON or form body accepted.
const MaxBody = 64 << 10

// Config holds the intake's secrets and limits.
type Config struct {
	// IntakeToken lets staff and tools send paper FFT cards and reviews found on other sites.
	IntakeToken string
	// FormsPerMinute and FormBurst limit each client's form and API submissions.
	FormsPerMinute, FormBurst int
	// RequestsPerMinute and RequestBurst limit each client's other requests: webhook deliveries,
	// staff imports and form pages (0: DefaultRequestsPerMinute and DefaultRequestBurst).
	RequestsPerMinute, RequestBurst int
	// TrustProxy takes the client address from X-Forwarded-For (only behind a proxy that sets it).
	TrustProxy bool
	// FrameAncestors may embed the forms (a CSP frame-ancestors value, e.g. "https://practice.example").
	FrameAncestors string
	// FacebookAppSecret verifies webhook signatures; FacebookVerifyToken answers the handshake.
	FacebookAppSecret, FacebookVerifyToken string
	// GooglePushToken authenticates review notifications; Google fetches reviews with the
	// organisation's access token from GoogleTokens.
	GooglePushToken string
	Google          *google.Client
	GoogleTokens    map[string]string
}

// Ingest is the intake.
type Ingest struct {
	cfg      Config
	policies *policy.Set
	pub      message.Publisher
	topo     event.Topology
	log      zerolog.Logger
	now      func() time.Time
	limiter  *ratelimit.Limiter // submissions: forms and the JSON API
	requests *ratelimit.Limiter // everything else
	metrics  *metrics.Metrics
	schemas  map[string]*jsonschema.Schema // request body schemas by path
}

// New builds the intake; pub must publish durably (bus.NewPublisher).
func New(cfg Config, policies *policy.Set, pub message.Publisher, topo event.Topology, m *metrics.Metrics, log zerolog.Logger) (*Ingest, error) {
	rs, err := httpx.LoadRequestSchemas(schemas.OpenAPI, "openapi/ingest.json")
	if err != nil {
		return nil, fmt.Errorf("intake API description: %w", err)
	}
	in := &Ingest{cfg: cfg, policies: policies, pub: pub, topo: topo, metrics: m, log: log, now: time.Now,
		limiter: ratelimit.New(cfg.FormsPerMinute, cfg.FormBurst, cfg.TrustProxy), schemas: map[string]*jsonschema.Schema{}}
	if cfg.RequestsPerMinute <= 0 || cfg.RequestBurst <= 0 {
		cfg.RequestsPerMinute, cfg.RequestBurst = DefaultRequestsPerMinute, DefaultRequestBurst
	}
	in.requests = ratelimit.New(cfg.RequestsPerMinute, cfg.RequestBurst, cfg.TrustProxy)
	for _, path := range []string{"/v1/submissions", "/v1/third-party-reviews"} {
		if in.schemas[path], err = rs.For("post", path); err != nil {
			return nil, fmt.Errorf("intake API description, POST %s: %w", path, err)
		}
	}
	return in, nil
}

// Routes adds the intake's endpoints to mux.
func (in *Ingest) Routes(mux *http.ServeMux) {
	mux.Handle("POST /v1/submissions", in.limited(in.submit()))
	mux.Handle("POST /v1/third-party-reviews", in.throttled(in.staffOnly(in.thirdParty())))
	mux.Handle("POST /v1/practices/{practice}/fft-cards", in.throttled(in.staffOnly(in.fftCards())))
	mux.Handle("GET /practices/{practice}/{form}", in.throttled(in.showForm()))
	mux.Handle("POST /practices/{practice}/{form}", in.limitedForm(in.sendForm()))
	mux.Handle("GET /practices/{practice}/{form}/thanks", in.throttled(in.thanks()))
	mux.Handle("GET /forms.css", in.throttled(http.HandlerFunc(stylesheet)))
	mux.Handle("GET /webhooks/facebook", in.throttled(facebook.Handshake(in.cfg.FacebookVerifyToken)))
	mux.Handle("POST /webhooks/facebook", in.throttled(in.facebookChanges()))
	mux.Handle("POST /webhooks/google", in.throttled(in.googleNotification()))
}

// ReadConfig reads the intake's settings; the README lists them.
func ReadConfig(env *config.Env) Config {
	tokens, err := readTokens(env.String("GOOGLE_TOKENS_FILE", ""))
	if err != nil {
		env.Fail("GOOGLE_TOKENS_FILE", err.Error())
	}
	return Config{
		FacebookAppSecret:   env.String("FACEBOOK_APP_SECRET", ""),
		FacebookVerifyToken: env.String("FACEBOOK_VERIFY_TOKEN", ""),
		GooglePushToken:     env.String("GOOGLE_PUSH_TOKEN", ""),
		Google:              &google.Client{BaseURL: env.URL("GOOGLE_API_BASE_URL", google.DefaultBaseURL, "https", "http")},
		GoogleTokens:        tokens,
		IntakeToken:         env.String("INGEST_API_TOKEN", ""),
		FormsPerMinute:      env.Int("FORM_RATE_PER_MINUTE", 20, 1),
		FormBurst:           env.Int("FORM_RATE_BURST", 10, 1),
		RequestsPerMinute:   env.Int("REQUEST_RATE_PER_MINUTE", DefaultRequestsPerMinute, 1),
		RequestBurst:        env.Int("REQUEST_RATE_BURST", DefaultRequestBurst, 1),
		TrustProxy:          env.OneOf("TRUST_PROXY", "false", "true", "false") == "true",
		FrameAncestors:      env.String("FORM_FRAME_ANCESTORS", "*"),
	}
}

// readTokens reads the organisations' Google access tokens: a JSON object of organisation slug to
// token. An empty path means none (Google intake then answers 503 until they are set).
func readTokens(path string) (map[string]string, error) {
	if path == "" {
		return map[string]string{}, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var tokens map[string]string
	if err := json.Unmarshal(raw, &tokens); err != nil {
		return nil, fmt.Errorf("want a JSON object of organisation to access token: %w", err)
	}
	return tokens, nil
}
