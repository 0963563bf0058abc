package widget

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func TestResolveLocale(t *testing.T) {
	cases := []struct {
		param string
		nav   []string
		want  Locale
	}{
		{"ja", []string{"en-US"}, LocaleJA},
		{"JA-JP", nil, LocaleJA},
		{"ja_JP", nil, LocaleJA},
		{"en-us", nil, LocaleEN},
		{"en", []string{"ja"}, LocaleEN},
		{"zh", nil, LocaleZHCN},
		{"zh-CN", nil, LocaleZHCN},
		{"zh_tw", nil, LocaleZHTW},
		{"ko", nil, LocaleKO},
		{"th", nil, LocaleTH},
		{"ru", nil, LocaleRU},
		{"auto", []string{"zh-Hant-TW"}, LocaleZHTW},
		{"auto", []string{"zh-HK"}, LocaleZHTW},
		{"auto", []string{"zh-TW"}, LocaleZHTW},
		{"auto", []string{"zh-Hans-CN"}, LocaleZHCN},
		{"auto", []string{"zh"}, LocaleZHCN},
		{"", []string{"fr-FR", "en-GB"}, LocaleEN},
		{"auto", []string{"de"}, LocaleJA},
		{"auto", nil, LocaleJA},
		{"xx", []string{"ko-KR"}, LocaleKO},
	}
	for _, c := range cases {
		if got := ResolveLocale(c.param, c.nav); got != c.want {
			t.Errorf("ResolveLocale(%q, %v) = %s want %s", c.param, c.nav, got, c.want)
		}
	}
}

