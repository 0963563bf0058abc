package widget_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"kessai/api"
	"kessai/widget"
)

// Tests of the konbini, bank-transfer, online and 3-D Secure flows
// (docs/widget.md, "Payment methods"), on the loader messages they post.

// The card flows never read issuer tokens: for the fake of flow_test.go
// they are unexpected calls.
func (c *flowClient) IssuerToken(ctx context.Context, storeID, chargeID string) (widget.Object[api.IssuerToken], error) {
	return flowCall(c, fmt.Sprintf("IssuerToken(%s,%s)", storeID, chargeID), func() (widget.Object[api.IssuerToken], error) {
		return widget.Object[api.IssuerToken]{}, nil
	}, false)
}

func (c *flowClient) ChargeThreeDSIssuerToken(ctx context.Context, storeID, chargeID string) (widget.Object[api.ThreeDSIssuerToken], error) {
	return flowCall(c, "ChargeThreeDSIssuerToken", func() (widget.Object[api.ThreeDSIssuerToken], error) {
		return widget.Object[api.ThreeDSIssuerToken]{}, nil
	}, false)
}

func (c *flowClient) TokenThreeDSIssuerToken(ctx context.Context, storeID, tokenID string) (widget.Object[api.ThreeDSIssuerToken], error) {
	return flowCall(c, "TokenThreeDSIssuerToken", func() (widget.Object[api.ThreeDSIssuerToken], error) {
		return widget.Object[api.ThreeDSIssuerToken]{}, nil
	}, false)
}

// methodClient answers the method flows: every call returns the next
// scripted JSON of its kind.
type methodClient struct {
	*flowClient
	tokens, charges, issuers, threeDS []string
	tokenReq                          []api.TokenCreateRequest
	chargeReqs                        []api.ChargeCreateRequest
}

func decodeObj[T any](t *testing.T, raw string) widget.Object[T] {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("fixture %s: %v", raw, err)
	}
	return widget.Object[T]{Value: v, Raw: json.RawMessage(raw)}
}

func next(t *testing.T, c *methodClient, name string, list *[]string) string {
	t.Helper()
	c.calls = append(c.calls, name)
	if len(*list) == 0 {
		t.Fatalf("unexpected call %s", name)
	}
	s := (*list)[0]
	if len(*list) > 1 {
		*list = (*list)[1:]
	}
	return s
}

func (c *methodClient) CreateToken(ctx context.Context, req api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
	c.tokenReq = append(c.tokenReq, req)
	return decodeObj[api.TransactionToken](c.t, next(c.t, c, "CreateToken", &c.tokens)), nil
}

func (c *methodClient) GetToken(ctx context.Context, storeID, id string) (widget.Object[api.TransactionToken], error) {
	return decodeObj[api.TransactionToken](c.t, next(c.t, c, "GetToken", &c.tokens)), nil
}

func (c *methodClient) CreateCharge(ctx context.Context, req api.ChargeCreateRequest) (widget.Object[api.Charge], error) {
	c.chargeReqs = append(c.chargeReqs, req)
	return decodeObj[api.Charge](c.t, next(c.t, c, "CreateCharge", &c.charges)), nil
}

func (c *methodClient) GetCharge(ctx context.Context, storeID, id string, polling bool) (widget.Object[api.Charge], error) {
	return decodeObj[api.Charge](c.t, next(c.t, c, "GetCharge", &c.charges)), nil
}

func (c *methodClient) IssuerToken(ctx context.Context, storeID, id string) (widget.Object[api.IssuerToken], error) {
	return decodeObj[api.IssuerToken](c.t, next(c.t, c, "IssuerToken", &c.issuers)), nil
}

func (c *methodClient) ChargeThreeDSIssuerToken(ctx context.Context, storeID, id string) (widget.Object[api.ThreeDSIssuerToken], error) {
	return decodeObj[api.ThreeDSIssuerToken](c.t, next(c.t, c, "ChargeThreeDSIssuerToken", &c.threeDS)), nil
}

