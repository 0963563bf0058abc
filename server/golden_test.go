package server

import (
	"bytes"
	"encoding/json"
	"flag"
	"kessai/api"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var (
	goldenUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	goldenTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)
)

// normalizeGolden replaces the values that differ between runs: UUIDs by
// "<uuid>", timestamps by "<time>".
func normalizeGolden(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeGolden(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalizeGolden(e)
		}
	case string:
		switch {
		case goldenUUID.MatchString(x):
			return "<uuid>"
		case goldenTime.MatchString(x):
			return "<time>"
		}
	}
	return v
}

// assertGolden compares a JSON response body with
// testdata/golden/<name>.json (keys sorted, IDs and times normalised), the
// resource shapes of the UnivaPay documentation's examples. Run the tests
// with -update to rewrite the files, then review the diff.
func assertGolden(t *testing.T, name string, body []byte) {
	t.Helper()
	var v any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatalf("golden %s: response is not JSON: %v\n%s", name, err, body)
	}
	got, err := json.MarshalIndent(normalizeGolden(v), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", name+".json")
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run the test with -update to create it)", name, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("golden %s differs (run with -update and review the diff)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// onlyItem GETs a list that must hold one item, compares the item with
// the golden file and returns it decoded, and as sent.
func onlyItem[T any](t *testing.T, e *testEnv, path, golden string) (T, json.RawMessage) {
	t.Helper()
	l := call[api.List[json.RawMessage]](e, http.StatusOK, "GET", path, e.secretAuth(), "")
	if len(l.Items) != 1 {
		t.Fatalf("GET %s: %d items, want 1", path, len(l.Items))
	}
	assertGolden(t, golden, l.Items[0])
	var it T
	if err := json.Unmarshal(l.Items[0], &it); err != nil {
		t.Fatal(err)
	}
	return it, l.Items[0]
}
