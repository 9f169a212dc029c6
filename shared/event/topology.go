package event

import "strings"

// Topology names the subjects, streams and consumers. Prefix (empty in production) lets several
// deployments, or parallel tests, share one NATS server without seeing each other's messages.
type Topology struct {
	Prefix string
}

// Subject is the NATS subject an event type is published on.
func (t Topology) Subject(eventType string) string { return t.dot() + eventType }

// FeedbackStream holds every feedback event (feedback.>).
func (t Topology) FeedbackStream() string { return t.upper() + "FEEDBACK" }

// FeedbackSubjects are the subjects the feedback stream captures.
func (t Topology) FeedbackSubjects() []string { return []string{t.dot() + "feedback.>"} }

// DeadLetterStream holds messages whose handling failed for good (deadletter.>).
func (t Topology) DeadLetterStream() string { return t.upper() + "DEADLETTER" }

// DeadLetterSubjects are the subjects the dead-letter stream captures.
func (t Topology) DeadLetterSubjects() []string { return []string{t.dot() + "deadletter.>"} }

// DeadLetterSubject is where the messages a handler gave up on are published.
func (t Topology) DeadLetterSubject(handler string) string { return t.dot() + "deadletter." + handler }

// Consumer is the durable consumer name of a handler (no dots: NATS forbids them in names).
func (t Topology) Consumer(handler string) string {
	return t.upper() + strings.ReplaceAll(handler, ".", "_")
}

func (t Topology) dot() string {
	if t.Prefix == "" {
		return ""
	}
	return t.Prefix + "."
}

func (t Topology) upper() string {
	if t.Prefix == "" {
		return ""
	}
	return strings.ToUpper(t.Prefix) + "_"
}
