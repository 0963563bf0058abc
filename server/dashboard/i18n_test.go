package dashboard

import (
	"io/fs"
	"regexp"
	"testing"
)

// TestCatalogue: every text has both languages, and every key a template
// asks for by name is in the catalogue.
func TestCatalogue(t *testing.T) {
	for key := range catalogue["en"] {
		if catalogue["ja"][key] == "" {
			t.Errorf("%q has no Japanese text", key)
		}
	}
	for key := range catalogue["ja"] {
		if catalogue["en"][key] == "" {
			t.Errorf("%q has no English text", key)
		}
	}
	names, _ := fs.Glob(files, "templates/*.html")
	re := regexp.MustCompile(`\.T "([^"]+)"`)
	for _, n := range names {
		b, _ := fs.ReadFile(files, n)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if catalogue["en"][m[1]] == "" {
				t.Errorf("%s asks for %q, not in the catalogue", n, m[1])
			}
		}
	}
}
