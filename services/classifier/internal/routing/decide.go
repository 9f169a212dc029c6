package routing

import (
	"fmt"
	"slices"
	"strings"

	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
)

// Decide applies the organisation's policy to what the text says. The channel decides official
// against unofficial; the text decides complaint against review against other; everything from
// the Complaints Procedure is a complaint. A decision less confident than the policy's threshold
// needs a person to confirm it before anything reaches the patient.
func Decide(p *policy.Policy, item feedback.Item, text TextVerdict, hits []FlagHit) feedback.Decision {
	d := feedback.Decision{Confidence: text.Confidence, ModelVersion: text.ModelVersion, Flags: []feedback.Flag{}}
	switch {
	case item.Channel == feedback.ComplaintForm:
		d.Route, d.Confidence = feedback.Complaint, 1
		d.Reasons = append(d.Reasons, "complaint_form: everything sent through the Complaints Procedure is a complaint")
	case text.Kind == KindComplaint:
		d.Route = feedback.Complaint
		d.Reasons = append(d.Reasons, "text reports something that went wrong"+evidence(text))
	case text.Kind == KindOther:
		d.Route = feedback.Other
		d.Reasons = append(d.Reasons, "text is not feedback about the practice"+evidence(text))
	case p.Official(item.Channel):
		d.Route = feedback.OfficialReview
		d.Reasons = append(d.Reasons, fmt.Sprintf("feedback that is not a complaint, on %s, an official review channel of %s%s",
			item.Channel, p.Organisation.Name, evidence(text)))
	default:
		d.Route = feedback.UnofficialReview
		d.Reasons = append(d.Reasons, fmt.Sprintf("feedback that is not a complaint, on %s, which is not an official review channel of %s: no response%s",
			item.Channel, p.Organisation.Name, evidence(text)))
	}
	for _, h := range hits {
		if !slices.Contains(d.Flags, h.Flag) {
			d.Flags = append(d.Flags, h.Flag)
		}
		d.Reasons = append(d.Reasons, fmt.Sprintf("%s: %q", h.Flag, h.Trigger))
	}
	slices.SortFunc(d.Flags, func(a, b feedback.Flag) int {
		return slices.Index(feedback.Flags, a) - slices.Index(feedback.Flags, b)
	})
	if d.Confidence < p.Review.MinConfidence {
		d.NeedsReview = true
		d.Reasons = append(d.Reasons, fmt.Sprintf("confidence %.2f is below the policy's %.2f: a person confirms before anything reaches the patient",
			d.Confidence, p.Review.MinConfidence))
	}
	return d
}

func evidence(v TextVerdict) string {
	if len(v.Evidence) == 0 {
		return ""
	}
	return " (" + strings.Join(v.Evidence, "; ") + ")"
}

// Engine decides items with one text classifier and one flag detector; the classifier service and
// the classify command share it.
type Engine struct {
	Text  TextClassifier
	Flags FlagDetector
}

// Decide is the engine's decision on an item under its organisation's policy. Its model version
// names the text model and, where the flag detector has one, the flag models.
func (e Engine) Decide(p *policy.Policy, it feedback.Item) feedback.Decision {
	text, hits := e.read(it, p.Staff)
	d := Decide(p, it, text, hits)
	if v, ok := e.Flags.(interface{ Version() string }); ok {
		d.ModelVersion += "+" + v.Version()
	}
	return d
}

// read is what the text classifier and the flag detector say about the item's text. Where both
// can share a reading of the text, the text is read once for both.
func (e Engine) read(it feedback.Item, staff []string) (TextVerdict, []FlagHit) {
	rc, ok := e.Text.(ReadingClassifier)
	rd, ok2 := e.Flags.(ReadingDetector)
	if !ok || !ok2 {
		return e.Text.Classify(it.Text, it.Rating), e.Flags.Detect(it.Text, staff)
	}
	r := rc.Read(it.Text)
	defer Release(r)
	return rc.ClassifyReading(r, it.Text, it.Rating), rd.DetectReading(r, it.Text, staff)
}

// Release hands back a reading's memory, where it can be, once everything that reads it is done;
// what they made from it does not keep it.
func Release(r Reading) {
	if rel, ok := r.(interface{ Release() }); ok {
		rel.Release()
	}
}
