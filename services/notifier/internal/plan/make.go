package plan

import (
	"fmt"
	"time"

	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
)

// AcknowledgementDays is how many working days the NHS complaints regulations (England, 2009)
// give to acknowledge a complaint.
const AcknowledgementDays = 3

// Calendar counts working days.
type Calendar interface {
	AddWorkingDays(t time.Time, n int) (time.Time, error)
	Day(t time.Time) time.Time
}

// Make applies the decision table to one decided item, received at receivedAt.
func Make(p *policy.Policy, it feedback.Item, d feedback.Decision, receivedAt time.Time, cal Calendar) (Plan, error) {
	var pl Plan
	reply := func(name string) (string, error) { return p.Message(name, it.Practice) }
	safeguarding := d.Has(feedback.Safeguarding)

	if safeguarding {
		pl.Inbox = append(pl.Inbox, InboxEntry{Kind: Urgent, Priority: PriorityUrgent})
	}
	if d.NeedsReview {
		pl.Inbox = append(pl.Inbox, InboxEntry{Kind: NeedsReview, Priority: PriorityNormal})
	}
	message := func(medium Medium, recipient string, purpose Purpose, template string) error {
		if safeguarding { // no automated message to a patient who may be at risk: a person decides
			return nil
		}
		body, err := reply(template)
		if err != nil {
			return err
		}
		state := Pending
		if d.NeedsReview {
			state = Held
		}
		pl.Messages = append(pl.Messages, PatientMessage{Medium: medium, Recipient: recipient, Purpose: purpose, Body: body, State: state})
		return nil
	}

	switch {
	case d.Route == feedback.OfficialReview:
		r, err := reply(policy.TemplateRespond)
		if err != nil {
			return Plan{}, err
		}
		pl.Inbox = append(pl.Inbox, InboxEntry{Kind: Respond, Priority: PriorityNormal, SuggestedReply: r})
	case d.Route == feedback.UnofficialReview, d.Route == feedback.Other:
		pl.Inbox = append(pl.Inbox, InboxEntry{Kind: Ignored, Priority: PriorityLow})
	case it.Channel == feedback.ComplaintForm:
		due, err := cal.AddWorkingDays(receivedAt, AcknowledgementDays)
		if err != nil {
			return Plan{}, fmt.Errorf("acknowledgement due date: %w", err)
		}
		pl.Case = &ComplaintCaseOpened{ReceivedOn: cal.Day(receivedAt), AcknowledgeBy: due}
		pl.Inbox = append(pl.Inbox, InboxEntry{Kind: ComplaintCase, Priority: PriorityNormal})
	case it.Channel.Social():
		// Not acknowledged in public: one private message asking the poster to delete the post.
		if err := message(FacebookPrivateReply, it.SourceID, DeleteRequest, policy.TemplateDeleteRequest); err != nil {
			return Plan{}, err
		}
		pl.Inbox = append(pl.Inbox, InboxEntry{Kind: DeleteRequested, Priority: PriorityNormal})
	case p.Official(it.Channel) || p.OffersForm(it.Channel):
		r, err := reply(policy.TemplateSignpost)
		if err != nil {
			return Plan{}, err
		}
		pl.Inbox = append(pl.Inbox, InboxEntry{Kind: Signpost, Priority: PriorityNormal, SuggestedReply: r})
		if it.Email != "" {
			if err := message(Email, it.Email, ComplaintsSignpost, policy.TemplateComplaintEmail); err != nil {
				return Plan{}, err
			}
		}
	default:
		pl.Inbox = append(pl.Inbox, InboxEntry{Kind: ComplaintAwareness, Priority: PriorityNormal})
	}

	if conduct := d.ConductFlags(); len(conduct) > 0 && it.Channel.Social() {
		pl.Moderation = &ModerationRequest{Flags: conduct, Hide: p.Moderation.AutoHide, LegalReview: d.Has(feedback.Defamatory)}
		pl.Inbox = append(pl.Inbox, InboxEntry{Kind: Moderation, Priority: PriorityNormal})
	}
	return pl, nil
}
