package server

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"kessai/api"
)

func (e *testEnv) transactions(path, query string) api.List[api.Transaction] {
	e.t.Helper()
	if query != "" {
		path += "?" + query
	}
	return call[api.List[api.Transaction]](e, http.StatusOK, "GET", path, e.secretAuth(), "")
}

func resourceIDs(l api.List[api.Transaction]) []string {
	var out []string
	for _, it := range l.Items {
		out = append(out, string(it.Type)+":"+it.ResourceID)
	}
	return out
}

func TestTransactionHistory(t *testing.T) {
	e := newClockEnv(t)
	paid := e.settledCharge("4000020000000000", `,"metadata":{"order_id":"A-1"}`)
	e.advance(time.Minute)
	refunded := e.refund(paid.ID, `{"amount":300,"currency":"JPY","metadata":{"coupon":"VIP007"}}`)
	e.settleAll()
	e.advance(time.Minute)
	failedRefund := e.settledCharge("4242424242424242", "")
	bad := e.refund(failedRefund.ID, `{"amount":1000,"currency":"JPY"}`)
	e.settleAll()
	declined := e.settledCharge("4111111111111111", "")
	authorized := e.authorizedCharge("5555555555554444")
	// Newest first.
	all := []string{"charge:" + authorized.ID, "charge:" + declined.ID, "refund:" + bad.ID, "charge:" + failedRefund.ID,
		"refund:" + refunded.ID, "charge:" + paid.ID}
	store := "/stores/" + e.demo.StoreID + "/transaction_history"

	l := e.transactions(store, "")
	if !slices.Equal(resourceIDs(l), all) || l.TotalHits != 6 || l.HasMore {
		t.Fatalf("history = %v (total %d)\nwant %v", resourceIDs(l), l.TotalHits, all)
	}
	if l2 := e.transactions("/transaction_history", ""); !slices.Equal(resourceIDs(l2), all) {
		t.Fatalf("/transaction_history = %v", resourceIDs(l2))
	}

	// The refund item and its charge.
	ref, ch := l.Items[4], l.Items[5]
	if ref.Type != api.TransactionRefund || ref.ChargeID == nil || *ref.ChargeID != paid.ID || ref.Amount != 300 || ref.Status != "successful" ||
		string(ref.Metadata["coupon"]) != `"VIP007"` || ref.UserData.Type != api.TransactionRefund || ref.PaymentType != api.PaymentTypeCard {
		t.Fatalf("refund item = %+v", ref)
	}
	if ch.ChargeID != nil || ch.Amount != 1000 || ch.Status != "successful" || *ch.UserData.CardholderName != "TARO YAMADA" ||
		*ch.UserData.CardholderEmailAddress != "taro@example.com" || *ch.UserData.Brand != "visa" || ch.StoreName != DemoStoreName ||
		ch.MerchantName != DemoMerchantName || ch.MerchantID == "" {
		t.Fatalf("charge item = %+v", ch)
	}

	q := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"type refund", q("type", "refund"), []string{"refund:" + bad.ID, "refund:" + refunded.ID}},
		{"type charge, status failed", q("type", "charge", "status", "failed"), []string{"charge:" + declined.ID}},
		{"status failed", q("status", "failed"), []string{"charge:" + declined.ID, "refund:" + bad.ID}},
		{"status authorized", q("status", "authorized"), []string{"charge:" + authorized.ID}},
		{"errored is error", q("status", "errored"), nil},
		{"search refund ID", q("search", refunded.ID), []string{"refund:" + refunded.ID}},
		{"search charge ID: the charge and its refunds", q("search", paid.ID), []string{"refund:" + refunded.ID, "charge:" + paid.ID}},
		{"search metadata value", q("search", "A-1"), []string{"charge:" + paid.ID}},
		{"search last four", q("search", "4444"), []string{"charge:" + authorized.ID}},
		{"search cardholder", q("search", "taro"), all},
		{"from and to, both inclusive", q("from", refunded.CreatedOn, "to", failedRefund.CreatedOn),
			[]string{"charge:" + failedRefund.ID, "refund:" + refunded.ID}},
		{"mode live", q("mode", "live"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := resourceIDs(e.transactions(store, tt.query)); !slices.Equal(got, tt.want) {
				t.Fatalf("got %v\nwant %v", got, tt.want)
			}
		})
	}

	// Pages with cursors over charges and refunds.
	var walked []string
	query := "limit=10"
	for range 3 {
		p := e.transactions(store, query)
		walked = append(walked, resourceIDs(p)...)
		if !p.HasMore {
			break
		}
		query = "limit=10&cursor=" + p.Items[len(p.Items)-1].ResourceID
	}
	if !slices.Equal(walked, all) {
		t.Fatalf("walked %v", walked)
	}
	asc := e.transactions(store, "cursor_direction=asc&cursor="+refunded.ID)
	if got := resourceIDs(asc); !slices.Equal(got, []string{"charge:" + failedRefund.ID, "refund:" + bad.ID, "charge:" + declined.ID, "charge:" + authorized.ID}) {
		t.Fatalf("ascending after a refund cursor: %v", got)
	}

	fe := func(field, reason string) api.FieldError { return api.FieldError{Field: field, Reason: reason} }
	wantError(t, e.do("GET", store+"?type=payout&status=done&limit=1000", e.secretAuth(), ""), 400, api.CodeValidationError,
		fe("limit", "Limit must be between 10 and 100"), fe("type", api.ReasonInvalidFormat), fe("status", api.ReasonInvalidFormat))
	wantError(t, e.do("GET", store+"?cursor="+newID(), e.secretAuth(), ""), 400, api.CodeValidationError, fe("cursor", api.ReasonInvalidFormat))
	wantError(t, e.do("GET", "/stores/"+newID()+"/transaction_history", e.secretAuth(), ""), 404, api.CodeNotFound)
	wantError(t, e.do("GET", store, e.publicAuth(), ""), 403, api.CodeInvalidPermissions)
}

func TestTransactionGolden(t *testing.T) {
	e := newClockEnv(t)
	c := e.settledCharge("4000020000000000", "")
	e.refund(c.ID, `{"amount":250,"currency":"JPY","metadata":{"coupon":"VIP007"}}`)
	e.settleAll()
	r := e.do("GET", "/stores/"+e.demo.StoreID+"/transaction_history?type=charge", e.secretAuth(), "")
	assertGolden(t, "transaction_list", r.body)
	r = e.do("GET", "/stores/"+e.demo.StoreID+"/transaction_history?type=refund", e.secretAuth(), "")
	assertGolden(t, "transaction_refund_list", r.body)
}
