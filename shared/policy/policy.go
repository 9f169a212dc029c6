// Package policy is an organisation's social-media code of conduct as Signpost applies it: which
// channels are official, where complaints go, what happens to posts that break the code, and the
// words used to reply. Loading validates each file against schemas/policy.json.
package policy

import (
	"slices"
	"text/template"

	"github.com/signpost/signpost/shared/feedback"
)

// Policy is one organisation's policy.
type Policy struct {
	Organisation           Organisation       `json:"organisation"`
	Practices              []Practice         `json:"practices"`
	ComplaintsProcedureURL string             `json:"complaints_procedure_url"`
	OfficialReviewChannels []feedback.Channel `json:"official_review_channels"`
	WebsiteForms           []feedback.Channel `json:"website_forms"`
	Accounts               Accounts           `json:"accounts"`
	Moderation             Moderation         `json:"moderation"`
	Review                 Review             `json:"review"`
	RetentionDays          int                `json:"retention_days,omitempty"` // 0: DefaultRetentionDays
	Staff                  []string           `json:"staff"`
	Templates              Templates          `json:"templates"`

	templates map[string]*template.Template
}

// Organisation owns the policy and its accounts.
type Organisation struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Practice is one GP practice of the organisation.
type Practice struct {
	Slug           string `json:"slug"`
	Name           string `json:"name"`
	GoogleLocation string `json:"google_location,omitempty"`
}

// Accounts are the organisation's pages on outside platforms. Items from the Facebook page are
// filed under the organisation's first practice (one page may serve several practices).
type Accounts struct {
	FacebookPageID string `json:"facebook_page_id,omitempty"`
}

// Moderation says what happens to posts that break the code of conduct on the organisation's own page.
type Moderation struct {
	AutoHide bool `json:"auto_hide"`
}

// Review says when a person must confirm a decision.
type Review struct {
	MinConfidence float64 `json:"min_confidence"`
}

// Templates are the organisation's words, as Go text/template text.
type Templates struct {
	Respond        string `json:"respond"`
	Signpost       string `json:"signpost"`
	DeleteRequest  string `json:"delete_request"`
	ComplaintEmail string `json:"complaint_email"`
}

// Official reports whether the channel is one of the organisation's official review channels.
func (p *Policy) Official(c feedback.Channel) bool {
	return slices.Contains(p.OfficialReviewChannels, c)
}

// OffersForm reports whether the practice's website has a form for the channel.
func (p *Policy) OffersForm(c feedback.Channel) bool { return slices.Contains(p.WebsiteForms, c) }

// Practice returns the practice with the slug.
func (p *Policy) Practice(slug string) (Practice, bool) {
	for _, pr := range p.Practices {
		if pr.Slug == slug {
			return pr, true
		}
	}
	return Practice{}, false
}
