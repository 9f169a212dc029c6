package textrules

import (
	"slices"
	"strings"

	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/shared/feedback"
)

// Flags implements routing.FlagDetector with maintained word lists and patterns. Each flag reports
// the words that set it off, except where those words are themselves personal data (an NHS
// number, a date of birth, a phone number), which are described instead.
type Flags struct{}

// Detect returns each flag the text raises, with what raised it. The roster is the organisation's
// staff names.
func (Flags) Detect(text string, staff []string) []routing.FlagHit {
	sn := rules.read(text)
	var hits []routing.FlagHit
	add := func(f feedback.Flag, trigger string) {
		if trigger != "" {
			hits = append(hits, routing.FlagHit{Flag: f, Trigger: strings.TrimSpace(trigger)})
		}
	}
	add(feedback.StaffIdentified, staffTrigger(text, staff, sn))
	add(feedback.PatientInfo, patientInfoTrigger(text, sn))
	add(feedback.Abusive, firstMatch(text, sn, abusive))
	add(feedback.Defamatory, firstMatch(text, sn, defamatory))
	add(feedback.Safeguarding, firstMatch(text, sn, safeguarding))
	return hits
}

// rules is the screen of every pattern Detect runs: one pass over a text tells which of them
// can match it.
var rules = newScreen(slices.Concat(abusive, defamatory, safeguarding, staffPatterns, []*pattern{describedStaff},
	patientInfoPatterns)...)

// firstMatch is the first pattern's leftmost match, in the patterns' order, or "".
func firstMatch(text string, sn seen, patterns []*pattern) string {
	for _, p := range patterns {
		if m := p.findString(text, sn); m != "" {
			return m
		}
	}
	return ""
}

func words(alternatives ...string) string { return `(?:` + strings.Join(alternatives, `|`) + `)` }

var (
	praiseOrBlame = words(`nice`, `lovely`, `kind`, `friendly`, `helpful`, `excellent`, `amazing`, `brilliant`, `great`,
		`rude`, `horrible`, `useless`, `arrogant`, `patient`, `gentle`, `caring`, `good`, `fab(?:ulous)?`, `wonderful`, `unhelpful`)

	staffPatterns = newPatterns(
		`\b(?:Dr\.?|Doctor|Nurse|Sister)\s+[A-Z][a-z'-]+`,
		`\b[A-Z][a-z]+\s+(?:on|at|from|in)\s+(?:the\s+)?(?:reception|front desk|the desk|dispensary)\b`,
		`\b[A-Z][a-z]+\s+who\s+(?:does|did|took|runs|ran|works)\b`,
		`(?i)\bwhoever was on reception\b`,
		`(?i)\b(?:the|that|this|your|our)\s+(?:`+praiseOrBlame+`\s+)?(?:practice manager|receptionist\b|(?:practice |advanced )?nurse(?: practitioner)?|locum|triage doctor|physio\w*|health ?care assistant|hca|pharmacist|paramedic|care navigator|phlebotomist|physician associate|doctor (?:i|we|she|he|they) (?:saw|spoke|see)|gp (?:i|we) (?:saw|spoke))\b`,
		`(?i)^\s*(?:receptionist|practice manager|nurse|doctor|dr|gp|locum)\b\s+(?:was|is|were|very|so|really|ignored|hung|told|said|refused|gave|shouted|laughed|n)\b`,
		`(?i)\b(?:receptionist|nurse|doctor|locum)\s+(?:was|is)\s+(?:very\s+|so\s+|really\s+)?`+praiseOrBlame+`\b`,
	)
)

// describedStaff is a praised or blamed role ("lovely nurse"), unless the role names a service
// rather than a person ("good GP practice", "brilliant nurse appointment").
var describedStaff = newPattern(`(?i)\b` + praiseOrBlame + `\s+(?:receptionist|nurse|doctor|gp|locum|pharmacist)\b(?:\s+(\w+))?`)

var services = map[string]bool{"practice": true, "surgery": true, "appointment": true, "appointments": true,
	"service": true, "services": true, "team": true, "clinic": true, "practices": true, "surgeries": true}

func staffTrigger(text string, staff []string, sn seen) string {
	if name := rosterName(text, staff); name != "" {
		return name
	}
	if m := firstMatch(text, sn, staffPatterns); m != "" {
		return m
	}
	if !sn.mayMatch(describedStaff) {
		return ""
	}
	for _, m := range describedStaff.re.FindAllStringSubmatch(text, -1) {
		if !services[strings.ToLower(m[1])] {
			return strings.TrimSuffix(strings.TrimSpace(m[0]), " "+m[1])
		}
	}
	return ""
}

func rosterName(text string, staff []string) string {
	if len(staff) == 0 {
		return ""
	}
	lower := strings.ToLower(text)
	for _, name := range staff {
		n := strings.ToLower(strings.TrimSpace(name))
		if n == "" {
			continue
		}
		if i := strings.Index(lower, n); i >= 0 && boundary(lower, i-1) && boundary(lower, i+len(n)) {
			return name
		}
	}
	return ""
}

func boundary(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return true
	}
	c := s[i]
	return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
}
