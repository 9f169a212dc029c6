package plan_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/services/notifier/internal/plan"
	"github.com/signpost/signpost/services/notifier/internal/workdays"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
)

func kinds(p plan.Plan) []plan.InboxKind {
	var out []plan.InboxKind
	for _, e := range p.Inbox {
		out = append(out, e.Kind)
	}
	return out
}

func TestDecisionTable(t *testing.T) {
	set, err := policy.Load(policy.Examples())
	if err != nil {
		t.Fatal(err)
	}
	cal, err := workdays.EnglandAndWales()
	if err != nil {
		t.Fatal(err)
	}
	charlton, _ := set.ForPractice("charlton-medical-centre")
	trent, _ := set.ForPractice("trent-meadows-medical-practice")
	monday := time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)
	decided := func(r feedback.Route, flags ...feedback.Flag) feedback.Decision {
		return feedback.Decision{Route: r, Flags: flags, Confidence: 0.9, ModelVersion: "m"}
	}
	type want struct {
		inbox      []plan.InboxKind
		messages   []plan.Medium
		state      plan.MessageState
		caseDue    string
		moderation bool
		hide       bool
		legal      bool
	}
	for _, c := range []struct {
		name    string
		p       *policy.Policy
		channel feedback.Channel
		email   string
		d       feedback.Decision
		want    want
	}{
		{"official review: respond with a suggested reply", charlton, feedback.WebsiteReview, "", decided(feedback.OfficialReview),
			want{inbox: []plan.InboxKind{plan.Respond}}},
		{"unofficial review: recorded, no response", trent, feedback.FacebookComment, "", decided(feedback.UnofficialReview),
			want{inbox: []plan.InboxKind{plan.Ignored}}},
		{"other: recorded, no response", trent, feedback.FacebookPost, "", decided(feedback.Other),
			want{inbox: []plan.InboxKind{plan.Ignored}}},
		{"complaint on Facebook: one private delete request", trent, feedback.FacebookComment, "", decided(feedback.Complaint),
			want{inbox: []plan.InboxKind{plan.DeleteRequested}, messages: []plan.Medium{plan.FacebookPrivateReply}, state: plan.Pending}},
		{"complaint on an official channel with an email: signpost and email", charlton, feedback.WebsiteReview, "pat@example.org", decided(feedback.Complaint),
			want{inbox: []plan.InboxKind{plan.Signpost}, messages: []plan.Medium{plan.Email}, state: plan.Pending}},
		{"complaint on an official channel without email: signpost only", trent, feedback.GoogleReview, "", decided(feedback.Complaint),
			want{inbox: []plan.InboxKind{plan.Signpost}}},
		{"complaint form: a case due in 3 working days", charlton, feedback.ComplaintForm, "pat@example.org", decided(feedback.Complaint),
			want{inbox: []plan.InboxKind{plan.ComplaintCase}, caseDue: "2026-11-19"}},
		{"complaint on another site: awareness only", charlton, feedback.ThirdPartyReview, "", decided(feedback.Complaint),
			want{inbox: []plan.InboxKind{plan.ComplaintAwareness}}},
		{"conduct on Charlton's page: reported, not hidden", charlton, feedback.FacebookComment, "", decided(feedback.UnofficialReview, feedback.StaffIdentified),
			want{inbox: []plan.InboxKind{plan.Ignored, plan.Moderation}, moderation: true}},
		{"defamation on Trent's page: hidden, reported, legal review", trent, feedback.FacebookComment, "", decided(feedback.Complaint, feedback.Defamatory),
			want{inbox: []plan.InboxKind{plan.DeleteRequested, plan.Moderation}, messages: []plan.Medium{plan.FacebookPrivateReply}, state: plan.Pending,
				moderation: true, hide: true, legal: true}},
		{"conduct flag on a form: no page to moderate", charlton, feedback.WebsiteReview, "", decided(feedback.OfficialReview, feedback.Abusive),
			want{inbox: []plan.InboxKind{plan.Respond}}},
		{"safeguarding: urgent first, no automated message", trent, feedback.FacebookComment, "", decided(feedback.Complaint, feedback.Safeguarding),
			want{inbox: []plan.InboxKind{plan.Urgent, plan.DeleteRequested}}},
		{"needs review: the message is held", charlton, feedback.WebsiteReview, "pat@example.org",
			feedback.Decision{Route: feedback.Complaint, Confidence: 0.6, NeedsReview: true, ModelVersion: "m"},
			want{inbox: []plan.InboxKind{plan.NeedsReview, plan.Signpost}, messages: []plan.Medium{plan.Email}, state: plan.Held}},
	} {
		t.Run(c.name, func(t *testing.T) {
			it := feedback.Item{Practice: c.p.Practices[0].Slug, Channel: c.channel, SourceID: "123_456", Email: c.email}
			got, err := plan.Make(c.p, it, c.d, monday, cal)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(kinds(got), c.want.inbox) {
				t.Errorf("inbox %v, want %v", kinds(got), c.want.inbox)
			}
			var media []plan.Medium
			for _, m := range got.Messages {
				media = append(media, m.Medium)
				if m.State != c.want.state {
					t.Errorf("message state %s, want %s", m.State, c.want.state)
				}
				if !strings.Contains(m.Body, c.p.ComplaintsProcedureURL) {
					t.Errorf("message does not give the Complaints Procedure's link: %q", m.Body)
				}
				if m.Medium == plan.FacebookPrivateReply && m.Recipient != "123_456" {
					t.Errorf("private reply goes to %q, want the comment", m.Recipient)
				}
			}
			if !slices.Equal(media, c.want.messages) {
				t.Errorf("messages %v, want %v", media, c.want.messages)
			}
			if (got.Case != nil) != (c.want.caseDue != "") || got.Case != nil && got.Case.AcknowledgeBy.Format(time.DateOnly) != c.want.caseDue {
				t.Errorf("case %+v, want due %q", got.Case, c.want.caseDue)
			}
			if (got.Moderation != nil) != c.want.moderation || got.Moderation != nil && (got.Moderation.Hide != c.want.hide || got.Moderation.LegalReview != c.want.legal) {
				t.Errorf("moderation %+v, want present=%v hide=%v legal=%v", got.Moderation, c.want.moderation, c.want.hide, c.want.legal)
			}
			for _, e := range got.Inbox {
				if (e.Kind == plan.Respond || e.Kind == plan.Signpost) && e.SuggestedReply == "" {
					t.Errorf("%s entry without a suggested reply", e.Kind)
				}
			}
		})
	}
}
