package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"kessai/api"
)

// createWebhook creates a webhook through path (POST /webhooks or
// /stores/{id}/webhooks) and returns it.
func (e *testEnv) createWebhook(path, body string) api.Webhook {
	e.t.Helper()
	r := e.do("POST", path, e.secretAuth(), body)
	if r.code != http.StatusCreated {
		e.t.Fatalf("POST %s: %d %s", path, r.code, r.body)
	}
	var w api.Webhook
	r.json(e.t, &w)
	return w
}

func (e *testEnv) storeHooks() string { return "/stores/" + e.demo.StoreID + "/webhooks" }

func (e *testEnv) getWebhook(path string) api.Webhook {
	e.t.Helper()
	r := e.do("GET", path, e.secretAuth(), "")
	if r.code != http.StatusOK {
		e.t.Fatalf("GET %s: %d %s", path, r.code, r.body)
	}
	var w api.Webhook
	r.json(e.t, &w)
	return w
}

func (e *testEnv) listWebhooks(path string) api.List[api.Webhook] {
	e.t.Helper()
	r := e.do("GET", path, e.secretAuth(), "")
	if r.code != http.StatusOK {
		e.t.Fatalf("GET %s: %d %s", path, r.code, r.body)
	}
	var l api.List[api.Webhook]
	r.json(e.t, &l)
	return l
}

func webhookIDsOf(l api.List[api.Webhook]) []string {
	var out []string
	for _, w := range l.Items {
		out = append(out, w.ID)
	}
	return out
}

func TestWebhookCRUD(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	shop, err := e.s.storage.GetStore(ctx, e.demo.StoreID)
	if err != nil {
		t.Fatal(err)
	}

	r := e.do("POST", e.storeHooks(), e.secretAuth(),
		`{"triggers":["charge_finished","refund_finished","charge_finished"],"url":"https://shop.example/hooks","auth_token":"Bearer s3cret"}`)
	if r.code != http.StatusCreated {
		t.Fatalf("create: %d %s", r.code, r.body)
	}
	if strings.Contains(string(r.body), "s3cret") || strings.Contains(string(r.body), "auth_token") {
		t.Fatalf("the auth_token is returned: %s", r.body)
	}
	var w api.Webhook
	r.json(t, &w)
	if w.StoreID == nil || *w.StoreID != e.demo.StoreID || w.MerchantID != shop.MerchantID || !w.Active || w.URL != "https://shop.example/hooks" ||
		!slices.Equal(w.Triggers, []api.WebhookEvent{api.EventChargeFinished, api.EventRefundFinished}) || w.CreatedOn != w.UpdatedOn {
		t.Fatalf("created webhook = %+v", w)
	}
	one := e.storeHooks() + "/" + w.ID
	g := e.do("GET", one, e.secretAuth(), "")
	assertGolden(t, "webhook", g.body)
	// The same webhook on every path variant.
	for _, path := range []string{one, "/merchants/" + shop.MerchantID + one, "/webhooks/" + w.ID} {
		if got := e.getWebhook(path); got.ID != w.ID || got.URL != w.URL {
			t.Errorf("GET %s = %+v", path, got)
		}
	}

	// A merchant-wide webhook: store_id null, triggers as a string, active as a string.
	mw := e.createWebhook("/webhooks", `{"triggers":"token_created, charge_updated","url":"http://127.0.0.1:9/any","active":"false"}`)
	if mw.StoreID != nil || mw.Active || !slices.Equal(mw.Triggers, []api.WebhookEvent{api.EventTokenCreated, api.EventChargeUpdated}) {
		t.Fatalf("merchant-wide webhook = %+v", mw)
	}
	if got := e.getWebhook("/webhooks/" + mw.ID); got.StoreID != nil {
		t.Fatalf("GET merchant-wide = %+v", got)
	}
	// The same URL may be used once per scope.
	e.createWebhook(e.storeHooks(), `{"triggers":["token_created"],"url":"http://127.0.0.1:9/any"}`)

	// PATCH: each field, active from a string; updated_on moves with the clock.
	e.advance(time.Minute)
	r = e.do("PATCH", one, e.secretAuth(), `{"active":"false","url":"https://shop.example/v2","triggers":["cancel_finished"],"auth_token":"x"}`)
	if r.code != http.StatusOK {
		t.Fatalf("PATCH: %d %s", r.code, r.body)
	}
	var up api.Webhook
	r.json(t, &up)
	if up.Active || up.URL != "https://shop.example/v2" || !slices.Equal(up.Triggers, []api.WebhookEvent{api.EventCancelFinished}) ||
		up.CreatedOn != w.CreatedOn || up.UpdatedOn == w.UpdatedOn {
		t.Fatalf("after PATCH = %+v", up)
	}
	r = e.do("PATCH", "/webhooks/"+w.ID, e.secretAuth(), `{"active":true}`)
	r.json(t, &up)
	if r.code != http.StatusOK || !up.Active || up.URL != "https://shop.example/v2" {
		t.Fatalf("PATCH active=true: %d %s", r.code, r.body)
	}
	r = e.do("PATCH", "/merchants/"+shop.MerchantID+one, e.secretAuth(), `{}`)
	if r.code != http.StatusOK {
		t.Fatalf("empty PATCH: %d %s", r.code, r.body)
	}

	// Lists.
	if l := e.listWebhooks(e.storeHooks()); l.TotalHits != 2 || len(l.Items) != 2 || l.HasMore {
		t.Fatalf("store list = %+v", l)
	}
	if l := e.listWebhooks("/webhooks"); l.TotalHits != 3 || l.Items[0].ID == w.ID || l.Items[2].ID != w.ID {
		t.Fatalf("/webhooks list = %v", webhookIDsOf(l))
	}
	if l := e.listWebhooks("/webhooks?active=false"); l.TotalHits != 1 || l.Items[0].ID != mw.ID {
		t.Fatalf("/webhooks?active=false = %v", webhookIDsOf(l))
	}
	if l := e.listWebhooks("/merchants/" + shop.MerchantID + e.storeHooks() + "?active=true"); l.TotalHits != 2 {
		t.Fatalf("merchant path list = %v", webhookIDsOf(l))
	}

	// DELETE, then it is gone everywhere.
	r = e.do("DELETE", one, e.secretAuth(), "")
	if r.code != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", r.code, r.body)
	}
	wantError(t, e.do("GET", one, e.secretAuth(), ""), 404, api.CodeNotFound)
	wantError(t, e.do("DELETE", one, e.secretAuth(), ""), 404, api.CodeNotFound)
	if r := e.do("DELETE", "/webhooks/"+mw.ID, e.secretAuth(), ""); r.code != http.StatusNoContent {
		t.Fatalf("DELETE merchant-wide: %d %s", r.code, r.body)
	}
	// A deleted webhook frees its URL.
	e.createWebhook(e.storeHooks(), `{"triggers":["charge_finished"],"url":"https://shop.example/v2"}`)
}

