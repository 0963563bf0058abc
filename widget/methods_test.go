package widget

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"kessai/api"
)

// methodsInfo is a checkout_info with every method enabled: two card
// brands (amex forbidden), three konbini stores, bank transfer, three
// online brands and Paidy, all in JPY; Visa also in USD.
func methodsInfo() api.CheckoutInfo {
	jpy := []string{"JPY"}
	info := api.CheckoutInfo{
		CardConfiguration:         api.CardConfiguration{Enabled: true, ForbiddenCardBrands: []string{"american_express"}},
		ConvenienceConfiguration:  api.ConvenienceConfiguration{Enabled: true, Expiration: "PT720H"},
		BankTransferConfiguration: api.BankTransferConfiguration{Enabled: true, Expiration: "PT168H"},
		OnlineConfiguration:       api.EnabledFlag{Enabled: true},
		PaidyConfiguration:        api.EnabledFlag{Enabled: true},
	}
	add := func(pt api.PaymentType, cur []string, brands ...string) {
		for _, b := range brands {
			info.SupportedBrands = append(info.SupportedBrands, api.SupportedBrand{PaymentType: pt, Brand: b, SupportedCurrencies: cur})
		}
	}
	add(api.PaymentTypeCard, []string{"JPY", "USD"}, "visa")
	add(api.PaymentTypeCard, jpy, "mastercard", "american_express")
	add(api.PaymentTypeKonbini, jpy, "seven_eleven", "family_mart", "lawson")
	add(api.PaymentTypeOnline, jpy, "pay_pay_online", "alipay_online", "we_chat_online")
	add(api.PaymentTypeBankTransfer, jpy, "aozora_bank")
	add(api.PaymentTypePaidy, jpy, "paidy")
	return info
}

func TestResolveMethods(t *testing.T) {
	phone := Device{Mobile: true, OS: "ios"}
	all := map[string][]string{
		"card": {"visa", "mastercard"}, "konbini": {"seven_eleven", "family_mart", "lawson"},
		"bank_transfer": {"aozora_bank"}, "online": {"pay_pay_online", "alipay_online"}, "paidy": {"paidy"},
	}
	cases := []struct {
		name    string
		raw     map[string]any
		info    func(*api.CheckoutInfo)
		dev     Device
		methods []string
		brands  map[string][]string // checked when set
		errs    string              // the error's text, "" for none
		warns   []string            // parts of the warnings
	}{
		{name: "all the store offers", methods: MethodOrder, brands: all},
		{name: "wechat on a phone", dev: phone, methods: MethodOrder,
			brands: map[string][]string{"online": {"pay_pay_online", "alipay_online", "we_chat_online"}}},
		{name: "one method skips the screen", raw: map[string]any{"paymentMethods": "konbini"}, methods: []string{"konbini"}},
		{name: "online is every online brand", raw: map[string]any{"paymentMethods": "online"}, methods: []string{"online"},
			brands: map[string][]string{"online": {"pay_pay_online", "alipay_online"}}},
		{name: "an online brand narrows online", raw: map[string]any{"paymentMethods": "alipay_online,card"}, methods: []string{"card", "online"},
			brands: map[string][]string{"online": {"alipay_online"}, "card": {"visa", "mastercard"}}},
		{name: "card brands narrow card without naming it", raw: map[string]any{"paymentMethods": "mastercard,lawson"}, methods: []string{"card", "konbini"},
			brands: map[string][]string{"card": {"mastercard"}, "konbini": {"lawson"}}},
		{name: "the method name beats its brands", raw: map[string]any{"paymentMethods": "konbini,lawson"}, methods: []string{"konbini"},
			brands: map[string][]string{"konbini": {"seven_eleven", "family_mart", "lawson"}}},
		{name: "a disabled method is a warning", raw: map[string]any{"paymentMethods": "card,paidy"}, methods: []string{"card"},
			info: func(i *api.CheckoutInfo) { i.PaidyConfiguration.Enabled = false }, warns: []string{"paidy is not enabled"}},
		{name: "a store brand not offered", raw: map[string]any{"paymentMethods": "konbini,mini_stop,visa"}, methods: []string{"card", "konbini"},
			warns: []string{"mini_stop is not enabled"}},
		{name: "nothing left is an error", raw: map[string]any{"paymentMethods": "paidy"},
			info: func(i *api.CheckoutInfo) { i.PaidyConfiguration.Enabled = false }, errs: "leaves no payment method"},
		{name: "forbidden card brand only", raw: map[string]any{"paymentMethods": "american_express"}, errs: "leaves no payment method"},
		{name: "inline is card only", raw: map[string]any{"inline": true}, methods: []string{"card"}},
		{name: "currency drops brands", raw: map[string]any{"currency": "usd"}, methods: []string{"card"},
			brands: map[string][]string{"card": {"visa"}}},
		{name: "recurring has no online", raw: map[string]any{"tokenType": "recurring"}, methods: []string{"card", "konbini", "bank_transfer", "paidy"}},
		{name: "subscription is card and paidy", raw: map[string]any{"tokenType": "subscription", "subscriptionPeriod": "monthly"}, methods: []string{"card", "paidy"}},
		{name: "subscription of konbini only", raw: map[string]any{"tokenType": "subscription", "subscriptionPeriod": "monthly", "paymentMethods": "konbini"},
			errs: "subscriptions take cards and Paidy only"},
		{name: "token checkout has no online", raw: map[string]any{"checkout": "token"}, methods: []string{"card", "konbini", "bank_transfer", "paidy"}},
		{name: "store with nothing", info: func(i *api.CheckoutInfo) { *i = api.CheckoutInfo{} }, errs: "the store offers no payment method"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := map[string]any{"appId": "jwt", "amount": float64(1000)}
			for k, v := range c.raw {
				raw[k] = v
			}
			o, ps := ParseAndValidate(SourceJS, raw)
			if ps.HasErrors() {
				t.Fatalf("options: %v", ps)
			}
			info := methodsInfo()
			if c.info != nil {
				c.info(&info)
			}
			offer, ps := ResolveMethods(o, info, c.dev)
			if c.errs != "" {
				errs := ps.Errors()
				if len(errs) != 1 || errs[0].Param != "paymentMethods" || !strings.Contains(errs[0].Reason, c.errs) {
					t.Fatalf("problems %v, want the error %q", ps, c.errs)
				}
				if pm := o.Value("paymentMethods"); errs[0].Value != pm {
					t.Errorf("error value %q, want %q", errs[0].Value, pm)
				}
				out := NoMethodsError(LocaleEN, errs)
				if out.Code != CodeNoPaymentMethods || out.Failure == nil || out.Failure.Code != CodeNoPaymentMethods || out.Failure.Error.Info.Code != CodeNoPaymentMethods || out.Stage != StageConfig {
					t.Errorf("outcome %+v", out)
				}
				if pm := o.Value("paymentMethods"); pm != "" && !strings.Contains(out.Message, pm) {
					t.Errorf("message %q does not name %q", out.Message, pm)
				}
				return
			}
			if ps.HasErrors() {
				t.Fatalf("errors %v", ps)
			}
			if !reflect.DeepEqual(offer.Methods, c.methods) {
				t.Errorf("methods %v, want %v", offer.Methods, c.methods)
			}
			for m, want := range c.brands {
				if got := offer.Brands[m]; !reflect.DeepEqual(got, want) {
					t.Errorf("%s brands %v, want %v", m, got, want)
				}
			}
			warns := ps.Warnings()
			if len(warns) != len(c.warns) {
				t.Errorf("warnings %v, want %v", warns, c.warns)
			}
			for i, w := range c.warns {
				if i < len(warns) && !strings.Contains(warns[i].Reason, w) {
					t.Errorf("warning %q, want %q", warns[i].Reason, w)
				}
			}
			if (offer.Single() != "") != (len(c.methods) == 1) {
				t.Errorf("Single() = %q", offer.Single())
			}
		})
	}
}

