package server

import (
	"net/http"
	"strings"
	"testing"

	"kessai/api"
)

func (e *testEnv) cancelsPath(chargeID string) string { return e.chargePath(chargeID) + "/cancels" }

// cancel creates a cancel and returns it (201 expected).
func (e *testEnv) cancel(chargeID, body string) api.Cancel {
	e.t.Helper()
	return call[api.Cancel](e, http.StatusCreated, "POST", e.cancelsPath(chargeID), e.secretAuth(), body)
}

func (e *testEnv) getCancel(chargeID, id, query string) (api.Cancel, resp) {
	e.t.Helper()
	return callRaw[api.Cancel](e, http.StatusOK, "GET", e.cancelsPath(chargeID)+"/"+id+query, e.secretAuth(), "")
}

func TestCancelOutcomes(t *testing.T) {
	e := newClockEnv(t)
	fail := &api.PaymentError{Code: 312, Message: "Test cancel failed purposely", Detail: "Test cancel failed purposely", Details: "Test cancel failed purposely"}
	tests := []struct {
		name       string
		card       string
		awaiting   bool
		body       string
		status     api.CancelStatus
		err        *api.PaymentError
		chargeThen api.ChargeStatus
	}{
		{"authorization", "4000020000000000", false, `{"metadata":{"order_id":1234}}`, api.CancelSuccessful, nil, api.ChargeCanceled},
		{"empty body", "4242424242424242", false, ``, api.CancelSuccessful, nil, api.ChargeCanceled},
		{"awaiting payment", "4000020000000000", true, `{}`, api.CancelSuccessful, nil, api.ChargeCanceled},
		{"cancel-failing card", "4012888888881881", false, `{}`, api.CancelFailed, fail, api.ChargeAuthorized},
		{"cancel-failing card, awaiting", "4012888888881881", true, `{}`, api.CancelFailed, fail, api.ChargeAwaiting},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := e.authorizedCharge(tt.card)
			if tt.awaiting {
				e.setChargeStatus(ch.ID, api.ChargeAwaiting)
			}
			cn := e.cancel(ch.ID, tt.body)
			if cn.Status != api.CancelPending || cn.ChargeID != ch.ID || cn.StoreID != e.demo.StoreID || cn.Mode != api.ModeTest || cn.Error != nil {
				t.Fatalf("created = %+v", cn)
			}
			if got, _ := e.getCancel(ch.ID, cn.ID, ""); got.Status != api.CancelPending {
				t.Fatalf("before the delay: %s", got.Status)
			}
			e.settleAll()
			got, _ := e.getCancel(ch.ID, cn.ID, "")
			if got.Status != tt.status || (tt.err == nil) != (got.Error == nil) || (tt.err != nil && *got.Error != *tt.err) {
				t.Fatalf("after the delay: %s %+v", got.Status, got.Error)
			}
			if c := e.getCharge(ch.ID); c.Status != tt.chargeThen || c.ChargedAmount != nil {
				t.Fatalf("charge after the cancel: %s", c.Status)
			}
		})
	}

	t.Run("a failed cancel leaves the authorization capturable", func(t *testing.T) {
		ch := e.authorizedCharge("4012888888881881")
		e.cancel(ch.ID, "")
		e.settleAll()
		if r := e.capture(ch.ID, `{"amount":1000,"currency":"JPY"}`); r.code != 200 {
			t.Fatalf("capture: %d %s", r.code, r.body)
		}
		e.settleAll()
		if c := e.getCharge(ch.ID); c.Status != api.ChargeSuccessful {
			t.Fatalf("charge: %s", c.Status)
		}
	})
	t.Run("captured while the cancel was pending", func(t *testing.T) {
		ch := e.authorizedCharge("4000020000000000")
		cn := e.cancel(ch.ID, "")
		if r := e.capture(ch.ID, `{"amount":1000,"currency":"JPY"}`); r.code != 200 {
			t.Fatalf("capture: %d %s", r.code, r.body)
		}
		e.settleAll()
		got, _ := e.getCancel(ch.ID, cn.ID, "")
		if got.Status != api.CancelFailed || got.Error == nil || got.Error.Code != 312 || got.Error.Message != "This charge can no longer be canceled" {
			t.Fatalf("cancel: %s %+v", got.Status, got.Error)
		}
		if c := e.getCharge(ch.ID); c.Status != api.ChargeSuccessful {
			t.Fatalf("charge: %s", c.Status)
		}
	})
}

