package feedback

import (
	"fmt"
	"slices"
)

// Route is where an item goes: exactly one per item (SPEC.md section 3).
type Route string

// The routes.
const (
	OfficialReview   Route = "official_review"
	UnofficialReview Route = "unofficial_review"
	Complaint        Route = "complaint"
	Other            Route = "other"
)

// Flag marks a conduct problem or a safeguarding risk in the text (SPEC.md section 4).
type Flag string

// The flags.
const (
	StaffIdentified Flag = "staff_identified"
	PatientInfo     Flag = "patient_info"
	Abusive         Flag = "abusive"
	Defamatory      Flag = "defamatory"
	Safeguarding    Flag = "safeguarding"
)

// Flags lists every flag in a stable order.
var Flags = []Flag{StaffIdentified, PatientInfo, Abusive, Defamatory, Safeguarding}

// Conduct reports whether the flag breaks the code of conduct (safeguarding is a duty, not a breach).
func (f Flag) Conduct() bool { return f != Safeguarding }

// Decision is the classifier's verdict on an item.
type Decision struct {
	Route        Route    `json:"route"`
	Flags        []Flag   `json:"flags"`
	Confidence   float64  `json:"confidence"`
	NeedsReview  bool     `json:"needs_review"`
	Reasons      []string `json:"reasons"`
	ModelVersion string   `json:"model_version"`
}

// DecidedByPerson is the model version of a decision a Practice Manager made (a confirmation or a
// correction), rather than the classifier.
const DecidedByPerson = "practice-manager"

// Has reports whether the decision carries the flag.
func (d Decision) Has(f Flag) bool { return slices.Contains(d.Flags, f) }

// ConductFlags returns the flags that break the code of conduct.
func (d Decision) ConductFlags() []Flag {
	var out []Flag
	for _, f := range d.Flags {
		if f.Conduct() {
			out = append(out, f)
		}
	}
	return out
}

// Validate checks that the decision uses known values.
func (d Decision) Validate() error {
	if !slices.Contains([]Route{OfficialReview, UnofficialReview, Complaint, Other}, d.Route) {
		return fmt.Errorf("unknown route %q", d.Route)
	}
	for _, f := range d.Flags {
		if !slices.Contains(Flags, f) {
			return fmt.Errorf("unknown flag %q", f)
		}
	}
	if d.Confidence < 0 || d.Confidence > 1 {
		return fmt.Errorf("confidence %v outside 0..1", d.Confidence)
	}
	if d.ModelVersion == "" {
		return fmt.Errorf("decision has no model version")
	}
	return nil
}
