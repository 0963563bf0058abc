package server

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

func (e *testEnv) demoStore() *domain.Store {
	e.t.Helper()
	shop, err := e.s.storage.GetStore(context.Background(), e.demo.StoreID)
	if err != nil {
		e.t.Fatal(err)
	}
	return shop
}

// addMerchant stores another merchant.
func (e *testEnv) addMerchant(verified bool) *domain.Merchant {
	e.t.Helper()
	m := &domain.Merchant{ID: newID(), Name: "Other merchant", Email: "other@example.com", Verified: verified, CreatedAt: time.Now().UTC()}
	if err := e.s.storage.CreateMerchant(context.Background(), m); err != nil {
		e.t.Fatal(err)
	}
	return m
}

// addStore stores another store of a merchant with the default
// configuration and returns an app token of it (with its secret).
func (e *testEnv) addStore(merchantID, name, mode string) AppTokenCreated {
	e.t.Helper()
	ctx := context.Background()
	shop := &domain.Store{ID: newID(), MerchantID: merchantID, Name: name, Config: domain.DefaultStoreConfig(), CreatedAt: time.Now().UTC()}
	if err := e.s.storage.CreateStore(ctx, shop); err != nil {
		e.t.Fatal(err)
	}
	tok, err := e.s.CreateAppToken(ctx, AppTokenInput{StoreID: shop.ID, Mode: mode, Domains: []string{"*"}})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func secretAuthOf(a AppTokenCreated) string { return "Bearer " + a.Secret + "." + a.JWT }

// configure changes the demo store's configuration through the sandbox
// surface (PATCH, or PUT with replace).
func (e *testEnv) configure(doc string, replace bool) *StoreSettings {
	e.t.Helper()
	method := "PATCH"
	if replace {
		method = "PUT"
	}
	got := call[StoreSettings](e, http.StatusOK, method, "/sandbox/store_configuration", e.secretAuth(), doc)
	return &got
}

func (e *testEnv) checkoutInfo() api.CheckoutInfo {
	e.t.Helper()
	return call[api.CheckoutInfo](e, http.StatusOK, "GET", "/checkout_info", e.publicAuth(), "")
}

func TestDemoStoreHasTheDefaults(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/sandbox/store_configuration", e.secretAuth(), "")
	want := mustJSON(&StoreSettings{Name: DemoStoreName, storeConfigFields: storeConfigFields(domain.DefaultStoreConfig())})
	if r.code != 200 || string(r.body) != string(want) {
		t.Fatalf("GET /sandbox/store_configuration = %d\n%s\nwant\n%s", r.code, r.body, want)
	}
	// The documented defaults of the cards the demo takes.
	cfg := e.demoStore().Config
	if !cfg.CardEnabled || !slices.Equal(cfg.CardBrands, []string{"visa", "mastercard", "jcb", "american_express", "diners_club"}) ||
		cfg.RecurringTokenPrivilege != api.RecurringInfinite || !cfg.SubscriptionsEnabled || cfg.KonbiniEnabled || cfg.AllowEmptyCVV ||
		!cfg.AllowDirectTokenCreation || cfg.Country != "JP" {
		t.Errorf("demo config = %+v", cfg)
	}
}

func TestStoreConfigMerge(t *testing.T) {
	e := newEnv(t)
	def := domain.DefaultStoreConfig()

	got := e.configure(`{"konbini_enabled":true,"theme":{"main_color":"#000"},"card_brands":[" JCB","visa"],"card_countries":["jp","us"]}`, false)
	c := got.Config()
	if !c.KonbiniEnabled || c.Theme.MainColor != "#000" || c.Theme.BaseText != def.Theme.BaseText ||
		!slices.Equal(c.CardBrands, []string{"jcb", "visa"}) || !slices.Equal(c.CardCountries, []string{"JP", "US"}) ||
		!slices.Equal(c.KonbiniBrands, def.KonbiniBrands) || got.Name != DemoStoreName {
		t.Fatalf("after PATCH: %+v", got)
	}
	// Stored: the next read and the rules see it.
	if stored := e.demoStore().Config; !stored.KonbiniEnabled || stored.Theme.MainColor != "#000" {
		t.Fatalf("stored config = %+v", stored)
	}

	// Keys absent keep their value; null restores the default.
	got = e.configure(`{"name":"  Shop 2 ","theme":{"main_color":null},"card_brands":null}`, false)
	c = got.Config()
	if got.Name != "Shop 2" || c.Theme.MainColor != def.Theme.MainColor || !slices.Equal(c.CardBrands, def.CardBrands) ||
		!c.KonbiniEnabled || !slices.Equal(c.CardCountries, []string{"JP", "US"}) {
		t.Fatalf("after the second PATCH: %+v", got)
	}
	if info := e.checkoutInfo(); info.Name != "Shop 2" {
		t.Errorf("checkout_info name = %q", info.Name)
	}

	// PUT replaces: absent keys take their defaults, the name stays.
	got = e.configure(`{"card_brands":["visa"],"theme":{"base_text":"#123456"}}`, true)
	c = got.Config()
	wantCfg := domain.DefaultStoreConfig()
	wantCfg.CardBrands = []string{"visa"}
	wantCfg.Theme.BaseText = "#123456"
	if got.Name != "Shop 2" || string(mustJSON(c)) != string(mustJSON(wantCfg)) {
		t.Fatalf("after PUT: %s\nwant %s", mustJSON(got), mustJSON(wantCfg))
	}
	got = e.configure(`{"name":"Shop 3"}`, true)
	if got.Name != "Shop 3" || string(mustJSON(got.Config())) != string(mustJSON(domain.DefaultStoreConfig())) {
		t.Fatalf("PUT with a name: %s", mustJSON(got))
	}
}

func TestStoreConfigValidation(t *testing.T) {
	e := newEnv(t)
	before := e.do("GET", "/sandbox/store_configuration", e.secretAuth(), "").body
	for _, test := range []struct {
		doc  string
		want []api.FieldError // Reason: a part of the reason
	}{
		{`[]`, []api.FieldError{{Reason: "must be a JSON object"}}},
		{`{"card_enabled":true}{}`, []api.FieldError{{Reason: api.ReasonInvalidFormat}}},
		{`{"foo":1,"theme":{"main_colour":"#fff"},"limits":{"bar":1}}`, []api.FieldError{
			{Field: "foo", Reason: "Unknown key"}, {Field: "limits.bar", Reason: "Unknown key"}, {Field: "theme.main_colour", Reason: "Unknown key"}}},
		{`{"card_enabled":"yes"}`, []api.FieldError{{Field: "card_enabled", Reason: "Must be a boolean, not string"}}},
		{`{"theme":{"main_color":5}}`, []api.FieldError{{Field: "theme.main_color", Reason: "Must be a string, not number"}}},
		{`{"card_brands":"visa"}`, []api.FieldError{{Field: "card_brands", Reason: "Must be an array, not string"}}},
		{`{"card_brands":["visa","amex"]}`, []api.FieldError{{Field: "card_brands", Reason: `Unknown brand "amex" (known: visa, mastercard`}}},
		{`{"card_brands":["visa","VISA"]}`, []api.FieldError{{Field: "card_brands", Reason: `Brand "visa" is listed twice`}}},
		{`{"konbini_brands":["7eleven"]}`, []api.FieldError{{Field: "konbini_brands", Reason: `Unknown brand "7eleven" (known: seven_eleven,`}}},
		{`{"online_brands":["paypal"]}`, []api.FieldError{{Field: "online_brands", Reason: `Unknown brand "paypal"`}}},
		{`{"installments_payment_types":["cash"]}`, []api.FieldError{{Field: "installments_payment_types", Reason: `Unknown brand "cash"`}}},
		{`{"theme":{"base_text":"blue","main_background":"#GGGGGG"}}`, []api.FieldError{
			{Field: "theme.base_text", Reason: `"blue" is not a hex colour`}, {Field: "theme.main_background", Reason: `"#GGGGGG" is not a hex colour`}}},
		{`{"konbini_expiration":"30 days"}`, []api.FieldError{{Field: "konbini_expiration", Reason: `"30 days" is not an ISO-8601 duration`}}},
		{`{"bank_transfer_expiration":"PT0S"}`, []api.FieldError{{Field: "bank_transfer_expiration", Reason: "Must be longer than zero"}}},
		{`{"installments_max_payout_period":"P1.5Y"}`, []api.FieldError{{Field: "installments_max_payout_period", Reason: "not an ISO-8601 duration"}}},
		{`{"card_countries":["JPN"],"allowed_countries_by_ip":["1"]}`, []api.FieldError{
			{Field: "allowed_countries_by_ip", Reason: `"1" is not an ISO 3166-1 alpha-2`}, {Field: "card_countries", Reason: `"JPN" is not an ISO 3166-1 alpha-2`}}},
		{`{"country":"Japan","default_currency":"YEN1","card_currencies":["JP"]}`, []api.FieldError{
			{Field: "card_currencies", Reason: "ISO 4217"}, {Field: "country", Reason: "ISO 3166-1"}, {Field: "default_currency", Reason: "ISO 4217"}}},
		{`{"recurring_token_privilege":"always"}`, []api.FieldError{{Field: "recurring_token_privilege", Reason: `"always" is not one of none, bounded, infinite`}}},
		{`{"cvv_confirmation_threshold":[{"amount":1,"currency":"JPY"},{"amount":-1,"currency":"JPY"}]}`, []api.FieldError{
			{Field: "cvv_confirmation_threshold[1].amount", Reason: "Must not be negative"}}},
		{`{"installments_min_charge_amount":{"amount":100,"currency":"yens"}}`, []api.FieldError{{Field: "installments_min_charge_amount.currency", Reason: "ISO 4217"}}},
		{`{"logo_image":"ftp://example.com/logo.png"}`, []api.FieldError{{Field: "logo_image", Reason: "is not an http(s) URL"}}},
		{`{"name":"  "}`, []api.FieldError{{Field: "name", Reason: "Must not be empty"}}},
	} {
		t.Run(test.doc, func(t *testing.T) {
			for _, method := range []string{"PATCH", "PUT"} {
				r := e.do(method, "/sandbox/store_configuration", e.secretAuth(), test.doc)
				if r.code != 400 {
					t.Fatalf("%s = %d %s, want 400", method, r.code, r.body)
				}
				b := r.errBody(t)
				if b.Code != api.CodeValidationError || len(b.Errors) != len(test.want) {
					t.Fatalf("%s errors = %s, want %v", method, r.body, test.want)
				}
				for i, w := range test.want {
					if b.Errors[i].Field != w.Field || !strings.Contains(b.Errors[i].Reason, w.Reason) {
						t.Errorf("%s error %d = %+v, want field %q and a reason containing %q", method, i, b.Errors[i], w.Field, w.Reason)
					}
				}
			}
		})
	}
	if after := e.do("GET", "/sandbox/store_configuration", e.secretAuth(), "").body; string(after) != string(before) {
		t.Errorf("an invalid configuration changed the store:\n%s\nwas\n%s", after, before)
	}
}

func TestConfigureStoreDirect(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// The first store is the default.
	got, err := e.s.ConfigureStore(ctx, "", []byte(`{"paidy_enabled":true}`), false)
	if err != nil || !got.PaidyEnabled {
		t.Fatalf("ConfigureStore = %+v, %v", got, err)
	}
	if show, err := e.s.StoreConfiguration(ctx, e.demo.StoreID); err != nil || !show.PaidyEnabled || show.Name != DemoStoreName {
		t.Fatalf("StoreConfiguration = %+v, %v", show, err)
	}
	if _, err := e.s.ConfigureStore(ctx, newID(), []byte(`{}`), false); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("unknown store: %v", err)
	}
	_, err = e.s.ConfigureStore(ctx, "", []byte(`{"card_brands":["nope"]}`), false)
	if ae, ok := err.(*api.Error); !ok || ae.Code != api.CodeValidationError || ae.Errors[0].Field != "card_brands" {
		t.Errorf("invalid brand: %v", err)
	}
	for doc, want := range map[string]string{
		`{"card_enabled":true}{}`: "single JSON object",
		`{"card_enabled":`:        "not valid JSON",
		`"x"`:                     "must be a JSON object",
	} {
		_, err := e.s.ConfigureStore(ctx, "", []byte(doc), false)
		if ae, ok := err.(*api.Error); !ok || ae.Code != api.CodeValidationError || !strings.Contains(ae.Errors[0].Reason, want) {
			t.Errorf("%s: %v, want a reason containing %q", doc, err, want)
		}
	}
}

