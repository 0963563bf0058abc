package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestDoubleSlashFix(t *testing.T) {
	for _, tt := range []struct {
		name, target      string
		wantPath, wantRaw string
		wantQuery         string
	}{
		{"clean path untouched", "/stores/s/charges", "/stores/s/charges", "", ""},
		{"root", "/", "/", "", ""},
		{"leading double", "//charges", "/charges", "", ""},
		{"inner double", "/stores//s/charges", "/stores/s/charges", "", ""},
		{"runs of slashes", "///stores///s////charges", "/stores/s/charges", "", ""},
		{"trailing double", "/tokens//", "/tokens/", "", ""},
		{"query kept", "//charges?limit=20&metadata=a://b", "/charges", "", "limit=20&metadata=a://b"},
		{"escaped path", "//stores/a%2Fb//tokens", "/stores/a/b/tokens", "/stores/a%2Fb/tokens", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got *http.Request
			h := doubleSlashFix(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r }))
			req := httptest.NewRequest("GET", "http://kessai.test"+tt.target, nil)
			origPath := req.URL.Path
			h.ServeHTTP(httptest.NewRecorder(), req)
			if got.URL.Path != tt.wantPath || got.URL.RawPath != tt.wantRaw || got.URL.RawQuery != tt.wantQuery {
				t.Errorf("path %q raw %q query %q, want %q %q %q", got.URL.Path, got.URL.RawPath, got.URL.RawQuery, tt.wantPath, tt.wantRaw, tt.wantQuery)
			}
			if req.URL.Path != origPath {
				t.Errorf("the caller's request was modified: %q", req.URL.Path)
			}
		})
	}
}

// The API handler routes a doubled-slash path as the clean one.
func TestDoubleSlashAPI(t *testing.T) {
	e := newEnv(t)
	if r := e.do("GET", "//checkout_info", e.secretAuth(), ""); r.code != 200 {
		t.Errorf("GET //checkout_info: %d %s", r.code, r.body)
	}
	tok := e.createToken("4000020000000000", "recurring")
	if r := e.do("GET", "//stores//"+e.demo.StoreID+"//tokens/"+tok.ID, e.secretAuth(), ""); r.code != 200 {
		t.Errorf("GET token with doubled slashes: %d %s", r.code, r.body)
	}
	if r := e.do("PATCH", "//stores/"+e.demo.StoreID+"/tokens/"+tok.ID, e.secretAuth(), `{"email":"x@example.com"}`); r.code != 200 {
		t.Errorf("PATCH token with a doubled slash: %d %s", r.code, r.body)
	}
}
