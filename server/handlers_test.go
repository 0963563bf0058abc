package server

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

func keysOf(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func TestCheckoutInfoShape(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/checkout_info", e.publicAuth(), "")
	if r.code != 200 {
		t.Fatalf("%d %s", r.code, r.body)
	}
	var m map[string]any
	r.json(t, &m)
	want := []string{"bank_transfer_configuration", "card_configuration", "checkout_configuration", "convenience_configuration",
		"installments_configuration", "logo_image", "mode", "name", "online_configuration", "paidy_configuration", "paidy_public_key",
		"qr_scan_configuration", "recurring_card_charge_cvv_confirmation", "recurring_token_privilege", "subscription_configuration",
		"subscription_plan_configuration", "supported_brands", "theme"}
	if got := keysOf(m); !slices.Equal(got, want) {
		t.Errorf("top-level keys = %v\nwant %v", got, want)
	}
	if m["mode"] != "test" || m["name"] != DemoStoreName || m["logo_image"] != nil {
		t.Errorf("mode/name/logo = %v %v %v", m["mode"], m["name"], m["logo_image"])
	}
	cc := m["card_configuration"].(map[string]any)
	for _, k := range []string{"enabled", "debit_enabled", "prepaid_enabled", "debit_authorization_enabled", "prepaid_authorization_enabled",
		"only_direct_currency", "forbidden_card_brands", "allowed_countries_by_ip", "foreign_cards_allowed", "fail_on_new_email",
		"card_limit", "allow_empty_cvv", "allow_direct_token_creation", "three_ds_required", "three_ds_address_required"} {
		if _, ok := cc[k]; !ok {
			t.Errorf("card_configuration.%s missing", k)
		}
	}
	colors := m["theme"].(map[string]any)["colors"].(map[string]any)
	if len(colors) != 7 {
		t.Errorf("theme.colors = %v", colors)
	}
	var brands []string
	for _, b := range m["supported_brands"].([]any) {
		bm := b.(map[string]any)
		wantKeys := []string{"brand", "card_brand", "countries_allowed", "cvv_auth", "dynamic_info", "installment_capable", "payment_type",
			"requires_cvv", "requires_full_name", "support_auth_capture", "support_dynamic_descriptor", "supported_currencies"}
		if got := keysOf(bm); !slices.Equal(got, wantKeys) {
			t.Errorf("supported_brands keys = %v", got)
		}
		brands = append(brands, bm["brand"].(string))
	}
	if strings.Join(brands, ",") != "visa,mastercard,jcb,american_express,diners_club" {
		t.Errorf("brands = %v", brands)
	}
}

func TestCreateCardToken(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/tokens?origin=http://localhost:3000", e.publicAuth(), cardTokenBody("4000 0200 0000 0000", "recurring"), "Origin", testPublicURL)
	if r.code != 201 {
		t.Fatalf("%d %s", r.code, r.body)
	}
	if strings.Contains(string(r.body), "4000020000000000") || strings.Contains(string(r.body), `"123"`) {
		t.Fatalf("response leaks card number or CVV: %s", r.body)
	}
	var tok api.TransactionToken
	r.json(t, &tok)
	c := tok.Data.Card
	if tok.StoreID != e.demo.StoreID || tok.Type != "recurring" || tok.PaymentType != "card" || !tok.Active || tok.Mode != "test" || tok.Email != "taro@example.com" {
		t.Errorf("token = %+v", tok)
	}
	if c.CardBIN != "400002" || c.LastFour != "0000" || c.Brand != "visa" || c.Country != "US" || c.ExpMonth != 12 || c.ExpYear != 2099 || c.CardType != "credit" || c.SubBrand != "none" {
		t.Errorf("card = %+v", c)
	}
	if *tok.Data.Billing.Country != "US" || *tok.Data.Billing.PhoneNumber.CountryCode != 1 {
		t.Errorf("billing = %+v", tok.Data.Billing)
	}
	if tok.Data.CVVAuthorize == nil || tok.Data.CVVAuthorizeCheck == nil || tok.Data.ThreeDS == nil {
		t.Errorf("missing data blocks: %s", r.body)
	}
	if !strings.HasSuffix(tok.CreatedOn, "Z") || !strings.Contains(tok.CreatedOn, ".") {
		t.Errorf("created_on = %q", tok.CreatedOn)
	}
	// Metadata numbers keep their text.
	if !strings.Contains(string(r.body), `"order_id":12345678901234567890`) {
		t.Errorf("metadata number changed: %s", r.body)
	}
	// GET returns the same token; other store / unknown → 404.
	g := e.do("GET", "/stores/"+e.demo.StoreID+"/tokens/"+tok.ID, e.publicAuth(), "")
	if g.code != 200 {
		t.Fatalf("GET token: %d %s", g.code, g.body)
	}
	wantError(t, e.do("GET", "/stores/"+newID()+"/tokens/"+tok.ID, e.secretAuth(), ""), 404, api.CodeNotFound)
	wantError(t, e.do("GET", "/stores/"+e.demo.StoreID+"/tokens/"+newID(), e.secretAuth(), ""), 404, api.CodeNotFound)
	wantError(t, e.do("GET", "/stores/"+e.demo.StoreID+"/tokens/not-a-uuid", e.secretAuth(), ""), 404, api.CodeNotFound)

	// Brands and countries by IIN.
	for number, brand := range map[string]string{"5555555555554444": "mastercard", "3530111333300000": "jcb", "378282246310005": "american_express", "30569309025904": "diners_club"} {
		tk := e.createToken(number, "one_time")
		if tk.Data.Card.Brand != brand || tk.Data.Card.Country != "JP" {
			t.Errorf("%s: brand %s country %s", number, tk.Data.Card.Brand, tk.Data.Card.Country)
		}
	}
}

func TestCreateTokenValidation(t *testing.T) {
	e := newEnv(t)
	card := func(fields string) string {
		return `{"payment_type":"card","type":"one_time","email":"a@example.com","data":{` + fields + `}}`
	}
	ok := `"cardholder":"TARO YAMADA","card_number":"4000020000000000","exp_month":"12","exp_year":"2099"`
	fe := func(field, reason string) api.FieldError { return api.FieldError{Field: field, Reason: reason} }
	tests := []struct {
		name   string
		body   string
		status int
		code   string
		errs   []api.FieldError
	}{
		{"bad luhn", card(`"cardholder":"A B","card_number":"4000020000000001","exp_month":"12","exp_year":"2099","cvv":"123"`), 400, api.CodeValidationError,
			[]api.FieldError{fe("data.card_number", api.ReasonInvalidCardNumber)}},
		{"missing everything", `{"data":{}}`, 400, api.CodeValidationError, []api.FieldError{
			fe("payment_type", api.ReasonRequiredValue), fe("type", api.ReasonRequiredValue), fe("email", api.ReasonRequiredValue)}},
		{"card data missing", `{"payment_type":"card","type":"one_time","email":"a@example.com","data":{}}`, 400, api.CodeValidationError, []api.FieldError{
			fe("data.cardholder", api.ReasonRequiredValue), fe("data.card_number", api.ReasonRequiredValue),
			fe("data.exp_month", api.ReasonRequiredValue), fe("data.exp_year", api.ReasonRequiredValue)}},
		{"bad email", strings.Replace(card(ok+`,"cvv":"123"`), "a@example.com", "not-an-email", 1), 400, api.CodeValidationError,
			[]api.FieldError{fe("email", api.ReasonInvalidFormatEmail)}},
		{"expired year", card(`"cardholder":"A B","card_number":"4000020000000000","exp_month":"12","exp_year":"2001","cvv":"123"`), 400, api.CodeValidationError,
			[]api.FieldError{fe("data.exp_year", api.ReasonInvalidCardExpiration)}},
		{"bad month", card(`"cardholder":"A B","card_number":"4000020000000000","exp_month":"13","exp_year":"99","cvv":"123"`), 400, api.CodeValidationError,
			[]api.FieldError{fe("data.exp_month", api.ReasonInvalidCardExpiration)}},
		{"bad cvv", card(ok + `,"cvv":"12"`), 400, api.CodeValidationError, []api.FieldError{fe("data.cvv", api.ReasonInvalidCVV)}},
		{"missing cvv", card(ok), 400, api.CodeCVVRequired, []api.FieldError{fe("data.cvv", api.ReasonRequiredValue)}},
		{"nested metadata", `{"payment_type":"card","type":"one_time","email":"a@example.com","metadata":{"a":{"b":1}},"data":{` + ok + `,"cvv":"123"}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("metadata.a", api.ReasonNestedJSONNotAllowed)}},
		{"wrong type for field", `{"payment_type":"card","type":"one_time","email":"a@example.com","data":{"cardholder":5}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("data.cardholder", api.ReasonInvalidFormat)}},
		{"unsupported brand", card(`"cardholder":"A B","card_number":"6011111111111117","exp_month":"12","exp_year":"2099","cvv":"123"`), 400, api.CodeCardBrandNotSupported, nil},
		{"usage limit on one_time", `{"payment_type":"card","type":"one_time","usage_limit":"monthly","email":"a@example.com","data":{` + ok + `,"cvv":"123"}}`, 400, api.CodeUsageLimitNotApplicable, nil},
		{"konbini with card data", `{"payment_type":"konbini","type":"one_time","email":"a@example.com","data":{` + ok + `,"cvv":"123"}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("data.customer_name", api.ReasonRequiredValue), fe("data.phone_number.local_number", api.ReasonRequiredValue),
				fe("data.convenience_store", api.ReasonRequiredValue)}},
		{"unknown payment type", `{"payment_type":"qr_scan","type":"one_time","email":"a@example.com","data":{}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("payment_type", api.ReasonInvalidFormat)}},
		{"empty body", ``, 400, api.CodeValidationError, []api.FieldError{{Reason: api.ReasonRequiredValue}}},
		{"malformed json", `{`, 400, api.CodeValidationError, []api.FieldError{{Reason: api.ReasonInvalidFormat}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, e.do("POST", "/tokens", e.secretAuth(), tt.body), tt.status, tt.code, tt.errs...)
		})
	}
	// Two-digit year and numeric exp fields are accepted.
	r := e.do("POST", "/tokens", e.secretAuth(), card(`"cardholder":"A B","card_number":"4242424242424242","exp_month":1,"exp_year":"99","cvv":"1234"`))
	if r.code != 201 {
		t.Fatalf("2-digit year: %d %s", r.code, r.body)
	}
	var tok api.TransactionToken
	r.json(t, &tok)
	if tok.Data.Card.ExpYear != 2099 || tok.Data.Card.ExpMonth != 1 {
		t.Errorf("exp = %d/%d", tok.Data.Card.ExpMonth, tok.Data.Card.ExpYear)
	}
}

