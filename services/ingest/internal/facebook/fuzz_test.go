package facebook_test

import (
	"strings"
	"testing"

	"github.com/signpost/signpost/services/ingest/internal/facebook"
)

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		batch,
		batch[:len(batch)/3],
		``,
		`null`,
		`[]`,
		`{"object":"page","entry":null}`,
		`{"object":"user","entry":[]}`,
		`{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"item":"comment","verb":"add"}}]}]}`,
		`{"object":"page","entry":[{"id":1,"time":"x","changes":[{"field":"feed","value":{"item":"rating","verb":"edit","post_id":2,"created_time":1e300}}]}]}`,
		`{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"1_2","message":"\ud83d"}}]}]}`,
		`{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":"not an object"}]}]}`,
		"{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"feed\",\"value\":{\"item\":\"post\",\"verb\":\"add\",\"post_id\":\"1_1\",\"message\":\"\xff\xfe\"}}]}]}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		changes, err := facebook.Parse(body)
		if err != nil {
			if len(changes) != 0 {
				t.Errorf("error %v with %d changes", err, len(changes))
			}
			return
		}
		if len(changes) > facebook.MaxChanges {
			t.Errorf("%d changes, limit is %d", len(changes), facebook.MaxChanges)
		}
		for i, c := range changes {
			if c.SourceID() == "" || c.PageID == "" {
				t.Errorf("change %d has SourceID %q and PageID %q", i, c.SourceID(), c.PageID)
			}
			switch c.Kind {
			case facebook.Comment, facebook.Post, facebook.Rating:
			default:
				t.Errorf("change %d has kind %q", i, c.Kind)
			}
			switch c.Verb {
			case facebook.Add, facebook.Edited, facebook.Remove:
			default:
				t.Errorf("change %d has verb %q", i, c.Verb)
			}
			switch c.Recommendation {
			case "", facebook.Recommends, facebook.DoesntRecommend:
			default:
				t.Errorf("change %d has recommendation %q", i, c.Recommendation)
			}
		}
	})
}

func FuzzVerifySignature(f *testing.F) {
	f.Add([]byte(batch), "")
	f.Add([]byte(batch), facebook.Sign(appSecret, []byte(batch)))
	f.Add([]byte("{}"), "sha1=bf21a9e8fbc5a3846fb05b4fa0859e0917b2202f")
	f.Add([]byte("{}"), "sha256=zz")
	f.Add([]byte(""), "sha256="+strings.Repeat("0", 64))
	f.Fuzz(func(t *testing.T, body []byte, header string) {
		if err := facebook.VerifySignature(appSecret, body, facebook.Sign(appSecret, body)); err != nil {
			t.Fatalf("own signature rejected: %v", err)
		}
		if facebook.VerifySignature(appSecret, body, header) == nil &&
			(!strings.HasPrefix(header, "sha256=") || !strings.EqualFold(header, facebook.Sign(appSecret, body))) {
			t.Fatalf("accepted header %q that is not the body's signature", header)
		}
	})
}
