package textrules

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/shared/feedback"
)

// edgeTexts stress the screen: case folding outside ASCII (the Kelvin sign, the long s, dotted
// capital I), white space other than spaces, invalid UTF-8, digits, and every kind of flag.
var edgeTexts = []string{
	"", "ſhit", "SHIT", "ſuicidal thoughts", "I want to Kill MYSELF", "KKK", "f***ing b*stards", "f'ing hell, f@#",
	"the\treceptionist\nwas   rude", "Dr\u00a0Patel", "Nurse\tJones was lovely", "DOB: 12/05/1988 and 07700 900123",
	"NHS number 943 476 5919", "943-476-5919", "9434765919", "NG7 2UH", "Mrs Sarah Jones has cancer.\nJohn Smith, 12 Elm Road",
	"Sarah Jones 12/05/1988", "bad \xff\xfe bytes \xc3 stealing from the nhs", "İ will kill you", "I\u2019ll kill you",
	"cafe\u0301 cancer Ærø", "whoever was on reception", "Priyanka at the desk", "PRIYANKA was great", "julie marsh",
	"left on the floor overnight, carers haven't come", "he's a liar and a fraud who should be struck off",
	"The Practice Manager is lovely", "lovely nurse appointment", "lovely nurse Ann", "Receptionist was rude",
	strings.Repeat("a ", 500) + "idiot", "\u212Aelvin and \u017Fuicide",
}

// screenTexts are every fourth text of the corpora (the golden decisions in textmodel check
// more) and the edge texts.
func screenTexts(tb testing.TB) []string {
	texts := slices.Clone(edgeTexts)
	for i, text := range corpusTexts(tb) {
		if i%4 == 0 {
			texts = append(texts, text)
		}
	}
	return texts
}

// allPatterns are the patterns Detect runs, with a name each for failures.
func allPatterns() map[string]*pattern {
	out := map[string]*pattern{"describedStaff": describedStaff}
	for name, ps := range map[string][]*pattern{"abusive": abusive, "defamatory": defamatory, "safeguarding": safeguarding,
		"staff": staffPatterns, "patientInfo": patientInfoPatterns} {
		for i, p := range ps {
			out[name+"["+string(rune('0'+i))+"]"] = p
		}
	}
	return out
}

// The screen may only spare a pattern the texts it cannot match.
func TestScreenNeverHidesAMatch(t *testing.T) {
	patterns := allPatterns()
	spared := 0
	for _, text := range screenTexts(t) {
		sn := rules.read(text)
		for name, p := range patterns {
			may := sn.mayMatch(p)
			if !may {
				spared++
			}
			if !may && p.re.MatchString(text) {
				t.Errorf("%s matches %q but the screen says it cannot (requires %v, %d digits)", name, text, p.need.need, p.need.digits)
			}
		}
		if got, want := capitalisedPair(text), capitalisedPairRE.MatchString(text); got != want {
			t.Errorf("capitalisedPair(%q) = %v, the pattern says %v", text, got, want)
		}
	}
	// The screen earns its keep: most patterns cannot match most texts.
	if total := len(screenTexts(t)) * len(patterns); spared < total/2 {
		t.Errorf("the screen spared only %d of %d pattern runs", spared, total)
	}
}

var capitalisedPairRE = regexp.MustCompile(`[A-Z][a-z]+\s+[A-Z][a-z]`)

func TestRequirements(t *testing.T) {
	for _, c := range []struct {
		expr       string
		matches    []string // texts the pattern matches: the screen must let them through
		cannotHave []string // texts without the pattern's literals: the screen must spare them
	}{
		{`(?i)\bshit\w*`, []string{"SHIT", "ShItty"}, []string{"shirt", "sh it"}},
		{`(?i)shit`, []string{"ſhit", "ſHIT"}, []string{"s hit"}},            // long s folds to s under (?i)
		{`(?i)kelvin`, []string{"\u212Aelvin", "KELVIN"}, []string{"elvin"}}, // so does the Kelvin sign to k
		{`\b(?:Dr\.?|Doctor)\s+[A-Z][a-z]+`, []string{"Dr\tPatel", "Doctor\nWho"}, []string{"Mr Patel", "drive"}},
		{`(?i)\bf+u+c+k+`, []string{"ffuuck", "FUCK"}, []string{"f u c k", "fcuk"}},
		{`\b\d{3}[ -]?\d{3}[ -]?\d{4}\b`, []string{"943 476 5919"}, []string{"943 476 591", "call me"}},
		{`(?i)\b(?:i'?ll|i will)\s+(?:kill|hurt)\s+(?:you|him)\b`, []string{"I'll  KILL\tyou", "ill hurt him"}, []string{"I'll kill", "kill you"}},
		{`[A-Z][a-z]+\s+[A-Z][a-z]+`, []string{"Sarah Jones"}, nil}, // no literal: never spared
	} {
		p := newPattern(c.expr)
		s := newScreen(p)
		for _, text := range c.matches {
			if !p.re.MatchString(text) {
				t.Fatalf("%s does not match %q: fix the test", c.expr, text)
			}
			if !s.read(text).mayMatch(p) {
				t.Errorf("%s matches %q but its requirement %v says it cannot", c.expr, text, p.need.need)
			}
		}
		for _, text := range c.cannotHave {
			if p.re.MatchString(text) {
				t.Fatalf("%s matches %q: fix the test", c.expr, text)
			}
			if s.read(text).mayMatch(p) {
				t.Errorf("%s cannot match %q but its requirement %v lets it through", c.expr, text, p.need.need)
			}
		}
	}
}

