package widget_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"kessai/api"
	"kessai/widget"
)

// ---------------------------------------------------------------- success

func TestPaymentRunSuccess(t *testing.T) {
	const (
		tc  = "event " + widget.EventTokenCreated
		cc  = "event " + widget.EventChargeCreated
		in  = "inputs"
		suc = "event " + widget.EventSuccess
	)
	cases := []struct {
		name       string
		attrs      map[string]any
		created    string   // status of POST /charges ("" for checkout=token)
		polls      []string // statuses returned by the polling GETs
		wantKinds  []string
		wantInputs map[string]string
		wantStatus string
	}{
		{
			name:       "pending twice then successful",
			created:    "pending",
			polls:      []string{"pending", "pending", "successful"},
			wantKinds:  []string{tc, cc, in, suc},
			wantInputs: map[string]string{"univapayTokenId": flowTokenID, "univapayChargeId": flowChargeID},
			wantStatus: "successful",
		},
		{
			name:       "successful at creation: no polling",
			created:    "successful",
			wantKinds:  []string{tc, cc, in, suc},
			wantInputs: map[string]string{"univapayTokenId": flowTokenID, "univapayChargeId": flowChargeID},
			wantStatus: "successful",
		},
		{
			name:       "authorization only ends authorized",
			attrs:      map[string]any{"data-capture": "false"},
			created:    "pending",
			polls:      []string{"authorized"},
			wantKinds:  []string{tc, cc, in, suc},
			wantInputs: map[string]string{"univapayTokenId": flowTokenID, "univapayChargeId": flowChargeID},
			wantStatus: "authorized",
		},
		{
			name:       "data-name renames only the charge field",
			attrs:      map[string]any{"data-name": "paymentRef"},
			created:    "pending",
			polls:      []string{"successful"},
			wantKinds:  []string{tc, cc, in, suc},
			wantInputs: map[string]string{"univapayTokenId": flowTokenID, "paymentRef": flowChargeID},
			wantStatus: "successful",
		},
		{
			name:       "checkout=token: token only",
			attrs:      map[string]any{"data-checkout": "token"},
			wantKinds:  []string{tc, in, suc},
			wantInputs: map[string]string{"univapayTokenId": flowTokenID},
		},
		{
			name:       "checkout=token with data-name renames the token field",
			attrs:      map[string]any{"data-checkout": "token", "data-name": "cardToken"},
			wantKinds:  []string{tc, in, suc},
			wantInputs: map[string]string{"cardToken": flowTokenID},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			payment := c.created != ""
			cl := &flowClient{t: t, CreateTokenFn: flowTokenOK(t)}
			if payment {
				cl.CreateChargeFn = flowChargeAs(t, flowStep{status: c.created})
				steps := make([]flowStep, len(c.polls))
				for i, s := range c.polls {
					steps[i] = flowStep{status: s}
				}
				cl.GetChargeFn = flowPoll(t, steps...)
			}
			out, rec := flowRun(t, context.Background(), flowOptions(t, c.attrs), cl, flowCard, 0)

			if got := rec.kinds(); !reflect.DeepEqual(got, c.wantKinds) {
				t.Fatalf("messages = %v, want %v", got, c.wantKinds)
			}
			if want := flowCalls(payment, len(c.polls)); !reflect.DeepEqual(cl.calls, want) {
				t.Errorf("client calls = %v, want %v", cl.calls, want)
			}

			// The requests built from options and input.
			if len(cl.tokenReqs) == 1 {
				r := cl.tokenReqs[0]
				if r.PaymentType != api.PaymentTypeCard || r.Data.CardNumber != "4242424242424242" || r.Email != "taro@example.com" ||
					r.Data.ExpMonth != "12" || r.Data.ExpYear != "2099" {
					t.Errorf("token request = %+v", r)
				}
			}
			if payment && len(cl.chargeReq) == 1 {
				r := cl.chargeReq[0]
				if r.TransactionTokenID != flowTokenID || r.Amount != 1000 || r.Currency != "JPY" {
					t.Errorf("charge request = %+v", r)
				}
			}

			// Outcome.
			if !out.OK || out.Retry || out.Code != "" || out.Stage != "" {
				t.Errorf("outcome OK=%t Retry=%t Stage=%q Code=%q, want OK only", out.OK, out.Retry, out.Stage, out.Code)
			}
			if !reflect.DeepEqual(out.Inputs, c.wantInputs) {
				t.Errorf("Outcome.Inputs = %v, want %v", out.Inputs, c.wantInputs)
			}
			if out.Token == nil || out.Token.Value.ID != flowTokenID {
				t.Errorf("Outcome.Token = %+v", out.Token)
			}
			if payment != (out.Charge != nil) {
				t.Errorf("Outcome.Charge = %+v, payment %t", out.Charge, payment)
			}

			// token-created.
			ev := rec.event(widget.EventTokenCreated)
			flowWant(t, "token-created", ev, "callback", "onTokenCreated")
			d := rec.detail(widget.EventTokenCreated)
			flowWant(t, "token-created", d, "tokenId", flowTokenID)
			flowWant(t, "token-created", d, "response.id", flowTokenID)
			flowWant(t, "token-created", d, "response.paymentType", "card")
			flowWant(t, "token-created", d, "response.data.card.lastFour", "4242")
			flowAbsent(t, "token-created", d, "response.payment_type")
			flowAbsent(t, "token-created", d, "response.data.card.card_number")

			// charge-created.
			if payment {
				ev := rec.event(widget.EventChargeCreated)
				flowWant(t, "charge-created", ev, "callback", "onChargeCreated")
				d := rec.detail(widget.EventChargeCreated)
				flowWant(t, "charge-created", d, "chargeId", flowChargeID)
				flowWant(t, "charge-created", d, "tokenId", flowTokenID)
				flowWant(t, "charge-created", d, "response.id", flowChargeID)
				flowWant(t, "charge-created", d, "response.status", c.created)
				flowWant(t, "charge-created", d, "response.transactionTokenId", flowTokenID)
			}

			// inputs, before success.
			var inputs map[string]any
			for _, m := range rec.msgs {
				if m["type"] == string(widget.MsgInputs) {
					inputs, _ = m["fields"].(map[string]any)
				}
			}
			wantInputs := map[string]any{}
			for k, v := range c.wantInputs {
				wantInputs[k] = v
			}
			if !reflect.DeepEqual(inputs, wantInputs) {
				t.Errorf("inputs fields = %v, want %v", inputs, wantInputs)
			}

			// success.
			ev = rec.event(widget.EventSuccess)
			flowWant(t, "success", ev, "callback", "onSuccess")
			d = rec.detail(widget.EventSuccess)
			flowWant(t, "success", d, "tokenId", flowTokenID)
			flowWant(t, "success", d, "paymentType", "card")
			flowWant(t, "success", d, "brand", "visa")
			flowWant(t, "success", d, "token.id", flowTokenID)
			flowWant(t, "success", d, "token.data.card.lastFour", "4242")
			flowAbsent(t, "success", d, "token.data.card.last_four")
			if payment {
				flowWant(t, "success", d, "resourceType", "charge")
				flowWant(t, "success", d, "chargeId", flowChargeID)
				flowWant(t, "success", d, "status", c.wantStatus)
				// response: the charge, camelCased (result.response.id).
				flowWant(t, "success", d, "response.id", flowChargeID)
				flowWant(t, "success", d, "response.status", c.wantStatus)
				// Integrations read result.response.paymentType
				// (docs/widget.md, "Success detail"), although the API's
				// charge object has no payment_type.
				flowWant(t, "success", d, "response.paymentType", "card")
				flowWant(t, "success", d, "response.requestedAmount", 1000)
				flowWant(t, "success", d, "response.requestedCurrency", "JPY")
				flowWant(t, "success", d, "response.storeId", flowStoreID)
				flowAbsent(t, "success", d, "response.requested_amount")
				flowAbsent(t, "success", d, "response.store_id")
				// metadata keys are the merchant's, untouched.
				flowWant(t, "success", d, "response.metadata.order_id", "A-1")
				flowWant(t, "success", d, "response.metadata.univapay-reference-id", "ref_1")
				flowAbsent(t, "success", d, "response.metadata.orderId")
				flowWant(t, "success", d, "charge.id", flowChargeID)
			} else {
				flowWant(t, "success", d, "resourceType", "token")
				flowAbsent(t, "success", d, "chargeId")
				flowAbsent(t, "success", d, "charge")
				// response: the token, camelCased (result.response.paymentType).
				flowWant(t, "success", d, "response.id", flowTokenID)
				flowWant(t, "success", d, "response.paymentType", "card")
				flowWant(t, "success", d, "response.storeId", flowStoreID)
				flowAbsent(t, "success", d, "response.payment_type")
				flowWant(t, "success", d, "response.metadata.order_id", "A-1")
				flowAbsent(t, "success", d, "response.metadata.orderId")
			}
		})
	}
}

