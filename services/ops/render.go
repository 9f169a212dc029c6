package ops

import (
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/signpost/signpost/shared/httpx"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed ops.css
var stylesheet []byte

// frame is what every page shows around its content.
type frame struct {
	Title    string
	SignedIn bool
	CSRF     string
	Now      time.Time
	Flash    *flash
	Problem  string // what went wrong, shown as an error summary
}

// flash is a one-off message after an action, rebuilt from a fixed set of codes in the query
// string so that a crafted link cannot put words on the page.
type flash struct {
	Text    string
	Warning bool
}

type dashboardPage struct {
	frame
	Snapshot         Snapshot
	StreamsError     string
	DeadLetters      []DeadLetter
	DeadLettersError string
}

type confirmPage struct {
	frame
	Action  string // replay, discard or replay-all
	Letter  DeadLetter
	Letters []DeadLetter
}

type messagePage struct {
	frame
	Heading, Text string
}

func (o *Ops) frame(r *http.Request, title string) frame {
	f := frame{Title: title, Now: o.now()}
	if o.signedIn(r) {
		f.SignedIn, f.CSRF = true, o.csrfToken()
	}
	return f
}

var funcs = template.FuncMap{
	"num":   formatNum,
	"bytes": formatBytes,
	"rate":  formatRate,
	"dur":   formatDuration,
	"when":  func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04:05 UTC") },
	"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"age":   func(now, t time.Time) string { return formatDuration(now.Sub(t)) + " ago" },
	"secs":  func(s *float64) string { return formatDuration(time.Duration(*s * float64(time.Second))) },
	"size": func(n int) string {
		if n == 1 {
			return "1 byte"
		}
		return formatNum(n) + " bytes"
	},
}

var pages = map[string]*template.Template{}

func init() {
	for _, name := range []string{"dashboard", "confirm", "signin", "message"} {
		pages[name] = template.Must(template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html"))
	}
}

// render writes a page with the security headers every operations page carries.
func (o *Ops) render(w http.ResponseWriter, status int, name string, data any) {
	if err := httpx.RenderPage(w, status, pages[name], data, httpx.PolicyNoScript,
		"<!doctype html><title>Error</title><p>The page could not be shown. Reload it; if it keeps failing, use the dlq command.</p>\n"); err != nil {
		o.log("rendering page failed", map[string]any{"page": name, "error": err.Error()})
	}
}

func serveCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(stylesheet)
}

// flashURL is the operations page with a flash about one dead letter.
func flashURL(code string, seq uint64) string {
	return "/ops?" + url.Values{"flash": {code}, "seq": {strconv.FormatUint(seq, 10)}}.Encode()
}

// flashFrom turns the flash code in the query string back into its message.
func flashFrom(q url.Values) *flash {
	seq, _ := strconv.ParseUint(q.Get("seq"), 10, 64)
	switch q.Get("flash") {
	case "replayed":
		return &flash{Text: fmt.Sprintf("Dead letter %d was replayed: it went back to where it came from and is no longer a dead letter.", seq)}
	case "discarded":
		return &flash{Text: fmt.Sprintf("Dead letter %d was discarded.", seq)}
	case "gone":
		return &flash{Text: fmt.Sprintf("Dead letter %d is no longer in the dead-letter stream: someone may already have replayed or discarded it.", seq), Warning: true}
	case "none":
		return &flash{Text: "There are no dead letters to replay."}
	case "replayed-all":
		ok, _ := strconv.Atoi(q.Get("ok"))
		failed, _ := strconv.Atoi(q.Get("failed"))
		f := &flash{Text: fmt.Sprintf("Replayed %d %s.", ok, plural(ok, "dead letter", "dead letters"))}
		if failed > 0 {
			f.Text += fmt.Sprintf(" %d could not be replayed and %s still listed below: replay one on its own to see why.",
				failed, plural(failed, "is", "are"))
			f.Warning = true
		}
		return f
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// formatNum writes a count with thousands separators: 1,234,567.
func formatNum(v any) string {
	s := fmt.Sprint(v)
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	if neg {
		return "-" + string(b)
	}
	return string(b)
}

// formatBytes writes a size in bytes, KB, MB or GB (powers of 1024).
func formatBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n)/unit, 0
	for v >= unit && i < 3 {
		v, i = v/unit, i+1
	}
	return fmt.Sprintf("%.1f %s", v, []string{"KB", "MB", "GB", "TB"}[i])
}

// formatRate writes messages per second, or "unknown" until a second snapshot is taken.
func formatRate(r *float64) string {
	switch {
	case r == nil:
		return "unknown"
	case *r >= 100:
		return fmt.Sprintf("%.0f/s", *r)
	default:
		return fmt.Sprintf("%.1f/s", *r)
	}
}

// formatDuration writes an age to the second: 0s, 45s, 3m 12s, 2h 5m, 3d 4h.
func formatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm %ds", s/60, s%60)
	case s < 86400:
		return fmt.Sprintf("%dh %dm", s/3600, s%3600/60)
	default:
		return fmt.Sprintf("%dd %dh", s/86400, s%86400/3600)
	}
}
