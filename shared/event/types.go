package event

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/signpost/signpost/shared/feedback"
)

// The event types and their current versions.
const (
	Received        = "feedback.received"
	ReceivedVersion = 1
	Routed          = "feedback.routed"
	RoutedVersion   = 1
	Removed         = "feedback.removed"
	RemovedVersion  = 1
)

// ReceivedPayload is published by ingest once an item has been taken in.
type ReceivedPayload struct {
	Item feedback.Item `json:"item"`
}

// RoutedPayload is published by the classifier once its decision is stored.
type RoutedPayload struct {
	Item     feedback.Item     `json:"item"`
	Decision feedback.Decision `json:"decision"`
}

// RemovedPayload is published by ingest when the author removed the item from the platform.
type RemovedPayload struct {
	ItemID    uuid.UUID        `json:"item_id"`
	Channel   feedback.Channel `json:"channel"`
	SourceID  string           `json:"source_id"`
	RemovedAt time.Time        `json:"removed_at"`
}

// NewRemoved builds the feedback.removed envelope for an item that was removed.
func NewRemoved(item feedback.Item, removedAt time.Time, correlationID string, now time.Time) ([]byte, uuid.UUID, error) {
	return newEvent(Removed, RemovedVersion, item, correlationID, now, RemovedPayload{
		ItemID: item.ID, Channel: item.Channel, SourceID: item.SourceID, RemovedAt: removedAt.UTC()})
}

// NewReceived builds the feedback.received envelope for an item.
func NewReceived(item feedback.Item, correlationID string, now time.Time) ([]byte, uuid.UUID, error) {
	return newEvent(Received, ReceivedVersion, item, correlationID, now, ReceivedPayload{Item: item})
}

// NewRouted builds the feedback.routed envelope for an item and its decision.
func NewRouted(item feedback.Item, d feedback.Decision, correlationID string, now time.Time) ([]byte, uuid.UUID, error) {
	return newEvent(Routed, RoutedVersion, item, correlationID, now, RoutedPayload{Item: item, Decision: d})
}

func newEvent(typ string, version int, item feedback.Item, correlationID string, now time.Time, payload any) ([]byte, uuid.UUID, error) {
	id := feedback.DeriveID(typ, fmt.Sprint(version), item.ID.String(), item.Revision)
	data, err := Encode(Envelope{
		ID: id, Type: typ, Version: version, OccurredAt: now.UTC(),
		Organisation: item.Organisation, Practice: item.Practice, CorrelationID: correlationID,
	}, payload)
	return data, id, err
}
