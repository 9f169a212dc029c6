package textrules_test

import (
	"slices"
	"testing"

	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/services/classifier/internal/textrules"
	"github.com/signpost/signpost/shared/feedback"
)

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		text, rating string
		want         routing.Kind
	}{
		{"The nurse was lovely but I waited 50 minutes and no one told me why", "", routing.KindComplaint},
		{"Receptionist was rude and hung up on me", "", routing.KindComplaint},
		{"same here, a month trying to get an appointment", "", routing.KindComplaint},
		{"They lost my blood results twice", "", routing.KindComplaint},
		{"", "1", routing.KindFeedback}, // a rating with no text is not a complaint, however low
		{"No problems at all, not a single complaint", "", routing.KindFeedback},
		{"Thank you to the team, always kind and helpful", "", routing.KindFeedback},
		{"Evening appointments would help people who work", "", routing.KindFeedback},
		{"What time does the flu clinic start on Saturday?", "", routing.KindOther},
		{"Sarah Jones", "", routing.KindOther},
	} {
		v := textrules.Rules{}.Classify(c.text, c.rating)
		if v.Kind != c.want {
			t.Errorf("%q: %s (%v), want %s", c.text, v.Kind, v.Evidence, c.want)
		}
		if v.Confidence <= 0 || v.Confidence > 1 || v.ModelVersion == "" || len(v.Evidence) == 0 {
			t.Errorf("%q: verdict incomplete: %+v", c.text, v)
		}
	}
}

func TestFlags(t *testing.T) {
	for _, c := range []struct {
		text  string
		staff []string
		want  []feedback.Flag
	}{
		{"Dr Okafor was brilliant", nil, []feedback.Flag{feedback.StaffIdentified}},
		{"the receptionist Julie laughed at me", nil, []feedback.Flag{feedback.StaffIdentified}},
		{"Ask Priyanka at the desk", []string{"Priyanka"}, []feedback.Flag{feedback.StaffIdentified}},
		{"The staff were all lovely", nil, nil},
		{"My neighbour's NHS number is 943 476 5919", nil, []feedback.Flag{feedback.PatientInfo}},
		{"Order number 943 476 5918", nil, nil}, // fails the modulus 11 check
		{"What a load of sh*t, you f***ing idiots", nil, []feedback.Flag{feedback.Abusive}},
		{"the practice manager is a liar and a fraud", nil, []feedback.Flag{feedback.StaffIdentified, feedback.Defamatory}},
		{"I can't cope any more and I want to end it all", nil, []feedback.Flag{feedback.Safeguarding}},
		{"my dad has been left alone for days with no food in the house", nil, []feedback.Flag{feedback.Safeguarding}},
	} {
		var got []feedback.Flag
		for _, h := range (textrules.Flags{}).Detect(c.text, c.staff) {
			got = append(got, h.Flag)
			if h.Trigger == "" {
				t.Errorf("%q: flag %s has no trigger", c.text, h.Flag)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: flags %v, want %v", c.text, got, c.want)
		}
	}
}

func TestNHSNumberModulus11(t *testing.T) {
	for n, want := range map[string]bool{"9434765919": true, "9434765918": false, "4010232137": true, "123456789X": false, "123": false} {
		if textrules.NHSNumberValid(n) != want {
			t.Errorf("%s valid = %v", n, !want)
		}
	}
}

func FuzzClassify(f *testing.F) {
	f.Add("waited 3 hours, rude receptionist", "1")
	f.Add("", "")
	f.Add("Dr 943 476 5919 f*** suicide", "very_poor")
	f.Fuzz(func(t *testing.T, text, rating string) {
		v := textrules.Rules{}.Classify(text, rating)
		if v.Confidence < 0 || v.Confidence > 1 {
			t.Fatalf("confidence %v", v.Confidence)
		}
		_ = textrules.Flags{}.Detect(text, []string{"Sam"})
	})
}
