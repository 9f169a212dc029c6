package textmodel

import (
	"strings"

	"github.com/signpost/signpost/services/classifier/internal/corpus"
	"github.com/signpost/signpost/services/classifier/internal/model"
	"github.com/signpost/signpost/services/classifier/internal/routing"
)

// Train is the shipped model's recipe: the model design's default options over the routing kinds,
// trained on every corpus entry that has words. Items without words are left out: the classifier
// decides those without the model (a bare rating is feedback).
func Train(entries []corpus.Entry) (*model.Model, error) {
	return model.Train(Examples(entries), Options())
}

// Options are the shipped model's training options.
func Options() model.Options {
	o := model.DefaultOptions()
	o.Labels = []string{string(routing.KindComplaint), string(routing.KindFeedback), string(routing.KindOther)}
	return o
}

// Examples turns corpus entries into training examples.
func Examples(entries []corpus.Entry) []model.Example {
	var out []model.Example
	for _, e := range entries {
		if hasWords(e.Text) {
			out = append(out, model.Example{Text: e.Text, Label: string(e.Kind())})
		}
	}
	return out
}

func hasWords(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
	}) >= 0
}
