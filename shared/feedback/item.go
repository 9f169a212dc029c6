package feedback

import (
	"time"

	"github.com/google/uuid"
)

// Item is one piece of patient content, as its source gave it.
type Item struct {
	ID           uuid.UUID `json:"id"`
	Organisation string    `json:"organisation"`
	Practice     string    `json:"practice"`
	Channel      Channel   `json:"channel"`
	SourceID     string    `json:"source_id"`
	Author       string    `json:"author,omitempty"`
	Email        string    `json:"email,omitempty"`
	Text         string    `json:"text"`
	Rating       string    `json:"rating,omitempty"`
	// Revision tells versions of the same item apart: empty for the first, and for an edit
	// something the source gives (a content hash, an update time), so a redelivered edit is the
	// same revision and a new edit is a new one.
	Revision  string    `json:"revision,omitempty"`
	WrittenAt time.Time `json:"written_at"`
}

// namespace roots every id Signpost derives (UUIDv5), so the same source ids always give the same id.
var namespace = uuid.MustParse("5b0e8e7c-3a2f-4d0b-9c1e-7f6a2d9b4c10")

// ItemID is the item's id, derived from the source's own ids: a retried webhook or a resubmitted
// form gives the same id, so it never makes a second item.
func ItemID(organisation string, channel Channel, sourceID string) uuid.UUID {
	return DeriveID("item", organisation, string(channel), sourceID)
}

// DeriveID returns a UUIDv5 of the parts, for ids of things that follow from an item.
func DeriveID(parts ...string) uuid.UUID {
	n := 0
	for _, p := range parts {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	for _, p := range parts {
		b = append(b, p...)
		b = append(b, 0) // a separator no part can contain, so ("a","bc") differs from ("ab","c")
	}
	return uuid.NewSHA1(namespace, b)
}
