package dashboard_test

import (
	"net/url"
	"strings"
	"testing"
)

func TestLinkFormsPages(t *testing.T) {
	e := newEnv(t)
	e.signIn()
	p := e.get("/dashboard/forms")
	if !strings.Contains(p.body, `id="create-form"`) {
		t.Fatalf("no create box on the forms page:\n%s", p.body)
	}
	p = e.post("/dashboard/forms", url.Values{"name": {"Concert"}, "csrf": {e.csrf(p)}})
	if !strings.HasPrefix(p.url, "/dashboard/forms/") || !strings.Contains(p.body, `id="form-settings"`) {
		t.Fatalf("create went to %s:\n%s", p.url, p.body)
	}
	id := strings.TrimPrefix(p.url, "/dashboard/forms/")
	// The open link carries the session's app token and an amount.
	if !strings.Contains(p.body, "/forms/"+id+"?amount=1000&amp;appId="+url.QueryEscape(e.demo.JWT)) {
		t.Errorf("no open link with appId and amount on the form page")
	}

	p = e.post("/dashboard/forms/"+id, url.Values{"csrf": {e.csrf(p)}, "name": {"Concert 2027"}, "payment_methods": {"card, konbini"},
		"require_phone_number": {"on"}, "language": {"en"}, "success_redirect_url": {"https://shop.example/ok"},
		"custom_fields": {`[{"key":"seat","label":"Seat","type":"string"}]`}, "show_logo": {"on"}, "mode": {"dark"}, "button_color": {"#ff0066"}})
	if strings.Contains(p.body, "flash error") {
		t.Fatalf("save refused:\n%s", p.body)
	}
	var form struct {
		Name               string                 `json:"name"`
		PaymentMethods     []string               `json:"payment_methods"`
		RequirePhoneNumber bool                   `json:"require_phone_number"`
		RequireName        bool                   `json:"require_name"`
		Language           string                 `json:"language"`
		SuccessRedirectURL string                 `json:"success_redirect_url"`
		CustomFields       []struct{ Key string } `json:"custom_fields"`
		Theme              struct {
			ShowStoreName bool   `json:"show_store_name"`
			ShowLogo      bool   `json:"show_logo"`
			Mode          string `json:"mode"`
			ButtonColor   string `json:"button_color"`
		}
	}
	e.apiCall("GET", "/sandbox/forms/"+id, "", &form)
	if form.Name != "Concert 2027" || strings.Join(form.PaymentMethods, ",") != "card,konbini" || !form.RequirePhoneNumber || form.RequireName ||
		form.Language != "en" || form.SuccessRedirectURL != "https://shop.example/ok" || len(form.CustomFields) != 1 ||
		form.Theme.ShowStoreName || !form.Theme.ShowLogo || form.Theme.Mode != "dark" || form.Theme.ButtonColor != "#ff0066" {
		t.Fatalf("saved form = %+v", form)
	}
	// The API's refusal is shown.
	p = e.post("/dashboard/forms/"+id, url.Values{"csrf": {e.csrf(p)}, "name": {"x"}, "custom_fields": {"[]"}, "mode": {"light"}, "header_color": {"red"}})
	if !strings.Contains(p.body, "flash error") || !strings.Contains(p.body, "theme.header_color") {
		t.Fatalf("a bad colour is not reported:\n%s", p.body)
	}
	if p = e.get("/dashboard/forms"); !strings.Contains(p.body, "Concert 2027") {
		t.Error("the list does not show the form")
	}
}
