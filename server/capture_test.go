package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"kessai/api"
)

func (e *testEnv) capture(id, body string) resp {
	e.t.Helper()
	return e.do("POST", e.chargePath(id)+"/capture", e.secretAuth(), body)
}

func TestCapture(t *testing.T) {
	e := newClockEnv(t)
	tests := []struct {
		name   string
		body   string
		wait   time.Duration // store time between authorization and capture
		status api.ChargeStatus
		amount int64
		err    *api.PaymentError
	}{
		{"full", `{"amount":1000,"currency":"JPY"}`, 0, api.ChargeSuccessful, 1000, nil},
		{"partial, lower-case currency, numeric string", `{"amount":"600","currency":"jpy"}`, 0, api.ChargeSuccessful, 600, nil},
		{"id and store_id repeated", `{"id":"{id}","store_id":"{store}","amount":1000,"currency":"JPY"}`, 0, api.ChargeSuccessful, 1000, nil},
		{"last day of the authorization", `{"amount":1000,"currency":"JPY"}`, 59 * 24 * time.Hour, api.ChargeSuccessful, 1000, nil},
		{"authorization expired", `{"amount":1000,"currency":"JPY"}`, 60 * 24 * time.Hour, api.ChargeFailed, 0,
			&api.PaymentError{Code: 313, Message: "Authorization expired", Detail: "Authorization expired", Details: "Authorization expired"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.authorizedCharge("4000020000000000")
			e.advance(tt.wait)
			body := strings.NewReplacer("{id}", c.ID, "{store}", e.demo.StoreID).Replace(tt.body)
			r := e.capture(c.ID, body)
			if r.code != http.StatusOK {
				t.Fatalf("capture: %d %s", r.code, r.body)
			}
			var got api.Charge
			r.json(t, &got)
			if got.ID != c.ID || got.Status != api.ChargePending || got.ChargedAmount != nil || got.ChargedAmountFormatted != nil || got.RequestedAmount != 1000 {
				t.Fatalf("capture response = %s", r.body)
			}
			// Pending until the processing delay has passed on the store clock.
			if again := e.getCharge(c.ID); again.Status != api.ChargePending {
				t.Fatalf("before the delay: %s", again.Status)
			}
			e.settleAll()
			got = e.getCharge(c.ID)
			if got.Status != tt.status || got.RequestedAmount != 1000 {
				t.Fatalf("after the delay: status %s requested %d", got.Status, got.RequestedAmount)
			}
			if tt.err == nil {
				if got.ChargedAmount == nil || *got.ChargedAmount != tt.amount || *got.ChargedCurrency != "JPY" || got.Error != nil {
					t.Fatalf("charged %v %v error %+v", got.ChargedAmount, got.ChargedCurrency, got.Error)
				}
			} else if got.ChargedAmount != nil || got.Error == nil || *got.Error != *tt.err {
				t.Fatalf("charged %v error %+v", got.ChargedAmount, got.Error)
			}
			// A captured (or failed) charge cannot be captured again.
			wantError(t, e.capture(c.ID, `{"amount":1,"currency":"JPY"}`), 400, api.CodeAlreadyCaptured)
		})
	}
}