func TestChargeFlows(t *testing.T) {
	e := newEnv(t)
	t.Run("successful", func(t *testing.T) {
		tok := e.createToken("4000020000000000", "one_time")
		r := e.do("POST", "/charges", e.publicAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":"1000","currency":"jpy","metadata":{"n":1.50}}`,
			"Origin", testPublicURL, "Content-Type", "application/json")
		// widget origin without origin param → INVALID_DOMAIN; retry with it
		wantError(t, r, 401, api.CodeInvalidDomain)
		r = e.do("POST", "/charges?origin=http://127.0.0.1:9000", e.publicAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":"1000","currency":"jpy","metadata":{"n":1.50}}`,
			"Origin", testPublicURL)
		if r.code != 201 {
			t.Fatalf("%d %s", r.code, r.body)
		}
		var c api.Charge
		r.json(t, &c)
		if c.Status != api.ChargePending || c.RequestedAmount != 1000 || c.RequestedCurrency != "JPY" || c.ChargedAmount != nil || string(c.RequestedAmountFormatted) != "1000" {
			t.Fatalf("created = %s", r.body)
		}
		if !strings.Contains(string(r.body), `"metadata":{"n":1.50}`) || !strings.Contains(string(r.body), `"error":null`) {
			t.Errorf("body = %s", r.body)
		}
		got := e.pollCharge(c.ID)
		if got.Status != api.ChargeSuccessful || *got.ChargedAmount != 1000 || *got.ChargedCurrency != "JPY" || string(*got.ChargedAmountFormatted) != "1000" || got.Error != nil {
			t.Fatalf("polled = %+v", got)
		}
		// The one_time token is used up.
		wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`),
			400, api.CodeTransactionAlreadyProcessed)
		g := e.do("GET", "/stores/"+e.demo.StoreID+"/tokens/"+tok.ID, e.secretAuth(), "")
		var tk api.TransactionToken
		g.json(t, &tk)
		if tk.Active || tk.LastUsedOn == nil {
			t.Errorf("used token active=%v last_used_on=%v", tk.Active, tk.LastUsedOn)
		}
	})
	t.Run("declined", func(t *testing.T) {
		tok := e.createToken("4111111111111111", "one_time")
		c := e.createCharge(tok.ID, "")
		got := e.pollCharge(c.ID)
		want := &api.PaymentError{Code: 309, Message: "Test charge failed purposely", Detail: "Test charge failed purposely", Details: "Test charge failed purposely"}
		if got.Status != api.ChargeFailed || got.Error == nil || *got.Error != *want || got.ChargedAmount != nil {
			t.Fatalf("polled = %+v err=%+v", got, got.Error)
		}
	})
	t.Run("authorization only", func(t *testing.T) {
		tok := e.createToken("4242424242424242", "one_time")
		c := e.createCharge(tok.ID, `,"capture":false`)
		if got := e.pollCharge(c.ID); got.Status != api.ChargeAuthorized {
			t.Fatalf("status = %s", got.Status)
		}
		amex := e.createToken("378282246310005", "one_time")
		wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+amex.ID+`","amount":1000,"currency":"JPY","capture":"false"}`),
			400, api.CodeAuthNotSupported)
	})
	t.Run("recurring reusable, USD formatting", func(t *testing.T) {
		tok := e.createToken("5555555555554444", "recurring")
		for i := 0; i < 2; i++ {
			r := e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":1250,"currency":"usd"}`)
			if r.code != 201 {
				t.Fatalf("charge %d: %d %s", i, r.code, r.body)
			}
			var c api.Charge
			r.json(t, &c)
			if string(c.RequestedAmountFormatted) != "12.50" {
				t.Errorf("formatted = %s", c.RequestedAmountFormatted)
			}
			if got := e.pollCharge(c.ID); got.Status != api.ChargeSuccessful || string(*got.ChargedAmountFormatted) != "12.50" {
				t.Errorf("polled %+v", got)
			}
		}
	})
	t.Run("errors", func(t *testing.T) {
		sub := e.createToken("4000020000000000", "subscription")
		wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+sub.ID+`","amount":1000,"currency":"JPY"}`),
			400, api.CodeNonSubscriptionPayment)
		wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+newID()+`","amount":1000,"currency":"JPY"}`),
			404, api.CodeNotFound)
		wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"amount":0,"currency":"JPYY"}`), 400, api.CodeValidationError,
			api.FieldError{Field: "transaction_token_id", Reason: api.ReasonRequiredValue},
			api.FieldError{Field: "amount", Reason: api.ReasonInvalidAmount},
			api.FieldError{Field: "currency", Reason: api.ReasonInvalidFormatCurrency})
		wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+sub.ID+`","amount":"12.5","currency":"JPY"}`), 400, api.CodeValidationError,
			api.FieldError{Field: "amount", Reason: api.ReasonInvalidFormat})
		wantError(t, e.do("GET", "/stores/"+e.demo.StoreID+"/charges/"+newID()+"?polling=maybe", e.secretAuth(), ""), 400, api.CodeValidationError,
			api.FieldError{Field: "polling", Reason: api.ReasonInvalidFormat})
	})
	t.Run("expired one_time token", func(t *testing.T) {
		tok := e.createToken("4000020000000000", "one_time")
		// Age the token past its 5-minute validity.
		stored, err := e.s.storage.GetToken(context.Background(), tok.ID)
		if err != nil {
			t.Fatal(err)
		}
		stored.CreatedAt = stored.CreatedAt.Add(-6 * time.Minute)
		if err := e.s.storage.UpdateToken(context.Background(), stored); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ { // stays "expired" on retry
			wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`),
				400, api.CodeTransactionTokenExpired)
		}
	})
}

func TestOtherStoreIs404(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := time.Now().UTC()
	shop := &domain.Store{ID: newID(), Name: "other", CreatedAt: now, Config: domain.StoreConfig{CardEnabled: true, CardBrands: []string{api.BrandVisa}}}
	shops, _ := e.s.storage.ListStores(ctx)
	shop.MerchantID = shops[0].MerchantID
	if err := e.s.storage.CreateStore(ctx, shop); err != nil {
		t.Fatal(err)
	}
	other, err := e.s.CreateAppToken(ctx, AppTokenInput{StoreID: shop.ID, Domains: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	otherAuth := "Bearer " + other.Secret + "." + other.JWT
	tok := e.createToken("4000020000000000", "one_time")
	c := e.createCharge(e.createToken("4000020000000000", "one_time").ID, "")

	wantError(t, e.do("POST", "/charges", otherAuth, `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`), 404, api.CodeNotFound)
	wantError(t, e.do("GET", "/stores/"+e.demo.StoreID+"/charges/"+c.ID, otherAuth, ""), 404, api.CodeNotFound)
	wantError(t, e.do("GET", "/stores/"+shop.ID+"/charges/"+c.ID, otherAuth, ""), 404, api.CodeNotFound)
	wantError(t, e.do("GET", "/stores/"+shop.ID+"/tokens/"+tok.ID, otherAuth, ""), 404, api.CodeNotFound)
	// The other store's checkout_info is its own.
	var info api.CheckoutInfo
	e.do("GET", "/checkout_info", otherAuth, "").json(t, &info)
	if info.Name != "other" || info.RecurringTokenPrivilege != api.RecurringNone {
		t.Errorf("info = %+v", info)
	}
	if _, err := e.s.CreateAppToken(ctx, AppTokenInput{StoreID: newID()}); err == nil {
		t.Error("CreateAppToken for unknown store succeeded")
	}
	if _, err := e.s.CreateAppToken(ctx, AppTokenInput{Mode: "prod"}); err == nil {
		t.Error("CreateAppToken with bad mode succeeded")
	}
}

// A poll of a charge that stays in a non-final status answers after the
// poll wait (3 s by default; Config.PollWait, 300 ms here) with the charge
// as it is; a final charge answers at once.
func TestPollingTimesOutAfterWait(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.PollWait = 300 * time.Millisecond })
	tok := e.createToken("4242424242424242", "one_time")
	c := e.createCharge(tok.ID, `,"capture":false`)
	if got := e.pollCharge(c.ID); got.Status != api.ChargeAuthorized {
		t.Fatalf("status %s", got.Status)
	}
	start := time.Now()
	got := e.pollCharge(c.ID) // authorized is not final: waits the whole poll wait
	if d := time.Since(start); d < 300*time.Millisecond || got.Status != api.ChargeAuthorized {
		t.Fatalf("waited %v, status %s", d, got.Status)
	}
	s := e.createCharge(e.createToken("4000020000000000", "one_time").ID, "")
	e.pollCharge(s.ID)
	start = time.Now()
	if got := e.pollCharge(s.ID); got.Status != api.ChargeSuccessful || time.Since(start) >= 300*time.Millisecond {
		t.Fatalf("a final charge: %s after %v", got.Status, time.Since(start))
	}
}

func TestIdempotency(t *testing.T) {
	e := newEnv(t)
	tok := e.createToken("4000020000000000", "one_time")
	body := `{"transaction_token_id":"` + tok.ID + `","amount":1000,"currency":"JPY"}`
	r1 := e.do("POST", "/charges", e.secretAuth(), body, "Idempotency-Key", "k1")
	r2 := e.do("POST", "/charges", e.secretAuth(), body, "Idempotency-Key", "k1")
	if r1.code != 201 || r2.code != 201 || string(r1.body) != string(r2.body) {
		t.Fatalf("replay: %d %s / %d %s", r1.code, r1.body, r2.code, r2.body)
	}
	if a, b := r1.header.Get("Idempotency-Status"), r2.header.Get("Idempotency-Status"); a != "successfully_stored" || b != "retrieved_idempotent_response" {
		t.Errorf("statuses %q %q", a, b)
	}
	r3 := e.do("POST", "/tokens", e.secretAuth(), cardTokenBody("4000020000000000", "one_time"), "Idempotency-Key", "k1")
	wantError(t, r3, 409, api.CodeIdempotencyKeyConflict)
	if r3.header.Get("Idempotency-Status") != "conflicting_key" {
		t.Errorf("conflict status %q", r3.header.Get("Idempotency-Status"))
	}
	// Without the key the same body is processed (and the token is used).
	wantError(t, e.do("POST", "/charges", e.secretAuth(), body), 400, api.CodeTransactionAlreadyProcessed)
	if g := e.do("GET", "/checkout_info", e.secretAuth(), "", "Idempotency-Key", "k2"); g.header.Get("Idempotency-Status") != "disabled" {
		t.Errorf("GET idempotency status %q", g.header.Get("Idempotency-Status"))
	}
}

func TestRoutingEdges(t *testing.T) {
	e := newEnv(t)
	if r := e.do("GET", "/heartbeat", "", ""); r.code != 200 || strings.TrimSpace(string(r.body)) != "{}" {
		t.Errorf("heartbeat: %d %s", r.code, r.body)
	}
	if r := e.do("GET", "//checkout_info", e.secretAuth(), ""); r.code != 200 {
		t.Errorf("doubled slash: %d %s", r.code, r.body)
	}
	if r := e.do("POST", "//tokens", e.secretAuth(), cardTokenBody("4000020000000000", "one_time")); r.code != 201 {
		t.Errorf("doubled slash POST: %d %s", r.code, r.body)
	}
	wantError(t, e.do("GET", "/nope", e.secretAuth(), ""), 404, api.CodeNotFound)
	r := e.do("DELETE", "/checkout_info", e.secretAuth(), "")
	wantError(t, r, 405, api.CodeNotAllowed)
	if r.header.Get("Allow") != "GET" {
		t.Errorf("Allow = %q", r.header.Get("Allow"))
	}
	big := `{"payment_type":"card","metadata":{"x":"` + strings.Repeat("a", 300<<10) + `"}}`
	wantError(t, e.do("POST", "/tokens", e.secretAuth(), big), 400, api.CodeValidationError, api.FieldError{Reason: api.ReasonBodyTooLarge})
	if ct := e.do("GET", "/nope", "", "").header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
}

func TestPersistenceAcrossReopen(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s1 := openTest(t, dir)
	demo, created, err := s1.EnsureDemo(ctx)
	if err != nil || !created || demo.Secret == "" {
		t.Fatalf("first EnsureDemo: %+v %v %v", demo, created, err)
	}
	e1 := &testEnv{t: t, s: s1, dir: dir, demo: demo}
	tok := e1.createToken("4000020000000000", "recurring")
	done := e1.createCharge(tok.ID, "")
	e1.pollCharge(done.ID)
	// A charge still pending at shutdown is settled after the restart.
	s1.delay = 150 * time.Millisecond
	pending := e1.createCharge(tok.ID, "")
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)

	s2 := openTest(t, dir)
	defer s2.Close()
	again, created, err := s2.EnsureDemo(ctx)
	if err != nil || created || again.Secret != "" || again.JWT != demo.JWT || again.StoreID != demo.StoreID {
		t.Fatalf("second EnsureDemo: %+v created=%v err=%v", again, created, err)
	}
	e2 := &testEnv{t: t, s: s2, dir: dir, demo: demo} // old secret still valid
	if got := e2.pollCharge(done.ID); got.Status != api.ChargeSuccessful {
		t.Errorf("settled charge after reopen: %s", got.Status)
	}
	r := e2.do("GET", "/stores/"+demo.StoreID+"/charges/"+pending.ID, e2.secretAuth(), "")
	var c api.Charge
	r.json(t, &c)
	if c.Status != api.ChargeSuccessful {
		t.Errorf("pending charge after restart: %s", c.Status)
	}
	var tk api.TransactionToken
	e2.do("GET", "/stores/"+demo.StoreID+"/tokens/"+tok.ID, e2.publicAuth(), "").json(t, &tk)
	if tk.ID != tok.ID || tk.Data.Card.LastFour != "0000" {
		t.Errorf("token after reopen: %+v", tk)
	}
	doms, err := s2.AppTokenDomains(ctx, demo.JWT)
	if err != nil || len(doms) != 2 {
		t.Errorf("domains after reopen: %v %v", doms, err)
	}
}

func TestBackgroundSettlement(t *testing.T) {
	e := newEnv(t)
	c := e.createCharge(e.createToken("4000020000000000", "one_time").ID, "")
	deadline := time.Now().Add(2 * time.Second)
	for {
		got, err := e.s.storage.GetCharge(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == api.ChargeSuccessful {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("charge not settled by the engine: %s", got.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestCVVAuthorize(t *testing.T) {
	e := newEnv(t)
	body := strings.Replace(cardTokenBody("4000020000000000", "recurring"), `"cvv":"123"`, `"cvv":"123","cvv_authorize":{"enabled":"true","currency":"jpy"}`, 1)
	r := e.do("POST", "/tokens", e.secretAuth(), body)
	var tok api.TransactionToken
	r.json(t, &tok)
	if r.code != 201 || !tok.Data.CVVAuthorize.Enabled || *tok.Data.CVVAuthorize.Status != api.CVVAuthPending || *tok.Data.CVVAuthorize.Currency != "JPY" {
		t.Fatalf("%d %s", r.code, r.body)
	}
	wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`), 400, api.CodeCVVAuthorizationNotCompleted)
	time.Sleep(60 * time.Millisecond)
	e.do("GET", "/stores/"+e.demo.StoreID+"/tokens/"+tok.ID, e.secretAuth(), "").json(t, &tok)
	if *tok.Data.CVVAuthorize.Status != api.CVVAuthCurrent {
		t.Fatalf("cvv status %s", *tok.Data.CVVAuthorize.Status)
	}
	e.createCharge(tok.ID, "")
}