func (c *methodClient) TokenThreeDSIssuerToken(ctx context.Context, storeID, id string) (widget.Object[api.ThreeDSIssuerToken], error) {
	return decodeObj[api.ThreeDSIssuerToken](c.t, next(c.t, c, "TokenThreeDSIssuerToken", &c.threeDS)), nil
}

func methodToken(pt, data string) string {
	return `{"id":"tok_m","store_id":"store_0001","email":"hanako@example.com","payment_type":"` + pt + `","active":true,"mode":"test",` +
		`"type":"one_time","usage_limit":null,"confirmed":null,"metadata":{},"created_on":"2026-01-01T01:00:00Z","updated_on":"2026-01-01T01:00:00Z",` +
		`"last_used_on":null,"data":` + data + `}`
}

func methodCharge(status, extra string) string {
	return `{"id":"ch_m","store_id":"store_0001","transaction_token_id":"tok_m","transaction_token_type":"one_time","subscription_id":null,` +
		`"merchant_transaction_id":null,"requested_amount":1500,"requested_currency":"JPY","requested_amount_formatted":1500,` +
		`"charged_amount":null,"charged_currency":null,"charged_amount_formatted":null,"fee_amount":null,"fee_currency":null,` +
		`"fee_amount_formatted":null,"only_direct_currency":false,"descriptor":null,"descriptor_phone_number":null,"status":"` + status + `",` +
		`"mode":"test","created_on":"2026-01-01T01:00:00Z","redirect":{}` + extra + `}`
}

func methodPayment(t *testing.T, c *methodClient, rec *flowRecorder, raw map[string]any, method string, ch widget.MethodChoice) *widget.Payment {
	t.Helper()
	opts := map[string]any{"appId": "jwt", "amount": float64(1500), "currency": "jpy"}
	for k, v := range raw {
		opts[k] = v
	}
	o, ps := widget.ParseAndValidate(widget.SourceJS, opts)
	if ps.HasErrors() {
		t.Fatalf("options: %v", ps)
	}
	info := api.CheckoutInfo{
		CardConfiguration:         api.CardConfiguration{Enabled: true},
		ConvenienceConfiguration:  api.ConvenienceConfiguration{Enabled: true, Expiration: "PT720H"},
		BankTransferConfiguration: api.BankTransferConfiguration{Enabled: true, Expiration: "PT168H"},
		OnlineConfiguration:       api.EnabledFlag{Enabled: true},
		SupportedBrands: []api.SupportedBrand{{PaymentType: api.PaymentTypeKonbini, Brand: "family_mart"}, {PaymentType: api.PaymentTypeKonbini, Brand: "pay_easy"},
			{PaymentType: api.PaymentTypeBankTransfer, Brand: "aozora_bank"}, {PaymentType: api.PaymentTypeOnline, Brand: "pay_pay_online"},
			{PaymentType: api.PaymentTypeCard, Brand: "visa"}},
	}
	offer, _ := widget.ResolveMethods(o, info, widget.Device{})
	return &widget.Payment{Options: o, Locale: flowLocale, Client: c, Emit: rec.emit, Now: func() time.Time { return flowNow },
		Method: method, Choice: ch, Offer: offer, Info: info, RetryWait: 1, TokenPollWait: 1}
}

var konbiniBuyer = widget.CardInput{Name: "山田 花子", PhoneNumber: "090-1234-5678", Email: "hanako@example.com"}

