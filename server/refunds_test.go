package server

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"kessai/api"
)

func (e *testEnv) refundsPath(chargeID string) string { return e.chargePath(chargeID) + "/refunds" }

// refund creates a refund and returns it (201 expected).
func (e *testEnv) refund(chargeID, body string) api.Refund {
	e.t.Helper()
	return call[api.Refund](e, http.StatusCreated, "POST", e.refundsPath(chargeID), e.secretAuth(), body)
}

func (e *testEnv) getRefund(chargeID, id, query string) (api.Refund, resp) {
	e.t.Helper()
	return callRaw[api.Refund](e, http.StatusOK, "GET", e.refundsPath(chargeID)+"/"+id+query, e.secretAuth(), "")
}

func TestRefundOutcomes(t *testing.T) {
	e := newClockEnv(t)
	pe := func(code int, msg string) *api.PaymentError {
		return &api.PaymentError{Code: code, Message: msg, Detail: msg, Details: msg}
	}
	tests := []struct {
		name   string
		card   string
		body   string
		before time.Duration // store time between the charge and the refund
		status api.RefundStatus
		err    *api.PaymentError
	}{
		{"full refund", "4000020000000000", `{"amount":1000,"currency":"JPY"}`, 0, api.RefundSuccessful, nil},
		{"partial refund", "5555555555554444", `{"amount":"250","currency":"jpy","reason":"customer_request","message":"15 percent off"}`, 0, api.RefundSuccessful, nil},
		{"cancel-failing card refunds", "4012888888881881", `{"amount":1000,"currency":"JPY"}`, 0, api.RefundSuccessful, nil},
		{"refund-failing card", "4242424242424242", `{"amount":1000,"currency":"JPY"}`, 0, api.RefundFailed, pe(329, "Test refund failed purposely")},
		{"last day of the refund window", "4000020000000000", `{"amount":1000,"currency":"JPY"}`, 179 * 24 * time.Hour, api.RefundSuccessful, nil},
		{"refund window passed", "4000020000000000", `{"amount":1000,"currency":"JPY"}`, 181 * 24 * time.Hour, api.RefundError, pe(329, "Refund period has passed")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.settledCharge(tt.card, "")
			e.advance(tt.before)
			ref := e.refund(c.ID, tt.body)
			if ref.Status != api.RefundPending || ref.ChargeID != c.ID || ref.StoreID != e.demo.StoreID || ref.Mode != api.ModeTest || ref.Error != nil {
				t.Fatalf("created = %+v", ref)
			}
			if got, _ := e.getRefund(c.ID, ref.ID, ""); got.Status != api.RefundPending {
				t.Fatalf("before the delay: %s", got.Status)
			}
			e.settleAll()
			got, _ := e.getRefund(c.ID, ref.ID, "")
			if got.Status != tt.status || (tt.err == nil) != (got.Error == nil) || (tt.err != nil && *got.Error != *tt.err) {
				t.Fatalf("after the delay: %s %+v", got.Status, got.Error)
			}
			// Refunds never change the charge's status.
			if ch := e.getCharge(c.ID); ch.Status != api.ChargeSuccessful {
				t.Fatalf("charge after the refund: %s", ch.Status)
			}
		})
	}
}

