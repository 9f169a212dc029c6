// Command fftimport sends a file of typed-up paper Friends and Family Test cards to Signpost's
// intake, which checks the whole file first and imports nothing if a row is wrong (unless
// -skip-bad-rows is given). The intake token comes from INGEST_API_TOKEN.
//
//	go run ./services/ingest/cmd/fftimport -practice charlton-medical-centre cards.csv
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fftimport:", err)
		os.Exit(1)
	}
}

type answer struct {
	Imported int    `json:"imported"`
	Skipped  int    `json:"skipped"`
	Detail   string `json:"detail"`
	Errors   []struct {
		Field  string `json:"field"`
		Detail string `json:"detail"`
	} `json:"errors"`
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("fftimport", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "Signpost intake's base URL")
	practice := fs.String("practice", "", "the practice the cards are for (its slug)")
	skip := fs.Bool("skip-bad-rows", false, "import the good rows of a file that has bad ones")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *practice == "" || fs.NArg() != 1 {
		return errors.New("usage: fftimport -practice SLUG [-url URL] [-skip-bad-rows] FILE.csv")
	}
	token := getenv("INGEST_API_TOKEN")
	if token == "" {
		return errors.New("set INGEST_API_TOKEN to the intake token")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	endpoint := *base + "/v1/practices/" + url.PathEscape(*practice) + "/fft-cards"
	if *skip {
		endpoint += "?skip_bad_rows=true"
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, f)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var a answer
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(&a); err != nil {
		return fmt.Errorf("intake answered %s", resp.Status)
	}
	for _, e := range a.Errors {
		fmt.Fprintf(stdout, "%s: %s\n", e.Field, e.Detail)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", resp.Status, a.Detail)
	}
	fmt.Fprintf(stdout, "imported %d card(s), skipped %d bad row(s)\n", a.Imported, a.Skipped)
	return nil
}
