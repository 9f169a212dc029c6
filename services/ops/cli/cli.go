// Package cli is the dlq command line: on-call staff list, show, replay and discard dead letters
// through the operations JSON API, from a terminal.
package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/signpost/signpost/services/ops"
)

// DefaultURL is where the API is reached when OPS_URL is not set.
const DefaultURL = "http://127.0.0.1:8080"

// Usage is printed for a command the CLI does not know.
const Usage = `usage:
  dlq list                 list the dead letters, oldest first
  dlq show SEQ             show one dead letter (never its payload)
  dlq replay SEQ [--yes]   republish one to where it came from, and remove it
  dlq replay --all [--yes] replay every dead letter
  dlq discard SEQ [--yes]  delete one for good

environment:
  OPS_URL    the operations service (default ` + DefaultURL + `)
  OPS_TOKEN  the operator token (required)

replay and discard ask you to type "yes" unless --yes is given.`

// Run runs one dlq command. args are the words after the program name, starting with "dlq";
// getenv reads OPS_URL and OPS_TOKEN; the confirmation answer is read from stdin.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "dlq" {
		args = args[1:]
	}
	var words []string
	var yes, all bool
	for _, a := range args {
		switch a {
		case "--yes", "-yes", "-y":
			yes = true
		case "--all", "-all":
			all = true
		case "-h", "--help", "help":
			_, err := fmt.Fprintln(stdout, Usage)
			return err
		default:
			if strings.HasPrefix(a, "-") {
				return fmt.Errorf("unknown option %s\n%s", a, Usage)
			}
			words = append(words, a)
		}
	}
	if len(words) == 0 {
		return errors.New(Usage)
	}
	c, err := newClient(getenv)
	if err != nil {
		return err
	}
	in := bufio.NewReader(stdin)
	cmd, rest := words[0], words[1:]
	switch {
	case cmd == "list" && len(rest) == 0 && !all:
		return c.list(ctx, stdout)
	case cmd == "show" && len(rest) == 1 && !all:
		return c.show(ctx, rest[0], stdout)
	case cmd == "replay" && all && len(rest) == 0:
		return c.replayAll(ctx, yes, in, stdout)
	case (cmd == "replay" || cmd == "discard") && len(rest) == 1 && !all:
		return c.act(ctx, cmd, rest[0], yes, in, stdout)
	}
	return fmt.Errorf("cannot run %q\n%s", strings.Join(args, " "), Usage)
}

type client struct {
	base, token string
	http        *http.Client
}

func newClient(getenv func(string) string) (*client, error) {
	token := strings.TrimSpace(getenv("OPS_TOKEN"))
	if token == "" {
		return nil, errors.New("OPS_TOKEN is not set: export the operator token, e.g. OPS_TOKEN=... dlq list")
	}
	base := strings.TrimRight(strings.TrimSpace(getenv("OPS_URL")), "/")
	if base == "" {
		base = DefaultURL
	}
	return &client{base: base, token: token, http: &http.Client{Timeout: 2 * time.Minute}}, nil
}

func (c *client) list(ctx context.Context, out io.Writer) error {
	var l ops.DeadLetterList
	if err := c.call(ctx, http.MethodGet, "/ops/api/dead-letters", nil, &l); err != nil {
		return err
	}
	if len(l.DeadLetters) == 0 {
		_, err := fmt.Fprintln(out, "No dead letters.")
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tDEAD-LETTERED\tORIGIN\tHANDLER\tATTEMPTS\tREASON")
	for _, d := range l.DeadLetters {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\n", d.Seq, d.At.UTC().Format("2006-01-02 15:04:05Z"),
			d.Origin, d.Handler, d.Attempts, oneLine(d.Reason, 80))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(out, "%d dead %s.\n", len(l.DeadLetters), plural(len(l.DeadLetters), "letter", "letters"))
	return err
}

func (c *client) show(ctx context.Context, arg string, out io.Writer) error {
	seq, err := parseSeq(arg)
	if err != nil {
		return err
	}
	d, err := c.get(ctx, seq)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "seq: %d\nmessage_id: %s\norigin: %s\nhandler: %s\nreason: %s\nattempts: %d\ndead_lettered_at: %s\npayload: %d bytes (not shown: patient data)\n",
		d.Seq, d.MessageID, d.Origin, d.Handler, oneLine(d.Reason, 0), d.Attempts, d.At.UTC().Format(time.RFC3339), d.Size)
	return err
}

