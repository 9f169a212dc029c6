package textrules

import (
	"regexp"
	"strings"
)

var (
	nhsNumber        = newPattern(`\b(\d{3})[ -]?(\d{3})[ -]?(\d{4})\b`)
	labelledNHS      = newPattern(`(?i)\bnhs\s*(?:number|no\.?|#)\s*(?:is\s*)?:?\s*\d{3}[ -]?\d{3}[ -]?\d{4}\b`)
	birthDate        = newPattern(`(?i)\b(?:dob|d\.o\.b\.?|date of birth|born)\s*(?:is|on|:)?\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b`)
	phone            = newPattern(`(?:\+44\s?7\d{3}|\b07\d{3})\s?\d{3}\s?\d{3}\b|\b0[12]\d{2,3}\s?\d{3}\s?\d{3,4}\b`)
	postcode         = newPattern(`\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b`)
	personName       = newPattern(`\b(?:(?:Mrs|Mr|Ms|Miss)\s+)?([A-Z][a-z]+)\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b`)
	streetAddress    = newPattern(`\b(?:\d{1,4}[a-z]?,?\s+|number\s+\d{1,4}\s+|from\s+|on\s+|at\s+)(?:The\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:Road|Street|Lane|Avenue|Close|Drive|Way|Crescent|Court|Place|Gardens|Terrace|Grove|View|Rise|Hill|Walk|Row|Mews)\b|\b\d{1,4}\s+The\s+(?:Crescent|Green|Grove|Avenue|Drive|Close)\b`)
	nameThenDate     = newPattern(`\b[A-Z][a-z]+\s+[A-Z][a-z]+,?\s+(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2})\b`)
	healthConditions = newPattern(`(?i)\b(?:cancer|chemo\w*|tumou?r|diabet\w*|dementia|alzheimer'?s|parkinson'?s|ms|multiple sclerosis|hiv|aids|hepatitis|epilep\w*|asthma|copd|stroke|heart|cardiac|sepsis|thyroid|bunions?|cataracts?|smear|cervical|warfarin|insulin|gout|allerg\w*|depress\w*|anxiety|schizophreni\w*|bipolar|psychosis|pregnan\w*|miscarriage|abortion|std|sti|chlamydia|autis\w*|adhd|addiction|alcoholi\w*|overdose|mental health|leg ulcer|ulcer|fracture|kidney|liver|lung|blood pressure|arthritis|b12|ms|terminal|palliative|end of life)\b`)

	// Capitalised pairs that are not people: titles of staff, places, days, months, services.
	notPeople = map[string]bool{}
)

func init() {
	for _, w := range strings.Fields(`Dr Doctor Nurse Sister The This That My Our Your His Her Their Monday Tuesday Wednesday
		Thursday Friday Saturday Sunday January February March April May June July August September October November
		December NHS GP Medical Centre Practice Surgery Trent Meadows Stretton Charlton Road Street Lane Avenue Close Drive
		Google Facebook England Boots High Royal Hospital Clinic Health Service Services Happy Christmas New Year Good Very
		Thank Thanks Hi Hello Dear Please Just Not Really Posting Complaint Urgent Absolute Best Worst Lovely Great`) {
		notPeople[w] = true
	}
}

// patientInfoPatterns are the patterns patientInfoTrigger runs, for the screen.
var patientInfoPatterns = []*pattern{nhsNumber, labelledNHS, birthDate, phone, postcode, personName, streetAddress,
	nameThenDate, healthConditions}

// patientInfoTrigger describes personal details about someone in the text, without repeating them.
func patientInfoTrigger(text string, sn seen) string {
	if labelledNHS.matchString(text, sn) || validNHSNumber(text, sn) != "" {
		return "an NHS number"
	}
	if birthDate.matchString(text, sn) || capitalisedPair(text) && nameThenDate.matchString(text, sn) {
		return "a date of birth"
	}
	if phone.matchString(text, sn) {
		return "a phone number"
	}
	if postcode.matchString(text, sn) {
		return "a postcode"
	}
	// A sentence is part of the text: what the text cannot match, none of its sentences can.
	if !sn.mayMatch(personName) || !capitalisedPair(text) || !sn.mayMatch(streetAddress) && !sn.mayMatch(healthConditions) {
		return ""
	}
	for _, sentence := range splitSentences(text) {
		name := firstPersonName(sentence)
		if name == "" {
			continue
		}
		if streetAddress.matchString(sentence, sn) {
			return "a name with an address"
		}
		if m := healthConditions.findString(sentence, sn); m != "" {
			return "a name with a health condition (" + strings.ToLower(m) + ")"
		}
	}
	return ""
}

// capitalisedPair reports whether the text has two capitalised words in a row: a match of
// `[A-Z][a-z]+\s+[A-Z][a-z]`, which every match of personName and nameThenDate contains.
func capitalisedPair(text string) bool {
	upper := func(i int) bool { return i < len(text) && 'A' <= text[i] && text[i] <= 'Z' }
	lower := func(i int) bool { return i < len(text) && 'a' <= text[i] && text[i] <= 'z' }
	space := func(i int) bool {
		return i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\f' || text[i] == '\r')
	}
	for i := 0; i+1 < len(text); i++ {
		if !upper(i) || !lower(i+1) {
			continue
		}
		j := i + 2
		for lower(j) {
			j++
		}
		if !space(j) {
			i = j - 1 // no capitalised word starts inside the lower-case run
			continue
		}
		for space(j) {
			j++
		}
		if upper(j) && lower(j+1) {
			return true
		}
		i = j - 1
	}
	return false
}

func firstPersonName(sentence string) string {
	for _, m := range personName.re.FindAllStringSubmatch(sentence, -1) {
		if !notPeople[m[1]] && !notPeople[m[2]] && !strings.HasPrefix(strings.TrimSpace(m[0]), "Dr") {
			return m[0]
		}
	}
	return ""
}

var sentenceEnd = regexp.MustCompile(`[.!?\n]+\s+`)

func splitSentences(text string) []string { return sentenceEnd.Split(text, -1) }

// validNHSNumber returns the first ten-digit number in the text that passes the NHS number's
// modulus 11 check, or "".
func validNHSNumber(text string, sn seen) string {
	if !sn.mayMatch(nhsNumber) {
		return ""
	}
	for _, m := range nhsNumber.re.FindAllStringSubmatch(text, -1) {
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
