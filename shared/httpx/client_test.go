package httpx_test

import (
	"net/http/httptest"
	"testing"

	"github.com/signpost/signpost/shared/httpx"
)

func TestTheClientIsTheAddressTheProxySawNotOneTheClientWrote(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.0.0.1:5555"
	r.Header.Add("X-Forwarded-For", "1.2.3.4, 5.6.7.8")
	r.Header.Add("X-Forwarded-For", "203.0.113.9")
	if got := httpx.ClientAddress(r, true); got != "203.0.113.9" {
		t.Errorf("behind a proxy: %q, want the last address, the proxy's own", got)
	}
	if got := httpx.ClientAddress(r, false); got != "10.0.0.1" {
		t.Errorf("no proxy: %q, want the connection's address", got)
	}
	r.Header.Set("X-Forwarded-For", "not an address")
	if got := httpx.ClientAddress(r, true); got != "10.0.0.1" {
		t.Errorf("a forwarded value that is no address: %q, want the connection's", got)
	}
}

func TestOneIPv6NetworkIsOneClient(t *testing.T) {
	a, b := httpx.ClientKey("2001:db8:1:2::1"), httpx.ClientKey("2001:db8:1:2:ffff::9")
	if a != b || a != "2001:db8:1:2::/64" {
		t.Errorf("keys %q and %q, want one /64", a, b)
	}
	if httpx.ClientKey("192.0.2.1") != "192.0.2.1" {
		t.Error("an IPv4 address is its own client")
	}
}
