package server

import (
	"net/http"
	"testing"

	"kessai/api"
)

// TestAppTokenRoutes: list, create (the secret once) and revoke the
// store's app tokens over the API; a revoked token is refused.
func TestAppTokenRoutes(t *testing.T) {
	e := newEnv(t)
	l := call[api.List[SandboxAppToken]](e, http.StatusOK, "GET", "/sandbox/app_tokens", e.secretAuth(), "")
	if len(l.Items) != 1 || !l.Items[0].Current || l.Items[0].Secret != "" || l.Items[0].JWT != e.demo.JWT {
		t.Fatalf("app tokens: %s", mustJSON(l))
	}
	created := call[SandboxAppToken](e, http.StatusCreated, "POST", "/sandbox/app_tokens", e.secretAuth(), `{"domains":["shop.example:3000"]}`)
	if created.Secret == "" || created.JWT == "" || created.Mode != api.ModeTest || len(created.Domains) != 1 || created.Domains[0] != "shop.example:3000" || created.Current {
		t.Fatalf("created: %s", mustJSON(created))
	}
	auth := "Bearer " + created.Secret + "." + created.JWT
	if r := e.do("GET", "/stores/"+e.demo.StoreID+"/charges", auth, ""); r.code != http.StatusOK {
		t.Fatalf("the new token: %d %s", r.code, r.body)
	}
	l = call[api.List[SandboxAppToken]](e, http.StatusOK, "GET", "/sandbox/app_tokens", e.secretAuth(), "")
	if len(l.Items) != 2 || l.Items[0].ID != created.ID || l.Items[0].Secret != "" {
		t.Fatalf("after creating: %s", mustJSON(l))
	}
	// A token cannot revoke itself; the other can.
	wantError(t, e.do("DELETE", "/sandbox/app_tokens/"+created.ID, auth, ""), http.StatusConflict, api.CodeAppTokenInUse)
	if r := e.do("DELETE", "/sandbox/app_tokens/"+created.ID, e.secretAuth(), ""); r.code != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", r.code, r.body)
	}
	if r := e.do("GET", "/stores/"+e.demo.StoreID+"/charges", auth, ""); r.code != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d %s", r.code, r.body)
	}
	l = call[api.List[SandboxAppToken]](e, http.StatusOK, "GET", "/sandbox/app_tokens", e.secretAuth(), "")
	if l.Items[0].Active {
		t.Error("the revoked token is listed as active")
	}
	// Bad input, other stores' tokens, and no secret.
	wantError(t, e.do("POST", "/sandbox/app_tokens", e.secretAuth(), `{"domains":["http://a b"],"mode":"prod"}`), 400, api.CodeValidationError,
		api.FieldError{Field: "domains", Reason: api.ReasonInvalidFormat}, api.FieldError{Field: "mode", Reason: api.ReasonInvalidFormat})
	_, other := e.otherStore("Other shop")
	wantError(t, e.do("DELETE", "/sandbox/app_tokens/"+created.ID, other, ""), http.StatusNotFound, api.CodeNotFound)
	wantError(t, e.do("DELETE", "/sandbox/app_tokens/x", e.secretAuth(), ""), http.StatusNotFound, api.CodeNotFound)
	wantError(t, e.do("GET", "/sandbox/app_tokens", e.publicAuth(), ""), http.StatusForbidden, api.CodeInvalidPermissions)
}
