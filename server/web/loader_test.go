package web

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"kessai/widget"
)

var update = flag.Bool("update", false, "rewrite testdata/loader-defines.json")

// TestLoaderDefinesFile keeps testdata/loader-defines.json, which the Node
// test of the loader (embed/static/checkout.test.js) runs the source with,
// equal to what the server builds the loader with; it also holds what
// widget says a blocked frame reports, for the Node test to compare.
func TestLoaderDefinesFile(t *testing.T) {
	defines, err := loaderDefines()
	if err != nil {
		t.Fatal(err)
	}
	blocked, down := map[string]any{}, map[string]any{}
	for key, l := range map[string]widget.Locale{"ja": widget.LocaleJA, "en": widget.LocaleEN} {
		o := widget.BlockedFrame(l)
		blocked[key] = map[string]any{"detail": o.Failure, "reject": o.SubmitError(l)}
		o = widget.UnreachableFrame(l)
		down[key] = map[string]any{"detail": o.Failure, "reject": o.SubmitError(l)}
	}
	got, err := json.MarshalIndent(map[string]any{"K": defines, "blocked": blocked, "unreachable": down}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	const file = "testdata/loader-defines.json"
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date: go test ./server/web -run TestLoaderDefinesFile -update", file)
	}
}

// TestLoaderBuilt checks that the served loader is the minified source with
// every constant replaced and no global of its own beside UnivapayCheckout.
func TestLoaderBuilt(t *testing.T) {
	js, err := renderLoader()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"K.", "\n  "} {
		if bytes.Contains(js, []byte(s)) {
			t.Errorf("loader contains %q", s)
		}
	}
	if !bytes.HasPrefix(js, []byte("(function(")) {
		t.Errorf("loader starts %q, want one function expression (no globals)", js[:20])
	}
	if !bytes.Contains(js, []byte(`"`+string(widget.MsgReady)+`"`)) {
		t.Errorf("loader lacks the ready message's name")
	}
}