func TestKonbiniApplicationSucceedsAwaitingWithItsSlip(t *testing.T) {
	c := &methodClient{flowClient: &flowClient{t: t},
		tokens:  []string{methodToken("konbini", `{"customer_name":"山田 花子","convenience_store":"pay_easy"}`)},
		charges: []string{methodCharge("pending", `,"capture_at":null,"metadata":{}`), methodCharge("awaiting", `,"capture_at":"2026-01-31T14:59:59Z","metadata":{"internal_convenience_payment_number":"20020-123456789012"}`)},
	}
	rec := &flowRecorder{t: t}
	p := methodPayment(t, c, rec, map[string]any{"convenienceStoreExpirationPeriod": "P5D", "expirationTimeShift": "12:00:00+09:00"}, "konbini", widget.MethodChoice{Store: "pay_easy"})
	o := p.Run(context.Background(), konbiniBuyer)
	if !o.OK || o.Next == nil {
		t.Fatalf("outcome %+v", o)
	}
	req := c.tokenReq[0]
	if req.PaymentType != "konbini" || req.Data.ConvenienceStore != "pay_easy" || req.Data.CustomerName != "山田 花子" ||
		req.Data.PhoneNumber == nil || req.Data.PhoneNumber.LocalNumber != "09012345678" || req.Data.PhoneNumber.CountryCode != "81" ||
		req.Data.ExpirationPeriod != "P5D" || req.Data.ExpirationTimeShift != "12:00:00+09:00" || req.Email != "hanako@example.com" {
		t.Errorf("token request %+v", req)
	}
	if got := strings.Join(rec.kinds(), ","); got != "event univapay:token-created,event univapay:charge-created,inputs,event univapay:success" {
		t.Errorf("messages %s", got)
	}
	d := rec.detail("univapay:success")
	flowWant(t, "success", d, "status", "awaiting")
	flowWant(t, "success", d, "chargeId", "ch_m")
	flowWant(t, "success", d, "paymentType", "konbini")
	flowWant(t, "success", d, "nextAction.type", "konbini")
	flowWant(t, "success", d, "nextAction.paymentNumber", "20020-123456789012")
	flowWant(t, "success", d, "nextAction.collectionAgency", "58091")
	flowWant(t, "success", d, "nextAction.deadline", "2026-01-31T14:59:59Z")
	flowWant(t, "success", d, "nextAction.amount", 1500)
}

func TestKonbiniDeclinedPhoneEndsInError(t *testing.T) {
	c := &methodClient{flowClient: &flowClient{t: t},
		tokens:  []string{methodToken("konbini", `{}`)},
		charges: []string{methodCharge("pending", ""), methodCharge("failed", `,"error":`+flowErr309)},
	}
	rec := &flowRecorder{t: t}
	in := konbiniBuyer
	in.PhoneNumber = "09000001111"
	o := methodPayment(t, c, rec, nil, "konbini", widget.MethodChoice{Store: "family_mart"}).Run(context.Background(), in)
	if o.OK || o.Code != "309" || !o.Retry {
		t.Fatalf("outcome %+v", o)
	}
	flowWant(t, "error", rec.detail("univapay:error"), "chargeId", "ch_m")
}

func TestMethodValidation(t *testing.T) {
	c := &methodClient{flowClient: &flowClient{t: t}}
	rec := &flowRecorder{t: t}
	o := methodPayment(t, c, rec, nil, "konbini", widget.MethodChoice{Store: "lawson"}).
		Run(context.Background(), widget.CardInput{Name: "", PhoneNumber: "+1 555 0100", Email: "nope"})
	want := widget.FieldErrors{"konbiniStore": "required", "name": "required", "phoneNumber": "japanese_only", "email": "invalid_email"}
	if fmt.Sprint(o.Fields) != fmt.Sprint(want) || len(c.calls) != 0 {
		t.Errorf("fields %v (calls %v), want %v", o.Fields, c.calls, want)
	}
	flowWant(t, "validation", rec.detail("univapay:validation-error"), "phoneNumber", "japanese_only")
}

