package tsdecl

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/checkout.d.ts")

// docs/checkout.d.ts is the generated declarations, checked in for
// merchants to read; it is current (`go test ./widget/tsdecl -update`
// rewrites it).
func TestCheckedInDeclarations(t *testing.T) {
	got, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "docs", "checkout.d.ts")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./widget/tsdecl -update writes it)", err)
	}
	if string(want) != got {
		t.Errorf("%s is stale: go test ./widget/tsdecl -update rewrites it", path)
	}
}