func TestCatalogue(t *testing.T) {
	// ja and en are complete and identical in keys.
	for k := range en {
		if _, ok := ja[k]; !ok {
			t.Errorf("ja misses %s", k)
		}
	}
	for k := range ja {
		if _, ok := en[k]; !ok {
			t.Errorf("en misses %s", k)
		}
	}
	for l, cat := range catalogues {
		for k := range cat {
			if _, ok := en[k]; !ok {
				t.Errorf("%s has key %s unknown to en", l, k)
			}
		}
	}
	if LocaleJA.T("submit.default") != "支払う" || LocaleEN.T("submit.default") != "Pay" || LocaleJA.T("complete.button") != "完了" {
		t.Error("submit/complete texts")
	}
	if got := Locale("xx").T("error.config", "amount"); got != "Configuration error: amount" {
		t.Errorf("fallback to en: %q", got)
	}
	if got := LocaleKO.T("error.config", "amount"); got != "설정 오류: amount" {
		t.Errorf("ko: %q", got)
	}
	if got := LocaleJA.T("error.config", "amount"); got != "設定エラー: amount" {
		t.Errorf("placeholder: %q", got)
	}
	if got := LocaleJA.T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
	if got := LocaleJA.PaymentError(306); !strings.HasPrefix(got, "カードが拒否されました(認証審査エラー)") {
		t.Errorf("306: %q", got)
	}
	for _, code := range []int{301, 311, 327, 346, 355, 500, 501, 502} {
		if !LocaleJA.Has("paymentError."+itoa(code)) || !LocaleEN.Has("paymentError."+itoa(code)) {
			t.Errorf("payment error %d missing", code)
		}
	}
	for c := 301; c <= 346; c++ {
		if !LocaleJA.Has("paymentError." + itoa(c)) {
			t.Errorf("payment error %d missing", c)
		}
	}
	if got := LocaleJA.PaymentError(999); got != LocaleJA.T("error.declined") {
		t.Errorf("unknown payment error: %q", got)
	}
	if got := LocaleJA.APIError("SERVICE_RESTRICTED"); got != "失敗回数が上限に達したため、一定時間サービスを利用できません。時間をおいて再度お試しください。" {
		t.Errorf("SERVICE_RESTRICTED: %q", got)
	}
	for _, code := range []string{"INVALID_DOMAIN", "CARD_LOCKED", "CHARGE_TOO_QUICK", "TRANSACTION_TOKEN_EXPIRED", "VALIDATION_ERROR", "NETWORK_ERROR", "TIMEOUT", "POLLING_TIMEOUT"} {
		if !LocaleJA.Has("apiError." + code) {
			t.Errorf("api error %s missing", code)
		}
	}
	if got := LocaleEN.APIError("306"); got != LocaleEN.PaymentError(306) {
		t.Errorf("numeric api code: %q", got)
	}
	if got := LocaleEN.APIError("WHATEVER"); got != LocaleEN.T("error.unknown") {
		t.Errorf("unknown api code: %q", got)
	}
	// Every field error code of ValidateCard has a specific message.
	for _, f := range []string{FieldCardNumber, FieldExp, FieldCVV, FieldCardholder, FieldEmail} {
		for _, c := range []string{ErrCodeRequired} {
			if !LocaleJA.Has("validation." + f + "." + c) {
				t.Errorf("validation.%s.%s missing", f, c)
			}
		}
	}
	if got := LocaleJA.FieldError("cvv", "invalid_cvv"); got != "セキュリティコードが正しくありません。" {
		t.Errorf("FieldError: %q", got)
	}
	if got := LocaleEN.FieldError("zip", "no_such_code"); got != "This value is not valid." {
		t.Errorf("FieldError fallback: %q", got)
	}
	if LocaleZHTW.HTMLLang() != "zh-TW" || Locale("xx").HTMLLang() != "ja" {
		t.Error("HTMLLang")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestFormatAmount(t *testing.T) {
	cases := []struct {
		l    Locale
		amt  int64
		cur  string
		want string
	}{
		{LocaleJA, 1000, "jpy", "1,000円"},
		{LocaleEN, 1000, "JPY", "¥1,000"},
		{LocaleJA, 1234567, "JPY", "1,234,567円"},
		{LocaleEN, 900, "usd", "$9.00"},
		{LocaleEN, 5, "USD", "$0.05"},
		{LocaleEN, 123456789, "EUR", "€1,234,567.89"},
		{LocaleEN, 1500, "CHF", "CHF 15.00"},
		{LocaleEN, 1234, "KWD", "KWD 1.234"},
		{LocaleEN, -500, "JPY", "-¥500"},
		{LocaleEN, 0, "", "¥0"},
	}
	for _, c := range cases {
		if got := FormatAmount(c.l, c.amt, c.cur); got != c.want {
			t.Errorf("FormatAmount(%s, %d, %s) = %q want %q", c.l, c.amt, c.cur, got, c.want)
		}
	}
}

// Every documented locale value (the parameter table's) has a catalogue.
func TestEveryLocaleValueHasCatalogue(t *testing.T) {
	for _, v := range LocaleValues {
		if v == "auto" {
			continue
		}
		if _, ok := localeOf(v); !ok {
			t.Errorf("locale value %q (params.go) maps to no catalogue (i18n.go)", v)
		}
	}
}

var placeholderRE = regexp.MustCompile(`\{[a-z]+\}`)

// TestEveryLocaleTranslated: every locale of docs/widget.md, "Localisation",
// has every key of en, with the same placeholders, translated: a text equal
// to the English one only where nothing is to translate (brand names,
// example values, a text of placeholders and punctuation).
func TestEveryLocaleTranslated(t *testing.T) {
	neutral := map[string]bool{"button.default": true, "header.default": true, "method.paidy": true}
	letters := regexp.MustCompile(`\pL`)
	for _, l := range []Locale{LocaleJA, LocaleZHCN, LocaleZHTW, LocaleKO, LocaleTH, LocaleRU} {
		cat := catalogues[l]
		if cat == nil {
			t.Errorf("no catalogue for %s", l)
			continue
		}
		for k, e := range en {
			v, ok := cat[k]
			if !ok {
				t.Errorf("%s: no text for %s", l, k)
				continue
			}
			want, got := placeholderRE.FindAllString(e, -1), placeholderRE.FindAllString(v, -1)
			sort.Strings(want)
			sort.Strings(got)
			if strings.Join(want, ",") != strings.Join(got, ",") {
				t.Errorf("%s %s: placeholders %v, en has %v", l, k, got, want)
			}
			if v == e && e != "" && !neutral[k] && !strings.HasPrefix(k, "placeholder.") && letters.MatchString(placeholderRE.ReplaceAllString(e, "")) {
				t.Errorf("%s %s: %q is the English text", l, k, v)
			}
		}
	}
}
