package google

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

const (
	testReview   = "accounts/108437261948376512345/locations/4820384756601122334/reviews/AbFvOqnXyZ_12-ab"
	testLocation = "accounts/108437261948376512345/locations/4820384756601122334"
)

// pushBody wraps notification data the way a Pub/Sub push subscription does.
func pushBody(data string) []byte {
	return []byte(`{"message":{"attributes":{},"data":"` + base64.StdEncoding.EncodeToString([]byte(data)) +
		`","messageId":"13726581234567","message_id":"13726581234567","publishTime":"2026-03-02T09:15:04.123Z",` +
		`"publish_time":"2026-03-02T09:15:04.123Z"},"subscription":"projects/signpost/subscriptions/gbp-reviews"}`)
}

func TestParsePushReviewNotifications(t *testing.T) {
	for _, typ := range []string{TypeNewReview, TypeUpdatedReview} {
		t.Run(typ, func(t *testing.T) {
			n, err := ParsePush(pushBody(`{"type":"` + typ + `","review":"` + testReview + `","location":"` + testLocation + `"}`))
			if err != nil {
				t.Fatal(err)
			}
			want := Notification{Type: typ, Review: testReview, Location: testLocation, MessageID: "13726581234567"}
			if n != want {
				t.Errorf("got %+v, want %+v", n, want)
			}
			if !n.Relevant() {
				t.Error("not Relevant")
			}
		})
	}
}

func TestParsePushFieldSpellings(t *testing.T) {
	for _, data := range []string{
		`{"type":"NEW_REVIEW","review":"` + testReview + `"}`,
		`{"type":"NEW_REVIEW","reviewName":"` + testReview + `","locationName":"` + testLocation + `"}`,
		`{"notificationType":"NEW_REVIEW","review_name":"` + testReview + `","location_name":"` + testLocation + `"}`,
		`{"type":"NEW_REVIEW","review":"` + testReview + `","reviewName":"` + testReview + `"}`,
	} {
		n, err := ParsePush(pushBody(data))
		if err != nil || n.Review != testReview || n.Location != testLocation || !n.Relevant() {
			t.Errorf("%s: got %+v, %v", data, n, err)
		}
	}
}

func TestParsePushIrrelevantTypes(t *testing.T) {
	for _, data := range []string{
		`{"type":"GOOGLE_UPDATE","location":"` + testLocation + `"}`,
		`{"type":"NEW_QUESTION","question":"` + testLocation + `/questions/q1","location":"` + testLocation + `"}`,
		`{"type":"NEW_CUSTOMER_MEDIA","mediaItem":"x","review":"not/a/review"}`,
	} {
		n, err := ParsePush(pushBody(data))
		if err != nil {
			t.Errorf("%s: %v", data, err)
			continue
		}
		if n.Relevant() || n.Review != "" || n.Location != "" || n.MessageID == "" {
			t.Errorf("%s: got %+v", data, n)
		}
	}
}

func TestParsePushRejects(t *testing.T) {
	valid := string(pushBody(`{"type":"NEW_REVIEW","review":"` + testReview + `"}`))
	cases := map[string][]byte{
		"empty body":      nil,
		"not JSON":        []byte(`message=hello`),
		"JSON array":      []byte(`[1,2]`),
		"no message":      []byte(`{"subscription":"projects/p/subscriptions/s"}`),
		"no message id":   []byte(strings.ReplaceAll(valid, "13726581234567", "")),
		"ids disagree":    []byte(strings.Replace(valid, "13726581234567", "1", 1)),
		"no data":         []byte(`{"message":{"messageId":"1"}}`),
		"bad base64":      []byte(`{"message":{"data":"%%%not base64%%%","messageId":"1"}}`),
		"bad JSON":        pushBody(`{"type":"NEW_REVIEW","review":`),
		"JSON not object": pushBody(`"NEW_REVIEW"`),
		"no type":         pushBody(`{"review":"` + testReview + `"}`),
		"lower-case type": pushBody(`{"type":"new_review","review":"` + testReview + `"}`),
		"types disagree":  pushBody(`{"type":"NEW_REVIEW","notificationType":"GOOGLE_UPDATE","review":"` + testReview + `"}`),
		"no review":       pushBody(`{"type":"NEW_REVIEW","location":"` + testLocation + `"}`),
		"reviews differ":  pushBody(`{"type":"NEW_REVIEW","review":"` + testReview + `","reviewName":"` + testReview + `x"}`),
		"wrong location":  pushBody(`{"type":"UPDATED_REVIEW","review":"` + testReview + `","location":"accounts/1/locations/2"}`),
		"too large":       []byte(`{"message":{"data":"` + strings.Repeat("A", MaxPushBytes) + `","messageId":"1"}}`),
	}
	for _, name := range []string{
		"accounts/1/locations/2/reviews/",
		"accounts/1/locations/2/reviews/a/b",
		"accounts/x/locations/2/reviews/r",
		"accounts/1/locations/2/reviews/..",
		"accounts/1/locations/2/reviews/r?alt=media",
		"accounts/1/locations/2/reviews/r#frag",
		"accounts/1/locations/2/reviews/caf%C3%A9",
		"/accounts/1/locations/2/reviews/r",
		"accounts/1/locations/2/questions/q",
		"https://mybusiness.googleapis.com/v4/accounts/1/locations/2/reviews/r",
	} {
		cases["bad resource name "+name] = pushBody(`{"type":"NEW_REVIEW","review":"` + name + `"}`)
	}
	for name, body := range cases {
		n, err := ParsePush(body)
		if err == nil {
			t.Errorf("%s: accepted as %+v", name, n)
			continue
		}
		if !errors.Is(err, ErrInvalidPush) {
			t.Errorf("%s: error %v does not match ErrInvalidPush", name, err)
		}
		if n != (Notification{}) {
			t.Errorf("%s: error came with notification %+v", name, n)
		}
	}
}

func TestParsePushErrorsDoNotEchoBody(t *testing.T) {
	const secret = "patient-said-something-private"
	for _, body := range [][]byte{
		[]byte(`{"message":{"data":"` + secret + `!","messageId":"1"}}`),
		pushBody(`{"type":"NEW_REVIEW","review":"accounts/1/locations/2/reviews/` + secret + `/x"}`),
		pushBody(`{"type":"` + secret + `"}`),
		pushBody(`{"type":"NEW_REVIEW","review":` + secret + `}`),
		[]byte(`{"message":` + secret + `}`),
	} {
		if _, err := ParsePush(body); err == nil || strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "private") {
			t.Errorf("error %v", err)
		}
	}
}

func TestParsePushUnpaddedBase64(t *testing.T) {
	data := base64.RawStdEncoding.EncodeToString([]byte(`{"type":"NEW_REVIEW","review":"` + testReview + `"}`))
	n, err := ParsePush([]byte(`{"message":{"data":"` + data + `","messageId":"9"}}`))
	if err != nil || n.Review != testReview {
		t.Errorf("got %+v, %v", n, err)
	}
}

func TestValidNames(t *testing.T) {
	if !ValidReviewName(testReview) || ValidReviewName(testLocation) {
		t.Error("ValidReviewName")
	}
	if !ValidLocationName(testLocation) || ValidLocationName(testReview) {
		t.Error("ValidLocationName")
	}
}