func TestWebhookPagination(t *testing.T) {
	e := newEnv(t)
	var want []string // newest first
	for i := range 12 {
		w := e.createWebhook(e.storeHooks(), fmt.Sprintf(`{"triggers":["charge_finished"],"url":"https://shop.example/%d"}`, i))
		want = append([]string{w.ID}, want...)
	}
	first := e.listWebhooks(e.storeHooks())
	if !first.HasMore || first.TotalHits != 12 || !slices.Equal(webhookIDsOf(first), want[:10]) {
		t.Fatalf("page 1 = %v more=%v total=%d", webhookIDsOf(first), first.HasMore, first.TotalHits)
	}
	second := e.listWebhooks(e.storeHooks() + "?cursor=" + want[9])
	if second.HasMore || !slices.Equal(webhookIDsOf(second), want[10:]) {
		t.Fatalf("page 2 = %v", webhookIDsOf(second))
	}
	asc := e.listWebhooks(e.storeHooks() + "?cursor_direction=asc&limit=100")
	if asc.Items[0].ID != want[11] || len(asc.Items) != 12 {
		t.Fatalf("ascending = %v", webhookIDsOf(asc))
	}
}

func TestWebhookErrors(t *testing.T) {
	e := newEnv(t)
	w := e.createWebhook(e.storeHooks(), `{"triggers":["charge_finished"],"url":"https://shop.example/a"}`)
	e.createWebhook(e.storeHooks(), `{"triggers":["charge_finished"],"url":"https://shop.example/b"}`)
	mw := e.createWebhook("/webhooks", `{"triggers":["charge_finished"],"url":"https://shop.example/m"}`)
	one := e.storeHooks() + "/" + w.ID
	fe := func(field, reason string) api.FieldError { return api.FieldError{Field: field, Reason: reason} }

	for _, c := range []struct {
		name, method, path, auth, body string
		status                         int
		code                           string
		errs                           []api.FieldError
	}{
		{"no triggers", "POST", e.storeHooks(), "", `{"url":"https://x.example/"}`, 400, api.CodeValidationError, []api.FieldError{fe("triggers", api.ReasonRequiredValue)}},
		{"empty triggers", "POST", "/webhooks", "", `{"triggers":[],"url":"https://x.example/"}`, 400, api.CodeValidationError, []api.FieldError{fe("triggers", api.ReasonRequiredValue)}},
		{"unknown trigger", "POST", e.storeHooks(), "", `{"triggers":["charge_finished","transfer_created"],"url":"https://x.example/"}`, 400, api.CodeValidationError, []api.FieldError{fe("triggers", api.ReasonInvalidFormat)}},
		{"triggers not a list", "POST", e.storeHooks(), "", `{"triggers":5,"url":"https://x.example/"}`, 400, api.CodeValidationError, []api.FieldError{fe("triggers", api.ReasonInvalidFormat)}},
		{"no url", "POST", e.storeHooks(), "", `{"triggers":["charge_finished"]}`, 400, api.CodeValidationError, []api.FieldError{fe("url", api.ReasonRequiredValue)}},
		{"relative url", "POST", e.storeHooks(), "", `{"triggers":["charge_finished"],"url":"/hooks"}`, 400, api.CodeValidationError, []api.FieldError{fe("url", api.ReasonInvalidFormatURL)}},
		{"ftp url", "POST", e.storeHooks(), "", `{"triggers":["charge_finished"],"url":"ftp://x.example/"}`, 400, api.CodeValidationError, []api.FieldError{fe("url", api.ReasonInvalidFormatURL)}},
		{"auth_token with a newline", "POST", e.storeHooks(), "", `{"triggers":["charge_finished"],"url":"https://x.example/","auth_token":"a\nb"}`, 400, api.CodeValidationError, []api.FieldError{fe("auth_token", api.ReasonInvalidFormat)}},
		{"bad active", "POST", e.storeHooks(), "", `{"triggers":["charge_finished"],"url":"https://x.example/","active":"maybe"}`, 400, api.CodeValidationError, []api.FieldError{fe("active", api.ReasonInvalidFormat)}},
		{"two errors", "POST", e.storeHooks(), "", `{"triggers":["nope"],"url":"x"}`, 400, api.CodeValidationError, []api.FieldError{fe("triggers", api.ReasonInvalidFormat), fe("url", api.ReasonInvalidFormatURL)}},
		{"empty body", "POST", e.storeHooks(), "", ``, 400, api.CodeValidationError, []api.FieldError{{Reason: api.ReasonRequiredValue}}},
		{"malformed body", "POST", e.storeHooks(), "", `{"triggers":`, 400, api.CodeValidationError, []api.FieldError{{Reason: api.ReasonInvalidFormat}}},
		{"URL exists", "POST", e.storeHooks(), "", `{"triggers":["token_created"],"url":"https://shop.example/a"}`, 409, api.CodeWebhookURLExists, nil},
		{"merchant-wide URL exists", "POST", "/webhooks", "", `{"triggers":["token_created"],"url":"https://shop.example/m"}`, 409, api.CodeWebhookURLExists, nil},
		{"PATCH to a taken URL", "PATCH", one, "", `{"url":"https://shop.example/b"}`, 409, api.CodeWebhookURLExists, nil},
		{"PATCH unknown trigger", "PATCH", one, "", `{"triggers":["charge_finished","nope"]}`, 400, api.CodeValidationError, []api.FieldError{fe("triggers", api.ReasonInvalidFormat)}},
		{"PATCH empty triggers", "PATCH", one, "", `{"triggers":[]}`, 400, api.CodeValidationError, []api.FieldError{fe("triggers", api.ReasonRequiredValue)}},
		{"PATCH bad url", "PATCH", one, "", `{"url":"mailto:a@example.com"}`, 400, api.CodeValidationError, []api.FieldError{fe("url", api.ReasonInvalidFormatURL)}},
		{"PATCH bad active", "PATCH", one, "", `{"active":"yes"}`, 400, api.CodeValidationError, []api.FieldError{fe("active", api.ReasonInvalidFormat)}},
		{"other store", "GET", "/stores/" + newID() + "/webhooks/" + w.ID, "", "", 404, api.CodeNotFound, nil},
		{"create in other store", "POST", "/stores/" + newID() + "/webhooks", "", `{"triggers":["charge_finished"],"url":"https://x.example/"}`, 404, api.CodeNotFound, nil},
		{"list other store", "GET", "/stores/" + newID() + "/webhooks", "", "", 404, api.CodeNotFound, nil},
		{"other merchant", "GET", "/merchants/" + newID() + one, "", "", 404, api.CodeNotFound, nil},
		{"unknown webhook", "GET", e.storeHooks() + "/" + newID(), "", "", 404, api.CodeNotFound, nil},
		{"malformed id", "PATCH", e.storeHooks() + "/nope", "", `{}`, 404, api.CodeNotFound, nil},
		{"merchant-wide on the store path", "GET", e.storeHooks() + "/" + mw.ID, "", "", 404, api.CodeNotFound, nil},
		{"delete unknown", "DELETE", "/webhooks/" + newID(), "", "", 404, api.CodeNotFound, nil},
		{"bad active filter", "GET", "/webhooks?active=yes", "", "", 400, api.CodeValidationError, []api.FieldError{fe("active", api.ReasonInvalidFormat)}},
		{"bad limit", "GET", e.storeHooks() + "?limit=5", "", "", 400, api.CodeValidationError, []api.FieldError{fe("limit", "Limit must be between 10 and 100")}},
		{"unknown cursor", "GET", e.storeHooks() + "?cursor=" + newID(), "", "", 400, api.CodeValidationError, []api.FieldError{fe("cursor", api.ReasonInvalidFormat)}},
		{"no secret", "GET", e.storeHooks(), e.publicAuth(), "", 403, api.CodeInvalidPermissions, nil},
		{"no secret create", "POST", "/webhooks", e.publicAuth(), `{"triggers":["charge_finished"],"url":"https://x.example/"}`, 403, api.CodeInvalidPermissions, nil},
		{"no auth", "GET", "/webhooks", "-", "", 401, api.CodeAuthHeaderMissing, nil},
		{"log: bad webhook_id", "GET", "/sandbox/webhook_deliveries?webhook_id=x", "", "", 400, api.CodeValidationError, []api.FieldError{fe("webhook_id", api.ReasonInvalidFormatUUID)}},
		{"log: bad event and status", "GET", "/sandbox/webhook_deliveries?event=nope&status=sent", "", "", 400, api.CodeValidationError, []api.FieldError{fe("event", api.ReasonInvalidFormat), fe("status", api.ReasonInvalidFormat)}},
		{"log: no secret", "GET", "/sandbox/webhook_deliveries", e.publicAuth(), "", 403, api.CodeInvalidPermissions, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			auth := c.auth
			switch auth {
			case "":
				auth = e.secretAuth()
			case "-":
				auth = ""
			}
			wantError(t, e.do(c.method, c.path, auth, c.body), c.status, c.code, c.errs...)
		})
	}
	if got := e.getWebhook(one); got.URL != "https://shop.example/a" || !slices.Equal(got.Triggers, []api.WebhookEvent{api.EventChargeFinished}) {
		t.Fatalf("a failed PATCH changed the webhook: %+v", got)
	}
}

