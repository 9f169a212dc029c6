package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordsAreHashedWithArgon2idAndVerified(t *testing.T) {
	cheap := Argon2id{Memory: 1024, Time: 1, Threads: 1} // real argon2id, lighter for the test
	h, err := cheap.Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") || strings.Contains(h, "horse") {
		t.Fatalf("hash %q", h)
	}
	if again, _ := cheap.Hash("correct horse battery staple"); again == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	for pw, want := range map[string]bool{"correct horse battery staple": true, "correct horse battery stapl": false, "": false} {
		if ok, err := VerifyPassword(h, pw); ok != want || err != nil {
			t.Errorf("verify %q: %v %v, want %v", pw, ok, err, want)
		}
	}
	for _, bad := range []string{"", "$2a$10$bcrypt", "$argon2id$v=18$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=0,t=1,p=1$AA$AA"} {
		if ok, err := VerifyPassword(bad, "x"); ok || err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
	if CheckNewPassword("short") == nil || CheckNewPassword(strings.Repeat("x", 12)) != nil {
		t.Error("new password length rules")
	}
}

func TestAKeyIsLockedAtItsLimitWithinTheWindow(t *testing.T) {
	l := Limit{Failures: 3, Window: 10 * time.Minute, Lockout: 15 * time.Minute}
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	c := l.Fail(Count{}, t0)
	c = l.Fail(c, t0.Add(time.Minute))
	if c.LockedAt(t0.Add(time.Minute)) {
		t.Fatal("locked after 2 of 3")
	}
	c = l.Fail(c, t0.Add(2*time.Minute))
	if !c.LockedAt(t0.Add(2*time.Minute)) || !c.LockedAt(t0.Add(16*time.Minute)) || c.LockedAt(t0.Add(17*time.Minute)) {
		t.Errorf("lock %+v, want until 09:17", c)
	}
	// Failures spread wider than the window never lock.
	c = Count{}
	for i := range 6 {
		c = l.Fail(c, t0.Add(time.Duration(i)*6*time.Minute))
	}
	if c.LockedAt(t0.Add(30 * time.Minute)) {
		t.Errorf("failures 6 minutes apart locked the key: %+v", c)
	}
}

func TestCSRFTokensBelongToOneSession(t *testing.T) {
	a, b := NewToken(""), NewToken("")
	if !CSRFValid(a, CSRFToken(a)) || CSRFValid(b, CSRFToken(a)) || CSRFValid(a, "") {
		t.Error("CSRF token accepted for the wrong session, or refused for its own")
	}
	if HashToken(a) == nil || string(HashToken(a)) == a {
		t.Error("token hash")
	}
}