func TestBankTransferShowsTheVirtualAccount(t *testing.T) {
	c := &methodClient{flowClient: &flowClient{t: t},
		tokens:  []string{methodToken("bank_transfer", `{"brand":"aozora_bank"}`)},
		charges: []string{methodCharge("pending", ""), methodCharge("awaiting", "")},
		issuers: []string{`{"payment_type":"bank_transfer","account_id":"acc","bank_code":"0310","bank_name":"GMOあおぞらネット銀行","branch_code":"123",` +
			`"branch_name":"test branch name","account_type":"ordinary","account_holder_name":"test holder name","account_number":"1234567"}`},
	}
	rec := &flowRecorder{t: t}
	o := methodPayment(t, c, rec, nil, "bank_transfer", widget.MethodChoice{}).Run(context.Background(), widget.CardInput{Name: "Hanako Yamada", Email: "hanako@example.com"})
	if !o.OK || o.Next == nil || o.Next.AccountNumber != "1234567" {
		t.Fatalf("outcome %+v", o)
	}
	if got := string(c.tokenReq[0].Metadata["univapay-name"]); got != `"Hanako Yamada"` {
		t.Errorf("univapay-name %s", got)
	}
	d := rec.detail("univapay:success")
	flowWant(t, "success", d, "status", "awaiting")
	flowWant(t, "success", d, "nextAction.bankName", "GMOあおぞらネット銀行")
	flowWant(t, "success", d, "nextAction.branchName", "test branch name")
	flowWant(t, "success", d, "nextAction.accountHolderName", "test holder name")
	// No capture_at on the charge: the deadline the widget computes, 7
	// days from the charge's creation (2026-01-01 10:00 JST) at 23:59:59.
	flowWant(t, "success", d, "nextAction.deadline", "2026-01-08T14:59:59Z")
}

func TestOnlineIsFollowedToItsEnd(t *testing.T) {
	c := &methodClient{flowClient: &flowClient{t: t},
		tokens:  []string{methodToken("online", `{"brand":"pay_pay_online","call_method":"http_post"}`)},
		charges: []string{methodCharge("pending", ""), methodCharge("awaiting", ""), methodCharge("awaiting", ""), methodCharge("successful", "")},
		issuers: []string{`{"payment_type":"online","issuer_token":"test","call_method":"http_post","payload":{}}`},
	}
	rec := &flowRecorder{t: t}
	p := methodPayment(t, c, rec, nil, "online", widget.MethodChoice{Brand: "pay_pay_online"})
	var acted []widget.NextAction
	p.Act = func(n widget.NextAction) { acted = append(acted, n) }
	o := p.Run(context.Background(), widget.CardInput{})
	if !o.OK || o.Next != nil {
		t.Fatalf("outcome %+v", o)
	}
	if req := c.tokenReq[0]; req.PaymentType != "online" || req.Data.Brand != "pay_pay_online" || req.Data.CallMethod != "http_post" || req.Email != "" {
		t.Errorf("token request %+v", req)
	}
	if len(acted) != 1 || acted[0].Type != "online" || !acted[0].Test || acted[0].Brand != "pay_pay_online" {
		t.Errorf("actions %+v", acted)
	}
	flowWant(t, "success", rec.detail("univapay:success"), "status", "successful")
}

func TestOnlineRefusedWithoutBrand(t *testing.T) {
	c := &methodClient{flowClient: &flowClient{t: t}}
	o := methodPayment(t, c, &flowRecorder{t: t}, nil, "online", widget.MethodChoice{Brand: "we_chat_online"}).Run(context.Background(), widget.CardInput{})
	if o.Fields["onlineBrand"] != "required" {
		t.Errorf("fields %v", o.Fields)
	}
}

func threeDSCharge(status, tds, errObj string) string {
	extra := `,"three_ds":{"mode":"normal","redirect_endpoint":null,"redirect_id":null,"status":"` + tds + `"}`
	if errObj != "" {
		extra += `,"error":` + errObj
	}
	return methodCharge(status, extra)
}

