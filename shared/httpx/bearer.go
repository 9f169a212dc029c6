package httpx

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// RequireBearer lets through requests carrying "Authorization: Bearer <token>" (compared in
// constant time); others get 401 saying how to authenticate. An empty token lets nobody through.
func RequireBearer(token, realm string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if token == "" || !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+realm+`"`)
			WriteProblem(w, Problem{Status: http.StatusUnauthorized, Detail: "send the " + realm + " token as Authorization: Bearer <token>"})
			return
		}
		next.ServeHTTP(w, r)
	})
}