func TestStoredConfigMissingKeysReadAsDefaults(t *testing.T) {
	// A configuration saved before a key existed reads the key's default.
	var c domain.StoreConfig
	if err := json.Unmarshal([]byte(`{"card_enabled":true,"card_brands":["visa"],"recurring_token_privilege":"none"}`), &c); err != nil {
		t.Fatal(err)
	}
	want := domain.DefaultStoreConfig()
	want.CardBrands = []string{"visa"}
	want.RecurringTokenPrivilege = api.RecurringNone
	if string(mustJSON(c)) != string(mustJSON(want)) {
		t.Errorf("decoded %s\nwant    %s", mustJSON(c), mustJSON(want))
	}
	// Decoding never changes the defaults of the next store.
	c.KonbiniBrands[0] = "changed"
	if domain.DefaultStoreConfig().KonbiniBrands[0] != "seven_eleven" {
		t.Error("DefaultStoreConfig shares its slices")
	}
}

// Calendar units of the clock's durations count in Japan time: P1M from
// 1 February 00:00 JST is 1 March 00:00 JST.
func TestClockTarget(t *testing.T) {
	from := time.Date(2026, 1, 31, 15, 0, 0, 0, time.UTC) // 1 February 00:00 JST
	for _, test := range []struct {
		in   string
		want time.Time
	}{
		{"P1M", time.Date(2026, 2, 28, 15, 0, 0, 0, time.UTC)},
		{"p1y", time.Date(2027, 1, 31, 15, 0, 0, 0, time.UTC)},
		{"P1DT12H", time.Date(2026, 2, 2, 3, 0, 0, 0, time.UTC)},
		{"36h", time.Date(2026, 2, 2, 3, 0, 0, 0, time.UTC)},
		{"1h30m0.5s", from.Add(90*time.Minute + 500*time.Millisecond)},
	} {
		got, ok := clockTarget(from, test.in)
		if !ok || !got.Equal(test.want) {
			t.Errorf("clockTarget(%q) = %s, %v; want %s", test.in, got, ok, test.want)
		}
	}
	for _, bad := range []string{"", "P", "-1h", "PT-1H", "soon"} {
		if _, ok := clockTarget(from, bad); ok {
			t.Errorf("clockTarget(%q) accepted", bad)
		}
	}
}

