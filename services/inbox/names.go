package inbox

import (
	"errors"
	"strconv"

	"github.com/signpost/signpost/services/inbox/internal/actions"
	"github.com/signpost/signpost/shared/feedback"
)

var errNotFound = actions.ErrNotFound

func isNotApplicable(err error) bool {
	return actions.IsNotApplicable(err) || errors.Is(err, actions.ErrNoReply) || errors.Is(err, actions.ErrReplySending) ||
		errors.Is(err, actions.ErrNoDecision)
}

func channelNames() []string {
	out := make([]string, len(feedback.Channels))
	for i, c := range feedback.Channels {
		out[i] = string(c)
	}
	return out
}

func flagNames() []string {
	out := make([]string, len(feedback.Flags))
	for i, f := range feedback.Flags {
		out[i] = string(f)
	}
	return out
}

func routeNames() []string {
	return []string{string(feedback.OfficialReview), string(feedback.UnofficialReview), string(feedback.Complaint), string(feedback.Other)}
}

func itoa(n int) string { return strconv.Itoa(n) }
