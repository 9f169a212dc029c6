package textmodel

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/signpost/signpost/services/classifier/internal/corpus"
	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/services/classifier/internal/textrules"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/decisions.golden.jsonl from the engine as it is")

const goldenPath = "testdata/decisions.golden.jsonl"

// goldenItem is one item of the equivalence check.
type goldenItem struct {
	ID       string
	Practice string
	Channel  feedback.Channel
	Text     string
	Rating   string
	Staff    []string
}

// goldenDecision is everything the engine says about an item, with every probability exact: the
// decision itself, and the text model's and each flag model's probabilities, so that a change in
// featurisation or scoring shows here even where it does not yet change a decision.
type goldenDecision struct {
	ID          string             `json:"id"`
	Route       feedback.Route     `json:"route"`
	Flags       []feedback.Flag    `json:"flags"`
	Confidence  float64            `json:"confidence"`
	NeedsReview bool               `json:"needs_review"`
	Reasons     []string           `json:"reasons"`
	Text        map[string]float64 `json:"text_p,omitempty"`
	FlagModels  map[string]float64 `json:"flag_p,omitempty"`
	RuleHits    []routing.FlagHit  `json:"rule_hits,omitempty"`
}

// edgeTexts are texts the corpus lacks: Unicode case folding (long s, Kelvin sign, dotted I),
// entities, curly quotes, emoji, invalid UTF-8, masked profanity, personal details, long runs.
var edgeTexts = []string{
	"ſhit service, the receptionist was rude",
	"KEEP CALM: Dr Okafor is a LIAR and a FRAUD",
	"İstanbul trip booked; the nurse I saw was lovely",
	"Dr O&#39;Neil &amp; Nurse Ann were kind &lt;3 don&#8217;t change",
	"don’t ‘care’ `at all` — nobody rang back 😡😡😡 ❤️ 👍🏽",
	"f***ing brilliant surgery!!!??? sooooo goooood",
	"What a load of sh*t, you f'ing b*stards, I know where you live",
	"My neighbour Sarah Jones has cancer and lives at 12 Elm Road, NG7 2UH, DOB 12/05/1988",
	"NHS number: 943 476 5919, phone 07700 900123 or +44 7700 900456",
	"Mrs Greaves on reception told me to watch myself. I'll sort you out",
	"I can't go on, everyone would be better off without me. I've stopped eating again",
	"left on the floor overnight, carers haven't come, heating's off",
	"the practice manager is stealing from the NHS and should be struck off",
	"café\u0301 naïve résumé Ærø ΣΑΣ ǅungla",
	"bad \xff\xfe bytes \xc3 here and a nurse",
	"email me at someone@example.org or see https://example.org/page #fail @someone 10:30 3.5mg 1,000",
	"  .  ",
	"n/a",
	"Priyanka at the desk and julie were great, PRIYANKA again",
	"the the the the the the the the the the the the the the the the the the the the the the the the the the the",
}

