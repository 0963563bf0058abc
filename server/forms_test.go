package server

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
	"kessai/widget"
)

func TestLinkFormSandboxRoutes(t *testing.T) {
	e := newEnv(t)
	created := call[api.LinkForm](e, http.StatusCreated, "POST", "/sandbox/forms", e.secretAuth(),
		`{"name":"Concert","payment_methods":["card"],"require_phone_number":true,"language":"en",
		  "custom_fields":[{"key":"seat","label":"Seat","type":"select","required":true,"options":["A","B"]}],
		  "success_redirect_url":"https://shop.example/thanks","theme":{"mode":"dark","button_color":"#FF0066"}}`)
	if created.URL != testPublicURL+"/forms/"+created.ID || created.StoreID != e.demo.StoreID || created.Name != "Concert" {
		t.Fatalf("created = %+v", created)
	}
	if !created.Theme.ShowStoreName || !created.Theme.ShowLogo || created.Theme.Mode != "dark" || created.Language != "en" {
		t.Fatalf("defaults and settings not kept: %+v", created.LinkFormSettings)
	}

	// PATCH changes only the keys given.
	patched := call[api.LinkForm](e, http.StatusOK, "PATCH", "/sandbox/forms/"+created.ID, e.secretAuth(),
		`{"require_name":true,"theme":{"show_logo":false}}`)
	if !patched.RequireName || !patched.RequirePhoneNumber || patched.Theme.ShowLogo || patched.Theme.Mode != "dark" ||
		patched.SuccessRedirectURL != "https://shop.example/thanks" {
		t.Fatalf("patched = %+v", patched.LinkFormSettings)
	}
	got := call[api.LinkForm](e, http.StatusOK, "GET", "/sandbox/forms/"+created.ID, e.secretAuth(), "")
	if !got.RequireName || got.Theme.ShowLogo {
		t.Fatalf("GET after PATCH = %+v", got.LinkFormSettings)
	}
	list := call[FormList](e, http.StatusOK, "GET", "/sandbox/forms", e.secretAuth(), "")
	if len(list.Items) != 1 || list.Items[0].ID != created.ID {
		t.Fatalf("list = %+v", list)
	}

	// Bad settings name the field.
	wantError(t, e.do("POST", "/sandbox/forms", e.secretAuth(), `{"payment_methods":["cash"],"language":"fr",
		"failure_redirect_url":"javascript:alert(1)","theme":{"mode":"blue","header_color":"red"}}`),
		http.StatusBadRequest, api.CodeValidationError,
		api.FieldError{Field: "failure_redirect_url", Reason: api.ReasonInvalidFormatURL},
		api.FieldError{Field: "language", Reason: api.ReasonInvalidFormat},
		api.FieldError{Field: "name", Reason: api.ReasonRequiredValue},
		api.FieldError{Field: "payment_methods", Reason: api.ReasonInvalidFormat},
		api.FieldError{Field: "theme.header_color", Reason: api.ReasonInvalidFormat},
		api.FieldError{Field: "theme.mode", Reason: api.ReasonInvalidFormat})
	wantError(t, e.do("POST", "/sandbox/forms", e.secretAuth(), `{"name":"x","custom_fields":[{"key":"k","label":"L","type":"select"}]}`),
		http.StatusBadRequest, api.CodeValidationError, api.FieldError{Field: "custom_fields.options", Reason: api.ReasonRequiredValue})

	// The secret is needed; forms of other stores do not exist.
	wantError(t, e.do("GET", "/sandbox/forms", e.publicAuth(), ""), http.StatusForbidden, api.CodeInvalidPermissions)
	wantError(t, e.do("GET", "/sandbox/forms/"+newID(), e.secretAuth(), ""), http.StatusNotFound, api.CodeNotFound)

	if r := e.do("DELETE", "/sandbox/forms/"+created.ID, e.secretAuth(), ""); r.code != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", r.code, r.body)
	}
	wantError(t, e.do("GET", "/sandbox/forms/"+created.ID, e.secretAuth(), ""), http.StatusNotFound, api.CodeNotFound)
}

// TestLinkFormAuthorisation: a link form page, served on the widget
// origin, pays with an app token whose domains do not include the widget
// origin, because it names a form of the token's store; nothing else
// passes that way.
func TestLinkFormAuthorisation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	shop, err := e.s.CreateAppToken(ctx, AppTokenInput{Mode: "test", Domains: []string{"shop.example"}})
	if err != nil {
		t.Fatal(err)
	}
	form, err := e.s.CreateForm(ctx, "", api.LinkFormRequest{Name: ptr("Form")})
	if err != nil {
		t.Fatal(err)
	}
	auth := "Bearer " + shop.JWT
	body := cardTokenBody("4000020000000000", "one_time")
	fromPage := []string{"Origin", testPublicURL}

	if r := e.do("POST", "/tokens?form="+form.ID, auth, body, fromPage...); r.code != http.StatusCreated {
		t.Fatalf("token from the form page: %d %s", r.code, r.body)
	}
	// Same-origin GETs carry no Origin header.
	if r := e.do("GET", "/checkout_info?form="+form.ID, auth, ""); r.code != http.StatusOK {
		t.Fatalf("checkout_info from the form page: %d %s", r.code, r.body)
	}
	// Without the form, the widget origin needs the merchant origin.
	wantError(t, e.do("POST", "/tokens", auth, body, fromPage...), http.StatusUnauthorized, api.CodeInvalidDomain)
	// An unknown form, or a merchant page naming the form, fail.
	wantError(t, e.do("POST", "/tokens?form="+newID(), auth, body, fromPage...), http.StatusUnauthorized, api.CodeInvalidDomain)
	wantError(t, e.do("POST", "/tokens?form="+form.ID, auth, body, "Origin", "https://evil.example"), http.StatusUnauthorized, api.CodeInvalidDomain)
	// A form of another store does not authorise this store's token.
	shops, _ := e.s.storage.ListStores(ctx)
	other := &domain.Store{ID: newID(), MerchantID: shops[0].MerchantID, Name: "other", CreatedAt: time.Now().UTC()}
	if err := e.s.storage.CreateStore(ctx, other); err != nil {
		t.Fatal(err)
	}
	otherForm, err := e.s.CreateForm(ctx, other.ID, api.LinkFormRequest{Name: ptr("Other")})
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, e.do("POST", "/tokens?form="+otherForm.ID, auth, body, fromPage...), http.StatusUnauthorized, api.CodeInvalidDomain)
}

// The values a form's settings accept are the widget's.
func TestLinkFormValuesAreTheWidgets(t *testing.T) {
	if !slices.Equal(linkFormPaymentMethods, widget.PaymentMethodValues) {
		t.Errorf("linkFormPaymentMethods = %v\nwidget.PaymentMethodValues = %v", linkFormPaymentMethods, widget.PaymentMethodValues)
	}
	if !slices.Equal(linkFormLanguages, widget.LocaleValues) {
		t.Errorf("linkFormLanguages = %v\nwidget.LocaleValues = %v", linkFormLanguages, widget.LocaleValues)
	}
}
