// Package plan is the notifier's decision table (SPEC.md section 5) as a pure function: from an
// organisation's policy, an item and the classifier's decision, what should happen next.
package plan

import (
	"time"

	"github.com/signpost/signpost/shared/feedback"
)

// InboxKind is the kind of an entry in the Practice Manager's inbox.
type InboxKind string

// The inbox kinds.
const (
	Urgent             InboxKind = "urgent"              // safeguarding: a person decides, nothing automatic
	NeedsReview        InboxKind = "needs_review"        // confirm or correct before the patient hears anything
	Respond            InboxKind = "respond"             // an official review to answer
	Signpost           InboxKind = "signpost"            // a complaint on an official channel: point to the Complaints Procedure
	DeleteRequested    InboxKind = "delete_requested"    // a complaint on social media: the poster was asked to delete it
	ComplaintCase      InboxKind = "complaint_case"      // a complaint through the Complaints Procedure
	ComplaintAwareness InboxKind = "complaint_awareness" // a complaint on another site: nobody to contact
	Moderation         InboxKind = "moderation"          // a post that breaks the code of conduct
	Ignored            InboxKind = "ignored"             // recorded, no response
)

// Priority orders the inbox.
type Priority string

// The priorities.
const (
	PriorityUrgent Priority = "urgent"
	PriorityNormal Priority = "normal"
	PriorityLow    Priority = "low"
)

// InboxEntry is one line in the Practice Manager's inbox.
type InboxEntry struct {
	Kind           InboxKind
	Priority       Priority
	SuggestedReply string
}

// Medium is how a message reaches a patient.
type Medium string

// The media.
const (
	Email                Medium = "email"
	FacebookPrivateReply Medium = "facebook_private_reply"
)

// Purpose is why a patient is contacted.
type Purpose string

// The purposes.
const (
	DeleteRequest      Purpose = "delete_request"
	ComplaintsSignpost Purpose = "complaints_signpost"
)

// MessageState is where a message to a patient stands.
type MessageState string

// The states a plan creates messages in.
const (
	Pending MessageState = "pending" // to be sent
	Held    MessageState = "held"    // waits for a person to confirm the decision
)

// PatientMessage is a message to the patient who wrote the item.
type PatientMessage struct {
	Medium    Medium
	Recipient string // an email address, or the comment or post to reply to privately
	Purpose   Purpose
	Body      string
	State     MessageState
}

// ComplaintCaseOpened is a complaint received through the Complaints Procedure, to acknowledge in time.
type ComplaintCaseOpened struct {
	ReceivedOn    time.Time
	AcknowledgeBy time.Time
}

// ModerationRequest asks for a post on the organisation's own page to be hidden and reported.
type ModerationRequest struct {
	Flags       []feedback.Flag
	Hide        bool // hide without waiting for a person (the policy's auto_hide)
	LegalReview bool // defamatory: legal advice may be sought
}

// Plan is everything a decision causes.
type Plan struct {
	Inbox      []InboxEntry
	Messages   []PatientMessage
	Case       *ComplaintCaseOpened
	Moderation *ModerationRequest
}
