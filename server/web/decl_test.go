package web_test

import (
	"os"
	"strings"
	"testing"
)

// /client/checkout.d.ts serves the TypeScript declarations merchants copy
// into their project: the same text as docs/checkout.d.ts, readable from
// any origin, declaring the global the loader defines.
func TestDeclarationsServed(t *testing.T) {
	h := newHandler(t, fakeDomains{})
	r := get(t, h, "/client/checkout.d.ts")
	body := readBody(t, r)
	if r.StatusCode != 200 {
		t.Fatalf("GET /client/checkout.d.ts: %d", r.StatusCode)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/typescript") {
		t.Errorf("Content-Type %q", ct)
	}
	if r.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Error("not readable from another origin (Access-Control-Allow-Origin)")
	}
	want, err := os.ReadFile("../../docs/checkout.d.ts")
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != string(want) {
		t.Error("the served declarations differ from docs/checkout.d.ts (go test ./widget/tsdecl -update)")
	}
	if !strings.Contains(string(body), "declare var UnivapayCheckout: UnivapayCheckout.Static;") {
		t.Error("the global UnivapayCheckout is not declared")
	}
}
