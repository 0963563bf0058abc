package server

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// endpointsDoc renders the route table as docs/endpoints.md.
func endpointsDoc(routes []Route) string {
	var b strings.Builder
	b.WriteString("# Endpoints\n\n")
	b.WriteString("Generated from the server's route table by `go test ./server -run TestEndpointsDoc -update`;\n")
	b.WriteString("do not edit by hand. \"Browser\" routes may be called with the app token alone (the widget, domain-checked);\n")
	b.WriteString("the others need `Authorization: Bearer {secret}.{jwt}`. The rules behind them are in\n")
	b.WriteString("[sandbox-api.md](sandbox-api.md) and the documents it links.\n\n")
	b.WriteString("| method | path | browser | what it does |\n|---|---|---|---|\n")
	for _, r := range routes {
		method, path, _ := strings.Cut(r.Pattern, " ")
		browser := ""
		if r.Public {
			browser = "yes"
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", method, path, browser, r.Summary)
	}
	return b.String()
}

// The endpoint list in docs/ is the route table: a route without a summary,
// or a doc that lags behind the code, fails.
func TestEndpointsDoc(t *testing.T) {
	e := newEnv(t)
	routes := e.s.Routes()
	for _, r := range routes {
		if strings.TrimSpace(r.Summary) == "" {
			t.Errorf("route %s has no summary", r.Pattern)
		}
	}
	got := endpointsDoc(routes)
	path := filepath.Join("..", "docs", "endpoints.md")
	if *updateGolden {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil || string(want) != got {
		t.Errorf("docs/endpoints.md is out of date: run go test ./server -run TestEndpointsDoc -update")
	}
}