// Detect finds exactly what the rules find when every pattern runs on every text.
func TestDetectMatchesTheUnscreenedRules(t *testing.T) {
	staff := []string{"Priyanka", "Julie Marsh", "Dr Okafor"}
	for _, text := range screenTexts(t) {
		if got, want := (Flags{}).Detect(text, staff), unscreenedDetect(text, staff); !reflect.DeepEqual(got, want) {
			t.Errorf("Detect(%q) = %v, unscreened %v", text, got, want)
		}
	}
}

func FuzzDetectMatchesTheUnscreenedRules(f *testing.F) {
	for _, text := range edgeTexts {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		staff := []string{"Priyanka", "Julie Marsh"}
		if got, want := (Flags{}).Detect(text, staff), unscreenedDetect(text, staff); !reflect.DeepEqual(got, want) {
			t.Errorf("Detect(%q) = %v, unscreened %v", text, got, want)
		}
		sn := rules.read(text)
		for name, p := range allPatterns() {
			if !sn.mayMatch(p) && p.re.MatchString(text) {
				t.Errorf("%s matches %q but the screen says it cannot", name, text)
			}
		}
		if got, want := capitalisedPair(text), capitalisedPairRE.MatchString(text); got != want {
			t.Errorf("capitalisedPair(%q) = %v, the pattern says %v", text, got, want)
		}
	})
}

// unscreenedDetect is Detect as it was before the screen: every pattern runs on every text.
func unscreenedDetect(text string, staff []string) []routing.FlagHit {
	var hits []routing.FlagHit
	add := func(f feedback.Flag, trigger string) {
		if trigger != "" {
			hits = append(hits, routing.FlagHit{Flag: f, Trigger: strings.TrimSpace(trigger)})
		}
	}
	first := func(ps []*pattern) string {
		for _, p := range ps {
			if m := p.re.FindString(text); m != "" {
				return m
			}
		}
		return ""
	}
	staffWho := func() string {
		if name := rosterName(text, staff); name != "" {
			return name
		}
		if m := first(staffPatterns); m != "" {
			return m
		}
		for _, m := range describedStaff.re.FindAllStringSubmatch(text, -1) {
			if !services[strings.ToLower(m[1])] {
				return strings.TrimSuffix(strings.TrimSpace(m[0]), " "+m[1])
			}
		}
		return ""
	}
	patientInfo := func() string {
		validNHS := false
		for _, m := range nhsNumber.re.FindAllStringSubmatch(text, -1) {
			validNHS = validNHS || NHSNumberValid(m[1]+m[2]+m[3])
		}
		switch {
		case labelledNHS.re.MatchString(text) || validNHS:
			return "an NHS number"
		case birthDate.re.MatchString(text) || nameThenDate.re.MatchString(text):
			return "a date of birth"
		case phone.re.MatchString(text):
			return "a phone number"
		case postcode.re.MatchString(text):
			return "a postcode"
		}
		for _, sentence := range sentenceEnd.Split(text, -1) {
			if firstPersonName(sentence) == "" {
				continue
			}
			if streetAddress.re.MatchString(sentence) {
				return "a name with an address"
			}
			if m := healthConditions.re.FindString(sentence); m != "" {
				return "a name with a health condition (" + strings.ToLower(m) + ")"
			}
		}
		return ""
	}
	add(feedback.StaffIdentified, staffWho())
	add(feedback.PatientInfo, patientInfo())
	add(feedback.Abusive, first(abusive))
	add(feedback.Defamatory, first(defamatory))
	add(feedback.Safeguarding, first(safeguarding))
	return hits
}
