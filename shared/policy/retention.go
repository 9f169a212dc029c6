package policy

import "time"

// DefaultRetentionDays is how long patient content is kept when a policy does not say: 10 years
// (3653 days, leap days included). The NHS Records Management Code of Practice keeps a complaints
// case file for 10 years after closure, and Signpost holds complaints (the complaint form is the
// Complaints Procedure's entry); an organisation that files complaints elsewhere can set less.
const DefaultRetentionDays = 3653

// MinRetentionDays is the shortest period a policy may set (schemas/policy.json says the same):
// long enough for Facebook's retries (36 hours), private replies (within 7 days of the comment)
// and complaint acknowledgements (3 working days) to be done with the text.
const MinRetentionDays = 30

// Retention is how long the organisation's patient content is kept after it was received.
func (p *Policy) Retention() time.Duration {
	days := p.RetentionDays
	if days == 0 {
		days = DefaultRetentionDays
	}
	return time.Duration(days) * 24 * time.Hour
}

// ShortestRetention is the shortest retention period of all organisations: nothing that copies
// every organisation's content (the event streams) may keep it longer.
func (s *Set) ShortestRetention() time.Duration {
	var shortest time.Duration
	for i, p := range s.orgs {
		if i == 0 || p.Retention() < shortest {
			shortest = p.Retention()
		}
	}
	return shortest
}
