package main

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var metricName = regexp.MustCompile(`\bsignpost_[a-z_]+`)

// usedMetrics returns every signpost_ metric the file names, histogram suffixes stripped.
func usedMetrics(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range metricName.FindAllString(string(raw), -1) {
		if strings.HasSuffix(m, "_") {
			continue // a prefix in a comment, such as signpost_jetstream_*
		}
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if strings.HasSuffix(m, "_seconds"+suffix) {
				m = strings.TrimSuffix(m, suffix)
			}
		}
		seen[m] = true
	}
	var out []string
	for m := range seen {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

func TestEveryMetricTheAlertsAndTheDashboardUseIsExported(t *testing.T) {
	s := startSystem(t, nil)
	s.submit(t, `{"practice":"charlton-medical-centre","channel":"website_review","text":"Lovely","rating":"5"}`)
	resp, err := http.Get(s.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	exported := string(body)
	files := []string{"../../../../deployments/prometheus/alerts.yml", "../../../../deployments/grafana/signpost.json"}
	for _, f := range files {
		used := usedMetrics(t, f)
		if len(used) < 5 {
			t.Errorf("%s uses only %v: the check would prove little", f, used)
		}
		for _, m := range used {
			if !strings.Contains(exported, "\n"+m+"{") && !strings.Contains(exported, "\n"+m+" ") &&
				!strings.Contains(exported, "\n"+m+"_bucket{") {
				t.Errorf("%s uses %s, which /metrics does not export", f, m)
			}
		}
	}
	if strings.Contains(exported, "Lovely") {
		t.Error("patient text in the metrics")
	}
}

func TestTheAlertRulesParse(t *testing.T) {
	promtool := os.Getenv("PROMTOOL")
	if promtool == "" {
		promtool, _ = exec.LookPath("promtool")
	}
	if promtool == "" {
		if os.Getenv("SIGNPOST_REQUIRE_TOOLS") != "" {
			t.Fatal("no promtool; `make test` installs it with scripts/ensure-promtool.sh")
		}
		t.Skip("skipped: no promtool on PATH (run `make test`, which installs it)")
	}
	for _, args := range [][]string{
		{"check", "rules", "../../../../deployments/prometheus/alerts.yml"},
		{"check", "config", "../../../../deployments/prometheus/prometheus.yml"},
		{"test", "rules", "../../../../deployments/prometheus/alerts_test.yml"},
	} {
		if out, err := exec.Command(promtool, args...).CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
