package widget

import (
	"fmt"
	"strconv"
	"strings"
)

// Locale is a catalogue id: "ja", "en", "zh-CN", "zh-TW", "ko", "th", "ru"
// (docs/widget.md, "Localisation").
type Locale string

// Catalogue locales.
const (
	LocaleJA   Locale = "ja"
	LocaleEN   Locale = "en"
	LocaleZHCN Locale = "zh-CN"
	LocaleZHTW Locale = "zh-TW"
	LocaleKO   Locale = "ko"
	LocaleTH   Locale = "th"
	LocaleRU   Locale = "ru"
)

// NormalizeLocale lower-cases a locale value and accepts "_" for "-"
// ("ja_JP" → "ja-jp").
func NormalizeLocale(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "-")
}

// localeOf maps a locale parameter value to its catalogue; ok is false for
// "auto", "" and unknown values.
func localeOf(v string) (Locale, bool) {
	switch NormalizeLocale(v) {
	case "ja", "ja-jp":
		return LocaleJA, true
	case "en", "en-us", "en-gb":
		return LocaleEN, true
	case "zh", "zh-cn":
		return LocaleZHCN, true
	case "zh-tw":
		return LocaleZHTW, true
	case "ko", "ko-kr":
		return LocaleKO, true
	case "th", "th-th":
		return LocaleTH, true
	case "ru", "ru-ru":
		return LocaleRU, true
	}
	return "", false
}

// navigatorLocale maps one navigator.languages entry (BCP 47) to a
// catalogue: zh-Hant, zh-TW, zh-HK (and zh-MO) → zh-TW, other zh* → zh-CN,
// otherwise by primary language.
func navigatorLocale(tag string) (Locale, bool) {
	t := NormalizeLocale(tag)
	parts := strings.Split(t, "-")
	switch parts[0] {
	case "zh":
		for _, p := range parts[1:] {
			if p == "hant" || p == "tw" || p == "hk" || p == "mo" {
				return LocaleZHTW, true
			}
		}
		return LocaleZHCN, true
	case "ja":
		return LocaleJA, true
	case "en":
		return LocaleEN, true
	case "ko":
		return LocaleKO, true
	case "th":
		return LocaleTH, true
	case "ru":
		return LocaleRU, true
	}
	return "", false
}

// ResolveLocale picks the catalogue (docs/widget.md, "Localisation"): an
// explicit locale parameter wins; "auto", empty or unknown → the first
// supported navigator language; else ja.
func ResolveLocale(param string, navigatorLanguages []string) Locale {
	if l, ok := localeOf(param); ok {
		return l
	}
	for _, tag := range navigatorLanguages {
		if l, ok := navigatorLocale(tag); ok {
			return l
		}
	}
	return LocaleJA
}

// HTMLLang returns the value for <html lang>.
func (l Locale) HTMLLang() string {
	if _, ok := catalogues[l]; ok {
		return string(l)
	}
	return string(LocaleJA)
}

// T returns the text of key in l, falling back to en and then to the key
// itself. Placeholders {name} are replaced by args in order of first
// appearance ("設定エラー: {param}" with "amount").
func (l Locale) T(key string, args ...any) string {
	s, ok := catalogues[l][key]
	if !ok {
		s, ok = catalogues[LocaleEN][key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return s
	}
	return fill(s, args)
}

// Has reports whether key exists in l or in the en fallback.
func (l Locale) Has(key string) bool {
	_, ok := catalogues[l][key]
	if !ok {
		_, ok = catalogues[LocaleEN][key]
	}
	return ok
}

func fill(s string, args []any) string {
	var b strings.Builder
	names := map[string]int{}
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		name := s[i+1 : i+j]
		idx, seen := names[name]
		if !seen {
			idx = len(names)
			names[name] = idx
		}
		b.WriteString(s[:i])
		if idx < len(args) {
			b.WriteString(fmt.Sprint(args[idx]))
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// FieldError returns the message for a field error code (docs/widget.md,
// "Field validation"), e.g. ("cardNumber", "invalid_card_number").
func (l Locale) FieldError(field, code string) string {
	if k := "validation." + field + "." + code; l.Has(k) {
		return l.T(k)
	}
	if k := "validation." + code; l.Has(k) {
		return l.T(k)
	}
	return l.T("validation.invalid")
}

// PaymentError returns the message for a charge's payment error code
// (301–346, 355, 500–502); unknown codes get the generic failure text.
func (l Locale) PaymentError(code int) string {
	if k := "paymentError." + strconv.Itoa(code); l.Has(k) {
		return l.T(k)
	}
	return l.T("error.declined")
}

// APIError returns the message for an API error code (INVALID_DOMAIN,
// CARD_LOCKED, ...) or a widget code (TIMEOUT, NETWORK_ERROR, ...); unknown
// codes get a generic text.
func (l Locale) APIError(code string) string {
	if k := "apiError." + code; l.Has(k) {
		return l.T(k)
	}
	if n, err := strconv.Atoi(code); err == nil {
		return l.PaymentError(n)
	}
	return l.T("error.unknown")
}

var currencySymbols = map[string]string{
	"JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "CNY": "CN¥", "KRW": "₩", "TWD": "NT$",
	"HKD": "HK$", "THB": "฿", "RUB": "₽", "AUD": "A$", "CAD": "CA$", "SGD": "S$",
}

// FormatAmount renders a minor-unit amount for display: minor units ÷
// 10^digits, thousands separated by ",". Japanese shows yen as "1,000円";
// other locales and currencies use a symbol ("¥1,000", "$9.00") or the code
// ("CHF 9.00").
func FormatAmount(l Locale, amount int64, currency string) string {
	cur := strings.ToUpper(strings.TrimSpace(currency))
	if cur == "" {
		cur = "JPY"
	}
	digits := CurrencyDigits(cur)
	neg := amount < 0
	u := uint64(amount)
	if neg {
		u = uint64(-amount)
	}
	s := strconv.FormatUint(u, 10)
	frac := ""
	if digits > 0 {
		for len(s) <= digits {
			s = "0" + s
		}
		s, frac = s[:len(s)-digits], s[len(s)-digits:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	num := b.String()
	if frac != "" {
		num += "." + frac
	}
	sign := ""
	if neg {
		sign = "-"
	}
	if cur == "JPY" && l == LocaleJA {
		return sign + num + "円"
	}
	if sym, ok := currencySymbols[cur]; ok {
		return sign + sym + num
	}
	return sign + cur + " " + num
}
