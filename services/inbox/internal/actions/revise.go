// Package actions carries out what a Practice Manager decides on an item: approve a reply,
// confirm or correct a decision, mark an entry handled, move a complaint case on, mark a post
// reported. Each runs in the request's organisation-scoped transaction.
package actions

import (
	"errors"
	"fmt"
	"slices"

	"github.com/signpost/signpost/shared/feedback"
)

// Kinds of revision a person makes.
const (
	Confirmed = "confirmed"
	Corrected = "corrected"
)

// ErrInvalidDecision means the route or a flag is not one the product knows.
var ErrInvalidDecision = errors.New("choose one route and only flags from the list")

// ErrNoDecision means the item has not been decided yet, so there is nothing to confirm or correct.
var ErrNoDecision = errors.New("the item has no decision yet: wait until it has been classified")

// Revise is the decision after a person looked at it. Confirming keeps the classifier's route and
// flags; correcting replaces them. Either way a person has decided, so it no longer needs review
// and is as sure as it can be. Correcting to exactly what the classifier said is a confirmation.
func Revise(current feedback.Decision, confirm bool, route feedback.Route, flags []feedback.Flag) (feedback.Decision, string, error) {
	d := current
	d.NeedsReview = false
	d.Reasons = slices.Clone(current.Reasons)
	if !confirm {
		flags = sortedFlags(flags)
		if route == current.Route && slices.Equal(flags, sortedFlags(current.Flags)) {
			confirm = true
		} else {
			d.Route, d.Flags, d.Confidence, d.ModelVersion = route, flags, 1, feedback.DecidedByPerson
			d.Reasons = []string{fmt.Sprintf("a Practice Manager corrected the decision (was %s%s)", current.Route, flagSuffix(current.Flags))}
		}
	}
	if confirm {
		d.Reasons = append(d.Reasons, "a Practice Manager confirmed the decision")
	}
	if err := d.Validate(); err != nil {
		return feedback.Decision{}, "", fmt.Errorf("%w: %v", ErrInvalidDecision, err)
	}
	if confirm {
		return d, Confirmed, nil
	}
	return d, Corrected, nil
}

// sortedFlags returns the flags without repeats, in the vocabulary's order.
func sortedFlags(flags []feedback.Flag) []feedback.Flag {
	out := []feedback.Flag{}
	for _, f := range feedback.Flags {
		if slices.Contains(flags, f) {
			out = append(out, f)
		}
	}
	for _, f := range flags {
		if !slices.Contains(feedback.Flags, f) && !slices.Contains(out, f) {
			out = append(out, f) // unknown: kept so Validate names it
		}
	}
	return out
}

func flagSuffix(flags []feedback.Flag) string {
	if len(flags) == 0 {
		return ""
	}
	s := " flagged"
	for i, f := range flags {
		if i > 0 {
			s += ","
		}
		s += " " + string(f)
	}
	return s
}
