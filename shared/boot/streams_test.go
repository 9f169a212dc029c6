package boot_test

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/config"
	"github.com/signpost/signpost/shared/policy"
)

// policyDir writes the shipped examples with retention_days replaced per organisation.
func policyDir(t *testing.T, days map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(policy.Examples(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(policy.Examples(), p)
		if err != nil {
			return err
		}
		text := string(raw)
		if v, ok := days[strings.TrimSuffix(p, ".json")]; ok {
			text = strings.Replace(text, `"retention_days": 3653`, `"retention_days": `+v, 1)
		}
		return os.WriteFile(filepath.Join(dir, p), []byte(text), 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func open(t *testing.T, env map[string]string) (*boot.System, error) {
	t.Helper()
	env["DATA_DIR"], env["HTTP_ADDR"], env["LOG_LEVEL"] = t.TempDir(), "127.0.0.1:0", "error"
	if url := os.Getenv("NATS_URL"); url != "" {
		env["NATS_URL"], env["NATS_PREFIX"] = url, "boot"+strings.ReplaceAll(time.Now().Format("150405.000000"), ".", "")
	}
	s := boot.Read(config.New(func(k string) string { return env[k] }), "boot-test", "127.0.0.1:0", "")
	sys, err := boot.Open(context.Background(), s, boot.Needs{NATS: true, EmbeddedNATS: true}, io.Discard)
	if err == nil {
		t.Cleanup(func() { _ = sys.Stop(context.Background()) })
	}
	return sys, err
}

func TestStreamsKeepNothingLongerThanTheShortestRetention(t *testing.T) {
	sys, err := open(t, map[string]string{"POLICY_DIR": policyDir(t, map[string]string{
		"charlton-medical-centre": "400", "trent-meadows-stretton": "90"})})
	if err != nil {
		t.Fatal(err)
	}
	nc, err := sys.Connect("boot-test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	topo := sys.Settings.Topology
	for _, name := range []string{topo.FeedbackStream(), topo.DeadLetterStream()} {
		st, err := js.Stream(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.CachedInfo().Config.MaxAge; got != 90*24*time.Hour {
			t.Errorf("stream %s keeps messages for %v, want 90 days (Trent Meadows' retention, the shortest)", name, got)
		}
	}
}

func TestADuplicateWindowLongerThanTheRetentionIsRefused(t *testing.T) {
	_, err := open(t, map[string]string{"POLICY_DIR": policyDir(t, map[string]string{"trent-meadows-stretton": "30"}),
		"BUS_DUPLICATE_WINDOW": "1000h"})
	if err == nil || !strings.Contains(err.Error(), "duplicate window") || !strings.Contains(err.Error(), "720h") {
		t.Errorf("error %v, want the duplicate window refused against the 30-day retention", err)
	}
}
