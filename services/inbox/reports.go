package inbox

import (
	"net/http"
	"net/url"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/signpost/signpost/services/inbox/internal/audit"
	"github.com/signpost/signpost/services/inbox/internal/auth"
	"github.com/signpost/signpost/services/inbox/internal/fft"
	"github.com/signpost/signpost/services/inbox/internal/views"
)

type fftPage struct {
	frame
	Report        fft.Report
	Month         string
	MonthName     string
	PracticeSlugs []string
	Answers       []struct{ Rating, Label string }
	Methods       []struct{ Channel, Label string }
	CSVURL        string
}

// fftQuery reads the practice (one of the person's organisation) and the month (default: the
// last whole month, the one a practice submits).
func (in *Inbox) fftQuery(r *http.Request, p auth.Principal) (practice string, month time.Time, slugs []string, problems []views.Problem) {
	_, slugs = in.practices(p.Organisation)
	q := r.URL.Query()
	practice = q.Get("practice")
	if practice == "" && len(slugs) > 0 {
		practice = slugs[0]
	}
	known := false
	for _, s := range slugs {
		known = known || s == practice
	}
	if !known {
		problems = append(problems, views.Problem{Field: "practice", Text: "Choose one of your organisation's practices."})
		if len(slugs) > 0 {
			practice = slugs[0]
		}
	}
	now := in.now().In(london)
	month = time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC)
	if m := q.Get("month"); m != "" {
		if parsed, err := fft.ParseMonth(m); err == nil {
			month = parsed
		} else {
			problems = append(problems, views.Problem{Field: "month", Text: "Enter the month as year-month, for example 2026-03."})
		}
	}
	return practice, month, slugs, problems
}

func (in *Inbox) readFFT(r *http.Request, p auth.Principal, practice string, month time.Time, fn func(tx *sqlx.Tx) error) (fft.Report, error) {
	var rep fft.Report
	err := in.inScope(r.Context(), p, func(tx *sqlx.Tx) (err error) {
		if rep, err = fft.Read(r.Context(), tx, p.Organisation, practice, month); err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			return err
		}
		return audit.Record(r.Context(), tx, in.record(r, p, audit.ViewedFFTReport, nil, "practice="+practice+" month="+month.Format("2006-01")))
	})
	return rep, err
}

func (in *Inbox) fftReport(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	practice, month, slugs, problems := in.fftQuery(r, p)
	page := fftPage{Month: month.Format("2006-01"), MonthName: month.Format("January 2006"), PracticeSlugs: slugs,
		Answers: fft.Answers, Methods: fft.Methods}
	var err error
	page.Report, err = in.readFFT(r, p, practice, month, func(tx *sqlx.Tx) (err error) {
		page.frame, err = in.frame(r, tx, p, "FFT monthly report", "fft")
		return err
	})
	if err != nil {
		in.unavailable(w, r, p, err)
		return
	}
	page.Live = false
	page.Problems = problems
	page.CSVURL = "/inbox/reports/fft.csv?" + url.Values{"practice": {practice}, "month": {page.Month}}.Encode()
	status := http.StatusOK
	if len(problems) > 0 {
		status = http.StatusBadRequest
	}
	in.render(w, status, "fft", page)
}

func (in *Inbox) fftCSV(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	practice, month, _, problems := in.fftQuery(r, p)
	if len(problems) > 0 {
		in.message(w, r, &p, http.StatusBadRequest, "The report could not be made", problems[0].Text)
		return
	}
	rep, err := in.readFFT(r, p, practice, month, func(*sqlx.Tx) error { return nil })
	if err != nil {
		in.unavailable(w, r, p, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="fft-`+practice+`-`+month.Format("2006-01")+`.csv"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_ = rep.WriteCSV(w)
}

type auditPage struct {
	frame
	Entries []audit.Entry
	Limit   int
}

func (in *Inbox) auditLog(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	if !p.Administrator() {
		in.message(w, r, &p, http.StatusForbidden, "Only administrators can read the audit log",
			"Ask your organisation's administrator if you need to know who did what.")
		return
	}
	page := auditPage{Limit: 500}
	err := in.inScope(r.Context(), p, func(tx *sqlx.Tx) (err error) {
		if page.frame, err = in.frame(r, tx, p, "Audit log", "audit"); err != nil {
			return err
		}
		if page.Entries, err = audit.List(r.Context(), tx, p.Organisation, audit.Filter{Limit: page.Limit}); err != nil {
			return err
		}
		return audit.Record(r.Context(), tx, in.record(r, p, audit.ViewedAudit, nil, ""))
	})
	if err != nil {
		in.unavailable(w, r, p, err)
		return
	}
	page.Live = false
	in.render(w, http.StatusOK, "audit", page)
}
