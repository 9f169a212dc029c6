package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/signpost/signpost/shared/bustest"
)

// browser starts headless Chromium (Debian's package; `make test` installs it).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path, _ = exec.LookPath("chromium")
	}
	if path == "" {
		if os.Getenv("SIGNPOST_REQUIRE_BROWSER") != "" {
			t.Fatal("no chromium on PATH; `make test` installs it with scripts/ensure-chromium.sh")
		}
		t.Skip("skipped: no chromium on PATH (run `make test`, which installs it)")
	}
	// Not t.TempDir: Chromium's helper processes may still be writing into the profile for a moment
	// after the browser has exited, and the test would fail on a directory it could not remove.
	profile, err := os.MkdirTemp("", "signpost-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.UserDataDir(profile))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("the browser profile %s is left behind", profile)
	})
	return ctx
}

func TestPatientFillsInEachWebsiteForm(t *testing.T) {
	s := startSystem(t, nil)
	ctx := browser(t)
	for _, c := range []struct {
		practice, form, channel string
		fill                    chromedp.Tasks
	}{
		{"charlton-medical-centre", "review", "website_review", chromedp.Tasks{
			chromedp.Click(`label[for="rating-5"]`, chromedp.ByQuery),
			chromedp.SendKeys(`#text`, "The nurse was so kind and explained everything", chromedp.ByQuery),
		}},
		{"stretton-medical-centre", "fft", "fft_web", chromedp.Tasks{
			chromedp.Click(`label[for="rating-good"]`, chromedp.ByQuery),
			chromedp.SendKeys(`#text`, "Seen on time", chromedp.ByQuery),
		}},
		{"trent-meadows-medical-practice", "complaint", "complaint_form", chromedp.Tasks{
			chromedp.SendKeys(`#text`, "My repeat prescription was lost twice", chromedp.ByQuery),
			chromedp.SendKeys(`#email`, "patient@example.org", chromedp.ByQuery),
		}},
	} {
		var heading, legend string
		if err := chromedp.Run(ctx,
			chromedp.Navigate(s.URL()+"/practices/"+c.practice+"/"+c.form),
			chromedp.Text(`h1`, &heading, chromedp.ByQuery),
			c.fill,
			chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
			chromedp.WaitVisible(`.panel`, chromedp.ByQuery),
			chromedp.Text(`.panel h1`, &legend, chromedp.ByQuery),
		); err != nil {
			t.Fatalf("%s form: %v", c.form, err)
		}
		if legend != "Thank you" {
			t.Errorf("%s form: after sending, the page says %q", c.form, legend)
		}
		bustest.WaitFor(t, c.form+" item", func() bool {
			var n int
			_ = s.db.Get(&n, `SELECT count(*) FROM items i JOIN decisions d ON d.item_id = i.id WHERE i.channel = $1 AND i.practice = $2`,
				c.channel, c.practice)
			return n == 1
		})
	}
	var fftQuestion string
	if err := chromedp.Run(ctx, chromedp.Navigate(s.URL()+"/practices/stretton-medical-centre/fft"),
		chromedp.Text(`legend`, &fftQuestion, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if fftQuestion != "Overall, how was your experience of our service?" {
		t.Errorf("the FFT form asks %q", fftQuestion)
	}
}

func TestAnEmptyComplaintShowsWhatToCorrect(t *testing.T) {
	s := startSystem(t, nil)
	ctx := browser(t)
	var summary, fieldError string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(s.URL()+"/practices/charlton-medical-centre/complaint"),
		chromedp.SendKeys(`#email`, "not an email", chromedp.ByQuery),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
		chromedp.Text(`.error-summary`, &summary, chromedp.ByQuery),
		chromedp.Text(`#text-error`, &fieldError, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary, "Enter your text") || !strings.Contains(summary, "email address") || !strings.Contains(fieldError, "Enter your text") {
		t.Errorf("summary %q, field error %q", summary, fieldError)
	}
	var n int
	_ = s.db.Get(&n, `SELECT count(*) FROM items`)
	if n != 0 {
		t.Errorf("%d items from a form with errors", n)
	}
}