// A charge's pending and successful refunds never total more than it
// charged; failed ones give their amount back.
func TestRefundTotals(t *testing.T) {
	e := newClockEnv(t)
	c := e.settledCharge("4000020000000000", "")
	e.refund(c.ID, `{"amount":250,"currency":"JPY"}`)
	e.refund(c.ID, `{"amount":100,"currency":"JPY"}`)
	e.settleAll()
	over := `{"amount":651,"currency":"JPY"}`
	wantError(t, e.do("POST", e.refundsPath(c.ID), e.secretAuth(), over), 400, api.CodeRefundExceedsChargeAmount)
	e.refund(c.ID, `{"amount":650,"currency":"JPY"}`) // pending counts too
	wantError(t, e.do("POST", e.refundsPath(c.ID), e.secretAuth(), `{"amount":1,"currency":"JPY"}`), 400, api.CodeRefundExceedsChargeAmount)
	wantError(t, e.do("POST", e.refundsPath(c.ID), e.secretAuth(), `{"amount":1001,"currency":"JPY"}`), 400, api.CodeRefundNotWithinBounds)

	f := e.settledCharge("4242424242424242", "")
	e.refund(f.ID, `{"amount":1000,"currency":"JPY"}`)
	e.settleAll()
	again := e.refund(f.ID, `{"amount":1000,"currency":"JPY"}`) // the failed refund gave its amount back
	if again.Status != api.RefundPending {
		t.Fatalf("second refund: %s", again.Status)
	}

	// A partial capture can be refunded up to the captured amount.
	a := e.authorizedCharge("4000020000000000")
	e.capture(a.ID, `{"amount":600,"currency":"JPY"}`)
	e.settleAll()
	wantError(t, e.do("POST", e.refundsPath(a.ID), e.secretAuth(), `{"amount":601,"currency":"JPY"}`), 400, api.CodeRefundNotWithinBounds)
	e.refund(a.ID, `{"amount":600,"currency":"JPY"}`)
}

// Concurrent refunds of one charge: the total rule holds.
func TestConcurrentRefunds(t *testing.T) {
	e := newEnv(t)
	c := e.settledCharge("4000020000000000", "")
	const n = 10
	codes := make(chan resp, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req := e.do // the handler is safe for concurrent use
			codes <- req("POST", e.refundsPath(c.ID), e.secretAuth(), `{"amount":300,"currency":"JPY"}`)
		}()
	}
	close(start)
	wg.Wait()
	close(codes)
	created := 0
	for r := range codes {
		switch r.code {
		case http.StatusCreated:
			created++
		case http.StatusBadRequest:
			if r.errBody(t).Code != api.CodeRefundExceedsChargeAmount {
				t.Errorf("refused with %s", r.body)
			}
		default:
			t.Errorf("unexpected %d %s", r.code, r.body)
		}
	}
	if created != 3 {
		t.Fatalf("%d refunds of 300 created on a charge of 1000, want 3", created)
	}
}

