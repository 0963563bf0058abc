package widget

import (
	"reflect"
	"testing"
	"time"
)

func TestNormalizeDigits(t *testing.T) {
	for in, want := range map[string]string{
		"４２４２　４２４２－４２４２ー４２４２": "4242 4242-4242-4242",
		"１２／９９":       "12/99",
		"ＴＡＲＯ　ＹＡＭＡＤＡ": "TARO YAMADA",
		"plain 123":   "plain 123",
	} {
		if got := NormalizeDigits(in); got != want {
			t.Errorf("NormalizeDigits(%q) = %q want %q", in, got, want)
		}
	}
	if got := CardNumberDigits("４２４２ 4242-4242　4242"); got != "4242424242424242" {
		t.Errorf("CardNumberDigits = %q", got)
	}
}

func TestLuhnAndBrand(t *testing.T) {
	cases := []struct {
		num   string
		luhn  bool
		brand string
	}{
		{"4242424242424242", true, BrandVisa},
		{"4111111111111111", true, BrandVisa},
		{"4000020000000000", true, BrandVisa},
		{"4012888888881881", true, BrandVisa},
		{"4242424242424241", false, BrandVisa},
		{"5555555555554444", true, BrandMastercard},
		{"2223003122003222", true, BrandMastercard},
		{"378282246310005", true, BrandAmericanExpress},
		{"341111111111111", true, BrandAmericanExpress},
		{"3530111333300000", true, BrandJCB},
		{"3566002020360505", true, BrandJCB},
		{"30569309025904", true, BrandDinersClub},
		{"36227206271667", true, BrandDinersClub},
		{"6011111111111117", true, BrandDiscover},
		{"6445644564456445", true, BrandDiscover},
		{"6200000000000005", true, BrandUnionPay},
		{"5018000000000009", true, BrandMaestro},
		{"6304000000000000", true, BrandMaestro},
		{"1234567812345670", true, ""},
		{"", false, ""},
	}
	for _, c := range cases {
		if got := Luhn(c.num); got != c.luhn {
			t.Errorf("Luhn(%s) = %v", c.num, got)
		}
		if got := DetectBrand(c.num); got != c.brand {
			t.Errorf("DetectBrand(%s) = %q want %q", c.num, got, c.brand)
		}
	}
}

