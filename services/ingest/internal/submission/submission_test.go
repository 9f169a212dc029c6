package submission_test

import (
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/signpost/signpost/services/ingest/internal/submission"
	"github.com/signpost/signpost/shared/policy"
)

func TestSameContentWithoutSubmissionIDIsOneItem(t *testing.T) {
	set, _ := policy.Load(policy.Examples())
	f := submission.Form{Practice: "charlton-medical-centre", Channel: "complaint_form", Text: "No call back", Email: "a@b.org"}
	a, p1 := submission.Item(f, set, time.Now())
	b, p2 := submission.Item(f, set, time.Now().Add(time.Minute))
	if len(p1)+len(p2) > 0 || a.ID != b.ID {
		t.Errorf("same content gave %s and %s (%v %v)", a.ID, b.ID, p1, p2)
	}
	f.Text = "No call back again"
	if c, _ := submission.Item(f, set, time.Now()); c.ID == a.ID {
		t.Error("different content gave the same item")
	}
}

func FuzzForm(f *testing.F) {
	set, err := policy.Load(policy.Examples())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(`{"practice":"charlton-medical-centre","channel":"website_review","text":"ok","rating":"5"}`)
	f.Add(`{"practice":"stretton-medical-centre","channel":"fft_web","rating":"very_good","text":""}`)
	f.Add(`{"practice":"charlton-medical-centre","channel":"complaint_form","text":"\u0000\ud800","email":"x@y"}`)
	f.Fuzz(func(t *testing.T, body string) {
		var form submission.Form
		if json.Unmarshal([]byte(body), &form) != nil {
			return
		}
		it, problems := submission.Item(form, set, time.Now())
		if len(problems) == 0 {
			if it.Text == "" && it.Rating == "" || it.Organisation == "" || !utf8.ValidString(it.Text) {
				t.Fatalf("accepted an item it should not: %+v", it)
			}
		}
	})
}