func TestRefundErrors(t *testing.T) {
	e := newClockEnv(t)
	ctx := context.Background()
	successful := e.settledCharge("4000020000000000", "")
	failed := e.settledCharge("4111111111111111", "")
	authorized := e.authorizedCharge("4000020000000000")
	// Payment methods this slice cannot create: re-label stored charges.
	relabel := func(pt api.PaymentType) api.Charge {
		c := e.settledCharge("4000020000000000", "")
		stored, err := e.s.storage.GetCharge(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		stored.PaymentType = pt
		if err := e.s.storage.UpdateCharge(ctx, stored); err != nil {
			t.Fatal(err)
		}
		return c
	}
	bank := relabel(api.PaymentTypeBankTransfer)
	pending := e.createCharge(e.createToken("4000020000000000", "one_time").ID, "") // not settled

	fe := func(field, reason string) api.FieldError { return api.FieldError{Field: field, Reason: reason} }
	ok := `{"amount":100,"currency":"JPY"}`
	e.wantErrors(t, "POST", []errorCase{
		{"failed charge", e.refundsPath(failed.ID), "", ok, 400, api.CodeCannotRefundUnsuccessful, nil},
		{"authorized charge", e.refundsPath(authorized.ID), "", ok, 400, api.CodeCannotRefundUnsuccessful, nil},
		{"pending charge", e.refundsPath(pending.ID), "", ok, 400, api.CodeCannotRefundUnsuccessful, nil},
		{"bank transfer", e.refundsPath(bank.ID), "", ok, 400, api.CodeRefundNotAllowed, nil},
		{"other currency", e.refundsPath(successful.ID), "", `{"amount":100,"currency":"USD"}`, 400, api.CodeCurrencyMustMatchCharge, nil},
		{"more than the charge", e.refundsPath(successful.ID), "", `{"amount":1001,"currency":"JPY"}`, 400, api.CodeRefundNotWithinBounds, nil},
		{"missing fields", e.refundsPath(successful.ID), "", `{}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("amount", api.ReasonRequiredValue), fe("currency", api.ReasonRequiredValue)}},
		{"bad values", e.refundsPath(successful.ID), "", `{"amount":-5,"currency":"YEN!","reason":"changed_mind","metadata":{"a":[1]}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("amount", api.ReasonInvalidAmount), fe("currency", api.ReasonInvalidFormatCurrency),
				fe("reason", api.ReasonInvalidFormat), fe("metadata.a", api.ReasonNestedJSONNotAllowed)}},
		{"chargeback is the card company's", e.refundsPath(successful.ID), "", `{"amount":100,"currency":"JPY","reason":"chargeback"}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("reason", api.ReasonForbiddenParameter)}},
		{"unknown charge", e.refundsPath(newID()), "", ok, 404, api.CodeNotFound, nil},
		{"another store", "/stores/" + newID() + "/charges/" + successful.ID + "/refunds", "", ok, 404, api.CodeNotFound, nil},
		{"without the secret", e.refundsPath(successful.ID), e.publicAuth(), ok, 403, api.CodeInvalidPermissions, nil},
	})

	// A partial refund of a payment method without partial refunds is
	// accepted and ends in error 318; a full one succeeds.
	konbini := relabel(api.PaymentTypeKonbini)
	part := e.refund(konbini.ID, `{"amount":500,"currency":"JPY"}`)
	e.settleAll()
	if got, _ := e.getRefund(konbini.ID, part.ID, ""); got.Status != api.RefundError || got.Error == nil || got.Error.Code != 318 {
		t.Fatalf("partial konbini refund: %s %+v", got.Status, got.Error)
	}
	full := e.refund(konbini.ID, `{"amount":1000,"currency":"JPY"}`)
	e.settleAll()
	if got, _ := e.getRefund(konbini.ID, full.ID, ""); got.Status != api.RefundSuccessful {
		t.Fatalf("full konbini refund: %s %+v", got.Status, got.Error)
	}
}

func TestRefundReadListUpdate(t *testing.T) {
	e := newEnv(t)
	c := e.settledCharge("4000020000000000", "")
	other := e.settledCharge("4000020000000000", "")
	var ids []string // newest first
	for i := range 12 {
		ref := e.refund(c.ID, `{"amount":10,"currency":"JPY","metadata":{"n":`+string(rune('0'+i%10))+`}}`)
		ids = append([]string{ref.ID}, ids...)
	}
	otherRef := e.refund(other.ID, `{"amount":10,"currency":"JPY"}`)

	// Polling returns as soon as the refund leaves pending (the real
	// processing delay is 40 ms in tests).
	polled, _ := e.getRefund(c.ID, ids[0], "?polling=true")
	if polled.Status != api.RefundSuccessful {
		t.Fatalf("polled: %s", polled.Status)
	}
	e.settleAll()
	// A refund is found only under its own charge and store.
	wantError(t, e.do("GET", e.refundsPath(other.ID)+"/"+ids[0], e.secretAuth(), ""), 404, api.CodeNotFound)
	wantError(t, e.do("GET", e.refundsPath(c.ID)+"/"+newID(), e.secretAuth(), ""), 404, api.CodeNotFound)
	wantError(t, e.do("GET", e.refundsPath(c.ID)+"/"+ids[0]+"?polling=yes", e.secretAuth(), ""), 400, api.CodeValidationError,
		api.FieldError{Field: "polling", Reason: api.ReasonInvalidFormat})

	var page api.List[api.RefundListItem]
	r := e.do("GET", e.refundsPath(c.ID)+"?limit=10", e.secretAuth(), "")
	r.json(t, &page)
	if r.code != 200 || len(page.Items) != 10 || !page.HasMore || page.TotalHits != 12 || page.Items[0].ID != ids[0] {
		t.Fatalf("first page: %d %s", r.code, r.body)
	}
	if it := page.Items[0]; it.MerchantName != DemoMerchantName || it.StoreName != DemoStoreName || it.Status != api.RefundSuccessful {
		t.Fatalf("list item: %+v", it)
	}
	r = e.do("GET", e.refundsPath(c.ID)+"?limit=10&cursor="+page.Items[9].ID, e.secretAuth(), "")
	r.json(t, &page)
	if len(page.Items) != 2 || page.HasMore || page.Items[1].ID != ids[11] {
		t.Fatalf("second page: %s", r.body)
	}
	for _, id := range []string{otherRef.ID} {
		if strings.Contains(string(r.body), id) {
			t.Fatalf("another charge's refund listed")
		}
	}
	wantError(t, e.do("GET", e.refundsPath(newID()), e.secretAuth(), ""), 404, api.CodeNotFound)
	wantError(t, e.do("GET", e.refundsPath(c.ID)+"?limit=5", e.secretAuth(), ""), 400, api.CodeValidationError,
		api.FieldError{Field: "limit", Reason: "Limit must be between 10 and 100"})
	wantError(t, e.do("GET", e.refundsPath(c.ID)+"?cursor="+newID(), e.secretAuth(), ""), 400, api.CodeValidationError,
		api.FieldError{Field: "cursor", Reason: api.ReasonInvalidFormat})

	// PATCH merges metadata (null deletes), on both paths.
	ref := e.refund(c.ID, `{"amount":10,"currency":"JPY","metadata":{"coupon":"VIP007","drop":1}}`)
	r = e.do("PATCH", e.refundsPath(c.ID)+"/"+ref.ID, e.secretAuth(), `{"metadata":{"customer_id":5555,"drop":null}}`)
	if r.code != 200 || !strings.Contains(string(r.body), `"metadata":{"coupon":"VIP007","customer_id":5555}`) {
		t.Fatalf("PATCH: %d %s", r.code, r.body)
	}
	r = e.do("PATCH", "/stores/"+e.demo.StoreID+"/refunds/"+ref.ID, e.secretAuth(), `{"metadata":{"coupon":"VIP008"}}`)
	if r.code != 200 || !strings.Contains(string(r.body), `"metadata":{"coupon":"VIP008","customer_id":5555}`) {
		t.Fatalf("PATCH alias: %d %s", r.code, r.body)
	}
	e.settleAll() // the outcome keeps the metadata
	if got, raw := e.getRefund(c.ID, ref.ID, ""); got.Status != api.RefundSuccessful || !strings.Contains(string(raw.body), `"customer_id":5555`) {
		t.Fatalf("after settling: %s", raw.body)
	}
	wantError(t, e.do("PATCH", e.refundsPath(other.ID)+"/"+ref.ID, e.secretAuth(), `{"metadata":{}}`), 404, api.CodeNotFound)
	wantError(t, e.do("PATCH", "/stores/"+e.demo.StoreID+"/refunds/"+newID(), e.secretAuth(), `{"metadata":{}}`), 404, api.CodeNotFound)
	wantError(t, e.do("PATCH", e.refundsPath(c.ID)+"/"+ref.ID, e.secretAuth(), `{"metadata":{"x":{"y":1}}}`), 400, api.CodeValidationError,
		api.FieldError{Field: "metadata.x", Reason: api.ReasonNestedJSONNotAllowed})
}

func TestRefundGolden(t *testing.T) {
	e := newClockEnv(t)
	c := e.settledCharge("4000020000000000", `,"metadata":{"order_id":12345}`)
	assertGolden(t, "charge_successful", e.do("GET", e.chargePath(c.ID), e.secretAuth(), "").body)
	f := e.settledCharge("4111111111111111", "")
	assertGolden(t, "charge_failed", e.do("GET", e.chargePath(f.ID), e.secretAuth(), "").body)

	r := e.do("POST", e.refundsPath(c.ID), e.secretAuth(), `{"amount":250,"currency":"JPY","reason":"customer_request","message":"15 percent off","metadata":{"coupon":"VIP007"}}`)
	assertGolden(t, "refund_pending", r.body)
	var ref api.Refund
	r.json(t, &ref)
	e.settleAll()
	_, got := e.getRefund(c.ID, ref.ID, "")
	assertGolden(t, "refund", got.body)
	assertGolden(t, "refund_list", e.do("GET", e.refundsPath(c.ID), e.secretAuth(), "").body)

	bad := e.settledCharge("4242424242424242", "")
	r = e.do("POST", e.refundsPath(bad.ID), e.secretAuth(), `{"amount":1000,"currency":"JPY"}`)
	r.json(t, &ref)
	e.settleAll()
	_, got = e.getRefund(bad.ID, ref.ID, "")
	assertGolden(t, "refund_failed", got.body)
}
