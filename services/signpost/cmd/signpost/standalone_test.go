package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/bustest"
	"github.com/signpost/signpost/shared/storetest"
)

// TestEachServiceRunsAloneAgainstExternalNATSAndPostgres builds the four service binaries and runs
// each as its own process against a NATS server on a TCP port and the test's Postgres database,
// then sends a submission through them.
func TestEachServiceRunsAloneAgainstExternalNATSAndPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds four binaries; skipped with -short")
	}
	_, dsn := storetest.New(t)
	natsURL := os.Getenv("NATS_URL")
	if natsURL == "" {
		addr := freeAddr(t)
		ns, err := bus.StartEmbedded(t.TempDir(), addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(ns.Shutdown)
		natsURL = "nats://" + addr
	}
	prefix := "standalone" + fmt.Sprint(time.Now().UnixNano()%1e6)
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin+"/",
		"github.com/signpost/signpost/services/ingest/cmd/ingest",
		"github.com/signpost/signpost/services/classifier/cmd/classifier",
		"github.com/signpost/signpost/services/notifier/cmd/notifier",
		"github.com/signpost/signpost/services/inbox/cmd/inbox",
		"github.com/signpost/signpost/services/inbox/cmd/inboxadmin")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	addrs := map[string]string{}
	for _, svc := range []string{"ingest", "classifier", "notifier", "inbox"} {
		addrs[svc] = freeAddr(t)
		cmd := exec.Command(filepath.Join(bin, svc))
		cmd.Env = append(os.Environ(), "NATS_URL="+natsURL, "DATABASE_URL="+dsn, "HTTP_ADDR="+addrs[svc],
			"NATS_PREFIX="+prefix, "LOG_LEVEL=warn")
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		drained := make(chan struct{})
		go func() { // keep the pipe drained; show why a service died
			defer close(drained)
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				t.Logf("%s: %s", svc, sc.Text())
			}
		}()
		t.Cleanup(func() {
			_ = cmd.Process.Signal(os.Interrupt)
			done := make(chan error, 1)
			go func() { <-drained; done <- cmd.Wait() }() // all reads before Wait, as os/exec requires
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("%s did not stop cleanly on SIGINT: %v", svc, err)
				}
			case <-time.After(20 * time.Second):
				_ = cmd.Process.Kill()
				t.Errorf("%s did not stop within 20s of SIGINT", svc)
			}
		})
		bustest.WaitFor(t, svc+" to be ready", func() bool {
			resp, err := http.Get("http://" + addrs[svc] + "/readyz")
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
	}
	// A person of the organisation, and their API token, made with the command line.
	admin := func(args ...string) string {
		cmd := exec.Command(filepath.Join(bin, "inboxadmin"), args...)
		cmd.Env = append(os.Environ(), "DATABASE_URL="+dsn)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("inboxadmin %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	admin("organisation", "create", "trent-meadows-stretton")
	admin("user", "create", "-organisation", "trent-meadows-stretton", "-email", "pm@trent.example", "-generate")
	token := admin("token", "create", "-email", "pm@trent.example")
	resp, err := http.Post("http://"+addrs["ingest"]+"/v1/submissions", "application/json",
		strings.NewReader(`{"practice":"stretton-medical-centre","channel":"complaint_form","text":"Nobody rang me back about my referral"}`))
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("submit: %v %v", err, resp)
	}
	var a struct {
		ItemID string `json:"item_id"`
	}
	decode(t, resp, &a)
	bustest.WaitFor(t, "the case to appear in the inbox service", func() bool {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet,
			"http://"+addrs["inbox"]+"/v1/organisations/trent-meadows-stretton/items/"+a.ItemID, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		var v itemView
		decode(t, resp, &v)
		return resp.StatusCode == http.StatusOK && v.Actions.ComplaintCase != nil
	})
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
