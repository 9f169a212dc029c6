package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxTextRunes is the longest text message the Send API takes.
const maxTextRunes = 2000

// readParams merges the query and the body (JSON or form) into one set of parameters, as the
// Graph API does. A JSON value that is not a string keeps its JSON text, so that recipient and
// message read the same whether they came as JSON objects or as form fields holding JSON.
func readParams(r *http.Request, body []byte) (map[string]string, error) {
	params := map[string]string{}
	for k, v := range r.URL.Query() {
		params[k] = v[0]
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return params, nil
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "application/json":
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil {
			return nil, errors.New("the request body is not a JSON object")
		}
		for k, raw := range fields {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				params[k] = s
			} else {
				params[k] = string(raw)
			}
		}
	case "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, errors.New("the request body is not a valid form")
		}
		for k, v := range form {
			params[k] = v[0]
		}
	default:
		return nil, errors.New("unsupported Content-Type " + strconv.Quote(mediaType))
	}
	return params, nil
}

func accessToken(r *http.Request, params map[string]string) string {
	if scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok &&
		(strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "OAuth")) {
		return strings.TrimSpace(token)
	}
	return params["access_token"]
}

func objectNotFound(id string) answer {
	return graphError(http.StatusBadRequest, CodeInvalidParameter, SubcodeObjectNotFound, "GraphMethodException",
		"Unsupported post request. Object with ID '"+id+"' does not exist, cannot be loaded due to missing permissions, "+
			"or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api")
}

func invalidParam(msg string) answer {
	return graphError(http.StatusBadRequest, CodeInvalidParameter, 0, "OAuthException", "(#100) "+msg)
}

// privateReply serves POST /{version}/{page-id}/messages. The caller holds f.mu.
func (f *Fake) privateReply(pageID string, params map[string]string) answer {
	if f.PageID != "" && pageID != f.PageID {
		return objectNotFound(pageID)
	}
	rawRecipient, ok := params["recipient"]
	if !ok {
		return invalidParam("The parameter recipient is required")
	}
	var to struct {
		CommentID string `json:"comment_id"`
		PostID    string `json:"post_id"`
	}
	if json.Unmarshal([]byte(rawRecipient), &to) != nil {
		return invalidParam("param recipient must be a JSON object")
	}
	if (to.CommentID == "") == (to.PostID == "") {
		return invalidParam("A private reply needs exactly one of recipient.comment_id and recipient.post_id")
	}
	rawMessage, ok := params["message"]
	if !ok {
		return invalidParam("The parameter message is required")
	}
	var msg struct {
		Text *string `json:"text"`
	}
	if json.Unmarshal([]byte(rawMessage), &msg) != nil {
		return invalidParam("param message must be a JSON object")
	}
	switch {
	case msg.Text == nil || strings.TrimSpace(*msg.Text) == "":
		return invalidParam("Message cannot be empty, must provide valid attachment or text")
	case utf8.RuneCountInString(*msg.Text) > maxTextRunes:
		return invalidParam("Length of param message[text] must be less than or equal to 2000")
	}
	id, wantPost := to.CommentID, false
	if id == "" {
		id, wantPost = to.PostID, true
	}
	obj := f.objects[id]
	if obj == nil || obj.post != wantPost {
		return objectNotFound(id)
	}
	if obj.replied {
		return graphError(http.StatusBadRequest, CodeAlreadyReplied, 0, "OAuthException", "(#10900) Activity already replied to")
	}
	now := f.now()
	if now.Sub(obj.createdAt) > ReplyWindow {
		return graphError(http.StatusBadRequest, CodePermission, SubcodeOutsideWindow, "OAuthException",
			"(#10) This message is sent outside of allowed window.")
	}
	obj.replied = true
	reply := Reply{PageID: pageID, CommentID: to.CommentID, PostID: to.PostID, Text: *msg.Text,
		RecipientID: obj.psid, MessageID: "m_" + randomString(40), At: now}
	f.replies = append(f.replies, reply)
	return answer{status: http.StatusOK, body: map[string]string{"recipient_id": reply.RecipientID, "message_id": reply.MessageID}}
}

// update serves POST /{version}/{object-id}; the fake can only change is_hidden. The caller holds
// f.mu.
func (f *Fake) update(id string, params map[string]string) answer {
	obj := f.objects[id]
	if obj == nil {
		return objectNotFound(id)
	}
	raw, ok := params["is_hidden"]
	if !ok {
		return invalidParam("The parameter is_hidden is required: it is the only field this fake updates")
	}
	hide, err := strconv.ParseBool(raw)
	if err != nil {
		return invalidParam("Param is_hidden must be a boolean")
	}
	switch {
	case hide && !obj.hidden:
		f.hidden = append(f.hidden, id)
	case !hide && obj.hidden:
		f.hidden = slices.DeleteFunc(f.hidden, func(v string) bool { return v == id })
	}
	obj.hidden = hide
	return answer{status: http.StatusOK, body: map[string]bool{"success": true}}
}
