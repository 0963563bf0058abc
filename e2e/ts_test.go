package e2e

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"kessai/widget"
)

// TestTypeScriptDeclarations type-checks, with the TypeScript compiler
// (strict), merchant code against the declarations the server serves at
// /client/checkout.d.ts (docs/widget.md, "The typed contract"):
//
//   - e2e/ts/example.ts uses every option of create(), every callback, every
//     univapay:* event, open, close and submit: it must compile;
//   - e2e/ts/mistakes.ts makes one mistake per marked line: with its
//     @ts-expect-error markers it must compile (a marker on a line without an
//     error is itself an error), and without them the compiler must report
//     an error on each marked line and nowhere else.
//
// `make e2e` installs the compiler (npm ci in e2e/ts).
func TestTypeScriptDeclarations(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not installed (make e2e installs it): %v", err)
	}
	tsc, err := filepath.Abs(filepath.Join("ts", "node_modules", "typescript", "bin", "tsc"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tsc); err != nil {
		t.Fatalf("typescript is not installed: run `make e2e` (npm ci in e2e/ts): %v", err)
	}
	resp, err := http.Get(env.widget + "/client/checkout.d.ts")
	if err != nil {
		t.Fatal(err)
	}
	decl, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /client/checkout.d.ts: %d, %v", resp.StatusCode, err)
	}
	example, err := os.ReadFile(filepath.Join("ts", "example.ts"))
	if err != nil {
		t.Fatal(err)
	}
	mistakes, err := os.ReadFile(filepath.Join("ts", "mistakes.ts"))
	if err != nil {
		t.Fatal(err)
	}
	checkExampleCoversContract(t, string(example))

	dir := t.TempDir()
	write := func(name string, b []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	config := func(files ...string) []byte {
		q := make([]string, len(files))
		for i, f := range files {
			q[i] = strconv.Quote(f)
		}
		return []byte(`{"compilerOptions": {"strict": true, "noEmit": true, "target": "es2020", "lib": ["es2020", "dom"], "types": []},
  "files": [` + strings.Join(q, ", ") + `]}`)
	}
	write("checkout.d.ts", decl)
	write("example.ts", example)
	write("mistakes.ts", mistakes)
	stripped, marked := stripMarkers(string(mistakes))
	write("stripped.ts", []byte(stripped))
	write("tsconfig.json", config("checkout.d.ts", "example.ts", "mistakes.ts"))
	write("tsconfig.stripped.json", config("checkout.d.ts", "stripped.ts"))
	if len(marked) < 10 {
		t.Fatalf("mistakes.ts marks %d mistakes; it should make at least 10", len(marked))
	}

	run := func(configFile string) (string, error) {
		cmd := exec.Command(node, tsc, "-p", filepath.Join(dir, configFile), "--pretty", "false")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run("tsconfig.json"); err != nil {
		t.Fatalf("example.ts and mistakes.ts (with its markers) do not compile: %v\n%s", err, out)
	}
	out, err := run("tsconfig.stripped.json")
	if err == nil {
		t.Fatalf("mistakes.ts without its markers compiles: the declarations accept the mistakes\n%s", out)
	}
	errLine := regexp.MustCompile(`(?m)^(.*?)\((\d+),\d+\): error (TS\d+)`)
	got := map[int]bool{}
	for _, m := range errLine.FindAllStringSubmatch(out, -1) {
		if !strings.HasSuffix(m[1], "stripped.ts") {
			t.Errorf("an error outside the mistakes: %s", m[0])
			continue
		}
		n, _ := strconv.Atoi(m[2])
		got[n] = true
	}
	for _, n := range marked {
		if !got[n] {
			t.Errorf("mistakes.ts: the mistake on line %d (without markers) is not a type error", n)
		}
		delete(got, n)
	}
	for n := range got {
		t.Errorf("mistakes.ts: an error on line %d (without markers), which is no marked mistake", n)
	}
	if t.Failed() {
		t.Logf("tsc:\n%s", out)
	}
}

// stripMarkers removes the @ts-expect-error lines and returns the numbers
// of the lines (in the result) that follow each.
func stripMarkers(src string) (string, []int) {
	var out []string
	var marked []int
	for _, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "// @ts-expect-error") {
			marked = append(marked, len(out)+1)
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n"), marked
}

// checkExampleCoversContract fails when example.ts does not use an option of
// the parameter table (JS names and aliases), a callback or an event, so a
// parameter added to the table is type-checked too.
func checkExampleCoversContract(t *testing.T, src string) {
	t.Helper()
	for _, p := range widget.Params() {
		for _, name := range p.OptionNames() {
			if !regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(name) + `:`).MatchString(src) {
				t.Errorf("example.ts does not use the option %s", name)
			}
		}
	}
	for _, e := range widget.Events() {
		if !strings.Contains(src, strconv.Quote(e.Name)) {
			t.Errorf("example.ts does not listen to %s", e.Name)
		}
		if !slices.ContainsFunc(strings.Split(src, "\n"), func(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), e.Callback+":") }) {
			t.Errorf("example.ts does not use the callback %s", e.Callback)
		}
	}
	for _, m := range []string{"checkout.open()", "checkout.close()", "UnivapayCheckout.submit(", ".submit()"} {
		if !strings.Contains(src, m) {
			t.Errorf("example.ts does not call %s", m)
		}
	}
}
