package google

import (
	"fmt"
	"strings"
	"time"
)

// JSON shapes of the Business Profile API v4, shared by Client and Fake.

type apiReview struct {
	Name        string      `json:"name"`
	ReviewID    string      `json:"reviewId,omitempty"`
	Reviewer    apiReviewer `json:"reviewer"`
	StarRating  string      `json:"starRating,omitempty"`
	Comment     string      `json:"comment,omitempty"`
	CreateTime  string      `json:"createTime,omitempty"`
	UpdateTime  string      `json:"updateTime,omitempty"`
	ReviewReply *apiReply   `json:"reviewReply,omitempty"`
}

type apiReviewer struct {
	ProfilePhotoURL string `json:"profilePhotoUrl,omitempty"`
	DisplayName     string `json:"displayName,omitempty"`
	IsAnonymous     bool   `json:"isAnonymous,omitempty"`
}

type apiReply struct {
	Comment    string `json:"comment"`
	UpdateTime string `json:"updateTime,omitempty"`
}

type apiErrorBody struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
	} `json:"error"`
}

// review converts the API's answer for the review named requested.
func (w apiReview) review(requested string) (Review, error) {
	if w.Name != "" && w.Name != requested {
		return Review{}, fmt.Errorf("%w: answer is about another review", ErrBadResponse)
	}
	r := Review{
		Name:     requested,
		ReviewID: w.ReviewID,
		Stars:    starsFromRating(w.StarRating),
		Comment:  w.Comment,
	}
	if r.ReviewID == "" {
		r.ReviewID = lastSegment(requested)
	}
	if !w.Reviewer.IsAnonymous {
		r.Reviewer = strings.TrimSpace(w.Reviewer.DisplayName)
	}
	if w.ReviewReply != nil {
		r.Reply = w.ReviewReply.Comment
	}
	var err error
	if r.CreatedAt, err = parseTime(w.CreateTime); err != nil {
		return Review{}, fmt.Errorf("%w: createTime is not RFC 3339", ErrBadResponse)
	}
	if r.UpdatedAt, err = parseTime(w.UpdateTime); err != nil {
		return Review{}, fmt.Errorf("%w: updateTime is not RFC 3339", ErrBadResponse)
	}
	return r, nil
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t.UTC(), err
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