func goldenItems(t *testing.T) []goldenItem {
	t.Helper()
	var items []goldenItem
	for _, c := range []struct {
		path  string
		every int
	}{{"../../corpus/heldout.jsonl", 2}, {"../../corpus/gp-feedback.jsonl", 5}} {
		f, err := os.Open(c.path)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := corpus.Read(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range entries {
			if i%c.every == 0 {
				items = append(items, goldenItem{ID: e.ID, Practice: e.Practice, Channel: e.Channel, Text: e.Text, Rating: e.Rating})
			}
		}
	}
	for i, text := range edgeTexts {
		items = append(items, goldenItem{ID: fmt.Sprintf("edge-%02d", i), Practice: "trent-meadows-medical-practice",
			Channel: feedback.FacebookComment, Text: text, Staff: []string{"Priyanka", "Julie Marsh", "Dr Okafor"}})
	}
	return items
}

func goldenDecisions(t *testing.T) []byte {
	t.Helper()
	d := newGoldenDecider(t)
	var out bytes.Buffer
	for _, it := range goldenItems(t) {
		out.Write(d.decide(t, it))
		out.WriteByte('\n')
	}
	return out.Bytes()
}

type goldenDecider struct {
	set    *policy.Set
	text   *Classifier
	flags  *Flags
	engine routing.Engine
}

func newGoldenDecider(t *testing.T) goldenDecider {
	t.Helper()
	set, err := policy.Load(policy.Examples())
	if err != nil {
		t.Fatal(err)
	}
	text, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	flags, err := ShippedFlags(textrules.Flags{})
	if err != nil {
		t.Fatal(err)
	}
	return goldenDecider{set: set, text: text, flags: flags, engine: routing.Engine{Text: text, Flags: flags}}
}

// policy is the item's organisation's policy, with the item's staff roster.
func (gd goldenDecider) policy(t *testing.T, it goldenItem) *policy.Policy {
	p, ok := gd.set.ForPractice(it.Practice)
	if !ok {
		t.Fatalf("item %s: unknown practice %s", it.ID, it.Practice)
	}
	if it.Staff != nil {
		q := *p
		q.Staff = it.Staff
		p = &q
	}
	return p
}

// decision is the engine's decision on the item under policy p.
func (gd goldenDecider) decision(p *policy.Policy, it goldenItem) feedback.Decision {
	return gd.engine.Decide(p, feedback.Item{Organisation: p.Organisation.Slug, Practice: it.Practice, Channel: it.Channel,
		SourceID: it.ID, Text: it.Text, Rating: it.Rating, WrittenAt: time.Unix(0, 0)})
}

// decide is the item's line of the golden file.
func (gd goldenDecider) decide(t *testing.T, it goldenItem) []byte {
	p := gd.policy(t, it)
	d := gd.decision(p, it)
	g := goldenDecision{ID: it.ID, Route: d.Route, Flags: d.Flags, Confidence: d.Confidence, NeedsReview: d.NeedsReview,
		Reasons: d.Reasons, RuleHits: textrules.Flags{}.Detect(it.Text, p.Staff)}
	if hasWords(it.Text) {
		g.Text = gd.text.m.Predict(it.Text).Probabilities
		g.FlagModels = map[string]float64{}
		for _, f := range feedback.Flags {
			g.FlagModels[string(f)] = gd.flags.models[f].Predict(it.Text).Probabilities[flagYes]
		}
	}
	line, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	return line
}

// Decisions made at the same time on several goroutines (sharing the models, their weights and
// the featurisation's working memory) are the ones made one at a time.
func TestConcurrentDecisionsMatchSequentialOnes(t *testing.T) {
	d := newGoldenDecider(t)
	items := goldenItems(t)
	items = append(items[:100:100], items[len(items)-len(edgeTexts):]...) // some of each kind
	want := make([]feedback.Decision, len(items))
	policies := make([]*policy.Policy, len(items))
	for i, it := range items {
		policies[i] = d.policy(t, it)
		want[i] = d.decision(policies[i], it)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for n := range items {
				i := (n*7 + g*31) % len(items) // each goroutine in its own order
				if got := d.decision(policies[i], items[i]); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("goroutine %d, item %s:\n got  %+v\n want %+v", g, items[i].ID, got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}

// The engine's answers are pinned: every decision, rule hit and model probability of a few hundred
// items (half the held-out corpus, a fifth of the team corpus, and edge cases) is exactly what the
// engine gave before it was made faster. Run with -update only for a change that is meant to
// change answers, and say so.
func TestDecisionsMatchTheGoldenFile(t *testing.T) {
	got := goldenDecisions(t)
	if *updateGolden {
		if err := os.WriteFile(goldenPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	gs, ws := bufio.NewScanner(bytes.NewReader(got)), bufio.NewScanner(bytes.NewReader(want))
	gs.Buffer(nil, 1<<20)
	ws.Buffer(nil, 1<<20)
	n, diffs := 0, 0
	for ws.Scan() {
		n++
		if !gs.Scan() {
			t.Fatalf("%d decisions, the golden file has more", n-1)
		}
		if !bytes.Equal(gs.Bytes(), ws.Bytes()) {
			if diffs++; diffs <= 5 {
				t.Errorf("decision %d differs:\n got  %s\n want %s", n, gs.Bytes(), ws.Bytes())
			}
		}
	}
	if gs.Scan() {
		t.Errorf("more decisions than the golden file's %d", n)
	}
	if diffs > 0 {
		t.Errorf("%d of %d decisions differ from %s", diffs, n, goldenPath)
	}
	if n < 300 {
		t.Errorf("the golden file has only %d decisions", n)
	}
}
