// Package textrules is Signpost's first text classifier: a small, readable rule set that says
// whether a text is a complaint, other feedback, or not feedback at all. It is honest about its
// limits: its confidence stays modest, so that an unclear text goes to a person. The trained model
// of the classifier issue replaces it behind the same interface.
//
// Its flag rules (Flags) are maintained patterns. Detect reads a text once for the literals every
// pattern's matches must contain (a screen, worked out from the patterns themselves) and runs a
// pattern only on a text that has them, exactly as written: the same hits, without running
// patterns that cannot match.
package textrules

import (
	"regexp"
	"strings"

	"github.com/signpost/signpost/services/classifier/internal/routing"
)

// Version is recorded on every decision the rule set makes.
const Version = "rules-1"

// Rules implements routing.TextClassifier.
type Rules struct{}

var (
	// Praise that uses negative words ("no problems at all") is not a complaint: these are removed
	// before the complaint cues are looked for.
	negatedPraise = regexp.MustCompile(`(?i)\b(no|not a single|never any|never had any|nothing to) (problems?|complaints?|issues?|complain about)\b|\b(can'?t|cannot|couldn'?t|could not) fault\b|\bnot (bad|too bad)\b`)

	complaintCues = []*regexp.Regexp{
		regexp.MustCompile(`(?i)\bwait(ed|ing)?\s+(for\s+)?(over\s+|nearly\s+|almost\s+)?(an?|\d+|two|three|four|five|six|several)\s*(min(ute)?s?|hours?|hrs?|days?|weeks?|months?)\b`),
		regexp.MustCompile(`(?i)\b(rude|rudely|dismissive|unhelpful|arrogant|condescending|patronising|patronizing|uncaring|incompetent|shouted|snapped)\b`),
		regexp.MustCompile(`(?i)\b(no ?one|nobody|never)\s+(ever\s+)?(called|rang|phoned|rung|got back|replied|responded|returned)\b|\bno call ?back\b|\bnever heard back\b`),
		regexp.MustCompile(`(?i)\b(cancell?ed|moved)\s+(my|our|his|her)\s+(appointment|app?t|operation|referral)\b`),
		regexp.MustCompile(`(?i)\b(lost|misplaced|mixed up)\s+(my|our|his|her|the)\s+(results?|bloods?|blood tests?|samples?|prescriptions?|referral|notes|records|letter)\b`),
		regexp.MustCompile(`(?i)\b(refused|wouldn'?t|would not|won'?t)\s+(to\s+)?(see|give|prescribe|refer|listen|help|examine|book)\b`),
		regexp.MustCompile(`(?i)\b(can'?t|cannot|couldn'?t|could not|unable to|impossible to|never)\s+(get|book)\s+(an?\s+|through|a hold|seen)`),
		regexp.MustCompile(`(?i)\b(hung up|put the phone down|cut off)\b`),
		regexp.MustCompile(`(?i)\b(misdiagnos\w*|wrong (medication|medicine|prescription|dose|diagnosis))\b`),
		regexp.MustCompile(`(?i)\b(worst|terrible|appalling|disgusting|shocking|awful|useless|rubbish|shambles|joke|disgrace(ful)?|diabolical|pathetic)\b`),
		regexp.MustCompile(`(?i)\b(disappointed|unacceptable|let (me|us|him|her) down|fed up|ridiculous|not good enough|not acceptable)\b`),
		regexp.MustCompile(`(?i)\b(complain(ed|ing|t)?|complaint)\b`),
		regexp.MustCompile(`(?i)\bstill (waiting|not|no|haven'?t)\b`),
		regexp.MustCompile(`(?i)\b(same here|me too|same happened)\b.*\b(weeks?|months?|days?|hours?|appointment|phone|call)\b`),
	}

	praiseCues = regexp.MustCompile(`(?i)\b(thank(s| you)?|great|excellent|lovely|kind|kindness|helpful|brilliant|amazing|fantastic|friendly|caring|professional|recommend(ed)?|good|efficient|quick|wonderful|superb|outstanding|polite|reassuring|attentive|best)\b`)

	questionCues = regexp.MustCompile(`(?i)^\s*(what|when|where|how|is|are|does|do|can|could|will|has|have|anyone|any one)\b[^.!]*\?|\b(opening (hours|times)|open on|what time|flu (clinic|jab)s? (on|this|next)|does anyone know)\b`)
	tagOnly      = regexp.MustCompile(`^\s*(@?[A-Z][a-z]+(\s+[A-Z][a-z]+)?[\s,]*)+\s*$`)
)

// Classify says what the text is. A rating with no text is feedback, never a complaint.
func (Rules) Classify(text, rating string) routing.TextVerdict {
	v := routing.TextVerdict{ModelVersion: Version}
	t := strings.TrimSpace(text)
	if t == "" {
		if rating != "" {
			v.Kind, v.Confidence = routing.KindFeedback, 0.95
			v.Evidence = []string{"a rating with no text"}
		} else {
			v.Kind, v.Confidence = routing.KindOther, 0.6
			v.Evidence = []string{"no text"}
		}
		return v
	}
	cleaned := negatedPraise.ReplaceAllString(t, " ")
	var cues []string
	for _, re := range complaintCues {
		if m := re.FindString(cleaned); m != "" {
			cues = append(cues, m)
		}
	}
	praise := unique(praiseCues.FindAllString(t, 4))
	switch {
	case len(cues) > 0:
		v.Kind = routing.KindComplaint
		v.Confidence = min(0.55+0.12*float64(len(cues)), 0.9)
		if len(praise) > 0 && len(cues) == 1 {
			v.Confidence = 0.6 // mixed: a person should look
		}
		v.Evidence = append(v.Evidence, "complaint words: "+quoteAll(cues))
		if len(praise) > 0 {
			v.Evidence = append(v.Evidence, "praise words: "+quoteAll(praise))
		}
	case questionCues.MatchString(t) || tagOnly.MatchString(t):
		v.Kind, v.Confidence = routing.KindOther, 0.7
		v.Evidence = []string{"reads as a question or a tag, not feedback"}
	case len(praise) > 0:
		v.Kind, v.Confidence = routing.KindFeedback, min(0.7+0.05*float64(len(praise)), 0.85)
		v.Evidence = []string{"praise words: " + quoteAll(praise)}
	default:
		v.Kind, v.Confidence = routing.KindFeedback, 0.55
		v.Evidence = []string{"no complaint, praise or question words found"}
	}
	return v
}

func unique(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		k := strings.ToLower(s)
		if !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = `"` + strings.TrimSpace(s) + `"`
	}
	return strings.Join(q, ", ")
}
