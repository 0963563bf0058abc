// Package pgtest starts a throwaway PostgreSQL server for tests
// (docs/postgres.md, "Tests"): Debian's postgresql binaries
// (/usr/lib/postgresql/*/bin, or initdb and postgres on the PATH), a
// cluster made by initdb in a temporary directory, and the server listening
// only on a Unix socket in that directory. Under root the server runs as
// the user postgres (or nobody), as PostgreSQL refuses to run as root.
//
// The server starts on the first Database call of a test binary and serves
// all its tests; each Database is a new, empty database, dropped when its
// test ends. A package that uses pgtest calls Main from its TestMain so that
// the server is stopped and its directory removed after the tests; the
// server also dies with the test binary.
//
// When PostgreSQL cannot be started, Database fails the test: it never
// skips.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// port only names the socket file (.s.PGSQL.<port>): the server listens
// on no TCP port.
const port = 5432

// server is the running PostgreSQL server of this test binary.
type server struct {
	dir   string // the temporary directory: data/, the socket, the log
	cmd   *exec.Cmd
	exit  chan struct{} // closed when the server process ends
	admin *pgxpool.Pool // to the postgres database, for CREATE DATABASE
	n     atomic.Int64  // databases created
}

var (
	mu      sync.Mutex
	running *server
	failed  error
)

// Database returns the URL of a new, empty database on the test server,
// starting the server on first use, and drops the database when t ends
// (after t's other clean-ups). It fails t if PostgreSQL cannot be started.
// Options are appended to CREATE DATABASE (for example "TEMPLATE template0
// LOCALE_PROVIDER icu ICU_LOCALE 'en-US'" for another collation); the
// default database is UTF-8 in the C.UTF-8 locale.
func Database(t testing.TB, options ...string) string {
	t.Helper()
	s, err := get()
	if err != nil {
		t.Fatalf("pgtest: PostgreSQL did not start: %v", err)
	}
	name := fmt.Sprintf("kessai_test_%d", s.n.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := s.admin.Exec(ctx, strings.Join(append([]string{"CREATE DATABASE", name}, options...), " ")); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := s.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database: %v", err)
		}
	})
	return s.url(name)
}

// Main runs the tests of a package that uses Database and then stops the
// server: call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if err := Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
	}
	os.Exit(code)
}

// Stop stops the server, if one was started, and removes its directory.
func Stop() error {
	mu.Lock()
	defer mu.Unlock()
	if running == nil {
		return nil
	}
	s := running
	running = nil
	s.admin.Close()
	return s.stop()
}

// url is the URL of database name: the socket directory as host.
func (s *server) url(name string) string {
	q := url.Values{"host": {s.dir}, "port": {strconv.Itoa(port)}, "sslmode": {"disable"}}
	return "postgres://postgres@/" + name + "?" + q.Encode()
}

// get returns the running server, starting it on first use. A failed
// start is not retried: every later test fails with the same error.
func get() (*server, error) {
	mu.Lock()
	defer mu.Unlock()
	if running != nil || failed != nil {
		return running, failed
	}
	s, err := start()
	if err != nil {
		failed = err
		return nil, err
	}
	running = s
	return s, nil
}

// binDir finds the directory of initdb and postgres: the PATH's, or the
// newest of Debian's /usr/lib/postgresql/<version>/bin.
func binDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "postgres")); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	version := func(d string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(d)), 64)
		return v
	}
	slices.SortFunc(dirs, func(a, b string) int { return int(version(b)*100 - version(a)*100) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("no initdb found on the PATH or in /usr/lib/postgresql/*/bin: install Debian's postgresql package (make test does)")
}

// runAs returns the credential the server runs with: nil when the tests do
// not run as root, else the user postgres or, failing that, nobody.
func runAs() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil {
			continue
		}
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
	}
	return nil, errors.New("running as root, and neither user postgres nor nobody exists to run PostgreSQL as")
}

// command is name in bin run as cred, its output appended to log.
func command(bin string, cred *syscall.Credential, log *os.File, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(bin, name), args...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Dir = "/"
	// The server dies with the test binary (SIGQUIT: immediate shutdown),
	// even when it cannot stop it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true, Pdeathsig: syscall.SIGQUIT}
	return cmd
}

func start() (_ *server, err error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	cred, err := runAs()
	if err != nil {
		return nil, err
	}
	removeStale()
	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir, exit: make(chan struct{})}
	defer func() {
		if err != nil {
			s.stop()
		}
	}()
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, err
		}
	}
	logPath := filepath.Join(dir, "postgres.log")
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer log.Close()
	logTail := func() string {
		b, _ := os.ReadFile(logPath)
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		return strings.Join(lines[max(0, len(lines)-15):], "\n")
	}

	data := filepath.Join(dir, "data")
	initdb := command(bin, cred, log, "initdb", "--pgdata="+data, "--username=postgres", "--auth=trust",
		"--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
	if err := initdb.Run(); err != nil {
		return nil, fmt.Errorf("initdb: %v\n%s", err, logTail())
	}
	// A throwaway server: no TCP, no durability, room for the pools of
	// parallel tests.
	s.cmd = command(bin, cred, log, "postgres", "-D", data, "-k", dir, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=300", "-c", "shared_buffers=32MB")
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("postgres: %v", err)
	}
	go func() {
		s.cmd.Wait()
		close(s.exit)
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, s.url("postgres"))
		if err == nil {
			conn.Close(ctx)
			break
		}
		select {
		case <-s.exit:
			return nil, fmt.Errorf("postgres exited: %v\n%s", s.cmd.ProcessState, logTail())
		case <-ctx.Done():
			return nil, fmt.Errorf("postgres did not accept connections within a minute: %v\n%s", err, logTail())
		case <-time.After(50 * time.Millisecond):
		}
	}
	s.admin, err = pgxpool.New(context.Background(), s.url("postgres"))
	if err != nil {
		return nil, err
	}
	return s, nil
}

// dirPrefix starts the names of the servers' temporary directories.
const dirPrefix = "kessai-pg-"

// removeStale removes the directories left by test binaries that were
// killed: older than an hour, with no live server in them.
func removeStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, d := range dirs {
		fi, err := os.Stat(d)
		if err != nil || time.Since(fi.ModTime()) < time.Hour {
			continue
		}
		if b, err := os.ReadFile(filepath.Join(d, "data", "postmaster.pid")); err == nil {
			line, _, _ := strings.Cut(string(b), "\n")
			if pid, err := strconv.Atoi(strings.TrimSpace(line)); err == nil && syscall.Kill(pid, 0) == nil {
				continue
			}
		}
		os.RemoveAll(d)
	}
}

// stop stops the server (fast shutdown, then a kill) and removes its
// directory.
func (s *server) stop() error {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-s.exit:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
			<-s.exit
		}
	}
	return os.RemoveAll(s.dir)
}
