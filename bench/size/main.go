// Command size prints what the merchant page and the widget iframe
// download: the loader's and the wasm's raw, gzip and brotli sizes against
// their budgets (docs/performance.md, "Loader" and "Wasm"), and where the
// wasm's bytes go, by Go package.
//
// Usage: go run ./bench/size [-wasm embed/web/app.wasm] [-symbols FILE]
//
// The breakdown reads function names from the wasm's "name" section, which
// the shipped build strips (-ldflags=-s): -symbols names a build of the same
// sources without -s (make bench-size builds one). Go's wasm linker has no
// symbol table `go tool nm` can read, so this command walks the binary's
// sections itself.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"

	"kessai/server/web"
)

// The budgets of docs/performance.md, in bytes of brotli.
const (
	loaderBudget = 2048
	wasmBudget   = 1_200_000
)

func main() {
	wasmPath := flag.String("wasm", "embed/web/app.wasm", "the shipped wasm")
	symbols := flag.String("symbols", "", "the same wasm built without -s, for the breakdown by package")
	top := flag.Int("top", 30, "packages listed in the breakdown")
	flag.Parse()

	loader, err := web.Loader()
	if err != nil {
		fail(err)
	}
	wasm, err := os.ReadFile(*wasmPath)
	if err != nil {
		fail(err)
	}
	fmt.Printf("%-24s %12s %12s %12s %12s  %s\n", "asset", "raw", "gzip -9", "brotli 11", "budget (br)", "")
	row("client/checkout.js", loader, loaderBudget)
	row("app.wasm", wasm, wasmBudget)

	if *symbols == "" {
		return
	}
	b, err := os.ReadFile(*symbols)
	if err != nil {
		fail(err)
	}
	m, err := parseWasm(b)
	if err != nil {
		fail(err)
	}
	fmt.Println()
	loadPackages()
	breakdown(m, *top)
}

func row(name string, b []byte, budget int) {
	br := brotliLen(b)
	verdict := "ok"
	if br > budget {
		verdict = fmt.Sprintf("OVER by %d", br-budget)
	}
	fmt.Printf("%-24s %12d %12d %12d %12d  %s\n", name, len(b), gzipLen(b), br, budget, verdict)
}

func gzipLen(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

func brotliLen(b []byte) int {
	var buf bytes.Buffer
	// As embed/precompress writes the served file.
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 24})
	w.Write(b)
	w.Close()
	return buf.Len()
}

// breakdown prints the code bytes of each package, the data segments and
// the rest of the module. The gzip column compresses each package's code on
// its own: an upper bound of what the package costs on the wire.
func breakdown(m *module, top int) {
	type pkg struct {
		name       string
		code, n    int
		compressed int
		bodies     [][]byte
	}
	by := map[string]*pkg{}
	codeTotal := 0
	for _, f := range m.funcs {
		p := by[packageOf(f.name)]
		if p == nil {
			p = &pkg{name: packageOf(f.name)}
			by[p.name] = p
		}
		p.code += len(f.body)
		p.n++
		p.bodies = append(p.bodies, f.body)
		codeTotal += len(f.body)
	}
	list := make([]*pkg, 0, len(by))
	for _, p := range by {
		p.compressed = gzipLen(bytes.Join(p.bodies, nil))
		list = append(list, p)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].code > list[j].code })

	fmt.Printf("wasm by section: code %d, data %d, names %d, other %d (of %d bytes; the breakdown build)\n",
		codeTotal, m.data, m.names, m.size-codeTotal-m.data-m.names, m.size)
	fmt.Printf("\ncode by package (top %d of %d)\n", top, len(list))
	fmt.Printf("%-56s %6s %10s %7s %10s\n", "package", "funcs", "code", "share", "gzip alone")
	groups := map[string]int{}
	for i, p := range list {
		groups[group(p.name)] += p.code
		if i < top {
			fmt.Printf("%-56s %6d %10d %6.1f%% %10d\n", p.name, p.n, p.code, 100*float64(p.code)/float64(codeTotal), p.compressed)
		}
	}
	fmt.Printf("\ncode by origin\n")
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return groups[keys[i]] > groups[keys[j]] })
	for _, k := range keys {
		fmt.Printf("%-56s %17d %6.1f%%\n", k, groups[k], 100*float64(groups[k])/float64(codeTotal))
	}
}

// packages maps the wasm linker's spelling of an import path ("/" and "-"
// written "_": github.com_maxence_charriere_go_app_v10_pkg_app) back to the
// path, for the packages the wasm links.
var packages = map[string]string{}

func loadPackages() {
	cmd := exec.Command("go", "list", "-deps", "./wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		return // the mangled names are printed instead
	}
	for _, p := range strings.Fields(string(out)) {
		packages[strings.NewReplacer("/", "_", "-", "_").Replace(p)] = p
	}
}

// packageOf is the import path of a symbol of the name section, such as
// "github.com_google_uuid.Parse", "net_http.init.0" or "type:.eq.foo".
func packageOf(sym string) string {
	if strings.HasPrefix(sym, "type:") || strings.HasPrefix(sym, "go:") {
		return "(runtime type helpers)"
	}
	best := ""
	for k := range packages {
		if len(k) > len(best) && strings.HasPrefix(sym, k+".") {
			best = k
		}
	}
	if best != "" {
		return packages[best]
	}
	if dot := strings.Index(sym, "."); dot > 0 {
		return sym[:dot]
	}
	return sym
}

// group names where a package comes from: ours, go-app, the standard
// library's big families.
func group(p string) string {
	switch {
	case strings.HasPrefix(p, "kessai/"):
		return "kessai (our code)"
	case strings.HasPrefix(p, "github.com/maxence-charriere/go-app"):
		return "go-app"
	case strings.Contains(p, "."):
		return p
	case strings.HasPrefix(p, "net/http") || p == "net" || strings.HasPrefix(p, "net/") || strings.HasPrefix(p, "mime"):
		return "std net, net/http, mime"
	case strings.HasPrefix(p, "crypto") || strings.HasPrefix(p, "encoding/asn1") || strings.HasPrefix(p, "math/big"):
		return "std crypto, asn1, math/big"
	case strings.HasPrefix(p, "runtime") || strings.HasPrefix(p, "internal/") || strings.HasPrefix(p, "(runtime"):
		return "std runtime, internal"
	case strings.HasPrefix(p, "encoding/") || p == "reflect":
		return "std encoding, reflect"
	case p == "fmt" || p == "strconv" || strings.HasPrefix(p, "regexp") || p == "time" || p == "unicode" || p == "sort" || strings.HasPrefix(p, "compress"):
		return "std fmt, strconv, regexp, time, compress"
	}
	return "std other"
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "size:", err)
	os.Exit(1)
}
