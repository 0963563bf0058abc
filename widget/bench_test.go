package widget

import (
	"testing"
	"time"
)

// The iframe parses the options and validates the card on the buyer's
// device: these must stay far below a frame (16 ms).

func BenchmarkParseOptionsHTML(b *testing.B) {
	raw := map[string]any{
		"data-app-id": "eyJhbGciOiJIUzI1NiJ9.e30.sig", "data-checkout": "payment", "data-amount": "1000.00",
		"data-currency": "jpy", "data-auto-submit": "true", "data-metadata": `order:"A-1001",note:"red\,blue"`,
		"data-store_id": "42", "data-txt": "支払う",
	}
	for b.Loop() {
		o, ps := ParseOptions(SourceHTML, raw)
		if ps.HasErrors() || o.Amount != 1000 {
			b.Fatal(ps)
		}
	}
}

func BenchmarkValidateCard(b *testing.B) {
	in := CardInput{Cardholder: "TARO YAMADA", CardNumber: "４０００ ０２００ ００００ ００００", Exp: "12/99", CVV: "123", Email: "taro@example.com"}
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		if errs := ValidateCard(in, now, CardRules{RequireCVV: true}); len(errs) != 0 {
			b.Fatal(errs)
		}
	}
}
