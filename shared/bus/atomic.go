package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nuid"
)

// JetStream atomic batches (nats-server 2.12 and later): messages that carry one batch id are
// staged by the server and stored when the last one, marked as the commit, arrives, all of them
// or none, with one sync to disk for the whole batch instead of one per message. That sync per
// message is what limits publishing with full durability.
const (
	batchIDHeader       = "Nats-Batch-Id"
	batchSequenceHeader = "Nats-Batch-Sequence"
	batchCommitHeader   = "Nats-Batch-Commit"

	// atomicPublishDisabled is the server's error code for a stream that does not allow atomic batches.
	atomicPublishDisabled = 10174

	// minAtomicBatch is the fewest messages worth a batch: staging and committing one costs about
	// as much as storing 15 messages one by one (the raw limits at the top of make bench).
	minAtomicBatch = 16

	// MaxAtomicBatch is the most messages the server takes in one atomic batch (its default limit).
	MaxAtomicBatch = 1000
)

// errNotAtomic means the server answered the commit without saying it stored the batch as one:
// it does not know atomic batches, or the stream does not allow them.
var errNotAtomic = errors.New("the stream did not store the batch atomically")

// refusedBatch is the server's reason for refusing a batch, for example a message id it already
// holds within the duplicate window: nothing of the batch was stored.
type refusedBatch struct {
	Code        int    `json:"code"`
	ErrCode     int    `json:"err_code"`
	Description string `json:"description"`
}

func (e *refusedBatch) Error() string {
	return fmt.Sprintf("JetStream refused the batch: %s (%d)", e.Description, e.ErrCode)
}

// CommitAtomically sends msgs (at most MaxAtomicBatch, all to one stream) as one atomic batch and
// returns once the server has stored them all, or says why it stored none of them: a *refusedBatch,
// errNotAtomic, or the connection's error (then the batch may or may not have been stored). Only
// the commit is a request: the server answers it once every staged message is stored and synced.
// The batch headers are gone from msgs again when it returns.
func CommitAtomically(ctx context.Context, nc *nats.Conn, msgs []*nats.Msg) error {
	id := nuid.Next()
	defer func() {
		for _, m := range msgs {
			withoutBatchHeaders(m.Header)
		}
	}()
	last := len(msgs) - 1
	for i, m := range msgs {
		m.Header.Set(batchIDHeader, id)
		m.Header.Set(batchSequenceHeader, strconv.Itoa(i+1))
		if i == last {
			break
		}
		if err := nc.PublishMsg(m); err != nil {
			return err
		}
	}
	msgs[last].Header.Set(batchCommitHeader, "1")
	reply, err := nc.RequestMsgWithContext(ctx, msgs[last])
	if err != nil {
		return err
	}
	var ack struct {
		Batch string        `json:"batch"`
		Count int           `json:"count"`
		Error *refusedBatch `json:"error"`
	}
	if err := json.Unmarshal(reply.Data, &ack); err != nil {
		return fmt.Errorf("%w: %v", errNotAtomic, err)
	}
	if ack.Error != nil && ack.Error.ErrCode == atomicPublishDisabled {
		return fmt.Errorf("%w: %s", errNotAtomic, ack.Error.Description)
	}
	if ack.Error != nil {
		return ack.Error
	}
	if ack.Batch != id || ack.Count != len(msgs) {
		return errNotAtomic
	}
	return nil
}

// withoutBatchHeaders removes the atomic batch headers, which stay on stored messages: a message
// read from the stream and published again (to the dead-letter stream, say) must not look like
// part of a batch.
func withoutBatchHeaders(h nats.Header) {
	for _, k := range []string{batchIDHeader, batchSequenceHeader, batchCommitHeader} {
		h.Del(k)
	}
}