// seedStoreConfig models the store of the checkout_info example in the
// UnivaPay documentation.
const seedStoreConfig = `{
	"name": "管理画面ガイド_TEST店舗",
	"card_brands": ["mastercard", "jcb", "visa", "diners_club", "american_express"],
	"card_currencies": ["JPY"],
	"three_ds_address_required": true,
	"konbini_enabled": true,
	"konbini_brands": ["sunkus", "yamazaki_daily_store", "family_mart", "mini_stop", "pay_easy", "circle_k", "seven_eleven", "seico_mart", "daily_yamazaki", "lawson"],
	"bank_transfer_enabled": true,
	"online_enabled": true,
	"online_brands": ["alipay_plus_online", "alipay_online", "d_barai_online", "pay_pay_online", "we_chat_online"],
	"paidy_enabled": true,
	"cvv_confirmation_enabled": true
}`

func TestCheckoutInfoGolden(t *testing.T) {
	e := newEnv(t)
	assertGolden(t, "checkout_info_demo", e.do("GET", "/checkout_info", e.publicAuth(), "").body)
	e.configure(seedStoreConfig, false)
	assertGolden(t, "checkout_info_seed", e.do("GET", "/checkout_info", e.publicAuth(), "").body)
}

func TestCheckoutInfoFollowsConfig(t *testing.T) {
	e := newEnv(t)
	brandsOf := func(info api.CheckoutInfo) []string {
		var out []string
		for _, b := range info.SupportedBrands {
			out = append(out, string(b.PaymentType)+":"+b.Brand)
		}
		return out
	}
	e.configure(`{"konbini_enabled":true,"konbini_brands":["lawson","seven_eleven"],"online_enabled":true,"online_brands":["we_chat_online","pay_pay_online"],
		"bank_transfer_enabled":true,"paidy_enabled":true,"card_brands":["jcb","visa"],"card_countries":["JP"],"card_currencies":["JPY"],
		"allow_empty_cvv":true,"installments_enabled":false,"logo_image":"https://shop.example/logo.png","theme":{"main_color":"#112233"},
		"cvv_confirmation_enabled":true,"cvv_confirmation_threshold":[{"amount":500,"currency":"usd"}],"recurring_token_privilege":"bounded",
		"subscriptions_enabled":false,"konbini_expiration":"P3D","bank_transfer_expiration":"PT48H","three_ds_required":true,
		"allow_direct_token_creation":false,"foreign_cards_allowed":false,"installments_min_charge_amount":{"amount":1000,"currency":"JPY"}}`, false)
	info := e.checkoutInfo()
	want := []string{"card:jcb", "card:visa", "konbini:lawson", "konbini:seven_eleven", "online:we_chat_online", "online:pay_pay_online",
		"bank_transfer:aozora_bank", "paidy:paidy"}
	if got := brandsOf(info); !slices.Equal(got, want) {
		t.Errorf("supported_brands = %v\nwant %v", got, want)
	}
	for _, b := range info.SupportedBrands {
		switch b.PaymentType {
		case api.PaymentTypeCard:
			if b.CardBrand != b.Brand || b.RequiresCVV || b.InstallmentCapable || !slices.Equal(b.CountriesAllowed, []string{"JP"}) ||
				!slices.Equal(b.SupportedCurrencies, []string{"JPY"}) || !b.CVVAuth {
				t.Errorf("card brand %+v", b)
			}
		case api.PaymentTypeOnline:
			if b.OnlineBrand != b.Brand || b.DynamicInfo != (b.Brand == "we_chat_online") || !b.SupportAuthCapture {
				t.Errorf("online brand %+v", b)
			}
		case api.PaymentTypeBankTransfer:
			if b.SupportAuthCapture {
				t.Errorf("bank transfer %+v", b)
			}
		default:
			if !b.SupportAuthCapture || b.RequiresCVV || b.CVVAuth || !slices.Equal(b.SupportedCurrencies, []string{"JPY"}) {
				t.Errorf("brand %+v", b)
			}
		}
	}
	cc := info.CardConfiguration
	if !cc.AllowEmptyCVV || cc.AllowDirectTokenCreation || !cc.ThreeDSRequired || cc.ForeignCardsAllowed {
		t.Errorf("card_configuration = %+v", cc)
	}
	if !info.ConvenienceConfiguration.Enabled || info.ConvenienceConfiguration.Expiration != "P3D" ||
		!info.BankTransferConfiguration.Enabled || info.BankTransferConfiguration.Expiration != "PT48H" ||
		!info.OnlineConfiguration.Enabled || !info.PaidyConfiguration.Enabled || info.PaidyPublicKey == nil {
		t.Errorf("payment method configurations: %+v %+v", info.ConvenienceConfiguration, info.BankTransferConfiguration)
	}
	if info.InstallmentsConfiguration.Enabled || info.InstallmentsConfiguration.CardProcessor.Revolving ||
		info.InstallmentsConfiguration.MinChargeAmount == nil || info.InstallmentsConfiguration.MinChargeAmount.Amount != 1000 {
		t.Errorf("installments = %+v", info.InstallmentsConfiguration)
	}
	if info.LogoImage == nil || *info.LogoImage != "https://shop.example/logo.png" || info.Theme.Colors.MainColor != "#112233" ||
		info.Theme.Colors.MainBackground != "#FFFFFF" {
		t.Errorf("logo/theme = %v %+v", info.LogoImage, info.Theme)
	}
	cvv := info.RecurringCardChargeCVVConfirmation
	if !cvv.Enabled || len(cvv.Threshold) != 1 || cvv.Threshold[0].Currency != "USD" || cvv.Threshold[0].AmountFormatted.String() != "5.00" {
		t.Errorf("cvv confirmation = %+v", cvv)
	}
	if info.RecurringTokenPrivilege != api.RecurringBounded || info.SubscriptionConfiguration.Enabled || info.SubscriptionPlanConfiguration.Enabled {
		t.Errorf("recurring/subscriptions = %s %+v", info.RecurringTokenPrivilege, info.SubscriptionConfiguration)
	}
	// Cards disabled: no card brands.
	e.configure(`{"card_enabled":false}`, false)
	if got := brandsOf(e.checkoutInfo()); slices.ContainsFunc(got, func(b string) bool { return strings.HasPrefix(b, "card:") }) {
		t.Errorf("card brands with cards disabled: %v", got)
	}
}

