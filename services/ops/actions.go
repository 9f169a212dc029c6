package ops

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ReplayFailure is one dead letter that replay-all could not replay, and why.
type ReplayFailure struct {
	Seq    uint64 `json:"seq"`
	Reason string `json:"reason"`
}

// ReplayAllResult is what replay-all did: how many dead letters went back to their origin, how
// many did not, and why each of those did not.
type ReplayAllResult struct {
	Replayed int             `json:"replayed"`
	Failed   int             `json:"failed"`
	Failures []ReplayFailure `json:"failures"`
}

// opTimeout bounds one replay or discard.
const opTimeout = 30 * time.Second

// detach keeps a state change running when the operator's connection drops, so a replay is not
// cut off between republishing and removing (which would leave a copy to be replayed twice).
func detach(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), opTimeout)
}

// replay republishes one dead letter to its origin and logs the outcome.
func (o *Ops) replay(ctx context.Context, seq uint64, via string) error {
	ctx, cancel := detach(ctx)
	defer cancel()
	err := o.dl.Replay(ctx, seq)
	o.logAction("replay", seq, via, "replayed", err)
	return err
}

// discard removes one dead letter for good and logs the outcome.
func (o *Ops) discard(ctx context.Context, seq uint64, via string) error {
	ctx, cancel := detach(ctx)
	defer cancel()
	err := o.dl.Discard(ctx, seq)
	o.logAction("discard", seq, via, "discarded", err)
	return err
}

// replayAll replays each of seqs in turn, carrying on past failures.
func (o *Ops) replayAll(ctx context.Context, seqs []uint64, via string) ReplayAllResult {
	res := ReplayAllResult{Failures: []ReplayFailure{}}
	for _, seq := range seqs {
		if err := o.replay(ctx, seq, via); err != nil {
			res.Failed++
			res.Failures = append(res.Failures, ReplayFailure{Seq: seq, Reason: failureReason(err)})
			continue
		}
		res.Replayed++
	}
	o.log("replay-all finished", map[string]any{"action": "replay-all", "via": via,
		"replayed": res.Replayed, "failed": res.Failed})
	return res
}

// failureReason says why one replay in a batch did not happen, in words an operator can act on.
func failureReason(err error) string {
	if errors.Is(err, ErrNotFound) {
		return "no longer in the dead-letter stream (already replayed or discarded)"
	}
	return fmt.Sprintf("replay failed, it is still in the dead-letter stream: %v", err)
}

// logAction records one operator action on one dead letter: never its payload.
func (o *Ops) logAction(action string, seq uint64, via, done string, err error) {
	f := map[string]any{"action": action, "seq": seq, "via": via, "outcome": done}
	msg := "dead letter " + done
	switch {
	case errors.Is(err, ErrNotFound):
		f["outcome"], msg = "not_found", "dead letter "+action+": not found"
	case err != nil:
		f["outcome"], f["error"], msg = "failed", err.Error(), "dead letter "+action+" failed"
	}
	o.log(msg, f)
}
