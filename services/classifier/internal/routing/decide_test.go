package routing_test

import (
	"slices"
	"testing"

	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
)

func TestDecide(t *testing.T) {
	set, err := policy.Load(policy.Examples())
	if err != nil {
		t.Fatal(err)
	}
	charlton, _ := set.ForPractice("charlton-medical-centre")
	trent, _ := set.ForPractice("trent-meadows-medical-practice")
	sure := func(k routing.Kind) routing.TextVerdict {
		return routing.TextVerdict{Kind: k, Confidence: 0.9, ModelVersion: "m1", Evidence: []string{"e"}}
	}
	for _, c := range []struct {
		name        string
		p           *policy.Policy
		channel     feedback.Channel
		text        routing.TextVerdict
		hits        []routing.FlagHit
		route       feedback.Route
		flags       []feedback.Flag
		needsReview bool
	}{
		{"website review at Charlton is official", charlton, feedback.WebsiteReview, sure(routing.KindFeedback), nil, feedback.OfficialReview, nil, false},
		{"Google review at Charlton is not", charlton, feedback.GoogleReview, sure(routing.KindFeedback), nil, feedback.UnofficialReview, nil, false},
		{"Google review at Trent Meadows is official", trent, feedback.GoogleReview, sure(routing.KindFeedback), nil, feedback.OfficialReview, nil, false},
		{"paper FFT at Trent Meadows is official", trent, feedback.FFTPaper, sure(routing.KindFeedback), nil, feedback.OfficialReview, nil, false},
		{"Facebook praise is unofficial", trent, feedback.FacebookComment, sure(routing.KindFeedback), nil, feedback.UnofficialReview, nil, false},
		{"third-party site is unofficial", charlton, feedback.ThirdPartyReview, sure(routing.KindFeedback), nil, feedback.UnofficialReview, nil, false},
		{"complaint wherever it is posted", trent, feedback.FacebookComment, sure(routing.KindComplaint), nil, feedback.Complaint, nil, false},
		{"complaint form is always a complaint, and sure", charlton, feedback.ComplaintForm,
			routing.TextVerdict{Kind: routing.KindFeedback, Confidence: 0.5, ModelVersion: "m1"}, nil, feedback.Complaint, nil, false},
		{"question is other", charlton, feedback.FacebookPost, sure(routing.KindOther), nil, feedback.Other, nil, false},
		{"unsure decision needs review", charlton, feedback.WebsiteReview,
			routing.TextVerdict{Kind: routing.KindComplaint, Confidence: 0.6, ModelVersion: "m1"}, nil, feedback.Complaint, nil, true},
		{"flags are kept once each, in a stable order", trent, feedback.FacebookComment, sure(routing.KindComplaint),
			[]routing.FlagHit{{feedback.Safeguarding, "end it all"}, {feedback.StaffIdentified, "Dr X"}, {feedback.Safeguarding, "self-harm"}},
			feedback.Complaint, []feedback.Flag{feedback.StaffIdentified, feedback.Safeguarding}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			item := feedback.Item{Channel: c.channel, Practice: c.p.Practices[0].Slug}
			d := routing.Decide(c.p, item, c.text, c.hits)
			if d.Route != c.route || d.NeedsReview != c.needsReview || !slices.Equal(d.Flags, append([]feedback.Flag{}, c.flags...)) {
				t.Errorf("got %s flags %v review %v; want %s %v %v", d.Route, d.Flags, d.NeedsReview, c.route, c.flags, c.needsReview)
			}
			if err := d.Validate(); err != nil {
				t.Error(err)
			}
			if len(d.Reasons) == 0 {
				t.Error("a decision must say why")
			}
		})
	}
}
