package httpx

import (
	"net"
	"net/http"
	"strings"
)

// ClientAddress is where a request came from, for rate limits, throttling and audit. Behind a
// proxy (trustProxy) it is the last address of X-Forwarded-For: the proxy appends the address it
// saw to whatever the client sent, so every earlier address is the client's own say and could be
// anything. Otherwise it is the connection's address.
func ClientAddress(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if fwd := r.Header.Values("X-Forwarded-For"); len(fwd) > 0 {
			last := fwd[len(fwd)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if ip := net.ParseIP(strings.TrimSpace(last)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ClientKey groups addresses as one client: an IPv6 client is counted by its /64, the block one
// subscriber is usually given, so stepping through addresses of one network is no escape.
func ClientKey(address string) string {
	if ip := net.ParseIP(address); ip != nil && ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return address
}