func TestCaptureErrors(t *testing.T) {
	e := newClockEnv(t)
	authorized := e.authorizedCharge("4000020000000000")
	successful := e.settledCharge("4000020000000000", "")
	failed := e.settledCharge("4111111111111111", "")
	capturing := e.authorizedCharge("4000020000000000")
	if r := e.capture(capturing.ID, `{"amount":1000,"currency":"JPY"}`); r.code != 200 {
		t.Fatalf("capture: %d %s", r.code, r.body)
	}
	canceled := e.authorizedCharge("4000020000000000")
	e.do("POST", e.chargePath(canceled.ID)+"/cancels", e.secretAuth(), "")
	e.settleAll()
	if c := e.getCharge(canceled.ID); c.Status != api.ChargeCanceled {
		t.Fatalf("canceled charge: %s", c.Status)
	}
	fe := func(field, reason string) api.FieldError { return api.FieldError{Field: field, Reason: reason} }
	ok := `{"amount":1000,"currency":"JPY"}`
	at := func(id string) string { return e.chargePath(id) + "/capture" }
	e.wantErrors(t, "POST", []errorCase{
		{"successful charge", at(successful.ID), "", ok, 400, api.CodeAlreadyCaptured, nil},
		{"failed charge", at(failed.ID), "", ok, 400, api.CodeAlreadyCaptured, nil},
		{"capture in progress", at(capturing.ID), "", ok, 400, api.CodeAlreadyCaptured, nil},
		{"canceled charge", at(canceled.ID), "", ok, 400, api.CodeAlreadyCaptured, nil},
		{"more than authorized", at(authorized.ID), "", `{"amount":1001,"currency":"JPY"}`, 400, api.CodeCaptureAmountTooLarge, nil},
		{"other currency", at(authorized.ID), "", `{"amount":1000,"currency":"USD"}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("currency", api.ReasonMustMatchCharge)}},
		{"missing fields", at(authorized.ID), "", `{}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("amount", api.ReasonRequiredValue), fe("currency", api.ReasonRequiredValue)}},
		{"bad values", at(authorized.ID), "", `{"amount":0,"currency":"JPYY"}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("amount", api.ReasonInvalidAmount), fe("currency", api.ReasonInvalidFormatCurrency)}},
		{"fractional amount", at(authorized.ID), "", `{"amount":"10.5","currency":"JPY"}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("amount", api.ReasonInvalidFormat)}},
		{"id of another charge", at(authorized.ID), "", `{"id":"` + successful.ID + `","store_id":"` + newID() + `","amount":1000,"currency":"JPY"}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("id", api.ReasonMustMatchCharge), fe("store_id", api.ReasonMustMatchCharge)}},
		{"empty body", at(authorized.ID), "", ``, 400, api.CodeValidationError, []api.FieldError{{Reason: api.ReasonRequiredValue}}},
		{"unknown charge", at(newID()), "", ok, 404, api.CodeNotFound, nil},
		{"malformed charge ID", at("nope"), "", ok, 404, api.CodeNotFound, nil},
		{"another store", "/stores/" + newID() + "/charges/" + authorized.ID + "/capture", "", ok, 404, api.CodeNotFound, nil},
		{"without the secret", at(authorized.ID), e.publicAuth(), ok, 403, api.CodeInvalidPermissions, nil},
	})
	// None of the refused captures changed the authorization.
	if c := e.getCharge(authorized.ID); c.Status != api.ChargeAuthorized || c.ChargedAmount != nil {
		t.Fatalf("authorization after refused captures: %+v", c)
	}
}

func TestCaptureAt(t *testing.T) {
	e := newClockEnv(t)
	at := func(d time.Duration) string {
		return `,"capture":false,"capture_at":"` + api.FormatTime(e.storeNow().Add(d)) + `"`
	}

	t.Run("automatic capture at capture_at", func(t *testing.T) {
		c := e.settledCharge("4000020000000000", at(time.Hour))
		if c.Status != api.ChargeAuthorized || c.CaptureAt == nil {
			t.Fatalf("before capture_at: %s capture_at %v", c.Status, c.CaptureAt)
		}
		e.advance(59 * time.Minute)
		if c := e.getCharge(c.ID); c.Status != api.ChargeAuthorized {
			t.Fatalf("a minute before capture_at: %s", c.Status)
		}
		e.advance(time.Minute)
		got := e.getCharge(c.ID)
		if got.Status != api.ChargeSuccessful || got.ChargedAmount == nil || *got.ChargedAmount != 1000 {
			t.Fatalf("at capture_at: %s charged %v", got.Status, got.ChargedAmount)
		}
	})
	t.Run("capture_at after the authorization expired", func(t *testing.T) {
		c := e.settledCharge("4000020000000000", at(61*24*time.Hour))
		e.advance(61 * 24 * time.Hour)
		got := e.getCharge(c.ID)
		if got.Status != api.ChargeFailed || got.Error == nil || got.Error.Code != 313 {
			t.Fatalf("expired automatic capture: %s %+v", got.Status, got.Error)
		}
	})
	t.Run("a manual capture first", func(t *testing.T) {
		c := e.settledCharge("4000020000000000", at(time.Hour))
		if r := e.capture(c.ID, `{"amount":500,"currency":"JPY"}`); r.code != 200 {
			t.Fatalf("capture: %d %s", r.code, r.body)
		}
		e.settleAll()
		if got := e.getCharge(c.ID); got.CaptureAt != nil {
			t.Fatalf("capture_at kept after the capture: %v", *got.CaptureAt)
		}
		e.advance(time.Hour)
		got := e.getCharge(c.ID)
		if got.Status != api.ChargeSuccessful || *got.ChargedAmount != 500 {
			t.Fatalf("after capture_at: %s charged %d", got.Status, *got.ChargedAmount)
		}
	})
	t.Run("canceled before capture_at", func(t *testing.T) {
		c := e.settledCharge("4000020000000000", at(time.Hour))
		e.do("POST", e.chargePath(c.ID)+"/cancels", e.secretAuth(), `{}`)
		e.settleAll()
		e.advance(time.Hour)
		if got := e.getCharge(c.ID); got.Status != api.ChargeCanceled || got.ChargedAmount != nil {
			t.Fatalf("after capture_at: %s", got.Status)
		}
	})
	t.Run("the engine captures without a request", func(t *testing.T) {
		c := e.settledCharge("4000020000000000", at(time.Hour))
		e.advance(time.Hour)
		stored, err := e.s.storage.GetCharge(context.Background(), c.ID)
		if err != nil || stored.Status != api.ChargeSuccessful || stored.DueAt != nil {
			t.Fatalf("stored charge: %+v %v", stored, err)
		}
	})
}
