package dashboard_test

import (
	"strings"
	"testing"
)

// No dashboard page can be framed, signed in or not (docs/threat-model.md,
// "Embedding"): a stranger cannot overlay it to steal a click.
func TestDashboardRefusesFrames(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/dashboard/signin", "/dashboard"} {
		res, err := e.client.Get(e.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || res.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: CSP %q, X-Frame-Options %q", path, csp, res.Header.Get("X-Frame-Options"))
		}
	}
}
