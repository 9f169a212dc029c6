package feedback

import (
	"fmt"
	"slices"
)

// Rating values as each source gives them (SPEC.md section 2).
var (
	GoogleRatings   = []string{"1", "2", "3", "4", "5"}
	FFTRatings      = []string{"very_good", "good", "neither_good_nor_poor", "poor", "very_poor", "dont_know"}
	FacebookRatings = []string{"recommends", "doesnt_recommend"}
)

// Ratings returns the rating values a channel can carry; nil means the channel has none.
func (c Channel) Ratings() []string {
	switch {
	case c == GoogleReview, c == WebsiteReview, c == ThirdPartyReview:
		return GoogleRatings
	case c.FFT():
		return FFTRatings
	case c == FacebookRecommendation:
		return FacebookRatings
	}
	return nil
}

// CheckRating says whether rating is allowed on the channel; an empty rating is always allowed
// except on FFT channels, where the answer to the national question is the point of the form.
func (c Channel) CheckRating(rating string) error {
	allowed := c.Ratings()
	switch {
	case rating == "" && c.FFT():
		return fmt.Errorf("a Friends and Family Test answer needs a rating (one of %v)", allowed)
	case rating == "":
		return nil
	case allowed == nil:
		return fmt.Errorf("channel %s takes no rating", c)
	case !slices.Contains(allowed, rating):
		return fmt.Errorf("rating %q is not one of %v", rating, allowed)
	}
	return nil
}