// act replays or discards one dead letter, after confirmation.
func (c *client) act(ctx context.Context, cmd, arg string, yes bool, in *bufio.Reader, out io.Writer) error {
	seq, err := parseSeq(arg)
	if err != nil {
		return err
	}
	if !yes {
		d, err := c.get(ctx, seq)
		if err != nil {
			return err
		}
		q := fmt.Sprintf("Replay dead letter %d back to %s (handler %s, %d attempts, reason: %s)?",
			d.Seq, d.Origin, d.Handler, d.Attempts, oneLine(d.Reason, 80))
		if cmd == "discard" {
			q = fmt.Sprintf("Discard dead letter %d from %s for good (handler %s, reason: %s)? This cannot be undone.",
				d.Seq, d.Origin, d.Handler, oneLine(d.Reason, 80))
		}
		if ok, err := confirm(q, in, out); err != nil || !ok {
			return err
		}
	}
	method, path, done := http.MethodPost, fmt.Sprintf("/ops/api/dead-letters/%d/replay", seq), "Replayed"
	if cmd == "discard" {
		method, path, done = http.MethodDelete, fmt.Sprintf("/ops/api/dead-letters/%d", seq), "Discarded"
	}
	if err := c.call(ctx, method, path, ops.Confirmation{Confirm: true}, &ops.ActionResult{}); err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "%s dead letter %d.\n", done, seq)
	return err
}

func (c *client) replayAll(ctx context.Context, yes bool, in *bufio.Reader, out io.Writer) error {
	if !yes {
		var l ops.DeadLetterList
		if err := c.call(ctx, http.MethodGet, "/ops/api/dead-letters", nil, &l); err != nil {
			return err
		}
		if l.Count == 0 {
			_, err := fmt.Fprintln(out, "No dead letters to replay.")
			return err
		}
		q := fmt.Sprintf("Replay all %d dead %s back to where they came from?", l.Count, plural(l.Count, "letter", "letters"))
		if ok, err := confirm(q, in, out); err != nil || !ok {
			return err
		}
	}
	var res ops.ReplayAllResult
	if err := c.call(ctx, http.MethodPost, "/ops/api/dead-letters/replay-all", ops.Confirmation{Confirm: true}, &res); err != nil {
		return err
	}
	fmt.Fprintf(out, "Replayed %d, failed %d.\n", res.Replayed, res.Failed)
	for _, f := range res.Failures {
		fmt.Fprintf(out, "  %d: %s\n", f.Seq, f.Reason)
	}
	if res.Failed > 0 {
		return fmt.Errorf("%d of %d replays failed", res.Failed, res.Failed+res.Replayed)
	}
	return nil
}

// confirm asks q and reports whether the answer was "yes"; anything else changes nothing.
func confirm(q string, in *bufio.Reader, out io.Writer) (bool, error) {
	fmt.Fprintf(out, "%s\nType yes to go ahead: ", q)
	line, err := in.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("reading the answer: %w", err)
	}
	if strings.EqualFold(strings.TrimSpace(line), "yes") {
		return true, nil
	}
	_, err = fmt.Fprintln(out, "\nNothing changed.")
	return false, err
}

func (c *client) get(ctx context.Context, seq uint64) (ops.DeadLetter, error) {
	var d ops.DeadLetter
	err := c.call(ctx, http.MethodGet, fmt.Sprintf("/ops/api/dead-letters/%d", seq), nil, &d)
	return d, err
}

// call sends body as JSON (when not nil) and decodes a 2xx answer into into; a problem+json
// answer becomes an error carrying its detail.
func (c *client) call(ctx context.Context, method, path string, body, into any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return fmt.Errorf("OPS_URL %q is not a usable address: %w", c.base, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json, application/problem+json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach the operations service at %s (set OPS_URL if it is elsewhere): %w", c.base, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return fmt.Errorf("reading the answer from %s: %w", c.base, err)
	}
	if resp.StatusCode/100 != 2 {
		var p struct{ Title, Detail string }
		if json.Unmarshal(raw, &p) == nil && p.Detail != "" {
			return fmt.Errorf("%s: %s", p.Title, p.Detail)
		}
		return fmt.Errorf("%s %s answered %s", method, path, resp.Status)
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return fmt.Errorf("the answer from %s %s is not what dlq expects (is OPS_URL the operations service?): %w", method, path, err)
	}
	return nil
}

func parseSeq(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("SEQ must be a whole number above 0, as listed by dlq list (got %q)", s)
	}
	return n, nil
}

// oneLine keeps a reason on one line, cut to max runes when max > 0.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); max > 0 && len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
