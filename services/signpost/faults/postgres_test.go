package faults

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
)

// cluster is a Postgres server of this package's own, which a test may stop and start: the
// shared one at DATABASE_URL serves every other package and must never be touched.
type cluster struct {
	dir  string // data directory
	port int
	bin  string // directory of initdb and pg_ctl
}

var own struct {
	once sync.Once
	c    *cluster
	err  error
}

// ownPostgres starts the package's cluster the first time it is asked for (initdb takes a
// moment, so once per package run), and returns it.
func ownPostgres(t *testing.T) *cluster {
	t.Helper()
	own.once.Do(func() { own.c, own.err = newCluster() })
	if own.err != nil {
		t.Fatalf("a Postgres cluster of the test's own (`make test` installs the server binaries): %v", own.err)
	}
	return own.c
}

// stopOwnPostgres stops the package's cluster, if one was started, and removes it.
func stopOwnPostgres() {
	if own.c == nil {
		return
	}
	_ = own.c.pgctl("stop", "-m", "immediate")
	_ = os.RemoveAll(filepath.Dir(own.c.dir))
}

func newCluster() (*cluster, error) {
	bin, err := postgresBin()
	if err != nil {
		return nil, err
	}
	parent, err := os.MkdirTemp("", "signpost-faults-pg-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(parent, 0o755); err != nil { // the postgres user must reach its data directory
		return nil, err
	}
	c := &cluster{dir: filepath.Join(parent, "data"), bin: bin}
	if err := os.Mkdir(c.dir, 0o700); err != nil {
		return nil, err
	}
	if os.Getuid() == 0 {
		if out, err := exec.Command("chown", "-R", "postgres", c.dir).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("give the data directory to the postgres user: %v\n%s", err, out)
		}
	}
	if out, err := c.asOwner(exec.Command(filepath.Join(bin, "initdb"), "-D", c.dir, "-U", "postgres", "--auth=trust",
		"-E", "UTF8", "--no-locale")).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return c, c.start()
}

// URL is the address of database name on the cluster.
func (c *cluster) URL(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, name)
}

// Addr is the cluster's host:port.
func (c *cluster) Addr() string { return "127.0.0.1:" + strconv.Itoa(c.port) }

// start starts the server on its port and waits until it accepts connections. Durability to the
// disk is off (fsync): a process crash loses nothing committed; only the machine's would.
func (c *cluster) start() error {
	return c.pgctl("start", "-w", "-t", "60", "-l", filepath.Join(c.dir, "server.log"), "-o",
		fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", c.port, c.dir))
}

// crash stops the server the way a crash would: no checkpoint, every connection dropped.
func (c *cluster) crash() error { return c.pgctl("stop", "-m", "immediate", "-w") }

func (c *cluster) pgctl(args ...string) error {
	out, err := c.asOwner(exec.Command(filepath.Join(c.bin, "pg_ctl"), append([]string{"-D", c.dir}, args...)...)).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl %v: %v\n%s", args, err, out)
	}
	return nil
}

// asOwner runs cmd as the postgres user when the tests run as root (Postgres refuses root).
func (c *cluster) asOwner(cmd *exec.Cmd) *exec.Cmd {
	if os.Getuid() != 0 {
		return cmd
	}
	return exec.Command("runuser", append([]string{"-u", "postgres", "--"}, cmd.Args...)...)
}

// postgresBin finds the newest installed server binaries.
func postgresBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("no initdb found in /usr/lib/postgresql/*/bin or on PATH")
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}
