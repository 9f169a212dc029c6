// Package feedback is the practice's vocabulary: channels, items, routes, flags and decisions
// (SPEC.md section 2). Plain values, no I/O.
package feedback

import "fmt"

// Channel is where an item came from.
type Channel string

// The fixed channel identifiers.
const (
	WebsiteReview          Channel = "website_review"
	ComplaintForm          Channel = "complaint_form"
	FFTWeb                 Channel = "fft_web"
	FFTPaper               Channel = "fft_paper"
	FFTSMS                 Channel = "fft_sms"
	GoogleReview           Channel = "google_review"
	FacebookComment        Channel = "facebook_comment"
	FacebookPost           Channel = "facebook_post"
	FacebookRecommendation Channel = "facebook_recommendation"
	ThirdPartyReview       Channel = "third_party_review"
)

// Channels lists every channel in a stable order.
var Channels = []Channel{WebsiteReview, ComplaintForm, FFTWeb, FFTPaper, FFTSMS, GoogleReview,
	FacebookComment, FacebookPost, FacebookRecommendation, ThirdPartyReview}

// ParseChannel returns the channel named s, or an error saying which names exist.
func ParseChannel(s string) (Channel, error) {
	for _, c := range Channels {
		if string(c) == s {
			return c, nil
		}
	}
	return "", fmt.Errorf("unknown channel %q (one of %v)", s, Channels)
}

// Social reports whether the channel is the organisation's own social-media page.
func (c Channel) Social() bool {
	return c == FacebookComment || c == FacebookPost || c == FacebookRecommendation
}

// FFT reports whether the channel carries Friends and Family Test answers.
func (c Channel) FFT() bool { return c == FFTWeb || c == FFTPaper || c == FFTSMS }
