package inbox

import (
	"net"
	"time"

	"github.com/signpost/signpost/services/inbox/internal/auth"
	"github.com/signpost/signpost/shared/config"
)

// Config is how the inbox behaves; the README's configuration table lists each variable.
type Config struct {
	// InsecureCookies drops the Secure attribute (and the __Host- name) from the session cookie, for
	// plain-http development on this machine. A request that arrived over TLS, or through a proxy
	// saying X-Forwarded-Proto: https, still gets a Secure cookie.
	InsecureCookies bool
	IdleTimeout     time.Duration // a session ends after this long without a request
	SessionMax      time.Duration // and at this long after sign-in, whatever happens
	TrustProxy      bool          // the client address is the last of X-Forwarded-For (the proxy's own)
	DatabaseURL     string        // for the LISTEN connection of live updates
	Now             func() time.Time
	// PasswordCost is the argon2id cost of new password hashes (zero: OWASP's minimum, 19 MiB and
	// 2 passes). A stored hash keeps its own cost, so verifying never depends on this.
	PasswordCost PasswordCost
}

// PasswordCost is an argon2id cost: memory in KiB, passes and lanes.
type PasswordCost struct {
	MemoryKiB uint32
	Passes    uint32
	Lanes     uint8
}

func (c PasswordCost) argon2id() auth.Argon2id {
	if c.MemoryKiB == 0 || c.Passes == 0 || c.Lanes == 0 {
		return auth.DefaultArgon2id
	}
	return auth.Argon2id{Memory: c.MemoryKiB, Time: c.Passes, Threads: c.Lanes}
}

// ReadConfig reads the inbox's variables. INBOX_INSECURE_COOKIES is auto by default: insecure
// cookies only when the server listens on a loopback address (plain http on this machine).
func ReadConfig(env *config.Env, httpAddr, databaseURL string) Config {
	insecure := false
	switch env.OneOf("INBOX_INSECURE_COOKIES", "auto", "auto", "1", "true", "0", "false") {
	case "auto":
		insecure = loopback(httpAddr)
	case "1", "true":
		insecure = true
	}
	return Config{
		InsecureCookies: insecure,
		IdleTimeout:     env.Duration("INBOX_IDLE_TIMEOUT", 30*time.Minute),
		SessionMax:      env.Duration("INBOX_SESSION_MAX", 12*time.Hour),
		TrustProxy:      env.OneOf("TRUST_PROXY", "false", "true", "false") == "true",
		DatabaseURL:     databaseURL,
		Now:             time.Now,
	}
}

// loopback reports whether addr listens only on this machine.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
