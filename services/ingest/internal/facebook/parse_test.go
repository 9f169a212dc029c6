package facebook_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/services/ingest/internal/facebook"
)

func TestParseBatch(t *testing.T) {
	got, err := facebook.Parse([]byte(batch))
	if err != nil {
		t.Fatal(err)
	}
	unix := func(s int64) time.Time { return time.Unix(s, 0).UTC() }
	want := []facebook.Change{
		{PageID: "104729318451", Kind: facebook.Comment, Verb: facebook.Add, PostID: "104729318451_771", CommentID: "771_9001", ParentID: "104729318451_771",
			AuthorID: "5550001", AuthorName: "Renée Smith", Message: "Waited 40 minutes, receptionist was café-rude 😡", CreatedAt: unix(1767225500)},
		{PageID: "104729318451", Kind: facebook.Comment, Verb: facebook.Edited, PostID: "104729318451_771", CommentID: "771_9001", ParentID: "104729318451_771",
			AuthorID: "5550001", AuthorName: "Renée Smith", Message: "Waited 40 minutes.", CreatedAt: unix(1767225560)},
		{PageID: "104729318451", Kind: facebook.Comment, Verb: facebook.Add, PostID: "104729318451_771", CommentID: "771_9002", ParentID: "771_9001",
			AuthorID: "104729318451", AuthorName: "Charlton Medical Centre", Message: "Sorry to hear this, please call us on 020 7946 0000.", CreatedAt: unix(1767225590)},
		{PageID: "204811", Kind: facebook.Comment, Verb: facebook.Remove, PostID: "204811_5", CommentID: "5_77", ParentID: "204811_5",
			AuthorID: "5550004", CreatedAt: unix(1767229100)},
		{PageID: "204811", Kind: facebook.Post, Verb: facebook.Add, PostID: "204811_6",
			AuthorID: "5550005", AuthorName: "Priya", Message: "Can anyone get through on the phones at 8am?", CreatedAt: unix(1767229150)},
		{PageID: "204811", Kind: facebook.Rating, Verb: facebook.Add, PostID: "204811_10", StoryID: "31415926535",
			AuthorID: "5550007", AuthorName: "Alex P", Message: "Couldn't get an appointment for three weeks. © nobody cares",
			Recommendation: facebook.DoesntRecommend, CreatedAt: unix(1767229190)},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d changes, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}

	sourceIDs := []string{"771_9001", "771_9001", "771_9002", "5_77", "204811_6", "31415926535"}
	byPage := []bool{false, false, true, false, false, false}
	for i, c := range got {
		if c.SourceID() != sourceIDs[i] {
			t.Errorf("change %d: SourceID %q, want %q", i, c.SourceID(), sourceIDs[i])
		}
		if c.ByPage() != byPage[i] {
			t.Errorf("change %d: ByPage %v, want %v", i, c.ByPage(), byPage[i])
		}
	}
}

