package facebook

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// MaxChanges is the most changes, over all entries and fields, that Parse accepts in one body.
const MaxChanges = 1000

// ErrInvalidBody is wrapped by every error Parse returns. The wrapping error says what is wrong
// and where (entry and change index); it never contains the body or patient text.
var ErrInvalidBody = errors.New("facebook: invalid webhook body")

// Parse returns, in order, the relevant changes in a webhook body that VerifySignature accepted.
//
// Only changes of field "feed" are read. Items "comment", "post" and "rating" are kept, as are
// "status" and "photo" posts that have text (and their removal, which has none); verbs "add",
// "edited" (or "edit") and "remove" are kept. Everything else (reactions, shares, likes, the
// Page hiding or unhiding a comment, other fields) is skipped without error.
//
// It is an error when the body is not JSON, its object is not "page", it holds more than
// MaxChanges changes, or a kept change lacks the id it needs (the entry's id, a comment's
// comment_id, a post's post_id, a rating's open_graph_story_id or post_id). Ids must be 1 to
// 128 letters, digits or any of "_-.:".
func Parse(body []byte) ([]Change, error) {
	var env struct {
		Object string `json:"object"`
		Entry  []struct {
			ID      flexString `json:"id"`
			Time    flexTime   `json:"time"`
			Changes []struct {
				Field string          `json:"field"`
				Value json.RawMessage `json:"value"`
			} `json:"changes"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrInvalidBody, describeJSONError(err))
	}
	if env.Object != "page" {
		return nil, fmt.Errorf("%w: object is %q, want \"page\"", ErrInvalidBody, clip(env.Object, 32))
	}
	n := 0
	for _, e := range env.Entry {
		n += len(e.Changes)
	}
	if n > MaxChanges {
		return nil, fmt.Errorf("%w: %d changes in one body, at most %d are accepted", ErrInvalidBody, n, MaxChanges)
	}

	var out []Change
	for i, e := range env.Entry {
		for j, ch := range e.Changes {
			if ch.Field != "feed" {
				continue
			}
			var v feedValue
			if err := json.Unmarshal(ch.Value, &v); err != nil {
				return nil, fmt.Errorf("%w: entry %d, change %d: value: %s", ErrInvalidBody, i, j, describeJSONError(err))
			}
			c, keep := v.change()
			if !keep {
				continue
			}
			if !validID(string(e.ID)) {
				return nil, fmt.Errorf("%w: entry %d: id is missing or not a Facebook id", ErrInvalidBody, i)
			}
			if !validID(c.SourceID()) {
				return nil, fmt.Errorf("%w: entry %d, change %d: %s %s without a valid %s", ErrInvalidBody, i, j, v.Item, v.Verb, idField(c.Kind))
			}
			c.PageID = string(e.ID)
			if c.CreatedAt.IsZero() {
				c.CreatedAt = time.Time(e.Time)
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// feedValue is the value of a "feed" change. Ratings name their author with reviewer_id and
// reviewer_name, and their text with review_text.
type feedValue struct {
	Item      string     `json:"item"`
	Verb      string     `json:"verb"`
	PostID    flexString `json:"post_id"`
	CommentID flexString `json:"comment_id"`
	ParentID  flexString `json:"parent_id"`
	StoryID   flexString `json:"open_graph_story_id"`
	From      struct {
		ID   flexString `json:"id"`
		Name string     `json:"name"`
	} `json:"from"`
	ReviewerID         flexString `json:"reviewer_id"`
	ReviewerName       string     `json:"reviewer_name"`
	Message            string     `json:"message"`
	ReviewText         string     `json:"review_text"`
	RecommendationType string     `json:"recommendation_type"`
	CreatedTime        flexTime   `json:"created_time"`
}

// change maps v to a Change without PageID, or reports that v is not relevant.
func (v feedValue) change() (Change, bool) {
	var verb Verb
	switch v.Verb {
	case "add":
		verb = Add
	case "edited", "edit":
		verb = Edited
	case "remove":
		verb = Remove
	default: // hide, unhide (the Page's own moderation), and anything else
		return Change{}, false
	}
	c := Change{
		Verb:       verb,
		PostID:     string(v.PostID),
		CommentID:  string(v.CommentID),
		ParentID:   string(v.ParentID),
		StoryID:    string(v.StoryID),
		AuthorID:   string(v.From.ID),
		AuthorName: v.From.Name,
		Message:    v.Message,
		CreatedAt:  time.Time(v.CreatedTime),
	}
	switch v.Item {
	case "comment":
		c.Kind = Comment
	case "post":
		c.Kind = Post
	case "status", "photo":
		if verb != Remove && strings.TrimSpace(v.Message) == "" {
			return Change{}, false
		}
		c.Kind = Post
	case "rating":
		c.Kind = Rating
		if v.ReviewText != "" {
			c.Message = v.ReviewText
		}
		if c.AuthorID == "" {
			c.AuthorID, c.AuthorName = string(v.ReviewerID), v.ReviewerName
		}
		switch v.RecommendationType {
		case "positive":
			c.Recommendation = Recommends
		case "negative":
			c.Recommendation = DoesntRecommend
		}
	default: // reaction, share, like, and anything else
		return Change{}, false
	}
	return c, true
}

func idField(k Kind) string {
	switch k {
	case Comment:
		return "comment_id"
	case Rating:
		return "open_graph_story_id or post_id"
	}
	return "post_id"
}

func validID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case '0' <= b && b <= '9', 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z':
		case b == '_', b == '-', b == '.', b == ':':
		default:
			return false
		}
	}
	return true
}
