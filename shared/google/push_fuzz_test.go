package google

import (
	"encoding/base64"
	"strings"
	"testing"
)

func FuzzParsePush(f *testing.F) {
	for _, data := range []string{
		`{"type":"NEW_REVIEW","review":"` + testReview + `","location":"` + testLocation + `"}`,
		`{"type":"UPDATED_REVIEW","review":"accounts/1/locations/2/reviews/AIe9_BGx","location":"accounts/1/locations/2"}`,
		`{"type":"GOOGLE_UPDATE","location":"` + testLocation + `"}`,
		`{"type":"NEW_QUESTION","question":"` + testLocation + `/questions/abc","location":"` + testLocation + `"}`,
		`{"type":"NEW_REVIEW","reviewName":"` + testReview + `","locationName":"` + testLocation + `"}`,
		`{"type":"NEW_REVIEW","review":"accounts/1/locations/2/reviews/.."}`,
		`{"type":"NEW_REVIEW","review":"accounts/1/locations/2/reviews/a?b"}`,
		`{"type":"NEW_REVIEW"}`,
		`null`,
	} {
		f.Add(pushBody(data))
	}
	f.Add([]byte(`{"message":{"data":"not base64!","messageId":"1"}}`))
	f.Add([]byte(`{"message":{"data":"` + base64.RawStdEncoding.EncodeToString([]byte(`{"type":"NEW_REVIEW","review":"accounts/1/locations/2/reviews/r"}`)) + `","messageId":"1"}}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(``))

	f.Fuzz(func(t *testing.T, body []byte) {
		n, err := ParsePush(body)
		if err != nil {
			if n != (Notification{}) {
				t.Fatalf("error %v with notification %+v", err, n)
			}
			return
		}
		if n.Type == "" || n.MessageID == "" {
			t.Fatalf("accepted without type or message id: %+v", n)
		}
		if !n.Relevant() {
			if n.Review != "" || n.Location != "" {
				t.Fatalf("irrelevant notification with names: %+v", n)
			}
			return
		}
		if !ValidReviewName(n.Review) || !strings.HasPrefix(n.Review, n.Location+"/reviews/") || !ValidLocationName(n.Location) {
			t.Fatalf("accepted bad names: %+v", n)
		}
	})
}
