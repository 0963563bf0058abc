// Package archtest enforces the architecture of docs/architecture.md over
// the import graph, as Go's own deps_test.go does: `go list -deps` of each
// package may contain only what its layer allows.
package archtest

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

type pkg struct {
	ImportPath string
	Standard   bool
}

// deps returns the packages that a package imports, directly or not, for
// the given GOOS/GOARCH ("" for the host).
func deps(t *testing.T, path, goos, goarch string) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Standard", path)
	if goos != "" {
		cmd.Env = append(cmd.Environ(), "GOOS="+goos, "GOARCH="+goarch)
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", path, err)
	}
	var ps []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

func TestLayers(t *testing.T) {
	for _, c := range []struct {
		pkg, goos, goarch string
		// allowed reports whether a non-standard dependency is allowed.
		allowed func(dep string) bool
		// forbiddenStd lists standard packages the layer must not link.
		forbiddenStd []string
	}{
		{pkg: "kessai/api", allowed: func(d string) bool { return d == "kessai/api" },
			forbiddenStd: []string{"net/http", "syscall/js"}},
		{pkg: "kessai/widget", allowed: func(d string) bool { return d == "kessai/api" || d == "kessai/widget" },
			forbiddenStd: []string{"net/http", "syscall/js"}},
		// The TypeScript generator reads the widget's tables and types only.
		{pkg: "kessai/widget/tsdecl", allowed: func(d string) bool {
			return d == "kessai/api" || d == "kessai/widget" || d == "kessai/widget/tsdecl"
		}, forbiddenStd: []string{"net/http", "syscall/js"}},
		{pkg: "kessai/server/domain", allowed: func(d string) bool { return d == "kessai/api" || d == "kessai/server/domain" },
			forbiddenStd: []string{"net/http", "database/sql"}},
		{pkg: "kessai/server/sqlstore", allowed: func(d string) bool {
			return d == "kessai/api" || d == "kessai/server/domain" || d == "kessai/server/sqlstore"
		}, forbiddenStd: []string{"net/http", "database/sql"}},
		// The dashboard is a client of the API: it never reaches into the
		// server's rules or storage.
		{pkg: "kessai/server/dashboard", allowed: func(d string) bool {
			return !strings.HasPrefix(d, "kessai/") || d == "kessai/api" || d == "kessai/server/dashboard"
		}},
		{pkg: "kessai/server", allowed: func(d string) bool {
			return !strings.HasPrefix(d, "kessai/") || d == "kessai/api" || strings.HasPrefix(d, "kessai/server")
		}},
		{pkg: "kessai/wasm", goos: "js", goarch: "wasm", allowed: func(d string) bool {
			return !strings.HasPrefix(d, "kessai/") || d == "kessai/api" || d == "kessai/widget" || d == "kessai/wasm"
		}},
	} {
		t.Run(c.pkg, func(t *testing.T) {
			for _, d := range deps(t, c.pkg, c.goos, c.goarch) {
				if d.Standard {
					for _, f := range c.forbiddenStd {
						if d.ImportPath == f {
							t.Errorf("%s links %s", c.pkg, f)
						}
					}
					continue
				}
				if !c.allowed(d.ImportPath) {
					t.Errorf("%s depends on %s", c.pkg, d.ImportPath)
				}
			}
		})
	}
}
