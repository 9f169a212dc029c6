package textrules

import (
	"regexp"
	"strings"

	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/shared/feedback"
)

// Flags implements routing.FlagDetector with word lists and patterns.
type Flags struct{}

var (
	staffTitled = regexp.MustCompile(`\b(Dr\.?|Doctor|Nurse|Sister)\s+[A-Z][a-z'-]+`)
	staffRole   = regexp.MustCompile(`(?i)\b(the|that|this|a|one)\s+(receptionists?|practice manager|nurse|doctor|gp|locum|pharmacist|paramedic|hca|health care assistant|care navigator|phlebotomist|midwife|health visitor)\b`)

	nhsNumber = regexp.MustCompile(`\b(\d{3})[ -]?(\d{3})[ -]?(\d{4})\b`)
	birthDate = regexp.MustCompile(`(?i)\b(dob|d\.o\.b\.?|date of birth|born( on)?)\s*:?\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b`)
	phone     = regexp.MustCompile(`(?:\+44\s?7\d{3}|\b07\d{3})\s?\d{3}\s?\d{3}\b|\b0[12]\d{2,3}\s?\d{3}\s?\d{3,4}\b`)
	postcode  = regexp.MustCompile(`(?i)\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b`)

	abusive = regexp.MustCompile(`(?i)\b(f+u+c+k+\w*|f[\*#@!]+k?\w*|sh[\*#@!]+t|shit\w*|bastards?|c[\*#@!u]nts?|wank\w*|twats?|dickheads?|arseholes?|assholes?|bitch\w*|piss off|scum|morons?|idiots?)\b|\b(i'?ll|i will|gonna|going to)\s+(kill|hurt|smash|batter|get)\s+(you|them|him|her)\b|\bwatch (your|their) backs?\b`)

	defamatory = regexp.MustCompile(`(?i)\b(liars?|lying|frauds?|fraudulent|stealing|steal from|thie(f|ves)|crooks?|corrupt|criminals?|scam(mers?)?|should be struck off|not fit to (practi[cs]e|be a doctor)|unfit to practi[cs]e|on the take|fiddling)\b`)

	safeguarding = regexp.MustCompile(`(?i)\b(suicid\w*|kill (myself|himself|herself)|end (it all|my life)|take my (own )?life|self[- ]?harm\w*|cutting myself|overdos\w*|want(ed)? to die|don'?t want to (be here|live)|no reason to live|hits? me|beat(s|en)? me|abus(e|ed|ing|ive relationship)|neglect(ed|ing)?|left (alone|on (his|her|their) own) for|not safe at home|scared to go home|no food in the house)\b`)
)

// Detect returns each flag the text raises, with the words that raised it.
func (Flags) Detect(text string, staff []string) []routing.FlagHit {
	var hits []routing.FlagHit
	add := func(f feedback.Flag, trigger string) {
		hits = append(hits, routing.FlagHit{Flag: f, Trigger: strings.TrimSpace(trigger)})
	}
	if m := staffTitled.FindString(text); m != "" {
		add(feedback.StaffIdentified, m)
	} else if m := staffRole.FindString(text); m != "" {
		add(feedback.StaffIdentified, m)
	} else if name := rosterName(text, staff); name != "" {
		add(feedback.StaffIdentified, name)
	}
	if m := validNHSNumber(text); m != "" {
		add(feedback.PatientInfo, "an NHS number")
	} else if birthDate.MatchString(text) {
		add(feedback.PatientInfo, "a date of birth")
	} else if phone.MatchString(text) {
		add(feedback.PatientInfo, "a phone number")
	} else if postcode.MatchString(text) {
		add(feedback.PatientInfo, "a postcode")
	}
	if m := abusive.FindString(text); m != "" {
		add(feedback.Abusive, m)
	}
	if m := defamatory.FindString(text); m != "" {
		add(feedback.Defamatory, m)
	}
	if m := safeguarding.FindString(text); m != "" {
		add(feedback.Safeguarding, m)
	}
	return hits
}

func rosterName(text string, staff []string) string {
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

// validNHSNumber returns the first ten-digit number in the text that passes the NHS number's
// modulus 11 check, or "". The trigger shown to people never repeats the number.
func validNHSNumber(text string) string {
	for _, m := range nhsNumber.FindAllStringSubmatch(text, -1) {
		digits := m[1] + m[2] + m[3]
		if NHSNumberValid(digits) {
			return digits
		}
	}
	return ""
}

// NHSNumberValid checks a ten-digit NHS number with its modulus 11 check digit.
func NHSNumberValid(digits string) bool {
	if len(digits) != 10 {
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && int(digits[9]-'0') == check
}
