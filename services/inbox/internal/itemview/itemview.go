// Package itemview reads one item with its decision and every action it caused, for one
// organisation: an item of another organisation is not found. It runs inside the request's
// organisation-scoped transaction (package scope).
package itemview

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// ErrNotFound means no such item in the organisation.
var ErrNotFound = errors.New("item not found")

// View is an item as the Practice Manager sees it.
type View struct {
	Item     Item      `json:"item"`
	Decision *Decision `json:"decision"`
	Actions  Actions   `json:"actions"`
	// Decisions are every decision on the item, oldest first: the classifier's on each revision,
	// and a person's confirmations and corrections.
	Decisions []Decision `json:"decisions"`
}

// Item is the item as received.
type Item struct {
	ID            uuid.UUID  `json:"id" db:"id"`
	Organisation  string     `json:"organisation" db:"organisation"`
	Practice      string     `json:"practice" db:"practice"`
	Channel       string     `json:"channel" db:"channel"`
	SourceID      string     `json:"source_id" db:"source_id"`
	Author        string     `json:"author,omitempty" db:"author"`
	Email         string     `json:"email,omitempty" db:"email"`
	Text          string     `json:"text" db:"body"`
	Rating        string     `json:"rating,omitempty" db:"rating"`
	Revision      string     `json:"revision,omitempty" db:"revision"`
	RemovedAt     *time.Time `json:"removed_at,omitempty" db:"removed_at"`
	WrittenAt     time.Time  `json:"written_at" db:"written_at"`
	ReceivedAt    time.Time  `json:"received_at" db:"received_at"`
	CorrelationID string     `json:"correlation_id" db:"correlation_id"`
}

// Decision is the classifier's verdict on the item's newest revision.
type Decision struct {
	Revision     string         `json:"revision" db:"revision"`
	Route        string         `json:"route" db:"route"`
	Flags        pq.StringArray `json:"flags" db:"flags"`
	Confidence   float64        `json:"confidence" db:"confidence"`
	NeedsReview  bool           `json:"needs_review" db:"needs_review"`
	Reasons      pq.StringArray `json:"reasons" db:"reasons"`
	ModelVersion string         `json:"model_version" db:"model_version"`
	DecidedAt    time.Time      `json:"decided_at" db:"decided_at"`
}

// Actions are what the decision caused.
type Actions struct {
	Inbox         []InboxEntry   `json:"inbox"`
	Messages      []Message      `json:"messages"`
	ComplaintCase *ComplaintCase `json:"complaint_case"`
	Moderation    *Moderation    `json:"moderation"`
	Reply         *Reply         `json:"reply"`
}

// Reply is a reply a Practice Manager approved, and where its posting stands (Google reviews).
type Reply struct {
	Body        string    `json:"body" db:"body"`
	Destination string    `json:"destination" db:"destination"` // google or by_hand
	ApprovedAt  time.Time `json:"approved_at" db:"approved_at"`
	State       string    `json:"state,omitempty" db:"state"` // Google: approved, sending, sent, failed
	StateReason string    `json:"state_reason,omitempty" db:"state_reason"`
}

// Suggested is the reply waiting to be approved: the open entry's suggested reply.
func (a Actions) Suggested() (InboxEntry, bool) {
	for _, e := range a.Inbox {
		if e.SuggestedReply != "" && e.State == "open" {
			return e, true
		}
	}
	return InboxEntry{}, false
}

// Open reports whether an entry of the kind is open.
func (a Actions) Open(kind string) bool {
	for _, e := range a.Inbox {
		if e.Kind == kind && e.State == "open" {
			return true
		}
	}
	return false
}

// InboxEntry is a line in the inbox.
type InboxEntry struct {
	Kind           string    `json:"kind" db:"kind"`
	Priority       string    `json:"priority" db:"priority"`
	State          string    `json:"state" db:"state"`
	SuggestedReply string    `json:"suggested_reply,omitempty" db:"suggested_reply"`
	CreatedAt      time.Time `json:"created_at" db:"created_at"`
}

// Message is a message to the patient and where its delivery stands.
type Message struct {
	Medium      string    `json:"medium" db:"medium"`
	Recipient   string    `json:"recipient" db:"recipient"`
	Purpose     string    `json:"purpose" db:"purpose"`
	Body        string    `json:"body" db:"body"`
	State       string    `json:"state" db:"state"`
	StateReason string    `json:"state_reason,omitempty" db:"state_reason"`
	UpdatedAt   time.Time `json:"updated_at" db:"updated_at"`
}

