package facebook

import (
	"fmt"
	"strings"
	"testing"
)

// benchBody is a delivery of 10 comments, the size Meta batches under load.
func benchBody() []byte {
	var changes []string
	for i := range 10 {
		changes = append(changes, fmt.Sprintf(`{"field":"feed","value":{"item":"comment","verb":"add","post_id":"1_2",
		 "comment_id":"1_2_%d","parent_id":"1_2","from":{"id":"9%d","name":"Ren\u00e9e"},
		 "message":"Waited 50 minutes past my appointment and nobody said why \ud83d\ude21","created_time":1763719100}}`, i, i))
	}
	return []byte(`{"object":"page","entry":[{"id":"1","time":1763719200,"changes":[` + strings.Join(changes, ",") + `]}]}`)
}

func BenchmarkVerifySignature(b *testing.B) {
	body, secret := benchBody(), []byte("app-secret")
	header := Sign(secret, body)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := VerifySignature(secret, body, header); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	body := benchBody()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(body); err != nil {
			b.Fatal(err)
		}
	}
}
