package retention

// A table that holds patient content, and how the purge anonymises an item's rows in it.
type table struct {
	name string
	// key is the column holding the item's id.
	key string
	// blank maps each patient-content column to the SQL value it becomes.
	blank map[string]string
	// unfinished, when set, selects rows whose work still needs the content (a message not yet
	// sent); finish is the SET clause that stops that work and says why.
	unfinished, finish string
}

const stoppedReason = "'not done: the retention period passed and its content was deleted'"

// patientContent is every table column that holds what a patient wrote or something that leads to
// them: their words, name, email address, the source's id of their post, and what quotes it (the
// classifier's reasons, replies, messages and the platforms' answers about them). The guard test
// (tables_test.go) fails when the database has a text column that is neither here nor in
// notPatientContent, so a new table cannot be forgotten.
var patientContent = []table{
	{name: "items", key: "id", blank: map[string]string{
		"body": "''", "author": "''", "email": "''",
		"source_id": "'purged:' || id::text", // stays unique per organisation and channel
	}},
	{name: "decisions", key: "item_id", blank: map[string]string{"reasons": "'{}'"}},
	{name: "inbox_entries", key: "item_id", blank: map[string]string{"suggested_reply": "''"}},
	{name: "outbox", key: "item_id",
		blank:      map[string]string{"body": "''", "recipient": "''", "state_reason": "''", "platform_id": "''"},
		unfinished: "state IN ('held', 'pending', 'claimed', 'sending')",
		finish:     "state = 'cancelled', state_reason = " + stoppedReason + ", updated_at = now()"},
	{name: "review_replies", key: "item_id",
		blank:      map[string]string{"body": "''", "review_name": "''", "state_reason": "''"},
		unfinished: "state IN ('approved', 'sending')",
		finish:     "state = 'failed', state_reason = " + stoppedReason + ", updated_at = now()"},
	// A person's confirmation or correction keeps the text as it was judged (a labelled example).
	{name: "decision_corrections", key: "item_id", blank: map[string]string{"body": "''"}},
	// A reply a Practice Manager approved may quote or name the patient.
	{name: "reply_approvals", key: "item_id", blank: map[string]string{"body": "''"}},
	{name: "moderation_requests", key: "item_id",
		blank:      map[string]string{"state_reason": "''"},
		unfinished: "state = 'pending'", // hiding needs the comment's id, which is blanked
		finish:     "state = 'failed', state_reason = " + stoppedReason},
}

// notPatientContent lists, per table, the text columns that hold none: the product's vocabulary
// (channels, routes, flags, kinds, states), ids Signpost made, staff names and digests.
var notPatientContent = map[string][]string{
	"items": {"organisation", "practice", "channel", "rating", "correlation_id",
		"revision"}, // "edit-" and 8 bytes of a digest, or Google's update time
	"decisions":           {"organisation", "route", "flags", "model_version", "revision"},
	"inbox_entries":       {"organisation", "practice", "kind", "priority", "state"},
	"outbox":              {"organisation", "medium", "purpose", "state"},
	"complaint_cases":     {"organisation", "practice", "state"},
	"moderation_requests": {"organisation", "flags", "state"},
	"review_replies":      {"organisation", "state", "approved_by"}, // approved_by: a member of staff
	"item_removals":       {"organisation"},
	"decision_corrections": {"organisation", "practice", "channel", "kind", "from_revision", "from_route", "from_flags",
		"revision", "route", "flags"},
	"reply_approvals": {"organisation", "destination"},
	// The inbox's people and sessions are staff, not patients; tokens are kept as hashes.
	"organisations":   {"slug", "name"},
	"users":           {"organisation", "email", "role", "password_hash"},
	"sessions":        {"token_hash", "organisation", "client"},
	"api_tokens":      {"token_hash", "organisation", "label"},
	"signin_throttle": {"key"}, // a digest of a staff email, or a client address
	// Who viewed or did what, never patient text (00004_inbox.sql); append-only by trigger.
	"audit_log": {"organisation", "user_email", "action", "detail", "client", "via"},
}
