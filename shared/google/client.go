package google

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultBaseURL is the Business Profile API endpoint used when Client.BaseURL is empty.
const DefaultBaseURL = "https://mybusiness.googleapis.com"

// MaxReplyBytes is the longest reply the API accepts, in bytes of UTF-8.
const MaxReplyBytes = 4096

// maxResponseBytes bounds how much of an answer is read.
const maxResponseBytes = 1 << 20

// defaultHTTP is used when Client.HTTP is nil: unlike http.DefaultClient it has a timeout.
var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

// Client calls the Business Profile API v4 reviews methods. The zero value talks to
// DefaultBaseURL with a 30-second timeout. Access tokens are passed per call (OAuth 2.0, scope
// https://www.googleapis.com/auth/business.manage); obtaining them is the caller's business.
type Client struct {
	// BaseURL is the API's scheme and host, without /v4 (a Fake's httptest server URL in tests).
	BaseURL string
	// HTTP sends the requests; nil means a client with a 30-second timeout.
	HTTP *http.Client
}

// Review fetches the review with the given resource name. Errors: ErrInvalidName or
// ErrNoAccessToken before sending; an *APIError matching ErrNotFound (404) or ErrUnauthorized
// (401, 403), or with another status; ErrBadResponse; a network failure. See Retryable.
func (c *Client) Review(ctx context.Context, accessToken, name string) (Review, error) {
	if !ValidReviewName(name) {
		return Review{}, ErrInvalidName
	}
	var w apiReview
	if err := c.do(ctx, http.MethodGet, accessToken, "/v4/"+name, nil, &w); err != nil {
		return Review{}, err
	}
	return w.review(name)
}

// Reply sets the location owner's public reply to the named review, replacing any earlier reply.
// A comment that is blank, not UTF-8 (ErrInvalidReply) or over MaxReplyBytes (ErrReplyTooLong)
// is refused without sending anything. Other errors are those of Review.
func (c *Client) Reply(ctx context.Context, accessToken, name, comment string) error {
	switch {
	case !ValidReviewName(name):
		return ErrInvalidName
	case !utf8.ValidString(comment) || strings.TrimSpace(comment) == "":
		return ErrInvalidReply
	case len(comment) > MaxReplyBytes:
		return fmt.Errorf("%w: %d bytes, at most %d are accepted", ErrReplyTooLong, len(comment), MaxReplyBytes)
	}
	body, err := json.Marshal(apiReply{Comment: comment})
	if err != nil {
		return fmt.Errorf("google: encoding reply: %w", err)
	}
	var answer apiReply
	return c.do(ctx, http.MethodPut, accessToken, "/v4/"+name+"/reply", body, &answer)
}

// do sends one request and decodes a 2xx answer into out.
func (c *Client) do(ctx context.Context, method, accessToken, path string, body []byte, out any) error {
	if accessToken == "" {
		return ErrNoAccessToken
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL()+path, rd)
	if err != nil {
		return fmt.Errorf("google: building request (check BaseURL): %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	httpClient := c.HTTP
	if httpClient == nil {
		httpClient = defaultHTTP
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return &transportError{err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return &transportError{err: err}
	}
	tooLarge := len(data) > maxResponseBytes
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if tooLarge {
			data = nil
		}
		return newAPIError(resp.StatusCode, data)
	}
	if tooLarge {
		return fmt.Errorf("%w: answer over %d bytes", ErrBadResponse, maxResponseBytes)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%w: answer is not the documented JSON", ErrBadResponse)
	}
	return nil
}

func (c *Client) baseURL() string {
	if c.BaseURL == "" {
		return DefaultBaseURL
	}
	return strings.TrimRight(c.BaseURL, "/")
}

// newAPIError reads the documented {"error": {"code", "message", "status"}} body when there is one.
func newAPIError(status int, body []byte) *APIError {
	e := &APIError{Status: status, Message: http.StatusText(status)}
	var b apiErrorBody
	if json.Unmarshal(body, &b) == nil {
		e.Code = b.Error.Status
		if m := strings.TrimSpace(b.Error.Message); m != "" {
			e.Message = truncateUTF8(m, 200)
		}
	}
	return e
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
