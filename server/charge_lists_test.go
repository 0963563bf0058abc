package server

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"kessai/api"
)

func chargeIDsOf(cs ...api.Charge) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func TestChargeListFilters(t *testing.T) {
	e := newEnv(t)
	taro := e.createTokenSpec(tokenSpec{number: "4000020000000000", typ: "recurring", email: "taro@example.com", holder: "TARO YAMADA",
		month: "12", year: "2099", phoneCC: "81", phone: "090-1234-5678"})
	jiro := e.createTokenSpec(tokenSpec{number: "4242424242424242", typ: "recurring", email: "jiro@example.com", holder: "JIRO YAMADA",
		month: "02", year: "2031", phoneCC: "1", phone: "8029854583"})

	r := e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+taro.ID+`","amount":1000,"currency":"JPY","metadata":{"order":"A-1"}}`)
	var c1 api.Charge
	r.json(t, &c1)
	e.advance(time.Hour)
	c2 := e.chargeYen(taro.ID, 5000)
	r = e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+taro.ID+`","amount":50,"currency":"usd"}`)
	var usd api.Charge
	r.json(t, &usd)
	hanako := e.createTokenSpec(tokenSpec{number: "5555555555554444", typ: "one_time", email: "hanako@example.com", holder: "Hanako Suzuki",
		month: "1", year: "2030"})
	c3 := e.chargeYen(hanako.ID, 2000)
	e.advance(time.Hour)
	c4 := e.chargeYen(jiro.ID, 3000)
	live, err := e.s.CreateAppToken(context.Background(), AppTokenInput{StoreID: e.demo.StoreID, Mode: "live"})
	if err != nil {
		t.Fatal(err)
	}
	liveAuth := "Bearer " + live.Secret + "." + live.JWT
	liveTok := e.createTokenSpecAs(liveAuth, tokenSpec{number: "4000000000000002", typ: "one_time", email: "live@example.com", holder: "LIVE BUYER",
		month: "12", year: "2099"})
	r = e.do("POST", "/charges", liveAuth, `{"transaction_token_id":"`+liveTok.ID+`","amount":7000,"currency":"JPY"}`)
	var c5 api.Charge
	r.json(t, &c5)
	if c5.Mode != api.ModeLive {
		t.Fatalf("live charge: %s", r.body)
	}
	e.advance(time.Minute) // all settled

	enc := url.QueryEscape
	card := func(last4, name, month, year string) string {
		return "last_four=" + last4 + "&name=" + enc(name) + "&exp_month=" + month + "&exp_year=" + year
	}
	all := chargeIDsOf(c5, c4, c3, usd, c2, c1)
	for _, tt := range []struct {
		name, query string
		want        []string
	}{
		{"no filter", "", all},
		{"card", card("0000", "taro yamada", "12", "2099"), chargeIDsOf(usd, c2, c1)},
		{"card, 2-digit year", card("0000", "TARO YAMADA", "12", "99"), chargeIDsOf(usd, c2, c1)},
		{"card, other name", card("0000", "TARO", "12", "2099"), nil},
		{"card, other expiry", card("0000", "TARO YAMADA", "11", "2099"), nil},
		{"card, other last four", card("4444", "TARO YAMADA", "12", "2099"), nil},
		{"card of a one_time token", card("4444", "hanako suzuki", "01", "2030"), chargeIDsOf(c3)},
		{"email", "email=" + enc("TARO@example.com"), chargeIDsOf(usd, c2, c1)},
		{"phone", "phone=09012345678", chargeIDsOf(usd, c2, c1)},
		{"phone with country code", "phone=" + enc("+1 802-985-4583"), chargeIDsOf(c4)},
		{"amount_from exclusive", "amount_from=3000", chargeIDsOf(c5, c2)},
		{"amount_to exclusive", "amount_to=2000", chargeIDsOf(usd, c1)},
		{"amount range", "amount_from=999&amount_to=3000", chargeIDsOf(c3, c1)},
		{"currency", "currency=usd", chargeIDsOf(usd)},
		{"currency JPY", "currency=JPY", chargeIDsOf(c5, c4, c3, c2, c1)},
		{"mode live", "mode=live", chargeIDsOf(c5)},
		{"mode test", "mode=test", chargeIDsOf(c4, c3, usd, c2, c1)},
		{"metadata", "metadata=" + enc("order:A-1"), chargeIDsOf(c1)},
		{"transaction_token_id", "transaction_token_id=" + hanako.ID, chargeIDsOf(c3)},
		{"from inclusive, to exclusive", "from=" + enc(c2.CreatedOn) + "&to=" + enc(c4.CreatedOn), chargeIDsOf(c3, usd, c2)},
		{"and", "email=taro@example.com&currency=JPY&amount_to=5000", chargeIDsOf(c1)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, total := e.pageIDs("/stores/"+e.demo.StoreID+"/charges?"+tt.query, e.secretAuth())
			if !slices.Equal(got, tt.want) || total != len(tt.want) {
				t.Fatalf("got %v (total %d), want %v", got, total, tt.want)
			}
			if got, _ := e.pageIDs("/charges?"+tt.query, e.secretAuth()); !slices.Equal(got, tt.want) {
				t.Fatalf("GET /charges: got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestChargeListErrors(t *testing.T) {
	e := newEnv(t)
	fe := func(field, reason string) api.FieldError { return api.FieldError{Field: field, Reason: reason} }
	req := api.ReasonRequiredValue
	for _, tt := range []struct {
		query string
		errs  []api.FieldError
	}{
		{"last_four=0000", []api.FieldError{fe("name", req), fe("exp_month", req), fe("exp_year", req)}},
		{"name=TARO&exp_month=12", []api.FieldError{fe("last_four", req), fe("exp_year", req)}},
		{"name=TARO&exp_month=12&exp_year=2099", []api.FieldError{fe("last_four", req)}},
		{"last_four=00000&name=A&exp_month=13&exp_year=20999", []api.FieldError{
			fe("last_four", api.ReasonInvalidFormat), fe("exp_month", api.ReasonInvalidFormat), fe("exp_year", api.ReasonInvalidFormat)}},
		{"phone=call-me", []api.FieldError{fe("phone", api.ReasonInvalidPhoneNumber)}},
		{"amount_from=-1&amount_to=1.5", []api.FieldError{fe("amount_from", api.ReasonInvalidFormat), fe("amount_to", api.ReasonInvalidFormat)}},
		{"currency=YEN1", []api.FieldError{fe("currency", api.ReasonInvalidFormatCurrency)}},
		{"transaction_token_id=x", []api.FieldError{fe("transaction_token_id", api.ReasonInvalidFormatUUID)}},
		{"from=yesterday&cursor_direction=up", []api.FieldError{fe("cursor_direction", api.ReasonInvalidFormat), fe("from", api.ReasonInvalidFormatDate)}},
		{"limit=101", []api.FieldError{fe("limit", "Limit must be between 10 and 100")}},
		{"cursor=" + newID(), []api.FieldError{fe("cursor", api.ReasonInvalidFormat)}},
	} {
		t.Run(tt.query, func(t *testing.T) {
			wantError(t, e.do("GET", "/stores/"+e.demo.StoreID+"/charges?"+tt.query, e.secretAuth(), ""), 400, api.CodeValidationError, tt.errs...)
		})
	}
}

func TestChargeListPagination(t *testing.T) {
	e := newEnv(t)
	tok := e.createToken("4000020000000000", "recurring")
	var want []string // newest first
	for i := range 25 {
		c := e.chargeYen(tok.ID, 1000+i)
		want = append([]string{c.ID}, want...)
	}
	path := "/stores/" + e.demo.StoreID + "/charges?limit=10"
	var got []string
	var more []bool
	cursor := ""
	for range 5 {
		q := path
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		var l api.List[api.ChargeListItem]
		e.do("GET", q, e.secretAuth(), "").json(t, &l)
		if l.TotalHits != 25 {
			t.Fatalf("total_hits = %d", l.TotalHits)
		}
		for _, it := range l.Items {
			got = append(got, it.ID)
		}
		more = append(more, l.HasMore)
		if !l.HasMore {
			break
		}
		cursor = l.Items[len(l.Items)-1].ID
	}
	if !slices.Equal(got, want) || !slices.Equal(more, []bool{true, true, false}) {
		t.Fatalf("pages = %v (has_more %v)\nwant %v", got, more, want)
	}
	asc, _ := e.pageIDs("/stores/"+e.demo.StoreID+"/charges?limit=100&cursor_direction=asc", e.secretAuth())
	slices.Reverse(asc)
	if !slices.Equal(asc, want) {
		t.Fatalf("ascending = %v", asc)
	}
}

func TestChargeListItemShape(t *testing.T) {
	e := newEnv(t)
	tok := e.createToken("4000020000000000", "recurring")
	r := e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY","metadata":{"order_id":12345,"shipping_details":"Customer wants it now"},"redirect":{"endpoint":"https://test.url/"}}`)
	var c api.Charge
	r.json(t, &c)
	e.pollCharge(c.ID)
	it, raw := onlyItem[api.ChargeListItem](t, e, "/stores/"+e.demo.StoreID+"/charges?transaction_token_id="+tok.ID, "charge_list_item")
	if it.MerchantName != DemoMerchantName || it.StoreName != DemoStoreName || it.ID != c.ID || it.Status != api.ChargeSuccessful {
		t.Errorf("item = %s", raw)
	}
}

func TestChargeAccess(t *testing.T) {
	e := newEnv(t)
	c := e.chargeYen(e.createToken("4000020000000000", "recurring").ID, 1000)
	base := "/stores/" + e.demo.StoreID + "/charges"
	otherID, otherAuth := e.otherStore("other")
	for _, tt := range []struct{ name, method, path, body string }{
		{"store list", "GET", base, ""},
		{"merchant list", "GET", "/charges", ""},
		{"update", "PATCH", base + "/" + c.ID, `{"metadata":{"a":"b"}}`},
		{"bank transfer ledgers", "GET", base + "/" + c.ID + "/bank_transfer_ledgers", ""},
	} {
		t.Run("without secret: "+tt.name, func(t *testing.T) {
			wantError(t, e.do(tt.method, tt.path, e.publicAuth(), tt.body), 403, api.CodeInvalidPermissions)
		})
	}
	for _, tt := range []struct{ name, method, path, body string }{
		{"store list", "GET", base, ""},
		{"update", "PATCH", base + "/" + c.ID, `{"metadata":{"a":"b"}}`},
		{"update on own path", "PATCH", "/stores/" + otherID + "/charges/" + c.ID, `{"metadata":{"a":"b"}}`},
		{"issuer token", "GET", "/stores/" + otherID + "/charges/" + c.ID + "/issuer_token", ""},
		{"3DS issuer token", "GET", "/stores/" + otherID + "/charges/" + c.ID + "/three_ds/issuer_token", ""},
		{"bank transfer ledgers", "GET", "/stores/" + otherID + "/charges/" + c.ID + "/bank_transfer_ledgers", ""},
	} {
		t.Run("other store: "+tt.name, func(t *testing.T) {
			wantError(t, e.do(tt.method, tt.path, otherAuth, tt.body), 404, api.CodeNotFound)
		})
	}
	if ids, total := e.pageIDs("/charges", otherAuth); len(ids) != 0 || total != 0 {
		t.Errorf("other store lists %v", ids)
	}
	if ids, _ := e.pageIDs("/charges", e.secretAuth()); !slices.Equal(ids, []string{c.ID}) {
		t.Errorf("own list %v", ids)
	}
}

func TestChargeUpdate(t *testing.T) {
	e := newEnv(t)
	tok := e.createToken("4000020000000000", "recurring")
	r := e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY","metadata":{"order_id":12345678901234567890,"keep":"k","drop":true}}`)
	var c api.Charge
	r.json(t, &c)
	path := "/stores/" + e.demo.StoreID + "/charges/" + c.ID
	// While pending: the metadata changes, the status does not, and the
	// charge settles afterwards as usual.
	u := e.do("PATCH", path, e.secretAuth(), `{"metadata":{"drop":null,"order_id":1234,"univapay-customer-id":"x","price":1.50},"amount":1}`)
	if u.code != 200 {
		t.Fatalf("PATCH: %d %s", u.code, u.body)
	}
	var got api.Charge
	u.json(t, &got)
	if got.Status != api.ChargePending || got.RequestedAmount != 1000 {
		t.Errorf("after PATCH: %s", u.body)
	}
	if m, _ := json.Marshal(got.Metadata); string(m) != `{"keep":"k","order_id":1234,"price":1.50,"univapay-customer-id":"x"}` {
		t.Errorf("metadata = %s", m)
	}
	settled := e.pollCharge(c.ID)
	if settled.Status != api.ChargeSuccessful || string(settled.Metadata["price"]) != "1.50" || len(settled.Metadata) != 4 {
		t.Errorf("settled = %+v", settled)
	}
	// After settling.
	e.do("PATCH", path, e.secretAuth(), `{"metadata":{"shipped":true}}`).json(t, &got)
	if got.Status != api.ChargeSuccessful || string(got.Metadata["shipped"]) != "true" || len(got.Metadata) != 5 {
		t.Errorf("after second PATCH: %+v", got)
	}

	fe := func(field, reason string) api.FieldError { return api.FieldError{Field: field, Reason: reason} }
	for _, tt := range []struct {
		name, path, body string
		status           int
		code             string
		errs             []api.FieldError
	}{
		{"no metadata", path, `{}`, 400, api.CodeValidationError, []api.FieldError{fe("metadata", api.ReasonRequiredValue)}},
		{"null metadata", path, `{"metadata":null}`, 400, api.CodeValidationError, []api.FieldError{fe("metadata", api.ReasonRequiredValue)}},
		{"nested", path, `{"metadata":{"a":{"b":1},"c":[1]}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("metadata.a", api.ReasonNestedJSONNotAllowed), fe("metadata.c", api.ReasonNestedJSONNotAllowed)}},
		{"not an object", path, `{"metadata":"a:b"}`, 400, api.CodeValidationError, []api.FieldError{fe("metadata", api.ReasonInvalidFormat)}},
		{"empty body", path, ``, 400, api.CodeValidationError, []api.FieldError{{Reason: api.ReasonRequiredValue}}},
		{"unknown charge", "/stores/" + e.demo.StoreID + "/charges/" + newID(), `{"metadata":{}}`, 404, api.CodeNotFound, nil},
		{"not a uuid", "/stores/" + e.demo.StoreID + "/charges/nope", `{"metadata":{}}`, 404, api.CodeNotFound, nil},
		{"unknown store", "/stores/" + newID() + "/charges/" + c.ID, `{"metadata":{}}`, 404, api.CodeNotFound, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, e.do("PATCH", tt.path, e.secretAuth(), tt.body), tt.status, tt.code, tt.errs...)
		})
	}
	// An empty object changes nothing.
	e.do("PATCH", path, e.secretAuth(), `{"metadata":{}}`).json(t, &got)
	if len(got.Metadata) != 5 {
		t.Errorf("metadata after {} = %v", got.Metadata)
	}
}

func TestChargeIssuerTokens(t *testing.T) {
	e := newEnv(t)
	pending := e.chargeYen(e.createToken("4000020000000000", "one_time").ID, 1000)
	done := e.pollCharge(e.chargeYen(e.createToken("4000020000000000", "one_time").ID, 1001).ID)
	notAwaiting := api.FieldError{Reason: api.ReasonInvalidChargeStatus}
	noChallenge := api.FieldError{Reason: api.ReasonInvalidThreeDSStatus}
	for _, c := range []api.Charge{pending, done} {
		base := "/stores/" + e.demo.StoreID + "/charges/" + c.ID
		for _, auth := range []string{e.secretAuth(), e.publicAuth()} {
			for _, suffix := range []string{"/issuer_token", "/issuerToken"} {
				wantError(t, e.do("GET", base+suffix, auth, ""), 400, api.CodeValidationError, notAwaiting)
			}
			wantError(t, e.do("GET", base+"/three_ds/issuer_token", auth, ""), 400, api.CodeValidationError, noChallenge)
		}
	}
	for _, suffix := range []string{"/issuer_token", "/issuerToken", "/three_ds/issuer_token", "/bank_transfer_ledgers"} {
		wantError(t, e.do("GET", "/stores/"+e.demo.StoreID+"/charges/"+newID()+suffix, e.secretAuth(), ""), 404, api.CodeNotFound)
	}
}

func TestBankTransferLedgers(t *testing.T) {
	e := newEnv(t)
	c := e.chargeYen(e.createToken("4000020000000000", "one_time").ID, 1000)
	r := e.do("GET", "/stores/"+e.demo.StoreID+"/charges/"+c.ID+"/bank_transfer_ledgers", e.secretAuth(), "")
	if r.code != 200 || strings.TrimSpace(string(r.body)) != `{"items":[],"has_more":false,"total_hits":0}` {
		t.Fatalf("ledgers of a card charge: %d %s", r.code, r.body)
	}
}
