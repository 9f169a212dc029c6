package facebook

import "time"

// Kind is what sort of Facebook object a Change is about.
type Kind string

const (
	// Comment is a comment, or a reply to a comment, on a Page post or recommendation.
	Comment Kind = "comment"
	// Post is a post on the Page (Facebook items "post", and "status" or "photo" with text).
	Post Kind = "post"
	// Rating is a recommendation of the Page (Facebook item "rating").
	Rating Kind = "rating"
)

// Verb is what happened to the object.
type Verb string

const (
	// Add means the object was created.
	Add Verb = "add"
	// Edited means its author changed its text (Facebook verbs "edited" and "edit").
	Edited Verb = "edited"
	// Remove means it was deleted.
	Remove Verb = "remove"
)

// Values of Change.Recommendation.
const (
	Recommends      = "recommends"       // recommendation_type "positive"
	DoesntRecommend = "doesnt_recommend" // recommendation_type "negative"
)

// Change is one relevant change from a Page's feed webhook.
type Change struct {
	PageID    string // the Page the webhook entry is for
	Kind      Kind
	Verb      Verb
	PostID    string // post_id: the post, or the post a comment is on
	CommentID string // comment_id, for comments
	ParentID  string // parent_id: the post, or the comment a reply answers
	StoryID   string // open_graph_story_id, for ratings

	AuthorID   string // from.id, or reviewer_id for ratings; may be empty
	AuthorName string // from.name, or reviewer_name for ratings; may be empty
	// Message is the text as written, JSON escapes decoded: message, or review_text for
	// ratings. It is patient text: never log it.
	Message string
	// Recommendation is Recommends, DoesntRecommend, or "" when the change does not say.
	Recommendation string
	// CreatedAt is created_time in UTC, or the entry's time when created_time is missing or
	// unreadable, or zero when both are.
	CreatedAt time.Time
}

// SourceID is the Facebook id of the object the change is about: comment_id for a comment,
// post_id for a post, open_graph_story_id (or post_id when that is absent) for a rating. Add,
// edited and remove changes of one object share it, so it identifies an item across them.
func (c Change) SourceID() string {
	switch c.Kind {
	case Comment:
		return c.CommentID
	case Rating:
		if c.StoryID != "" {
			return c.StoryID
		}
	}
	return c.PostID
}

// ByPage reports whether the Page itself wrote the object (the author is the Page): the
// practice's own posts and replies, which are not patient items.
func (c Change) ByPage() bool {
	return c.AuthorID != "" && c.AuthorID == c.PageID
}