func TestParseExpiry(t *testing.T) {
	cases := []struct {
		in   string
		m, y int
		ok   bool
	}{
		{"12/99", 12, 2099, true},
		{"12/2099", 12, 2099, true},
		{"1299", 12, 2099, true},
		{"122099", 12, 2099, true},
		{"1/25", 1, 2025, true},
		{"01 / 25", 1, 2025, true},
		{"12-25", 12, 2025, true},
		{"１２／９９", 12, 2099, true},
		{"13/25", 0, 0, false},
		{"00/25", 0, 0, false},
		{"12/5", 0, 0, false},
		{"ab/cd", 0, 0, false},
		{"12/25/01", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, c := range cases {
		m, y, ok := ParseExpiry(c.in)
		if ok != c.ok || m != c.m || y != c.y {
			t.Errorf("ParseExpiry(%q) = %d %d %v", c.in, m, y, ok)
		}
	}
}

func TestValidateCard(t *testing.T) {
	now := time.Date(2025, 6, 15, 10, 0, 0, 0, JST)
	good := CardInput{Cardholder: "taro yamada", CardNumber: "4242 4242 4242 4242", Exp: "12/99", CVV: "123", Email: "taro@example.com"}
	rules := CardRules{RequireCVV: true}
	mod := func(f func(*CardInput)) CardInput { in := good; f(&in); return in }
	cases := []struct {
		name  string
		in    CardInput
		rules CardRules
		want  FieldErrors
	}{
		{"valid", good, rules, FieldErrors{}},
		{"full-width", CardInput{Cardholder: "ＴＡＲＯ　ＹＡＭＡＤＡ", CardNumber: "４２４２４２４２４２４２４２４２", Exp: "１２／９９", CVV: "１２３", Email: "taro@example.com"}, rules, FieldErrors{}},
		{"all empty", CardInput{}, rules, FieldErrors{"cardNumber": "required", "exp": "required", "cvv": "required", "cardholder": "required", "email": "required"}},
		{"cvv optional", mod(func(c *CardInput) { c.CVV = "" }), CardRules{}, FieldErrors{}},
		{"luhn", mod(func(c *CardInput) { c.CardNumber = "4242424242424241" }), rules, FieldErrors{"cardNumber": "invalid_card_number"}},
		{"letters", mod(func(c *CardInput) { c.CardNumber = "4242abcd42424242" }), rules, FieldErrors{"cardNumber": "invalid_card_number"}},
		{"short", mod(func(c *CardInput) { c.CardNumber = "42424242" }), rules, FieldErrors{"cardNumber": "invalid_card_number"}},
		{"brand not allowed", mod(func(c *CardInput) { c.CardNumber = "5555555555554444" }), CardRules{RequireCVV: true, AllowedBrands: []string{"visa", "jcb"}}, FieldErrors{"cardNumber": "unsupported_brand"}},
		{"unknown brand not allowed", mod(func(c *CardInput) { c.CardNumber = "1234567812345670" }), CardRules{AllowedBrands: []string{"visa"}}, FieldErrors{"cardNumber": "unsupported_brand"}},
		{"unknown brand open", mod(func(c *CardInput) { c.CardNumber = "1234567812345670" }), rules, FieldErrors{}},
		{"current month valid", mod(func(c *CardInput) { c.Exp = "06/25" }), rules, FieldErrors{}},
		{"last month expired", mod(func(c *CardInput) { c.Exp = "05/25" }), rules, FieldErrors{"exp": "expired"}},
		{"last year expired", mod(func(c *CardInput) { c.Exp = "12/2024" }), rules, FieldErrors{"exp": "expired"}},
		{"bad expiry", mod(func(c *CardInput) { c.Exp = "13/30" }), rules, FieldErrors{"exp": "invalid_expiry"}},
		{"amex cvv 4", CardInput{Cardholder: "A B", CardNumber: "378282246310005", Exp: "12/99", CVV: "1234", Email: "a@b.co"}, rules, FieldErrors{}},
		{"amex cvv 3", CardInput{Cardholder: "A B", CardNumber: "378282246310005", Exp: "12/99", CVV: "123", Email: "a@b.co"}, rules, FieldErrors{"cvv": "invalid_cvv"}},
		{"visa cvv 4", mod(func(c *CardInput) { c.CVV = "1234" }), rules, FieldErrors{"cvv": "invalid_cvv"}},
		{"cvv letters", mod(func(c *CardInput) { c.CVV = "12a" }), rules, FieldErrors{"cvv": "invalid_cvv"}},
		{"cardholder kanji", mod(func(c *CardInput) { c.Cardholder = "山田太郎" }), rules, FieldErrors{"cardholder": "invalid_cardholder"}},
		{"cardholder too long", mod(func(c *CardInput) { c.Cardholder = "ABCDEFGHIJ ABCDEFGHIJ ABCDEFGHIJ ABCDEFGHIJ ABCDE" }), rules, FieldErrors{"cardholder": "invalid_cardholder"}},
		{"cardholder punctuation", mod(func(c *CardInput) { c.Cardholder = "Mary-Jane O'Neil Jr." }), rules, FieldErrors{}},
		{"cardholder single word", mod(func(c *CardInput) { c.Cardholder = "TARO" }), rules, FieldErrors{}},
		{"cardholder full name rule", mod(func(c *CardInput) { c.Cardholder = "TARO" }), CardRules{RequireCVV: true, RequireFullName: true}, FieldErrors{"cardholder": "last_name_required"}},
		{"email bad", mod(func(c *CardInput) { c.Email = "taro@example" }), rules, FieldErrors{"email": "invalid_email"}},
		{"email spaces", mod(func(c *CardInput) { c.Email = "ta ro@example.com" }), rules, FieldErrors{"email": "invalid_email"}},
	}
	for _, c := range cases {
		got := ValidateCard(c.in, now, c.rules)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v want %v", c.name, got, c.want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for in, want := range map[string]bool{
		"a@example.com": true, "a.b+c@sub.example.co.jp": true, "a@b.c": false, "@example.com": false,
		"a@@example.com": false, "a..b@example.com": false, "a@-x.com": false, "a@example.123": false,
		string(make([]byte, 250)) + "@x.com": false,
	} {
		if got := ValidEmail(in); got != want {
			t.Errorf("ValidEmail(%q) = %v", in, got)
		}
	}
}

func TestFormatCardNumber(t *testing.T) {
	for in, want := range map[string]string{
		"4242424242424242":    "4242 4242 4242 4242",
		"378282246310005":     "3782 822463 10005",
		"30569309025904":      "3056 930902 5904",
		"42424":               "4242 4",
		"4242-4242":           "4242 4242",
		"4242424242424242123": "4242 4242 4242 4242 123",
	} {
		if got := FormatCardNumber(in); got != want {
			t.Errorf("FormatCardNumber(%q) = %q want %q", in, got, want)
		}
	}
}
