package auth

import "testing"

// BenchmarkHashAtTheDefaultCost is what one sign-in or new password costs the server.
func BenchmarkHashAtTheDefaultCost(b *testing.B) {
	for b.Loop() {
		if _, err := DefaultArgon2id.Hash("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}
