package google

import "time"

// Review is a Google review of a practice's location, as fetched from the Business Profile API.
type Review struct {
	// Name is the resource name, accounts/{a}/locations/{l}/reviews/{r}.
	Name string
	// ReviewID is the last segment of Name.
	ReviewID string
	// Reviewer is the reviewer's display name, "" for an anonymous reviewer.
	Reviewer string
	// Stars is the rating, "1" to "5", or "" when Google gives none.
	Stars string
	// Comment is the review text; "" for a rating without text. Google may prefix a translated
	// text with "(Translated by Google)" and append the "(Original)".
	Comment string
	// Reply is the location owner's current public reply, "" if none.
	Reply string
	// CreatedAt and UpdatedAt are when the review was written and last edited by the reviewer.
	CreatedAt, UpdatedAt time.Time
}

// Location returns the accounts/{a}/locations/{l} prefix of the review's Name, or "" if Name is
// not a review resource name.
func (r Review) Location() string {
	return locationOf(r.Name)
}

// Revision identifies this version of the review: UpdatedAt (CreatedAt if UpdatedAt is unset) in
// UTC, RFC 3339 with nanoseconds. An edited review is a new version with a new revision; "" if
// neither time is known.
func (r Review) Revision() string {
	t := r.UpdatedAt
	if t.IsZero() {
		t = r.CreatedAt
	}
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

var (
	starsOfRating = map[string]string{"ONE": "1", "TWO": "2", "THREE": "3", "FOUR": "4", "FIVE": "5"}
	ratingOfStars = map[string]string{"1": "ONE", "2": "TWO", "3": "THREE", "4": "FOUR", "5": "FIVE"}
)

// starsFromRating maps a starRating enum value to "1".."5"; STAR_RATING_UNSPECIFIED, a missing or
// an unknown value gives "".
func starsFromRating(rating string) string {
	return starsOfRating[rating]
}

// ratingFromStars is the inverse of starsFromRating; "" and unknown values give STAR_RATING_UNSPECIFIED.
func ratingFromStars(stars string) string {
	if r, ok := ratingOfStars[stars]; ok {
		return r
	}
	return "STAR_RATING_UNSPECIFIED"
}