// Card data reaches the API from a browser only through the widget iframe:
// a merchant page calling POST /tokens itself with the public app token is
// refused, even from a registered domain.
func TestCardDataOnlyFromWidget(t *testing.T) {
	e := newEnv(t)
	body := cardTokenBody("4000020000000000", "one_time")
	for _, test := range []struct {
		name   string
		auth   string
		hdr    []string
		status int
	}{
		{"widget iframe", e.publicAuth(), []string{"Origin", testPublicURL}, 0},
		{"merchant page on a registered domain", e.publicAuth(), []string{"Origin", "http://127.0.0.1:9000"}, 403},
		{"server without Origin", e.publicAuth(), nil, 0},
		{"server with the secret", e.secretAuth(), []string{"Origin", "http://127.0.0.1:9000"}, 0},
	} {
		t.Run(test.name, func(t *testing.T) {
			path := "/tokens"
			if test.name == "widget iframe" {
				path += "?origin=http://127.0.0.1:9000"
			}
			r := e.do("POST", path, test.auth, body, test.hdr...)
			if test.status == 0 {
				if r.code != 201 {
					t.Fatalf("POST /tokens = %d %s, want 201", r.code, r.body)
				}
				return
			}
			wantError(t, r, test.status, api.CodeInvalidPermissions, api.FieldError{Field: "payment_type", Reason: "CARD_DATA_ONLY_FROM_WIDGET"})
		})
	}
}
