package faults

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binaries is the directory holding the built ingest, classifier, notifier and nats-server.
var binaries string

// TestMain builds the binaries once for every test, and stops the package's own Postgres
// cluster at the end if a test started one.
func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "signpost-faults-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := build(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	binaries = dir
	code := m.Run()
	stopOwnPostgres()
	os.RemoveAll(dir)
	os.Exit(code)
}

// build compiles the three services and the NATS server (the module the workspace already
// depends on, so the tests do not rely on one installed on the machine).
func build(dir string) error {
	for _, args := range [][]string{
		{"build", "-o", dir + string(filepath.Separator),
			"github.com/signpost/signpost/services/ingest/cmd/ingest",
			"github.com/signpost/signpost/services/classifier/cmd/classifier",
			"github.com/signpost/signpost/services/notifier/cmd/notifier"},
		{"build", "-o", filepath.Join(dir, "nats-server"), "github.com/nats-io/nats-server/v2"},
	} {
		if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
			return fmt.Errorf("go %v: %v\n%s", args, err, out)
		}
	}
	return nil
}
