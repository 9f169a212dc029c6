// Package ratelimit limits how often one client may call an endpoint: a token bucket per client
// address, forgotten after a quiet spell so memory stays bounded.
package ratelimit

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/signpost/signpost/shared/httpx"
)

// Limiter allows each client perMinute requests a minute, with bursts of burst.
type Limiter struct {
	mu         sync.Mutex
	clients    map[string]*client
	perMinute  int
	burst      int
	trustProxy bool
	maxClients int
	now        func() time.Time
}

type client struct {
	limiter *rate.Limiter
	seen    time.Time
}

// New returns a limiter. With trustProxy the client is the address the proxy saw (the last of
// X-Forwarded-For), otherwise the connection's; an IPv6 client is counted by its /64.
func New(perMinute, burst int, trustProxy bool) *Limiter {
	return &Limiter{clients: map[string]*client{}, perMinute: perMinute, burst: burst, trustProxy: trustProxy,
		maxClients: 100_000, now: time.Now}
}

// Allow reports whether the client may make a request now, and if not, how long to wait.
func (l *Limiter) Allow(r *http.Request) (bool, time.Duration) {
	key := l.clientOf(r)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.clients[key]
	if !ok {
		if len(l.clients) >= l.maxClients {
			l.forget(now)
		}
		c = &client{limiter: rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.burst)}
		l.clients[key] = c
	}
	c.seen = now
	res := c.limiter.ReserveN(now, 1)
	if delay := res.DelayFrom(now); delay > 0 {
		res.CancelAt(now)
		return false, delay
	}
	return true, 0
}

// forget drops clients not seen for ten minutes (their buckets are full again by then).
func (l *Limiter) forget(now time.Time) {
	for k, c := range l.clients {
		if now.Sub(c.seen) > 10*time.Minute {
			delete(l.clients, k)
		}
	}
}

func (l *Limiter) clientOf(r *http.Request) string {
	return httpx.ClientKey(httpx.ClientAddress(r, l.trustProxy))
}

// RetryAfter is the Retry-After header value for a wait.
func RetryAfter(d time.Duration) string {
	return strconv.Itoa(int(d/time.Second) + 1)
}
