package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/signpost/signpost/services/notifier/platform/apierr"
)

// DefaultBaseURL is GOV.UK Notify's API address.
const DefaultBaseURL = "https://api.notifications.service.gov.uk"

// DefaultTimeout bounds each call when Client.HTTP is nil.
const DefaultTimeout = 30 * time.Second

// maxBody is the most of a response body that is read.
const maxBody = 1 << 20

var defaultHTTP = &http.Client{Timeout: DefaultTimeout}

// Client calls GOV.UK Notify. The zero value is ready to use against the real API; set BaseURL to
// a Fake's address in tests. A Client is safe for concurrent use. It never retries by itself: the
// caller decides, with Retryable and RetryAfter.
type Client struct {
	// BaseURL is the API's scheme and host; DefaultBaseURL if empty.
	BaseURL string
	// HTTP sends the requests; a client with a DefaultTimeout timeout if nil.
	HTTP *http.Client
	// Now is the clock for the token's iat claim; time.Now if nil.
	Now func() time.Time
}

// New returns a Client for the real API with the default timeout.
func New() *Client {
	return &Client{BaseURL: DefaultBaseURL, HTTP: &http.Client{Timeout: DefaultTimeout}}
}

// Email is one email to send from a Notify template.
type Email struct {
	// To is the recipient's email address.
	To string
	// TemplateID is the UUID of the email template.
	TemplateID string
	// Personalisation fills the template's ((placeholders)); every placeholder needs a value.
	Personalisation map[string]string
	// Reference is an optional identifier of the caller's, without personal data.
	Reference string
	// EmailReplyToID is the optional UUID of one of the service's reply-to addresses.
	EmailReplyToID string
}

type emailRequest struct {
	EmailAddress    string            `json:"email_address"`
	TemplateID      string            `json:"template_id"`
	Personalisation map[string]string `json:"personalisation,omitempty"`
	Reference       string            `json:"reference,omitempty"`
	EmailReplyToID  string            `json:"email_reply_to_id,omitempty"`
}

// SendEmail asks Notify to send e, authenticating with apiKey, and returns the notification's ID:
// POST {base}/v2/notifications/email. Notify accepts the email with 201 and delivers it later.
func (c *Client) SendEmail(ctx context.Context, apiKey string, e Email) (notificationID string, err error) {
	serviceID, secret, err := ParseAPIKey(apiKey)
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(emailRequest{EmailAddress: e.To, TemplateID: e.TemplateID,
		Personalisation: e.Personalisation, Reference: e.Reference, EmailReplyToID: e.EmailReplyToID})
	if err != nil {
		return "", fmt.Errorf("notify: send email: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL()+"/v2/notifications/email", bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("notify: send email: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+signToken(serviceID, secret, c.now().Unix()))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return "", fmt.Errorf("notify: send email: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return "", fmt.Errorf("notify: send email: reading answer: %w", ctxErr)
		}
		return "", fmt.Errorf("notify: send email: reading answer: %w: %w", apierr.ErrTransport, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", apiError(resp, data, redactions(e)...)
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return "", fmt.Errorf("notify: send email: answer is not the expected JSON (HTTP %d)", resp.StatusCode)
	}
	if out.ID == "" {
		return "", errors.New("notify: send email: answer has no id")
	}
	return out.ID, nil
}

func (c *Client) baseURL() string {
	if c.BaseURL == "" {
		return DefaultBaseURL
	}
	return strings.TrimRight(c.BaseURL, "/")
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultHTTP
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// redactions are the strings of e that must never appear in an error.
func redactions(e Email) []string {
	out := []string{e.To, strings.TrimSpace(e.To)}
	for _, v := range e.Personalisation {
		out = append(out, v)
	}
	return out
}

type errorBody struct {
	StatusCode int `json:"status_code"`
	Errors     []struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	} `json:"errors"`
}

func apiError(resp *http.Response, data []byte, redact ...string) *APIError {
	e := &APIError{Status: resp.StatusCode, RetryAfter: apierr.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	var b errorBody
	if json.Unmarshal(data, &b) == nil && len(b.Errors) > 0 {
		e.Code = apierr.CleanMessage(b.Errors[0].Error, redact...)
		msgs := make([]string, 0, len(b.Errors))
		for _, item := range b.Errors {
			if item.Message != "" {
				msgs = append(msgs, item.Message)
			}
		}
		e.Message = apierr.CleanMessage(strings.Join(msgs, "; "), redact...)
	}
	return e
}
