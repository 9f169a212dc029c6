package ops

import "time"

// SetClock makes o read the time from now, so tests can say how long passed between snapshots.
func SetClock(o *Ops, now func() time.Time) { o.now = now }