func TestCancelErrors(t *testing.T) {
	e := newClockEnv(t)
	successful := e.settledCharge("4000020000000000", "")
	failed := e.settledCharge("4111111111111111", "")
	canceled := e.authorizedCharge("4000020000000000")
	e.cancel(canceled.ID, "")
	capturing := e.authorizedCharge("4000020000000000")
	e.capture(capturing.ID, `{"amount":1000,"currency":"JPY"}`)
	authorized := e.authorizedCharge("4000020000000000")
	e.settleAll()
	e.wantErrors(t, "POST", []errorCase{
		{"successful charge", e.cancelsPath(successful.ID), "", "", 400, api.CodeCancelNotAllowed, nil},
		{"failed charge", e.cancelsPath(failed.ID), "", "", 400, api.CodeCancelNotAllowed, nil},
		{"canceled charge", e.cancelsPath(canceled.ID), "", "", 400, api.CodeCancelNotAllowed, nil},
		{"capture in progress", e.cancelsPath(capturing.ID), "", "", 400, api.CodeCancelNotAllowed, nil},
		{"nested metadata", e.cancelsPath(authorized.ID), "", `{"metadata":{"a":{}}}`, 400, api.CodeValidationError,
			[]api.FieldError{{Field: "metadata.a", Reason: api.ReasonNestedJSONNotAllowed}}},
		{"malformed body", e.cancelsPath(authorized.ID), "", `{`, 400, api.CodeValidationError, []api.FieldError{{Reason: api.ReasonInvalidFormat}}},
		{"unknown charge", e.cancelsPath(newID()), "", "", 404, api.CodeNotFound, nil},
		{"another store", "/stores/" + newID() + "/charges/" + authorized.ID + "/cancels", "", "", 404, api.CodeNotFound, nil},
		{"without the secret", e.cancelsPath(authorized.ID), e.publicAuth(), "", 403, api.CodeInvalidPermissions, nil},
	})
	if c := e.getCharge(authorized.ID); c.Status != api.ChargeAuthorized {
		t.Fatalf("authorization after refused cancels: %s", c.Status)
	}
}

func TestCancelReadListUpdate(t *testing.T) {
	e := newEnv(t)
	ch := e.authorizedCharge("4012888888881881") // its cancels fail: several per charge
	other := e.authorizedCharge("4000020000000000")
	var ids []string // newest first
	for range 11 {
		ids = append([]string{e.cancel(ch.ID, `{"metadata":{"order_id":1234}}`).ID}, ids...)
	}
	polled, _ := e.getCancel(ch.ID, ids[0], "?polling=true")
	if polled.Status != api.CancelFailed {
		t.Fatalf("polled: %s", polled.Status)
	}
	e.settleAll()
	wantError(t, e.do("GET", e.cancelsPath(other.ID)+"/"+ids[0], e.secretAuth(), ""), 404, api.CodeNotFound)
	wantError(t, e.do("GET", e.cancelsPath(ch.ID)+"/nope", e.secretAuth(), ""), 404, api.CodeNotFound)

	var page api.List[api.Cancel]
	r := e.do("GET", e.cancelsPath(ch.ID), e.secretAuth(), "")
	r.json(t, &page)
	if r.code != 200 || len(page.Items) != 10 || !page.HasMore || page.TotalHits != 11 || page.Items[0].ID != ids[0] {
		t.Fatalf("first page: %d %s", r.code, r.body)
	}
	r = e.do("GET", e.cancelsPath(ch.ID)+"?cursor="+page.Items[9].ID, e.secretAuth(), "")
	r.json(t, &page)
	if len(page.Items) != 1 || page.HasMore || page.Items[0].ID != ids[10] {
		t.Fatalf("second page: %s", r.body)
	}
	r = e.do("GET", e.cancelsPath(ch.ID)+"?cursor_direction=asc&limit=10", e.secretAuth(), "")
	r.json(t, &page)
	if page.Items[0].ID != ids[10] {
		t.Fatalf("ascending: %s", r.body)
	}
	if r := e.do("GET", e.cancelsPath(other.ID), e.secretAuth(), ""); !strings.Contains(string(r.body), `"items":[]`) {
		t.Fatalf("other charge's cancels: %s", r.body)
	}

	r = e.do("PATCH", e.cancelsPath(ch.ID)+"/"+ids[0], e.secretAuth(), `{"metadata":{"reason":"expired"}}`)
	if r.code != 200 || !strings.Contains(string(r.body), `"metadata":{"order_id":1234,"reason":"expired"}`) {
		t.Fatalf("PATCH: %d %s", r.code, r.body)
	}
	wantError(t, e.do("PATCH", e.cancelsPath(other.ID)+"/"+ids[0], e.secretAuth(), `{"metadata":{}}`), 404, api.CodeNotFound)
	wantError(t, e.do("PATCH", e.cancelsPath(ch.ID)+"/"+ids[0], e.secretAuth(), `{"metadata":{"a":[1]}}`), 400, api.CodeValidationError,
		api.FieldError{Field: "metadata.a", Reason: api.ReasonNestedJSONNotAllowed})
}

func TestCancelGolden(t *testing.T) {
	e := newClockEnv(t)
	ch := e.authorizedCharge("4000020000000000")
	r := e.do("POST", e.cancelsPath(ch.ID), e.secretAuth(), `{"metadata":{"order_id":1234}}`)
	assertGolden(t, "cancel_pending", r.body)
	var cn api.Cancel
	r.json(t, &cn)
	e.settleAll()
	_, got := e.getCancel(ch.ID, cn.ID, "")
	assertGolden(t, "cancel", got.body)
	assertGolden(t, "charge_canceled", e.do("GET", e.chargePath(ch.ID), e.secretAuth(), "").body)

	bad := e.authorizedCharge("4012888888881881")
	r = e.do("POST", e.cancelsPath(bad.ID), e.secretAuth(), "")
	r.json(t, &cn)
	e.settleAll()
	_, got = e.getCancel(bad.ID, cn.ID, "")
	assertGolden(t, "cancel_failed", got.body)
}
