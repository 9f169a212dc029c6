package policy_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/signpost/signpost/shared/policy"
)

const day = 24 * time.Hour

func TestRetentionDefaultsToTheComplaintsRecordPeriod(t *testing.T) {
	set, err := policy.Load(fstest.MapFS{"acme.json": {Data: []byte(valid)}})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := set.ForPractice("acme-surgery")
	if got := p.Retention(); got != policy.DefaultRetentionDays*day || got < 10*365*day {
		t.Errorf("a policy without retention_days keeps content %v, want the NHS complaints file's 10 years", got)
	}
	examples, err := policy.Load(policy.Examples())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range examples.Organisations() {
		if p.RetentionDays != policy.DefaultRetentionDays {
			t.Errorf("example %s sets retention_days %d, want %d stated", p.Organisation.Slug, p.RetentionDays, policy.DefaultRetentionDays)
		}
	}
}

func TestShortestRetentionIsTheLeastOfAllOrganisations(t *testing.T) {
	withDays := func(slug, practice, days string) []byte {
		s := strings.Replace(valid, `"slug": "acme"`, `"slug": "`+slug+`"`, 1)
		s = strings.Replace(s, `"slug": "acme-surgery"`, `"slug": "`+practice+`"`, 1)
		if days != "" {
			s = strings.Replace(s, `"review":`, `"retention_days": `+days+`, "review":`, 1)
		}
		return []byte(s)
	}
	set, err := policy.Load(fstest.MapFS{
		"a.json": {Data: withDays("a", "a-surgery", "400")},
		"b.json": {Data: withDays("b", "b-surgery", "90")},
		"c.json": {Data: withDays("c", "c-surgery", "")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := set.ShortestRetention(); got != 90*day {
		t.Errorf("shortest retention %v, want 90 days", got)
	}
	long, err := policy.Load(fstest.MapFS{"a.json": {Data: withDays("a", "a-surgery", "7305")}})
	if err != nil {
		t.Fatal(err)
	}
	if got := long.ShortestRetention(); got != 7305*day {
		t.Errorf("one organisation keeping 20 years: shortest %v, want 7305 days", got)
	}
}

func TestRetentionOutOfRangeIsRefusedWithItsPlace(t *testing.T) {
	for _, days := range []string{"7", "0", "-1", "36526", "90.5", `"90"`} {
		fsys := fstest.MapFS{"acme.json": {Data: []byte(strings.Replace(valid, `"review":`, `"retention_days": `+days+`, "review":`, 1))}}
		_, err := policy.Load(fsys)
		var pe *policy.Error
		if !errors.As(err, &pe) || pe.Pointer != "/retention_days" {
			t.Errorf("retention_days %s: got %v, want a policy.Error at /retention_days", days, err)
		}
	}
}
