package actions

import (
	"errors"
	"slices"
	"testing"

	"github.com/signpost/signpost/shared/feedback"
)

func TestAPersonsDecisionNeedsNoReview(t *testing.T) {
	cur := feedback.Decision{Route: feedback.Complaint, Flags: []feedback.Flag{feedback.Abusive}, Confidence: 0.6, NeedsReview: true,
		Reasons: []string{"waited"}, ModelVersion: "m1"}
	for _, c := range []struct {
		name      string
		confirm   bool
		route     feedback.Route
		flags     []feedback.Flag
		wantKind  string
		wantRoute feedback.Route
		wantFlags []feedback.Flag
		wantModel string
		wantErr   error
	}{
		{"confirm", true, "", nil, Confirmed, feedback.Complaint, []feedback.Flag{feedback.Abusive}, "m1", nil},
		{"correct", false, feedback.OfficialReview, nil, Corrected, feedback.OfficialReview, []feedback.Flag{}, feedback.DecidedByPerson, nil},
		{"flags sorted, repeats dropped", false, feedback.Complaint, []feedback.Flag{feedback.Safeguarding, feedback.Abusive, feedback.Safeguarding},
			Corrected, feedback.Complaint, []feedback.Flag{feedback.Abusive, feedback.Safeguarding}, feedback.DecidedByPerson, nil},
		{"the same answer is a confirmation", false, feedback.Complaint, []feedback.Flag{feedback.Abusive}, Confirmed, feedback.Complaint,
			[]feedback.Flag{feedback.Abusive}, "m1", nil},
		{"unknown route", false, "sideways", nil, "", "", nil, "", ErrInvalidDecision},
		{"unknown flag", false, feedback.Other, []feedback.Flag{"rude"}, "", "", nil, "", ErrInvalidDecision},
	} {
		d, kind, err := Revise(cur, c.confirm, c.route, c.flags)
		if !errors.Is(err, c.wantErr) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if kind != c.wantKind || d.Route != c.wantRoute || !slices.Equal(d.Flags, c.wantFlags) || d.ModelVersion != c.wantModel || d.NeedsReview {
			t.Errorf("%s: %s %+v", c.name, kind, d)
		}
	}
	if !cur.NeedsReview || len(cur.Reasons) != 1 {
		t.Error("Revise changed the decision it was given")
	}
}