func TestParseMapping(t *testing.T) {
	one := func(value string) string {
		return `{"object":"page","entry":[{"id":"42","time":1767225600,"changes":[{"field":"feed","value":` + value + `}]}]}`
	}
	tests := []struct {
		name  string
		value string
		want  *facebook.Change // nil: skipped
	}{
		{"positive recommendation", `{"item":"rating","verb":"add","open_graph_story_id":"9","recommendation_type":"positive","review_text":"Lovely nurses","from":{"id":"7","name":"Kim"}}`,
			&facebook.Change{PageID: "42", Kind: facebook.Rating, Verb: facebook.Add, StoryID: "9", AuthorID: "7", AuthorName: "Kim", Message: "Lovely nurses", Recommendation: facebook.Recommends, CreatedAt: time.Unix(1767225600, 0).UTC()}},
		{"rating without story id uses post id", `{"item":"rating","verb":"remove","post_id":"42_3","reviewer_id":"7"}`,
			&facebook.Change{PageID: "42", Kind: facebook.Rating, Verb: facebook.Remove, PostID: "42_3", AuthorID: "7", CreatedAt: time.Unix(1767225600, 0).UTC()}},
		{"edit verb", `{"item":"post","verb":"edit","post_id":"42_1","message":"x","created_time":"2026-01-01T10:00:00+0000"}`,
			&facebook.Change{PageID: "42", Kind: facebook.Post, Verb: facebook.Edited, PostID: "42_1", Message: "x", CreatedAt: time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)}},
		{"numeric ids", `{"item":"comment","verb":"add","comment_id":123456789012345678901,"post_id":1,"from":{"id":42}}`,
			&facebook.Change{PageID: "42", Kind: facebook.Comment, Verb: facebook.Add, CommentID: "123456789012345678901", PostID: "1", AuthorID: "42", CreatedAt: time.Unix(1767225600, 0).UTC()}},
		{"photo with text", `{"item":"photo","verb":"add","post_id":"42_2","message":"Queue outside at 7:45","created_time":1767225000}`,
			&facebook.Change{PageID: "42", Kind: facebook.Post, Verb: facebook.Add, PostID: "42_2", Message: "Queue outside at 7:45", CreatedAt: time.Unix(1767225000, 0).UTC()}},
		{"status removed without text", `{"item":"status","verb":"remove","post_id":"42_2"}`,
			&facebook.Change{PageID: "42", Kind: facebook.Post, Verb: facebook.Remove, PostID: "42_2", CreatedAt: time.Unix(1767225600, 0).UTC()}},
		{"unreadable created_time falls back to entry time", `{"item":"post","verb":"add","post_id":"42_1","created_time":{"x":1}}`,
			&facebook.Change{PageID: "42", Kind: facebook.Post, Verb: facebook.Add, PostID: "42_1", CreatedAt: time.Unix(1767225600, 0).UTC()}},
		{"photo without text", `{"item":"photo","verb":"add","post_id":"42_2"}`, nil},
		{"like", `{"item":"like","verb":"add","post_id":"42_2"}`, nil},
		{"unhide", `{"item":"comment","verb":"unhide","comment_id":"2_3"}`, nil},
		{"unknown item missing ids", `{"item":"video","verb":"add"}`, nil},
		{"unknown verb", `{"item":"comment","verb":"block","comment_id":"2_3"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := facebook.Parse([]byte(one(tt.value)))
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == nil && len(got) != 0:
				t.Errorf("got %+v, want it skipped", got)
			case tt.want != nil && (len(got) != 1 || got[0] != *tt.want):
				t.Errorf("got %+v\nwant %+v", got, *tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	var many strings.Builder
	many.WriteString(`{"object":"page","entry":[{"id":"1","changes":[`)
	for i := range facebook.MaxChanges + 1 {
		if i > 0 {
			many.WriteString(",")
		}
		many.WriteString(`{"field":"feed","value":{"item":"like","verb":"add"}}`)
	}
	many.WriteString(`]}]}`)

	tests := []struct {
		name, body, wantIn string
	}{
		{"empty", ``, "not valid JSON"},
		{"not JSON", `SECRET patient words`, "syntax error at byte 1"},
		{"truncated", batch[:len(batch)/2], "not valid JSON"},
		{"trailing data", `{"object":"page"} SECRET`, "not valid JSON"},
		{"array", `["SECRET"]`, "want an object"},
		{"wrong object", `{"object":"instagram","entry":[]}`, `object is "instagram"`},
		{"no object", `{"entry":[]}`, `object is ""`},
		{"message not a string", `{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"item":"comment","message":7}}]}]}`, "entry 0, change 0: value: message is a JSON number, want string"},
		{"comment without comment_id", `{"object":"page","entry":[{"id":"1","changes":[]},{"id":"1","changes":[{"field":"feed","value":{"item":"like","verb":"add"}},{"field":"feed","value":{"item":"comment","verb":"add","post_id":"1_2","message":"SECRET"}}]}]}`, "entry 1, change 1: comment add without a valid comment_id"},
		{"post with junk id", `{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"item":"post","verb":"add","post_id":"a b"}}]}]}`, "entry 0, change 0: post add without a valid post_id"},
		{"rating without ids", `{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"item":"rating","verb":"add","review_text":"SECRET"}}]}]}`, "open_graph_story_id or post_id"},
		{"entry without id", `{"object":"page","entry":[{"changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"1_2"}}]}]}`, "entry 0: id is missing"},
		{"too many changes", many.String(), "1001 changes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := facebook.Parse([]byte(tt.body))
			if err == nil {
				t.Fatalf("no error, got %+v", got)
			}
			if !errors.Is(err, facebook.ErrInvalidBody) {
				t.Errorf("%v does not wrap ErrInvalidBody", err)
			}
			if !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("error %q does not say %q", err, tt.wantIn)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error %q echoes the body", err)
			}
		})
	}
}

func TestParseEmptyPageBody(t *testing.T) {
	for _, body := range []string{`{"object":"page"}`, `{"object":"page","entry":[]}`, `{"object":"page","entry":[{"id":"1","time":1,"messaging":[{}]}]}`} {
		got, err := facebook.Parse([]byte(body))
		if err != nil || len(got) != 0 {
			t.Errorf("%s: got %v, %v; want no changes and no error", body, got, err)
		}
	}
}

func ExampleParse() {
	changes, err := facebook.Parse([]byte(batch))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range changes {
		if c.ByPage() {
			continue
		}
		fmt.Println(strings.TrimSpace(fmt.Sprint(c.Kind, " ", c.Verb, " ", c.SourceID(), " ", c.Recommendation)))
	}
	// Output:
	// comment add 771_9001
	// comment edited 771_9001
	// comment remove 5_77
	// post add 204811_6
	// rating add 31415926535 doesnt_recommend
}
