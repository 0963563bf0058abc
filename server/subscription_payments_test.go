package server

import (
	"net/http"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// GET …/payments lists every payment made or attempted and the next one,
// newest first, in pages; GET …/payments/{id} reads one.
func TestSubscriptionPayments(t *testing.T) {
	e := newSchedEnv(t, "2024-01-10 10:00")
	sub := e.startSub(cardOK, "")
	e.advanceTo("2025-01-10 10:00")
	path := e.subPath(sub.ID) + "/payments"
	pays := e.payments(sub.ID)
	if len(pays) != 14 {
		t.Fatalf("%d payments", len(pays))
	}
	next, first := pays[0], pays[13]
	if next.DueDate != "2025-02-10" || next.IsPaid || next.ID != e.getSub(sub.ID, false).NextPayment.ID ||
		first.DueDate != "2024-01-10" || !first.IsPaid || first.ZoneID != api.DefaultZoneID ||
		first.Currency != "JPY" || string(first.AmountFormatted) != "1000" {
		t.Errorf("next %+v\nfirst %+v", next, first)
	}
	for i, p := range pays[1:] {
		if !p.IsPaid || p.DueDate >= pays[i].DueDate {
			t.Errorf("payment %d: %+v after %s", i+1, p, pays[i].DueDate)
		}
	}

	page := call[api.List[api.SubscriptionPayment]](e, http.StatusOK, "GET", path, e.secretAuth(), "")
	if len(page.Items) != 10 || !page.HasMore || page.TotalHits != 14 || page.Items[0].ID != next.ID {
		t.Fatalf("first page: %d items, more %v, total %d", len(page.Items), page.HasMore, page.TotalHits)
	}
	rest := call[api.List[api.SubscriptionPayment]](e, http.StatusOK, "GET", path+"?cursor="+page.Items[9].ID, e.secretAuth(), "")
	if len(rest.Items) != 4 || rest.HasMore || rest.Items[3].ID != first.ID {
		t.Fatalf("second page: %+v", rest)
	}
	asc := call[api.List[api.SubscriptionPayment]](e, http.StatusOK, "GET", path+"?cursor_direction=asc&limit=10", e.secretAuth(), "")
	if asc.Items[0].ID != first.ID {
		t.Errorf("ascending starts with %s", asc.Items[0].DueDate)
	}

	got := call[api.SubscriptionPayment](e, http.StatusOK, "GET", path+"/"+pays[5].ID, e.secretAuth(), "")
	if got != pays[5] {
		t.Errorf("GET payment = %+v, want %+v", got, pays[5])
	}

	other := e.startSub(cardOK2, "")
	fe := func(field, reason string) api.FieldError { return api.FieldError{Field: field, Reason: reason} }
	e.wantErrors(t, "GET", []errorCase{
		{"a payment of another subscription", e.subPath(other.ID) + "/payments/" + first.ID, "", "", 404, api.CodeNotFound, nil},
		{"an unknown payment", path + "/" + newID(), "", "", 404, api.CodeNotFound, nil},
		{"not a UUID", path + "/x", "", "", 404, api.CodeNotFound, nil},
		{"an unknown subscription", e.subPath(newID()) + "/payments", "", "", 404, api.CodeNotFound, nil},
		{"a bad limit", path + "?limit=5", "", "", 400, api.CodeValidationError, []api.FieldError{fe("limit", "Limit must be between 10 and 100")}},
	})
	wantError(t, e.do("GET", path, e.publicAuth(), ""), 403, api.CodeInvalidPermissions)
}

// PATCH …/payments/{id} moves the next payment to a later date; after a
// failure the retry runs on the later of the retry date and that date.
func TestSubscriptionPaymentUpdate(t *testing.T) {
	e := newSchedEnv(t, "2024-05-01 10:00")
	sub := e.startSub(cardOK, "")
	path := e.subPath(sub.ID) + "/payments/"
	next := sub.NextPayment.ID
	moved := call[api.SubscriptionPayment](e, http.StatusOK, "PATCH", path+next, e.secretAuth(), `{"due_date":"2024-06-05"}`)
	if moved.ID != next || moved.DueDate != "2024-06-05" {
		t.Fatalf("moved: %+v", moved)
	}
	if got := e.getSub(sub.ID, false).NextPayment; got.DueDate != "2024-06-05" {
		t.Errorf("next_payment %+v", got)
	}
	e.advanceTo("2024-06-05 08:00")
	wantLines(t, "charges", e.chargeLog(sub.ID, api.DefaultZoneID), []string{"2024-05-01 10:00 1000 successful", "2024-06-05 07:00 1000 successful"})
	// The payments after it keep their cycle dates.
	if got := e.getSub(sub.ID, false).NextPayment; got.DueDate != "2024-07-01" {
		t.Errorf("the payment after: %s", got.DueDate)
	}

	// A failed payment: retried 10 days later, or on a later date set.
	e.patchSub(sub.ID, `{"transaction_token_id":"`+e.createToken(cardDeclined, "subscription").ID+`"}`)
	e.advanceTo("2024-07-01 08:00")
	failed := e.getSub(sub.ID, false).NextPayment
	if *failed.RetryDate != "2024-07-11" {
		t.Fatalf("retry %s", *failed.RetryDate)
	}
	call[api.SubscriptionPayment](e, http.StatusOK, "PATCH", path+failed.ID, e.secretAuth(), `{"due_date":"2024-07-15"}`)
	e.patchSub(sub.ID, `{"transaction_token_id":"`+e.createToken(cardOK2, "subscription").ID+`"}`)
	e.advanceTo("2024-07-11 08:00")
	if n := len(e.chargeLog(sub.ID, api.DefaultZoneID)); n != 3 {
		t.Errorf("retried before the date set: %d charges", n)
	}
	e.advanceTo("2024-07-15 08:00")
	wantLines(t, "charges", e.chargeLog(sub.ID, api.DefaultZoneID)[2:], []string{"2024-07-01 07:00 1000 failed", "2024-07-15 07:00 1000 successful"})

	fe := func(reason string) []api.FieldError { return []api.FieldError{{Field: "due_date", Reason: reason}} }
	cur := e.getSub(sub.ID, false).NextPayment.ID
	e.wantErrors(t, "PATCH", []errorCase{
		{"no date", path + cur, "", `{}`, 400, api.CodeValidationError, fe(api.ReasonRequiredValue)},
		{"not a date", path + cur, "", `{"due_date":"soon"}`, 400, api.CodeValidationError, fe(api.ReasonInvalidFormatDate)},
		{"today", path + cur, "", `{"due_date":"2024-07-15"}`, 400, api.CodeValidationError, fe(api.ReasonMustBeFutureTime)},
		{"too far", path + cur, "", `{"due_date":"2027-04-12"}`, 400, api.CodeValidationError, fe(reasonStartTooFar)},
		{"a payment made", path + next, "", `{"due_date":"2024-08-01"}`, 400, api.CodeValidationError, fe(api.ReasonForbiddenParameter)},
		{"an unknown payment", path + newID(), "", `{"due_date":"2024-08-01"}`, 404, api.CodeNotFound, nil},
	})
	e.s.delay = time.Hour
	pending := e.createSub(e.createToken(cardOK3, "subscription").ID, "")
	wantError(t, e.do("PATCH", e.subPath(pending.ID)+"/payments/"+pending.NextPayment.ID, e.secretAuth(), `{"due_date":"2024-08-01"}`),
		400, api.CodeValidationError, fe(api.ReasonForbiddenParameter)...)
	mustStatus(t, e.do("DELETE", e.subPath(sub.ID), e.secretAuth(), ""), 204)
	wantError(t, e.do("PATCH", path+cur, e.secretAuth(), `{"due_date":"2024-08-01"}`), 400, api.CodeCannotChangeCanceledSub)
	if rows := e.payments(sub.ID); rows[0].ID == cur {
		t.Errorf("the next payment of a canceled subscription is still listed: %+v", rows[0])
	}
}

// The store's CVV confirmation (docs/subscriptions.md, "Recurring
// tokens"): charging a recurring card token above the threshold needs a
// fresh CVV; a subscription's payments do not.
func TestRecurringCVVThreshold(t *testing.T) {
	e := newSchedEnv(t, "2024-05-01 10:00")
	e.setConfig(func(c *domain.StoreConfig) {
		c.CVVConfirmationEnabled = true
		c.CVVConfirmationThreshold = []domain.Money{{Amount: 10000, Currency: "JPY"}}
	})
	tok := e.createToken(cardOK, "recurring")
	charge := func(amount string) resp {
		return e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":`+amount+`,"currency":"JPY"}`)
	}
	// The CVV given with the token covers its first charge, within 5 minutes.
	mustStatus(t, charge("20000"), 201)
	wantError(t, charge("20000"), 400, api.CodeRecurringUsageRequiresCVV)
	mustStatus(t, charge("10000"), 201) // not above the threshold
	wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":20000,"currency":"JPY"}`), 400, api.CodeRecurringUsageRequiresCVV)
	mustStatus(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":20000,"currency":"USD"}`), 201) // no USD threshold
	// A CVV update opens the window for one charge.
	mustStatus(t, e.do("PATCH", "/stores/"+e.demo.StoreID+"/tokens/"+tok.ID, e.publicAuth(), `{"data":{"cvv":"123"}}`), 200)
	e.advance(time.Second)
	mustStatus(t, charge("30000"), 201)
	wantError(t, charge("30000"), 400, api.CodeRecurringUsageRequiresCVV)

	late := e.createToken(cardOK2, "recurring")
	e.advance(5 * time.Minute)
	wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+late.ID+`","amount":20000,"currency":"JPY"}`), 400, api.CodeRecurringUsageRequiresCVV)

	// A subscription on a recurring token pays above the threshold.
	sub := call[api.Subscription](e, http.StatusCreated, "POST", "/subscriptions", e.secretAuth(),
		`{"transaction_token_id":"`+late.ID+`","amount":20000,"currency":"JPY","period":"monthly"}`)
	e.settleAll()
	e.advanceTo("2024-06-01 08:00")
	wantLines(t, "charges", e.chargeLog(sub.ID, api.DefaultZoneID), []string{"2024-05-01 10:05 20000 successful", "2024-06-01 07:00 20000 successful"})

	e.setConfig(func(c *domain.StoreConfig) { c.CVVConfirmationEnabled = false })
	mustStatus(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+late.ID+`","amount":20001,"currency":"JPY"}`), 201)
}
