package live

import "testing"

func TestAChangeIsReadAsTheTriggerWritesIt(t *testing.T) {
	full := Change{Organisation: "charlton-medical-centre", ItemID: "c4ef02f9-0d59-573d-8651-b487056c9e8a", Kind: "complaint",
		Priority: "high", State: "open"}
	for _, c := range []struct {
		payload string
		want    Change
		ok      bool
	}{
		// json_build_object's own spacing.
		{`{"organisation" : "charlton-medical-centre", "item_id" : "c4ef02f9-0d59-573d-8651-b487056c9e8a", "kind" : "complaint", "priority" : "high", "state" : "open"}`, full, true},
		{`{"organisation":"o\u0027brien","kind":"review"}`, Change{Organisation: "o'brien", Kind: "review"}, true},
		{`{"organisation":"o","added":1}`, Change{Organisation: "o"}, true}, // a key added later: read by encoding/json
		{`{"ORGANISATION":"o"}`, Change{Organisation: "o"}, true},
		{`{"organisation":""}`, Change{}, false},
		{`{"kind":"review"}`, Change{}, false},
		{`not json`, Change{}, false},
	} {
		got, ok := readChange(c.payload)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: read %+v %v, want %+v %v", c.payload, got, ok, c.want, c.ok)
		}
	}
}