// ComplaintCase is a complaint through the Complaints Procedure.
type ComplaintCase struct {
	ReceivedOn    string `json:"received_on" db:"received_on"`
	AcknowledgeBy string `json:"acknowledge_by" db:"acknowledge_by"`
	State         string `json:"state" db:"state"`
}

// Overdue reports whether the acknowledgement is late on the day today (YYYY-MM-DD).
func (c ComplaintCase) Overdue(today string) bool {
	return c.State == "open" && c.AcknowledgeBy < today
}

// Moderation is a request to hide and report a post.
type Moderation struct {
	Flags       pq.StringArray `json:"flags" db:"flags"`
	Hide        bool           `json:"hide" db:"hide"`
	LegalReview bool           `json:"legal_review" db:"legal_review"`
	State       string         `json:"state" db:"state"`
	StateReason string         `json:"state_reason,omitempty" db:"state_reason"`
}

// Find reads the item of the organisation with everything about it.
func Find(ctx context.Context, tx sqlx.QueryerContext, organisation string, id uuid.UUID) (View, error) {
	var v View
	err := sqlx.GetContext(ctx, tx, &v.Item, `
		SELECT id, organisation, practice, channel, source_id, author, email, body, rating, revision, removed_at, written_at,
		       received_at, correlation_id
		FROM items WHERE id = $1 AND organisation = $2`, id, organisation)
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	} else if err != nil {
		return v, fmt.Errorf("read item %s: %w", id, err)
	}
	v.Decisions = []Decision{}
	if err := sqlx.SelectContext(ctx, tx, &v.Decisions, `
		SELECT revision, route, flags, confidence, needs_review, reasons, model_version, decided_at
		FROM decisions WHERE item_id = $1 AND organisation = $2 ORDER BY decided_at, revision`, id, organisation); err != nil {
		return v, fmt.Errorf("read decisions of %s: %w", id, err)
	}
	for i := range v.Decisions {
		if v.Decisions[i].Revision == v.Item.Revision {
			d := v.Decisions[i]
			v.Decision = &d
		}
	}
	v.Actions.Inbox, v.Actions.Messages = []InboxEntry{}, []Message{}
	if err := sqlx.SelectContext(ctx, tx, &v.Actions.Inbox, `
		SELECT kind, priority, state, suggested_reply, created_at FROM inbox_entries
		WHERE item_id = $1 AND organisation = $2 ORDER BY priority = 'urgent' DESC, kind`, id, organisation); err != nil {
		return v, fmt.Errorf("read inbox entries of %s: %w", id, err)
	}
	if err := sqlx.SelectContext(ctx, tx, &v.Actions.Messages, `
		SELECT medium, recipient, purpose, body, state, state_reason, updated_at FROM outbox
		WHERE item_id = $1 AND organisation = $2 ORDER BY medium`, id, organisation); err != nil {
		return v, fmt.Errorf("read messages of %s: %w", id, err)
	}
	var c ComplaintCase
	if err := sqlx.GetContext(ctx, tx, &c, `
		SELECT to_char(received_on, 'YYYY-MM-DD') AS received_on, to_char(acknowledge_by, 'YYYY-MM-DD') AS acknowledge_by, state
		FROM complaint_cases WHERE item_id = $1 AND organisation = $2`, id, organisation); err == nil {
		v.Actions.ComplaintCase = &c
	} else if !errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("read complaint case of %s: %w", id, err)
	}
	var m Moderation
	if err := sqlx.GetContext(ctx, tx, &m, `
		SELECT flags, hide, legal_review, state, state_reason FROM moderation_requests WHERE item_id = $1 AND organisation = $2`,
		id, organisation); err == nil {
		v.Actions.Moderation = &m
	} else if !errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("read moderation of %s: %w", id, err)
	}
	var r Reply
	if err := sqlx.GetContext(ctx, tx, &r, `
		SELECT a.body, a.destination, a.approved_at, COALESCE(g.state, '') AS state, COALESCE(g.state_reason, '') AS state_reason
		FROM reply_approvals a LEFT JOIN review_replies g ON g.item_id = a.item_id AND g.organisation = a.organisation
		WHERE a.item_id = $1 AND a.organisation = $2`, id, organisation); err == nil {
		v.Actions.Reply = &r
	} else if !errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("read reply of %s: %w", id, err)
	}
	return v, nil
}