// ---------------------------------------------------------------- input validation

func TestPaymentRunInputValidation(t *testing.T) {
	cases := []struct {
		name  string
		in    func(widget.CardInput) widget.CardInput
		rules widget.CardRules
		want  widget.FieldErrors
	}{
		{"bad Luhn", func(in widget.CardInput) widget.CardInput { in.CardNumber = "4242 4242 4242 4241"; return in }, widget.CardRules{},
			widget.FieldErrors{widget.FieldCardNumber: widget.ErrCodeInvalidCardNumber}},
		{"expired last month", func(in widget.CardInput) widget.CardInput { in.Exp = "05/25"; return in }, widget.CardRules{},
			widget.FieldErrors{widget.FieldExp: widget.ErrCodeExpired}},
		{"empty email and bad cvv", func(in widget.CardInput) widget.CardInput { in.Email = ""; in.CVV = "12"; return in }, widget.CardRules{},
			widget.FieldErrors{widget.FieldEmail: widget.ErrCodeRequired, widget.FieldCVV: widget.ErrCodeInvalidCVV}},
		{"brand not allowed", func(in widget.CardInput) widget.CardInput { return in }, widget.CardRules{AllowedBrands: []string{widget.BrandJCB}},
			widget.FieldErrors{widget.FieldCardNumber: widget.ErrCodeUnsupportedBrand}},
		{"cvv required", func(in widget.CardInput) widget.CardInput { in.CVV = ""; return in }, widget.CardRules{RequireCVV: true},
			widget.FieldErrors{widget.FieldCVV: widget.ErrCodeRequired}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := &flowClient{t: t} // every call is unexpected
			rec := &flowRecorder{t: t}
			p := &widget.Payment{Options: flowOptions(t, nil), Locale: flowLocale, Client: cl, Emit: rec.emit, Rules: c.rules,
				Now: func() time.Time { return flowNow }}
			out := p.Run(context.Background(), c.in(flowCard))

			if len(cl.calls) != 0 {
				t.Errorf("client calls = %v, want none", cl.calls)
			}
			if got, want := rec.kinds(), []string{"event " + widget.EventValidationError}; !reflect.DeepEqual(got, want) {
				t.Fatalf("messages = %v, want %v", got, want)
			}
			flowWant(t, "validation-error", rec.event(widget.EventValidationError), "callback", "onValidationError")
			want := map[string]any{}
			for f, code := range c.want {
				want[f] = code
			}
			if got := rec.detail(widget.EventValidationError); !reflect.DeepEqual(got, want) {
				t.Errorf("validation-error detail = %v, want %v", got, want)
			}
			if out.OK || out.Stage != widget.StageToken || out.Code != widget.CodeValidation || !out.Retry ||
				out.Message != flowLocale.T("error.validation") || out.Message == "error.validation" {
				t.Errorf("outcome OK=%t Stage=%q Code=%q Retry=%t Message=%q", out.OK, out.Stage, out.Code, out.Retry, out.Message)
			}
			if !reflect.DeepEqual(out.Fields, c.want) {
				t.Errorf("Outcome.Fields = %v, want %v", out.Fields, c.want)
			}
			if out.Token != nil || out.Charge != nil || out.Inputs != nil {
				t.Errorf("outcome has resources: %+v", out)
			}
		})
	}
}
