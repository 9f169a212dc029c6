package google

import (
	"regexp"
	"strings"
)

// Review ids are restricted to URL-unreserved characters so that a name can be put into a request
// path as it is: no escaping, no query or fragment, and "." and ".." are refused as ids.
var (
	reviewNamePattern   = regexp.MustCompile(`^accounts/[0-9]{1,32}/locations/[0-9]{1,32}/reviews/[A-Za-z0-9._~-]{1,512}$`)
	locationNamePattern = regexp.MustCompile(`^accounts/[0-9]{1,32}/locations/[0-9]{1,32}$`)
)

// ValidReviewName reports whether name is a review resource name:
// accounts/{digits}/locations/{digits}/reviews/{id}, the id being 1 to 512 of A-Z a-z 0-9 . _ ~ -
// and neither "." nor "..".
func ValidReviewName(name string) bool {
	if !reviewNamePattern.MatchString(name) {
		return false
	}
	id := lastSegment(name)
	return id != "." && id != ".."
}

// ValidLocationName reports whether name is a location resource name: accounts/{digits}/locations/{digits}.
func ValidLocationName(name string) bool {
	return locationNamePattern.MatchString(name)
}

// locationOf returns the accounts/{a}/locations/{l} prefix of a review name, or "" if reviewName is
// not a review name.
func locationOf(reviewName string) string {
	if !ValidReviewName(reviewName) {
		return ""
	}
	return reviewName[:strings.Index(reviewName, "/reviews/")]
}

func lastSegment(name string) string {
	return name[strings.LastIndexByte(name, '/')+1:]
}