const acsIssuer = `{"issuer_token":"http://localhost:8080/sandbox/3ds/s1","call_method":"http_post","payload":{"session":"s1"},` +
	`"content_type":"application/x-www-form-urlencoded","payment_type":"card"}`

func TestThreeDSChallengeOfACharge(t *testing.T) {
	for _, c := range []struct {
		name             string
		end              string
		ok               bool
		code, stage, msg string
	}{
		{"authenticated", threeDSCharge("successful", "successful", ""), true, "", "", ""},
		{"failed", threeDSCharge("failed", "failed", `{"code":306,"message":"3-D Secure authentication failed","detail":null}`), false, "306", "three_ds", "The card authentication (3-D Secure) failed. Try again or use another card."},
		{"timed out", threeDSCharge("error", "error", `{"code":327,"message":"3-D Secure authentication timed out","detail":null}`), false, "327", "three_ds", "The card authentication (3-D Secure) timed out. Please try again."},
		{"authenticated, then declined", threeDSCharge("failed", "successful", flowErr309), false, "309", "charge", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			mc := &methodClient{flowClient: &flowClient{t: t},
				tokens:  []string{methodToken("card", `{"card":{"brand":"visa","last_four":"3220"}}`)},
				charges: []string{threeDSCharge("pending", "pending", ""), threeDSCharge("awaiting", "awaiting", ""), c.end},
				threeDS: []string{acsIssuer},
			}
			rec := &flowRecorder{t: t}
			p := methodPayment(t, mc, rec, nil, "card", widget.MethodChoice{})
			var acted []widget.NextAction
			p.Act = func(n widget.NextAction) { acted = append(acted, n) }
			in := flowCard
			in.CardNumber = "4000000000003220"
			o := p.Run(context.Background(), in)
			if len(acted) != 1 || acted[0].Type != "three_ds" || acted[0].IssuerToken != "http://localhost:8080/sandbox/3ds/s1" || acted[0].Payload["session"] != "s1" {
				t.Errorf("actions %+v", acted)
			}
			if o.OK != c.ok {
				t.Fatalf("outcome %+v", o)
			}
			if c.ok {
				flowWant(t, "success", rec.detail("univapay:success"), "status", "successful")
				return
			}
			d := rec.detail("univapay:error")
			flowWant(t, "error", d, "stage", c.stage)
			flowWant(t, "error", d, "code", c.code)
			flowWant(t, "error", d, "chargeId", "ch_m")
			if c.msg != "" {
				flowWant(t, "error", d, "message", c.msg)
			}
		})
	}
}

func TestThreeDSOfACardRegistration(t *testing.T) {
	tok := func(status string) string {
		return methodToken("card", `{"card":{"brand":"visa","last_four":"3220"},"three_ds":{"enabled":true,"status":"`+status+`","redirect_endpoint":null,"redirect_id":null}}`)
	}
	mc := &methodClient{flowClient: &flowClient{t: t}, tokens: []string{tok("awaiting"), tok("awaiting"), tok("successful")}, threeDS: []string{acsIssuer}}
	rec := &flowRecorder{t: t}
	p := methodPayment(t, mc, rec, map[string]any{"checkout": "token", "tokenType": "recurring"}, "card", widget.MethodChoice{})
	p.Info.CardConfiguration.ThreeDSRequired = true
	p.Info.RecurringTokenPrivilege = api.RecurringInfinite
	p.Act = func(widget.NextAction) {}
	o := p.Run(context.Background(), flowCard)
	if !o.OK {
		t.Fatalf("outcome %+v", o)
	}
	if s := mc.tokenReq[0].Data.ThreeDS; s == nil || s.Enabled == nil || !bool(*s.Enabled) {
		t.Errorf("token request three_ds %+v", s)
	}
	if got := strings.Join(mc.calls, ","); got != "CreateToken,TokenThreeDSIssuerToken,GetToken,GetToken" {
		t.Errorf("calls %s", got)
	}
}
