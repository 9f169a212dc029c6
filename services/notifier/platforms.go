package notifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/signpost/signpost/services/notifier/internal/delivery"
	"github.com/signpost/signpost/services/notifier/platform/graph"
	"github.com/signpost/signpost/services/notifier/platform/notify"
	"github.com/signpost/signpost/shared/config"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/google"
	"github.com/signpost/signpost/shared/metrics"
)

// Credentials are one organisation's keys to the platforms.
type Credentials struct {
	FacebookPageAccessToken string `json:"facebook_page_access_token"`
	NotifyAPIKey            string `json:"notify_api_key"`
	// NotifyTemplateID is a GOV.UK Notify email template whose body is ((body)): Signpost writes
	// the message from the organisation's policy templates.
	NotifyTemplateID  string `json:"notify_template_id"`
	GoogleAccessToken string `json:"google_access_token"`
}

// DeliveryConfig says where the platforms are and how hard to try.
type DeliveryConfig struct {
	Credentials   map[string]Credentials
	GraphBaseURL  string
	NotifyBaseURL string
	GoogleBaseURL string
	Poll          time.Duration
	MaxAttempts   int
	BackoffBase   time.Duration
	// Interrupted is how long a claimed or sending message waits before it is taken for abandoned.
	Interrupted time.Duration
}

// ReadDeliveryConfig reads the delivery settings; the README lists them.
func ReadDeliveryConfig(env *config.Env) DeliveryConfig {
	creds := map[string]Credentials{}
	if path := env.String("NOTIFIER_CREDENTIALS_FILE", ""); path != "" {
		if raw, err := os.ReadFile(path); err != nil {
			env.Fail("NOTIFIER_CREDENTIALS_FILE", err.Error())
		} else if err := json.Unmarshal(raw, &creds); err != nil {
			env.Fail("NOTIFIER_CREDENTIALS_FILE", "want a JSON object of organisation to credentials: "+err.Error())
		}
	}
	return DeliveryConfig{
		Credentials:   creds,
		GraphBaseURL:  env.URL("GRAPH_API_BASE_URL", graph.DefaultBaseURL, "https", "http"),
		NotifyBaseURL: env.URL("NOTIFY_API_BASE_URL", notify.DefaultBaseURL, "https", "http"),
		GoogleBaseURL: env.URL("GOOGLE_API_BASE_URL", google.DefaultBaseURL, "https", "http"),
		Poll:          env.Duration("DELIVERY_POLL", time.Second),
		MaxAttempts:   env.Int("DELIVERY_MAX_ATTEMPTS", 8, 1),
		BackoffBase:   env.Duration("DELIVERY_BACKOFF", 5*time.Second),
		Interrupted:   env.Duration("DELIVERY_INTERRUPTED", 2*time.Minute),
	}
}

// notConfigured is retried for a while: someone may be adding the credentials.
func notConfigured(what, org string) error {
	return &delivery.RetryLater{After: 15 * time.Minute, Err: fmt.Errorf("no %s is configured for organisation %s", what, org)}
}

// Worker builds the delivery worker over the real platform clients; m counts platform calls.
func (n *Notifier) Worker(cfg DeliveryConfig, m *metrics.Metrics) *delivery.Worker {
	fb := &graph.Client{BaseURL: cfg.GraphBaseURL}
	mail := &notify.Client{BaseURL: cfg.NotifyBaseURL}
	g := &google.Client{BaseURL: cfg.GoogleBaseURL}
	creds := func(org string) Credentials { return cfg.Credentials[org] }

	privateReply := func(ctx context.Context, m delivery.Message) (string, error) {
		p, ok := n.policies.ForPractice(m.Practice)
		c := creds(m.Organisation)
		switch {
		case !ok || p.Accounts.FacebookPageID == "":
			return "", notConfigured("Facebook page id", m.Organisation)
		case c.FacebookPageAccessToken == "":
			return "", notConfigured("Facebook page access token", m.Organisation)
		}
		send := fb.PrivateReply
		if m.Channel != string(feedback.FacebookComment) {
			send = fb.PrivateReplyToPost
		}
		id, err := send(ctx, p.Accounts.FacebookPageID, c.FacebookPageAccessToken, m.Recipient, m.Body)
		return id, facebookOutcome(err)
	}
	email := func(ctx context.Context, m delivery.Message) (string, error) {
		c := creds(m.Organisation)
		if c.NotifyAPIKey == "" || c.NotifyTemplateID == "" {
			return "", notConfigured("GOV.UK Notify key and template", m.Organisation)
		}
		id, err := mail.SendEmail(ctx, c.NotifyAPIKey, notify.Email{To: m.Recipient, TemplateID: c.NotifyTemplateID,
			Personalisation: map[string]string{"body": m.Body}, Reference: m.ID.String()})
		return id, emailOutcome(err, m.ID.String())
	}
	hide := func(ctx context.Context, org, commentID string) error {
		c := creds(org)
		if c.FacebookPageAccessToken == "" {
			return notConfigured("Facebook page access token", org)
		}
		return facebookOutcome(fb.HideComment(ctx, c.FacebookPageAccessToken, commentID))
	}
	reply := func(ctx context.Context, org, review, body string) error {
		c := creds(org)
		if c.GoogleAccessToken == "" {
			return notConfigured("Google access token", org)
		}
		err := g.Reply(ctx, c.GoogleAccessToken, review, body)
		if google.Retryable(err) {
			return &delivery.RetryLater{Err: err}
		}
		return err
	}
	return &delivery.Worker{DB: n.db, Log: n.log, Now: time.Now, Batch: 50, Poll: cfg.Poll, MaxAttempts: cfg.MaxAttempts,
		Interrupted: cfg.Interrupted, BackoffBase: cfg.BackoffBase, Hide: hide, Reply: reply,
		Senders: map[string]delivery.Sender{"facebook_private_reply": privateReply, "email": email},
		Observe: func(platform, outcome string) { m.PlatformCalls.WithLabelValues(platform, outcome).Inc() }}
}

// facebookOutcome turns Graph errors into delivery outcomes.
func facebookOutcome(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, graph.ErrAlreadyReplied):
		return fmt.Errorf("%w (%v)", delivery.ErrAlreadySent, err)
	case graph.Retryable(err):
		return &delivery.RetryLater{After: graph.RetryAfter(err), Err: err}
	}
	return err
}

// emailOutcome retries an email only when it surely did not go out: Notify answered that it did
// not take it (429, 5xx), or the connection was never made. After a timeout or a cut answer it
// may have been sent, and Notify has no idempotency key: it is failed for a person to check,
// rather than risk a second email.
func emailOutcome(err error, reference string) error {
	var apiErr *notify.APIError
	var opErr *net.OpError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &apiErr) && notify.Retryable(err):
		return &delivery.RetryLater{After: notify.RetryAfter(err), Err: err}
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return &delivery.RetryLater{Err: err}
	case notify.Retryable(err):
		return fmt.Errorf("the email may have reached GOV.UK Notify (%v), so it was not sent again; check Notify for reference %s", err, reference)
	}
	return err
}
