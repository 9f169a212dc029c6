package postgres

import (
	"encoding/json"
	"errors"

	"github.com/google/uuid"

	"github.com/signpost/signpost/shared/feedback"
)

// round is one round of plans encoded as the JSON arrays its statements read; nil where a round
// has nothing for a statement.
type round struct {
	inbox, messages, edited, cases, moderation, unflagged []byte
}

type inboxRow struct {
	Revision       string    `json:"revision"`
	ID             uuid.UUID `json:"id"`
	ItemID         uuid.UUID `json:"item_id"`
	Organisation   string    `json:"organisation"`
	Practice       string    `json:"practice"`
	Kind           string    `json:"kind"`
	Priority       string    `json:"priority"`
	SuggestedReply string    `json:"suggested_reply"`
}

type messageRow struct {
	ID           uuid.UUID `json:"id"`
	ItemID       uuid.UUID `json:"item_id"`
	Organisation string    `json:"organisation"`
	Medium       string    `json:"medium"`
	Recipient    string    `json:"recipient"`
	Purpose      string    `json:"purpose"`
	Body         string    `json:"body"`
	State        string    `json:"state"`
	Revision     string    `json:"revision"`
}

type editedRow struct {
	ItemID   uuid.UUID `json:"item_id"`
	Revision string    `json:"revision"`
	Reason   string    `json:"reason"`
}

type caseRow struct {
	Revision      string    `json:"revision"`
	ID            uuid.UUID `json:"id"`
	ItemID        uuid.UUID `json:"item_id"`
	Organisation  string    `json:"organisation"`
	Practice      string    `json:"practice"`
	ReceivedOn    string    `json:"received_on"`
	AcknowledgeBy string    `json:"acknowledge_by"`
}

type moderationRow struct {
	Revision     string    `json:"revision"`
	ID           uuid.UUID `json:"id"`
	ItemID       uuid.UUID `json:"item_id"`
	Organisation string    `json:"organisation"`
	Flags        []string  `json:"flags"`
	Hide         bool      `json:"hide"`
	LegalReview  bool      `json:"legal_review"`
}

// encodeRound turns plans into rows, each keyed as Save promises: on the item and what it is.
func encodeRound(plans []Planned) (round, error) {
	var inbox []inboxRow
	var messages []messageRow
	var edited []editedRow
	var cases []caseRow
	var moderation []moderationRow
	var unflagged []editedRow
	for _, p := range plans {
		it, pl := p.Item, p.Plan
		id := it.ID.String()
		for _, e := range pl.Inbox {
			inbox = append(inbox, inboxRow{ID: feedback.DeriveID("inbox", id, string(e.Kind)), ItemID: it.ID,
				Revision: it.Revision, Organisation: it.Organisation, Practice: it.Practice, Kind: string(e.Kind), Priority: string(e.Priority),
				SuggestedReply: e.SuggestedReply})
		}
		for _, m := range pl.Messages {
			messages = append(messages, messageRow{ID: feedback.DeriveID("outbox", id, string(m.Medium)), ItemID: it.ID,
				Organisation: it.Organisation, Medium: string(m.Medium), Recipient: m.Recipient, Purpose: string(m.Purpose),
				Body: m.Body, State: string(m.State), Revision: it.Revision})
		}
		if it.Revision != "" && len(pl.Messages) == 0 {
			reason := reasonEdited
			if p.DecidedByPerson {
				reason = reasonCorrected
			}
			edited = append(edited, editedRow{ItemID: it.ID, Revision: it.Revision, Reason: reason})
		}
		if c := pl.Case; c != nil {
			cases = append(cases, caseRow{ID: feedback.DeriveID("case", id), ItemID: it.ID, Revision: it.Revision, Organisation: it.Organisation,
				Practice: it.Practice, ReceivedOn: c.ReceivedOn.Format("2006-01-02"), AcknowledgeBy: c.AcknowledgeBy.Format("2006-01-02")})
		}
		if it.Revision != "" && pl.Moderation == nil {
			reason := reasonConductEdited
			if p.DecidedByPerson {
				reason = reasonConductCorrected
			}
			unflagged = append(unflagged, editedRow{ItemID: it.ID, Revision: it.Revision, Reason: reason})
		}
		if m := pl.Moderation; m != nil {
			flags := make([]string, len(m.Flags))
			for i, f := range m.Flags {
				flags[i] = string(f)
			}
			moderation = append(moderation, moderationRow{ID: feedback.DeriveID("moderation", id), ItemID: it.ID, Revision: it.Revision,
				Organisation: it.Organisation, Flags: flags, Hide: m.Hide, LegalReview: m.LegalReview})
		}
	}
	var r round
	errs := make([]error, 6)
	r.inbox, errs[0] = jsonRows(inbox)
	r.messages, errs[1] = jsonRows(messages)
	r.edited, errs[2] = jsonRows(edited)
	r.cases, errs[3] = jsonRows(cases)
	r.moderation, errs[4] = jsonRows(moderation)
	r.unflagged, errs[5] = jsonRows(unflagged)
	return r, errors.Join(errs...)
}

// jsonRows is rows as one JSON array, or nil when there are none (the statement is skipped).
func jsonRows[T any](rows []T) ([]byte, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	return json.Marshal(rows)
}