func TestWebhookLimit(t *testing.T) {
	e := newEnv(t)
	for i := range webhookLimit {
		e.createWebhook(e.storeHooks(), fmt.Sprintf(`{"triggers":["charge_finished"],"url":"https://shop.example/%d"}`, i))
	}
	wantError(t, e.do("POST", e.storeHooks(), e.secretAuth(), `{"triggers":["charge_finished"],"url":"https://shop.example/more"}`),
		400, api.CodeResourceLimitReached)
	// Merchant-wide webhooks have their own 20.
	for i := range webhookLimit {
		e.createWebhook("/webhooks", fmt.Sprintf(`{"triggers":["charge_finished"],"url":"https://shop.example/%d"}`, i))
	}
	wantError(t, e.do("POST", "/webhooks", e.secretAuth(), `{"triggers":["charge_finished"],"url":"https://shop.example/more"}`),
		400, api.CodeResourceLimitReached)
	// Deleting one makes room.
	l := e.listWebhooks(e.storeHooks())
	if r := e.do("DELETE", e.storeHooks()+"/"+l.Items[0].ID, e.secretAuth(), ""); r.code != http.StatusNoContent {
		t.Fatalf("DELETE: %d", r.code)
	}
	e.createWebhook(e.storeHooks(), `{"triggers":["charge_finished"],"url":"https://shop.example/more"}`)
}
