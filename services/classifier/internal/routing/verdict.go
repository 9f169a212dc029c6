// Package routing is the pure core of the classifier: from an organisation's policy, an item and
// what its text says, the decision of SPEC.md sections 3 and 4. No I/O.
package routing

import "github.com/signpost/signpost/shared/feedback"

// Kind is what the text alone says the item is.
type Kind string

// The kinds of text.
const (
	KindComplaint Kind = "complaint" // reports a failure or mistreatment and is negative about it
	KindFeedback  Kind = "feedback"  // feedback about the practice that is not a complaint
	KindOther     Kind = "other"     // not feedback: questions, tags, chatter
)

// TextVerdict is a text classifier's answer.
type TextVerdict struct {
	Kind         Kind
	Confidence   float64  // probability that Kind is right, 0..1
	Evidence     []string // short, readable: the words that decided it
	ModelVersion string
}

// FlagHit is one flag and the words that set it off.
type FlagHit struct {
	Flag    feedback.Flag
	Trigger string
}

// TextClassifier says what a text is. The first one is a rule set; a trained model replaces it.
type TextClassifier interface {
	Classify(text, rating string) TextVerdict
}

// FlagDetector finds conduct problems and safeguarding risks in a text; staff are the
// organisation's staff roster.
type FlagDetector interface {
	Detect(text string, staff []string) []FlagHit
}

// Reading is what a text classifier made of a text (its features), which a flag detector that
// reads texts the same way uses rather than reading the text again. A reading with a Release
// method is released (see Release) once both are done with it, for its memory to be reused.
type Reading any

// ReadingClassifier is a TextClassifier that hands on its reading of a text.
type ReadingClassifier interface {
	TextClassifier
	// Read reads the text once, for ClassifyReading and a ReadingDetector's DetectReading.
	Read(text string) Reading
	// ClassifyReading says what Classify(text, rating) says, from the text's reading.
	ClassifyReading(r Reading, text, rating string) TextVerdict
}

// ReadingDetector is a FlagDetector that can use a classifier's reading of a text.
type ReadingDetector interface {
	FlagDetector
	// DetectReading finds what Detect(text, staff) finds, using the text's reading where it
	// can (and reading the text itself where the reading is not one it can use).
	DetectReading(r Reading, text string, staff []string) []FlagHit
}
