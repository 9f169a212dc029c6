package google

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"regexp"
)

// MaxPushBytes is the largest push request body ParsePush accepts. Business Profile notifications
// are a few hundred bytes; read the body through http.MaxBytesReader with this limit.
const MaxPushBytes = 64 << 10

// Notification types that announce a review. Other types (GOOGLE_UPDATE, NEW_QUESTION, ...) are
// parsed but not relevant to review intake.
const (
	TypeNewReview     = "NEW_REVIEW"
	TypeUpdatedReview = "UPDATED_REVIEW"
)

// ErrInvalidPush is matched (errors.Is) by every error ParsePush returns.
var ErrInvalidPush = errors.New("google: invalid push request")

// pushError says what is wrong with a push request in fixed words: it never quotes the body.
type pushError string

func (e pushError) Error() string        { return "google: invalid push request: " + string(e) }
func (e pushError) Is(target error) bool { return target == ErrInvalidPush }

// Notification is one Business Profile notification delivered by a Pub/Sub push request.
type Notification struct {
	// Type is the notification type, e.g. NEW_REVIEW, UPDATED_REVIEW, GOOGLE_UPDATE.
	Type string
	// Review is the review's resource name, accounts/{a}/locations/{l}/reviews/{r}. It is set, and
	// valid, exactly when the notification is Relevant; otherwise it is "".
	Review string
	// Location is the location's resource name, accounts/{a}/locations/{l}: the prefix of Review
	// for a relevant notification, "" otherwise.
	Location string
	// MessageID is the Pub/Sub message id: redeliveries of one message share it.
	MessageID string
}

// Relevant reports whether the notification announces a new or updated review.
func (n Notification) Relevant() bool {
	return n.Type == TypeNewReview || n.Type == TypeUpdatedReview
}

// pushEnvelope is the body of a Pub/Sub push request. Other fields (attributes, publishTime,
// subscription, ...) are ignored.
type pushEnvelope struct {
	Message *struct {
		Data           string `json:"data"`
		MessageID      string `json:"messageId"`
		MessageIDSnake string `json:"message_id"`
	} `json:"message"`
}

// pushPayload is the decoded message data. Google's references spell the fields differently
// (review / reviewName / review_name): all are accepted, and they must agree when several are sent.
type pushPayload struct {
	Type             string `json:"type"`
	NotificationType string `json:"notificationType"`
	Review           string `json:"review"`
	ReviewName       string `json:"reviewName"`
	ReviewNameSnake  string `json:"review_name"`
	Location         string `json:"location"`
	LocationName     string `json:"locationName"`
	LocSnake         string `json:"location_name"`
}

var (
	typePattern      = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,63}$`)
	messageIDPattern = regexp.MustCompile(`^[\x21-\x7e]{1,128}$`)
)

// ParsePush validates a Pub/Sub push request body and returns the Business Profile notification it
// carries. A notification of a type that is not about reviews parses without error (so that it
// can be acknowledged and dropped) and is not Relevant. Errors match ErrInvalidPush and never
// echo the body.
func ParsePush(body []byte) (Notification, error) {
	switch {
	case len(body) == 0:
		return Notification{}, pushError("empty body")
	case len(body) > MaxPushBytes:
		return Notification{}, pushError("body too large")
	}
	var env pushEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return Notification{}, pushError("body is not a Pub/Sub push envelope")
	}
	if env.Message == nil {
		return Notification{}, pushError("envelope has no message")
	}
	id, ok := agree(env.Message.MessageID, env.Message.MessageIDSnake)
	switch {
	case !ok:
		return Notification{}, pushError("message ids disagree")
	case !messageIDPattern.MatchString(id):
		return Notification{}, pushError("message has no valid messageId")
	case env.Message.Data == "":
		return Notification{}, pushError("message has no data")
	}
	data, err := base64.StdEncoding.DecodeString(env.Message.Data)
	if err != nil {
		if data, err = base64.RawStdEncoding.DecodeString(env.Message.Data); err != nil {
			return Notification{}, pushError("message data is not base64")
		}
	}
	var p pushPayload
	if err := json.Unmarshal(data, &p); err != nil {
		return Notification{}, pushError("message data is not a JSON notification")
	}

	typ, ok := agree(p.Type, p.NotificationType)
	switch {
	case !ok:
		return Notification{}, pushError("notification type fields disagree")
	case typ == "":
		return Notification{}, pushError("notification has no type")
	case !typePattern.MatchString(typ):
		return Notification{}, pushError("notification type is not an upper-case enum value")
	}
	n := Notification{Type: typ, MessageID: id}
	if !n.Relevant() {
		return n, nil
	}

	review, ok := agree(p.Review, p.ReviewName, p.ReviewNameSnake)
	switch {
	case !ok:
		return Notification{}, pushError("review fields disagree")
	case review == "":
		return Notification{}, pushError("review notification names no review")
	case !ValidReviewName(review):
		return Notification{}, pushError("review is not accounts/{id}/locations/{id}/reviews/{id}")
	}
	location, ok := agree(p.Location, p.LocationName, p.LocSnake)
	switch {
	case !ok:
		return Notification{}, pushError("location fields disagree")
	case location != "" && location != locationOf(review):
		return Notification{}, pushError("location is not the review's location")
	}
	n.Review, n.Location = review, locationOf(review)
	return n, nil
}

// agree returns the non-empty value among vs, "" if all are empty, and false if two non-empty
// values differ.
func agree(vs ...string) (string, bool) {
	var got string
	for _, v := range vs {
		switch {
		case v == "":
		case got == "":
			got = v
		case v != got:
			return "", false
		}
	}
	return got, true
}
