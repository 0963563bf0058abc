package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"kessai/api"
	"kessai/server/domain"
)

// fakeSite is a DomainSource and a FormSource.
type fakeSite struct {
	fakeDomains
	forms map[string]api.LinkForm
}

func (f fakeSite) LinkForm(_ context.Context, id string) (api.LinkForm, error) {
	lf, ok := f.forms[id]
	if !ok {
		return api.LinkForm{}, domain.ErrNotFound
	}
	return lf, nil
}

// fakeJWT is an app token JWT whose claims name the store (the signature
// is the fake DomainSource's business).
func fakeJWT(storeID string) string {
	claims, _ := json.Marshal(map[string]any{"sub": "app_token", "store_id": storeID})
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc(claims) + ".sig"
}

func newFormSite(t *testing.T) (http.Handler, string) {
	t.Helper()
	jwt := fakeJWT("store-1")
	settings := api.DefaultLinkFormSettings()
	settings.Language = "en"
	site := fakeSite{fakeDomains{jwt: {"shop.example"}, fakeJWT("store-2"): {"*"}},
		map[string]api.LinkForm{"f1": {ID: "f1", StoreID: "store-1", Name: "Form", LinkFormSettings: settings}}}
	return newHandler(t, site), jwt
}

func TestLinkFormPage(t *testing.T) {
	requireWasm(t)
	h, jwt := newFormSite(t)
	r := get(t, h, "/forms/f1?appId="+jwt+"&amount=1000&paymentMethods[]=card")
	body := string(readBody(t, r))
	if r.StatusCode != http.StatusOK || !strings.Contains(body, `id="kessai"`) {
		t.Fatalf("form page: %d %s", r.StatusCode, body)
	}
	// The page refuses every frame, whatever the app token's domains.
	if got := r.Header.Get("Content-Security-Policy"); got != "frame-ancestors 'none'" {
		t.Errorf("Content-Security-Policy = %q", got)
	}
	if got := r.Header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("X-Frame-Options = %q", got)
	}

	// The settings the page reads.
	r = get(t, h, "/forms/f1/settings.json")
	var st api.LinkFormSettings
	if err := json.Unmarshal(readBody(t, r), &st); err != nil || r.StatusCode != 200 || st.Language != "en" {
		t.Fatalf("settings.json: %d %+v %v", r.StatusCode, st, err)
	}
}

// A bad parameter gives a 400 page that names the parameter and its value
// (in the form's language), never the checkout.
func TestLinkFormBadParameters(t *testing.T) {
	requireWasm(t)
	h, jwt := newFormSite(t)
	for _, c := range []struct{ query, want string }{
		{"appId=" + jwt + "&amount=12x", `amount=&#34;12x&#34;`},
		{"appId=" + jwt + "&amount=100&auth=maybe", `auth=&#34;maybe&#34;`},
		{"appId=" + jwt + "&amount=100&successRedirectUrl=javascript:alert(1)", `successRedirectUrl=&#34;javascript:alert(1)&#34;`},
		{"amount=100", "appId"},
		{"appId=" + fakeJWT("store-2") + "&amount=100", "is not an app token of this form"},
		{"appId=unknown.jwt.x&amount=100", "is not an app token of this form"},
	} {
		r := get(t, h, "/forms/f1?"+c.query)
		body := string(readBody(t, r))
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, c.want) || !strings.Contains(body, "This payment link is not valid") {
			t.Errorf("%s: %d, want 400 naming %s:\n%s", c.query, r.StatusCode, c.want, body)
		}
		if strings.Contains(body, "app.js") {
			t.Errorf("%s: the error page loads the checkout", c.query)
		}
	}
	// Japanese for a Japanese browser when the form follows the browser.
	r := get(t, h, "/forms/nope?appId="+jwt, "Accept-Language", "ja,en;q=0.5")
	if body := string(readBody(t, r)); r.StatusCode != http.StatusNotFound || !strings.Contains(body, "この決済リンクは存在しません") {
		t.Errorf("unknown form: %d %s", r.StatusCode, body)
	}
}
