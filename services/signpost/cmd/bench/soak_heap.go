package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/pprof/profile"
)

// heapProfile is the pipeline's live heap (a collection runs first) from its DEBUG_ADDR.
func heapProfile(ctx context.Context, debugURL string) (*profile.Profile, error) {
	raw, err := debugGet(ctx, debugURL+"/debug/pprof/heap?gc=1")
	if err != nil {
		return nil, fmt.Errorf("heap profile: %w", err)
	}
	return profile.Parse(bytes.NewReader(raw))
}

// debugGet is what a process's DEBUG_ADDR answers at url (a profile).
func debugGet(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s: %s", url, resp.Status)
	}
	return raw, err
}

// heapAt takes a heap profile at the given time; the channel gets it, or nil if it could not.
func heapAt(ctx context.Context, debugURL string, at time.Time, progress io.Writer) <-chan *profile.Profile {
	out := make(chan *profile.Profile, 1)
	go func() {
		select {
		case <-time.After(time.Until(at)):
		case <-ctx.Done():
			out <- nil
			return
		}
		p, err := heapProfile(ctx, debugURL)
		if err != nil {
			fmt.Fprintf(progress, "soak: %v\n", err)
		}
		out <- p
	}()
	return out
}

// site names where a sample was allocated: the innermost function and, where that is not
// Signpost's own, the innermost Signpost function that called it.
func site(s *profile.Sample) string {
	var funcs []string
	for _, loc := range s.Location {
		for _, l := range loc.Line { // innermost first, inlined calls included
			if l.Function != nil {
				funcs = append(funcs, l.Function.Name)
			}
		}
	}
	if len(funcs) == 0 {
		return "?"
	}
	own := func(f string) bool { return strings.HasPrefix(f, "github.com/signpost/") }
	if own(funcs[0]) {
		return funcs[0]
	}
	if i := slices.IndexFunc(funcs, own); i > 0 {
		return funcs[0] + " (from " + funcs[i] + ")"
	}
	return funcs[0]
}

// heapGrowth is where live heap grew between two profiles: bytes in use by allocation site (the
// innermost function), largest growth first.
type heapGrowth struct {
	site  string
	bytes int64
}

// growth compares the in-use bytes of two heap profiles, by allocation site.
func growth(before, after *profile.Profile) []heapGrowth {
	by := map[string]int64{}
	add := func(p *profile.Profile, sign int64) {
		i := slices.IndexFunc(p.SampleType, func(t *profile.ValueType) bool { return t.Type == "inuse_space" })
		if i < 0 {
			return
		}
		for _, s := range p.Sample {
			by[site(s)] += sign * s.Value[i]
		}
	}
	add(before, -1)
	add(after, 1)
	var out []heapGrowth
	for site, n := range by {
		out = append(out, heapGrowth{site, n})
	}
	slices.SortFunc(out, func(a, b heapGrowth) int { return cmp.Compare(b.bytes, a.bytes) })
	return out
}
