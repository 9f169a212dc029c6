package inbox

import (
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London wherever the binary runs
	"unicode/utf8"

	"github.com/signpost/signpost/services/inbox/internal/auth"
	"github.com/signpost/signpost/services/inbox/internal/views"
	"github.com/signpost/signpost/shared/httpx"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static/inbox.css
var stylesheet []byte

//go:embed static/live.js
var liveScript []byte

// london is the practices' time: dates and months are theirs.
var london = mustLocation("Europe/London")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// frame is what every page shows around its content.
type frame struct {
	Title        string
	User         *auth.Principal
	Organisation string // its name
	CSRF         string
	Views        []views.View
	Counts       map[string]int
	Current      string // the view or page the navigation marks as current
	Practices    map[string]string
	Flash        *flash
	Problems     []views.Problem
	Now          time.Time
	Live         bool   // the page updates itself
	LiveItem     string // refresh only for changes to this item
}

// flash is a one-off message after an action, rebuilt from a fixed set of codes so that a crafted
// link cannot put words on the page.
type flash struct {
	Code    string
	Text    string
	Warning bool
}

var flashes = map[string]flash{
	"signed-out":    {Text: "You have signed out."},
	"ended":         {Text: "Your session ended, so nothing was changed. Sign in again to carry on.", Warning: true},
	"reply":         {Text: "The reply was approved."},
	"reply-google":  {Text: "The reply was approved. Signpost posts it on Google as the practice's reply; its progress shows below."},
	"reply-hand":    {Text: "The reply was approved. Signpost cannot post on this channel: copy the reply to where the review appears."},
	"confirmed":     {Text: "The decision was confirmed. Messages held for it are released, and the actions are planned again."},
	"corrected":     {Text: "The decision was corrected and kept as a labelled example. The actions are being planned again from it."},
	"handled":       {Text: "Marked handled."},
	"acknowledged":  {Text: "The complaint case is marked acknowledged."},
	"responded":     {Text: "The complaint case is marked responded."},
	"reported":      {Text: "The post is marked reported."},
	"publish-later": {Text: "The decision is saved, but could not be passed on to plan the actions just now. Signpost retries on its own within a minute.", Warning: true},
}

func flashFrom(q url.Values) *flash {
	if f, ok := flashes[q.Get("flash")]; ok {
		f.Code = q.Get("flash")
		return &f
	}
	return nil
}

var funcs = template.FuncMap{
	"channel":    func(s string) string { return label(channelLabels, s) },
	"route":      func(s string) string { return label(routeLabels, s) },
	"flag":       func(s string) string { return label(flagLabels, s) },
	"kind":       func(s string) string { return label(kindLabels, s) },
	"rating":     func(s string) string { return label(ratingLabels, s) },
	"moderation": func(s string) string { return label(moderationLabels, s) },
	"msgstate":   func(s string) string { return label(messageLabels, s) },
	"purpose":    func(s string) string { return label(purposeLabels, s) },
	"medium":     func(s string) string { return label(mediumLabels, s) },
	"when":       func(t time.Time) string { return t.In(london).Format("2 Jan 2006, 15:04") },
	"iso":        func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"day": func(s string) string {
		if d, err := time.Parse(time.DateOnly, s); err == nil {
			return d.Format("Mon 2 Jan 2006")
		}
		return s
	},
	"today":   func(now time.Time) string { return now.In(london).Format(time.DateOnly) },
	"excerpt": excerpt,
	"percent": func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"deref": func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	},
	"has": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
}

// excerpt is the start of a text for a list, cut at a word.
func excerpt(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= 160 {
		return s
	}
	r := []rune(s)[:160]
	if i := strings.LastIndex(string(r), " "); i > 100 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

var pages = map[string]*template.Template{}

func init() {
	for _, name := range []string{"signin", "list", "item", "fft", "audit", "message"} {
		pages[name] = template.Must(template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html"))
	}
}

// render writes a page with the security headers every inbox page carries.
func (in *Inbox) render(w http.ResponseWriter, status int, name string, data any) {
	if err := httpx.RenderPage(w, status, pages[name], data, httpx.PolicyScript,
		"<!doctype html><title>Error</title><p>The page could not be shown. Reload it to try again.</p>\n"); err != nil {
		in.log.Error().Err(err).Str("page", name).Msg("rendering page failed")
	}
}

type messagePage struct {
	frame
	Heading, Text string
	Back          string
}

// message shows a page with one message: a refusal, an error, or a missing item.
func (in *Inbox) message(w http.ResponseWriter, r *http.Request, p *auth.Principal, status int, heading, text string) {
	f := frame{Title: heading, User: p, Now: in.now()}
	if p != nil {
		f.CSRF = auth.CSRFToken(p.Token)
		f.Organisation = in.organisationName(p.Organisation)
	}
	in.render(w, status, "message", messagePage{frame: f, Heading: heading, Text: text, Back: "/inbox"})
}

func (in *Inbox) organisationName(slug string) string {
	for _, p := range in.policies.Organisations() {
		if p.Organisation.Slug == slug {
			return p.Organisation.Name
		}
	}
	return slug
}

// practices are the organisation's practices, slug to name.
func (in *Inbox) practices(org string) (map[string]string, []string) {
	names, slugs := map[string]string{}, []string{}
	for _, p := range in.policies.Organisations() {
		if p.Organisation.Slug != org {
			continue
		}
		for _, pr := range p.Practices {
			names[pr.Slug] = pr.Name
			slugs = append(slugs, pr.Slug)
		}
	}
	return names, slugs
}

func serveStatic(body []byte, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write(body)
	}
}
