package policy_test

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
)

// FuzzLoad feeds arbitrary bytes as a policy file: Load either refuses it with a policy.Error
// naming the file, or returns a policy whose every rule the rest of the system relies on holds.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"organisation": {"slug": "a", "name": "A"}, "retention_days": 1e400}`))
	f.Add([]byte(`{"templates": {"respond": "{{template \"x\"}}"}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		set, err := policy.Load(fstest.MapFS{"fuzz.json": {Data: raw}})
		if err != nil {
			if pe, ok := err.(*policy.Error); !ok || pe.File != "fuzz.json" || pe.Problem == "" {
				t.Fatalf("refused without naming the file and the problem: %v", err)
			}
			return
		}
		orgs := set.Organisations()
		if len(orgs) != 1 {
			t.Fatalf("%d organisations from one file", len(orgs))
		}
		p := orgs[0]
		if p.Organisation.Slug == "" || len(p.Practices) == 0 || p.Review.MinConfidence < 0.5 || p.Review.MinConfidence > 1 {
			t.Fatalf("accepted an incomplete policy: %+v", p)
		}
		if p.Retention() < policy.MinRetentionDays*24*time.Hour {
			t.Fatalf("accepted a retention of %v", p.Retention())
		}
		for _, c := range p.OfficialReviewChannels {
			if _, err := feedback.ParseChannel(string(c)); err != nil || c == feedback.ComplaintForm {
				t.Fatalf("accepted official channel %q", c)
			}
		}
		for _, pr := range p.Practices {
			for _, name := range []string{policy.TemplateRespond, policy.TemplateSignpost, policy.TemplateDeleteRequest, policy.TemplateComplaintEmail} {
				if _, err := p.Message(name, pr.Slug); err != nil {
					t.Fatalf("accepted a policy whose %s template does not render: %v", name, err)
				}
			}
		}
	})
}