// tokenBody is a card token request with a CVV of choice.
func tokenBody(number, typ, cvv, extra string) string {
	return `{"payment_type":"card","type":"` + typ + `","email":"taro@example.com"` + extra + `,
	 "data":{"cardholder":"TARO YAMADA","card_number":"` + number + `","exp_month":"12","exp_year":"2099","cvv":"` + cvv + `"}}`
}

func TestTokenRulesFromConfig(t *testing.T) {
	e := newEnv(t)
	const usCard, jpCard = "4000020000000000", "5555555555554444" // countries US and JP
	widget := []string{"Origin", testPublicURL}
	for _, test := range []struct {
		name   string
		config string
		body   string
		public bool // secret-less, from the widget
		status int
		code   string
	}{
		{"card countries: listed", `{"card_countries":["JP","US"]}`, tokenBody(usCard, "one_time", "123", ""), false, 201, ""},
		{"card countries: not listed", `{"card_countries":["JP"]}`, tokenBody(usCard, "one_time", "123", ""), false, 400, api.CodeCardCountryNotSupported},
		{"no foreign cards: domestic", `{"foreign_cards_allowed":false}`, tokenBody(jpCard, "one_time", "123", ""), false, 201, ""},
		{"no foreign cards: foreign", `{"foreign_cards_allowed":false}`, tokenBody(usCard, "one_time", "123", ""), false, 400, api.CodeCardCountryNotSupported},
		{"no foreign cards: a US store", `{"foreign_cards_allowed":false,"country":"US"}`, tokenBody(usCard, "one_time", "123", ""), false, 201, ""},
		{"direct creation disabled: secret", `{"allow_direct_token_creation":false}`, tokenBody(jpCard, "one_time", "123", ""), false, 401, api.CodeDirectCardTokenCreationDisabled},
		{"direct creation disabled: widget", `{"allow_direct_token_creation":false}`, tokenBody(jpCard, "one_time", "123", ""), true, 201, ""},
		{"cards disabled", `{"card_enabled":false}`, tokenBody(jpCard, "one_time", "123", ""), false, 400, api.CodeCardProcessingDisabled},
		{"brand not enabled", `{"card_brands":["visa"]}`, tokenBody(jpCard, "one_time", "123", ""), false, 400, api.CodeCardBrandNotSupported},
		{"brand enabled", `{"card_brands":["discover"]}`, tokenBody("6011111111111117", "one_time", "123", ""), false, 201, ""},
		{"empty CVV allowed", `{"allow_empty_cvv":true}`, tokenBody(jpCard, "one_time", "", ""), false, 201, ""},
		{"empty CVV refused", `{}`, tokenBody(jpCard, "one_time", "", ""), false, 400, api.CodeCVVRequired},
		{"recurring: none", `{"recurring_token_privilege":"none"}`, tokenBody(jpCard, "recurring", "123", ""), false, 400, api.CodeRecurringTokenDisabled},
		{"recurring: bounded without usage limit", `{"recurring_token_privilege":"bounded"}`, tokenBody(jpCard, "recurring", "123", ""), false, 400, api.CodeRecurringUsageLimitRequired},
		{"recurring: bounded", `{"recurring_token_privilege":"bounded"}`, tokenBody(jpCard, "recurring", "123", `,"usage_limit":"monthly"`), false, 201, ""},
		{"subscriptions disabled", `{"subscriptions_enabled":false}`, tokenBody(jpCard, "subscription", "123", ""), false, 400, api.CodeInvalidTokenType},
	} {
		t.Run(test.name, func(t *testing.T) {
			e.configure(`{}`, true)
			e.configure(test.config, false)
			var r resp
			if test.public {
				r = e.do("POST", "/tokens?origin=http://localhost:3000", e.publicAuth(), test.body, widget...)
			} else {
				r = e.do("POST", "/tokens", e.secretAuth(), test.body)
			}
			if test.code == "" {
				if r.code != test.status {
					t.Fatalf("POST /tokens = %d %s, want %d", r.code, r.body, test.status)
				}
				return
			}
			if test.code == api.CodeCVVRequired {
				wantError(t, r, test.status, test.code, api.FieldError{Field: "data.cvv", Reason: api.ReasonRequiredValue})
				return
			}
			wantError(t, r, test.status, test.code)
		})
	}
}

func TestLiveModeNeedsVerifiedMerchant(t *testing.T) {
	e := newEnv(t)
	const card = "5555555555554444"
	shops, _ := e.s.storage.ListStores(context.Background())
	demoMerchant := shops[0].MerchantID
	unverified := e.addMerchant(false)
	for _, test := range []struct {
		name     string
		merchant string
		mode     string
		status   int
	}{
		{"verified, live", demoMerchant, "live", 201},
		{"unverified, test", unverified.ID, "test", 201},
		{"unverified, live", unverified.ID, "live", 400},
	} {
		t.Run(test.name, func(t *testing.T) {
			app := e.addStore(test.merchant, test.name, test.mode)
			r := e.do("POST", "/tokens", secretAuthOf(app), tokenBody(card, "one_time", "123", ""))
			if test.status == 400 {
				wantError(t, r, 400, api.CodeLiveModeNotEnabled)
				return
			}
			if r.code != test.status {
				t.Fatalf("POST /tokens = %d %s", r.code, r.body)
			}
		})
	}
}