func TestDeviceOf(t *testing.T) {
	for ua, want := range map[string]Device{
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148":     {Mobile: true, OS: "ios"},
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36": {Mobile: true, OS: "android"},
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0":   {},
	} {
		if got := DeviceOf(ua); got != want {
			t.Errorf("%s: %+v, want %+v", ua, got, want)
		}
	}
}

func TestDeadline(t *testing.T) {
	// Applied on 2026-01-01 10:00 JST.
	applied := time.Date(2026, 1, 1, 10, 0, 0, 0, JST)
	jst := func(mo time.Month, d, h, m, s int) time.Time { return time.Date(2026, mo, d, h, m, s, 0, JST) }
	info := methodsInfo()
	cases := []struct {
		name          string
		raw           map[string]any
		info          func(*api.CheckoutInfo)
		method, brand string
		want          time.Time
	}{
		{"konbini store default 30 days", nil, nil, "konbini", "family_mart", jst(1, 31, 23, 59, 59)},
		{"bank transfer store default 7 days", nil, nil, "bank_transfer", "aozora_bank", jst(1, 8, 23, 59, 59)},
		{"store time shift when enabled", nil, func(i *api.CheckoutInfo) {
			i.BankTransferConfiguration.ExpirationTimeShift = api.ExpirationTimeShift{Value: "11:00:00+09:00", Enabled: true}
		}, "bank_transfer", "aozora_bank", jst(1, 8, 11, 0, 0)},
		{"store time shift when disabled", nil, func(i *api.CheckoutInfo) {
			i.ConvenienceConfiguration.ExpirationTimeShift = api.ExpirationTimeShift{Value: "13:00:00+09:00"}
		}, "konbini", "lawson", jst(1, 31, 23, 59, 59)},
		{"nothing anywhere", nil, func(i *api.CheckoutInfo) { i.ConvenienceConfiguration.Expiration = "" }, "konbini", "lawson", jst(1, 31, 23, 59, 59)},
		{"expirationPeriod days", map[string]any{"expirationPeriod": "P3D"}, nil, "konbini", "lawson", jst(1, 4, 23, 59, 59)},
		{"expirationPeriod months", map[string]any{"expirationPeriod": "P1M"}, nil, "bank_transfer", "aozora_bank", time.Date(2026, 2, 1, 23, 59, 59, 0, JST)},
		{"hours that are days", map[string]any{"expirationPeriod": "PT48H"}, nil, "konbini", "lawson", jst(1, 3, 23, 59, 59)},
		{"shorter than a day ends exactly", map[string]any{"expirationPeriod": "PT30M"}, nil, "konbini", "lawson", jst(1, 1, 10, 30, 0)},
		{"time shift", map[string]any{"expirationPeriod": "P7D", "expirationTimeShift": "12:34:56+09:00"}, nil, "konbini", "family_mart", jst(1, 8, 12, 34, 56)},
		{"time shift in UTC", map[string]any{"expirationPeriod": "P7D", "expirationTimeShift": "03:00:00Z"}, nil, "konbini", "family_mart", jst(1, 8, 12, 0, 0)},
		{"time shift with milliseconds", map[string]any{"expirationPeriod": "P1D", "expirationTimeShift": "09:00:00.000+09:00"}, nil, "bank_transfer", "aozora_bank", jst(1, 2, 9, 0, 0)},
		{"seven-eleven ignores the time", map[string]any{"expirationPeriod": "P7D", "expirationTimeShift": "12:34:56+09:00"}, nil, "konbini", "seven_eleven", jst(1, 8, 23, 59, 59)},
		{"seicomart ignores the time", map[string]any{"expirationPeriod": "P7D", "expirationTimeShift": "12:34:56+09:00"}, nil, "konbini", "seico_mart", jst(1, 8, 23, 59, 59)},
		{"pay-easy ignores the time", map[string]any{"expirationPeriod": "P7D", "expirationTimeShift": "12:34:56+09:00"}, nil, "konbini", "pay_easy", jst(1, 8, 23, 59, 59)},
		{"method period beats the generic one", map[string]any{"expirationPeriod": "P7D", "convenienceStoreExpirationPeriod": "P2D"}, nil, "konbini", "lawson", jst(1, 3, 23, 59, 59)},
		{"the other method's period is not used", map[string]any{"expirationPeriod": "P7D", "convenienceStoreExpirationPeriod": "P2D"}, nil, "bank_transfer", "aozora_bank", jst(1, 8, 23, 59, 59)},
		{"bank transfer's own period and shift", map[string]any{"bankTransferExpirationPeriod": "P5D", "bankTransferExpirationTimeShift": "15:00:00+09:00"}, nil, "bank_transfer", "aozora_bank", jst(1, 6, 15, 0, 0)},
		{"captureAt wins", map[string]any{"expirationPeriod": "P7D", "captureAt": "2026-01-20T18:30:00+09:00"}, nil, "konbini", "lawson", jst(1, 20, 18, 30, 0)},
		{"captureAt date alone is the end of the day", map[string]any{"captureAt": "20260120"}, nil, "bank_transfer", "aozora_bank", jst(1, 20, 23, 59, 59)},
		{"captureAt time ignored by seven-eleven", map[string]any{"captureAt": "2026-01-20T18:30:00+09:00"}, nil, "konbini", "seven_eleven", jst(1, 20, 23, 59, 59)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := map[string]any{"appId": "jwt", "amount": float64(1000)}
			for k, v := range c.raw {
				raw[k] = v
			}
			o, ps := ParseOptions(SourceJS, raw)
			if ps.HasErrors() {
				t.Fatalf("options: %v", ps)
			}
			in := info
			if c.info != nil {
				c.info(&in)
			}
			got, ok := Deadline(o, in, c.method, c.brand, applied)
			if !ok || !got.Equal(c.want) {
				t.Errorf("deadline %v (%v), want %v", got.In(JST), ok, c.want)
			}
		})
	}
	if _, ok := Deadline(Options{}, info, "card", "visa", applied); ok {
		t.Error("card has no deadline")
	}
}

// Every text of the methods exists in every catalogue locale.
func TestMethodTextsInEveryLocale(t *testing.T) {
	for key := range methodTexts[LocaleEN] {
		for l := range catalogues {
			if _, ok := methodTexts[l][key]; !ok {
				t.Errorf("%s misses %s", l, key)
			}
		}
	}
	for l, texts := range methodTexts {
		for key := range texts {
			if _, ok := methodTexts[LocaleEN][key]; !ok {
				t.Errorf("%s has %s, unknown to en", l, key)
			}
		}
	}
	for _, b := range append(append(append([]string{}, KonbiniStores...), OnlineBrands...), BankTransferBrand) {
		if LocaleJA.BrandName(b) == b {
			t.Errorf("no name for %s", b)
		}
	}
}
