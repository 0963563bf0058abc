package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"kessai/widget"
)

// TestTextKeysExist checks that every UI text key the checkout app asks for
// has a Japanese and an English text, so that no buyer ever sees a key.
func TestTextKeysExist(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`\.T\("([^"]+)"`)
	found := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			found++
			keys := []string{m[1]}
			if m[1][len(m[1])-1] == '.' { // a prefix completed with each card field
				keys = keys[:0]
				for _, cf := range cardFields {
					keys = append(keys, m[1]+cf.field)
				}
			}
			for _, k := range keys {
				for _, l := range []widget.Locale{widget.LocaleJA, widget.LocaleEN} {
					if !l.Has(k) {
						t.Errorf("%s: text %q has no %s translation", f, k, l)
					}
				}
			}
		}
	}
	if found < 10 {
		t.Fatalf("found only %d text keys; is the pattern still right?", found)
	}
}

func TestIsCSSColor(t *testing.T) {
	for in, want := range map[string]bool{
		"#fff": true, "#4C5F85": true, "#4c5f85cc": true,
		"": false, "red": false, "#12345": false, "#4c5f85;background:url(x)": false, "#ggg": false,
	} {
		if got := isCSSColor(in); got != want {
			t.Errorf("isCSSColor(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestIsFormPath(t *testing.T) {
	for path, want := range map[string]bool{
		"/forms/0190abc": true, "/forms/": false, "/forms/a/b": false, "/checkout": false, "/formsx/a": false,
	} {
		if got := isFormPath(path); got != want {
			t.Errorf("isFormPath(%q) = %v, want %v", path, got, want)
		}
	}
}
