// Package retention anonymises what patients wrote once their organisation's retention period
// (policy retention_days) has passed: every table's patient content is blanked, unsent messages
// and pending platform calls that would need it are stopped, and the rows stay, so counts per
// channel, route, rating and month still add up in reports.
package retention

import (
	"time"

	"github.com/signpost/signpost/shared/policy"
)

// Cutoffs says, per organisation, before when content is purged; Others applies to content of
// organisations no policy names any more.
type Cutoffs struct {
	ByOrganisation map[string]time.Time
	Others         time.Time
}

// CutoffsAt computes the cutoffs at now: each organisation keeps content for its own retention
// period; content of an organisation no policy names is kept no longer than the shortest period
// of all, since nobody is left to have asked for more.
func CutoffsAt(policies *policy.Set, now time.Time) Cutoffs {
	c := Cutoffs{ByOrganisation: map[string]time.Time{}, Others: now.Add(-policies.ShortestRetention())}
	for _, p := range policies.Organisations() {
		c.ByOrganisation[p.Organisation.Slug] = now.Add(-p.Retention())
	}
	return c
}
