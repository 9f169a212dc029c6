package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/signpost/signpost/services/notifier/platform/apierr"
)

// DefaultBaseURL is the Graph API's address.
const DefaultBaseURL = "https://graph.facebook.com"

// DefaultVersion is the Graph API version used when Client.Version is empty.
const DefaultVersion = "v21.0"

// DefaultTimeout bounds each call when Client.HTTP is nil.
const DefaultTimeout = 30 * time.Second

// maxBody is the most of a response body that is read.
const maxBody = 1 << 20

var defaultHTTP = &http.Client{Timeout: DefaultTimeout}

// Client calls the Graph API. The zero value is ready to use against the real API; set BaseURL
// to a Fake's address in tests. A Client is safe for concurrent use. It never retries by itself:
// the caller decides, with Retryable and RetryAfter.
type Client struct {
	// BaseURL is the API's scheme and host, without the version; DefaultBaseURL if empty.
	BaseURL string
	// Version is the Graph API version path element, such as "v21.0"; DefaultVersion if empty.
	Version string
	// HTTP sends the requests; a client with a DefaultTimeout timeout if nil.
	HTTP *http.Client
}

// New returns a Client for the real API with the default version and timeout.
func New() *Client {
	return &Client{BaseURL: DefaultBaseURL, Version: DefaultVersion, HTTP: &http.Client{Timeout: DefaultTimeout}}
}

// PrivateReply sends text as a Messenger private reply to the author of a comment on the Page:
// POST {base}/{version}/{pageID}/messages with {"recipient":{"comment_id":…},"message":{"text":…}}.
// It returns the message ID Facebook assigned. A second reply to the same comment fails with
// ErrAlreadyReplied, and a reply to a comment older than 7 days with ErrReplyWindowClosed.
func (c *Client) PrivateReply(ctx context.Context, pageID, pageAccessToken, commentID, text string) (messageID string, err error) {
	if commentID == "" {
		return "", errors.New("graph: private reply: comment ID is required")
	}
	return c.privateReply(ctx, pageID, pageAccessToken, recipient{CommentID: commentID}, text)
}

// PrivateReplyToPost is PrivateReply for a visitor post on the Page rather than a comment: the
// recipient is {"post_id":…}. The same one-reply and 7-day rules apply.
func (c *Client) PrivateReplyToPost(ctx context.Context, pageID, pageAccessToken, postID, text string) (messageID string, err error) {
	if postID == "" {
		return "", errors.New("graph: private reply: post ID is required")
	}
	return c.privateReply(ctx, pageID, pageAccessToken, recipient{PostID: postID}, text)
}

type recipient struct {
	CommentID string `json:"comment_id,omitempty"`
	PostID    string `json:"post_id,omitempty"`
}

type sendRequest struct {
	Recipient recipient `json:"recipient"`
	Message   struct {
		Text string `json:"text"`
	} `json:"message"`
}

type sendResponse struct {
	RecipientID string `json:"recipient_id"`
	MessageID   string `json:"message_id"`
}

func (c *Client) privateReply(ctx context.Context, pageID, token string, to recipient, text string) (string, error) {
	switch {
	case pageID == "":
		return "", errors.New("graph: private reply: page ID is required")
	case token == "":
		return "", errors.New("graph: private reply: page access token is required")
	case strings.TrimSpace(text) == "":
		return "", errors.New("graph: private reply: text is empty")
	}
	var req sendRequest
	req.Recipient = to
	req.Message.Text = text
	body, err := json.Marshal(req)
	if err != nil {
		return "", fmt.Errorf("graph: private reply: %w", err)
	}
	var resp sendResponse
	if err := c.post(ctx, "private reply", token, c.url(pageID, "messages"), "application/json", body, &resp, text); err != nil {
		return "", err
	}
	if resp.MessageID == "" {
		return "", errors.New("graph: private reply: answer has no message_id")
	}
	return resp.MessageID, nil
}

// HideComment hides a comment on the Page from everyone but its author and their friends:
// POST {base}/{version}/{commentID} with the form is_hidden=true. Hiding a hidden comment
// succeeds again.
func (c *Client) HideComment(ctx context.Context, pageAccessToken, commentID string) error {
	switch {
	case commentID == "":
		return errors.New("graph: hide comment: comment ID is required")
	case pageAccessToken == "":
		return errors.New("graph: hide comment: page access token is required")
	}
	form := url.Values{"is_hidden": {"true"}}
	var resp struct {
		Success bool `json:"success"`
	}
	if err := c.post(ctx, "hide comment", pageAccessToken, c.url(commentID), "application/x-www-form-urlencoded",
		[]byte(form.Encode()), &resp); err != nil {
		return err
	}
	if !resp.Success {
		return errors.New("graph: hide comment: answer did not report success")
	}
	return nil
}

func (c *Client) url(elems ...string) string {
	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	version := c.Version
	if version == "" {
		version = DefaultVersion
	}
	var b strings.Builder
	b.WriteString(strings.TrimRight(base, "/"))
	b.WriteString("/")
	b.WriteString(url.PathEscape(version))
	for _, e := range elems {
		b.WriteString("/")
		b.WriteString(url.PathEscape(e))
	}
	return b.String()
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultHTTP
}

// post sends body and decodes a 2xx answer into out, or returns an *APIError. redact lists
// strings that must not appear in an error.
func (c *Client) post(ctx context.Context, op, token, target, contentType string, body []byte, out any, redact ...string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("graph: %s: %w", op, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("graph: %s: %w", op, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("graph: %s: reading answer: %w", op, ctxErr)
		}
		return fmt.Errorf("graph: %s: reading answer: %w: %w", op, apierr.ErrTransport, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return apiError(resp, data, redact...)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("graph: %s: answer is not the expected JSON (HTTP %d)", op, resp.StatusCode)
	}
	return nil
}

type errorBody struct {
	Error *struct {
		Message     string `json:"message"`
		Type        string `json:"type"`
		Code        int    `json:"code"`
		Subcode     int    `json:"error_subcode"`
		IsTransient bool   `json:"is_transient"`
		TraceID     string `json:"fbtrace_id"`
	} `json:"error"`
}

func apiError(resp *http.Response, data []byte, redact ...string) *APIError {
	e := &APIError{Status: resp.StatusCode, RetryAfter: apierr.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	var b errorBody
	if json.Unmarshal(data, &b) == nil && b.Error != nil {
		e.Code = b.Error.Code
		e.Subcode = b.Error.Subcode
		e.Type = apierr.CleanMessage(b.Error.Type, redact...)
		e.Message = apierr.CleanMessage(b.Error.Message, redact...)
		e.Transient = b.Error.IsTransient
		e.TraceID = apierr.CleanMessage(b.Error.TraceID, redact...)
	}
	return e
}
