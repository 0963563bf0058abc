package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/api"
	"kessai/widget"
)

// The screens of the payment methods, rendered natively (app.HTMLString).

func methodsCheckout(t *testing.T, raw map[string]any, dev widget.Device) *checkout {
	t.Helper()
	all := map[string]any{"appId": "a", "locale": "ja", "amount": 1500.0}
	for k, v := range raw {
		all[k] = v
	}
	o, ps := widget.ParseAndValidate(widget.SourceJS, all)
	if ps.HasErrors() {
		t.Fatalf("%v: %v", all, ps)
	}
	info := api.CheckoutInfo{
		Mode:                      api.ModeTest,
		CardConfiguration:         api.CardConfiguration{Enabled: true},
		ConvenienceConfiguration:  api.ConvenienceConfiguration{Enabled: true},
		BankTransferConfiguration: api.BankTransferConfiguration{Enabled: true},
		OnlineConfiguration:       api.EnabledFlag{Enabled: true},
		LogoImage:                 ptr("https://shop.example/logo.png"),
		SupportedBrands: []api.SupportedBrand{{PaymentType: api.PaymentTypeCard, Brand: "visa"},
			{PaymentType: api.PaymentTypeKonbini, Brand: "seven_eleven"}, {PaymentType: api.PaymentTypeKonbini, Brand: "lawson"},
			{PaymentType: api.PaymentTypeBankTransfer, Brand: "aozora_bank"},
			{PaymentType: api.PaymentTypeOnline, Brand: "pay_pay_online"}, {PaymentType: api.PaymentTypeOnline, Brand: "alipay_online"}},
	}
	c := &checkout{opts: o, loc: widget.LocaleJA, info: info, touched: map[string]bool{}, device: dev,
		client: &fetchClient{base: "http://localhost:8080"}}
	offer, ps := widget.ResolveMethods(o, info, dev)
	if ps.HasErrors() {
		t.Fatalf("methods: %v", ps)
	}
	c.offer = offer
	c.setMethod(offer.Single())
	c.screen = c.firstScreen()
	return c
}

func ptr[T any](v T) *T { return &v }

func wantHTML(t *testing.T, html string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(html, w) {
			t.Errorf("missing %q in\n%s", w, html)
		}
	}
	for _, n := range not {
		if strings.Contains(html, n) {
			t.Errorf("unexpected %q in\n%s", n, html)
		}
	}
}

func TestMethodSelection(t *testing.T) {
	c := methodsCheckout(t, nil, widget.Device{})
	if c.screen != screenMethods {
		t.Fatalf("screen %v", c.screen)
	}
	html := app.HTMLString(c.renderMethods())
	wantHTML(t, html, []string{"お支払い方法を選択してください", `data-method="card"`, "クレジットカード", `data-method="konbini"`,
		"セブン-イレブン / ローソン", "銀行振込", "PayPay / Alipay（支付宝）"}, []string{"paidy"})

	// One method left: no selection, its form at once.
	c = methodsCheckout(t, map[string]any{"paymentMethods": "lawson"}, widget.Device{})
	if c.screen != screenForm || c.method != "konbini" || c.choice.Store != "lawson" {
		t.Fatalf("screen %v method %q choice %+v", c.screen, c.method, c.choice)
	}
	html = app.HTMLString(c.renderMethodForm(""))
	wantHTML(t, html, []string{`name="konbiniStore"`, `value="lawson"`, `name="name"`, `name="phoneNumber.localNumber"`, `name="email"`, "申し込む"},
		[]string{"お支払い方法を変更", `value="seven_eleven"`, "data.cardNumber"})
}

func TestOnlineScreens(t *testing.T) {
	c := methodsCheckout(t, map[string]any{"paymentMethods": "pay_pay_online", "qrColor": "#d6336c", "qrLogo": "true"}, widget.Device{})
	c.action = &widget.NextAction{Type: widget.NextOnline, Brand: "pay_pay_online", IssuerToken: "https://pay.example/p?id=1&x=2", CallMethod: "http_post"}
	html := app.HTMLString(c.renderAction())
	wantHTML(t, html, []string{`src="http://localhost:8080/qr.svg?color=%23d6336c&amp;text=https%3A%2F%2Fpay.example%2Fp%3Fid%3D1%26x%3D2"`,
		`alt="PayPayを開く"`, "PayPayのアプリでQRコードを読み取ってお支払いください。", `class="kessai-qr-logo"`, `src="https://shop.example/logo.png"`, "kessai-open-app"}, nil)

	// On a phone: no QR code, the app opens.
	c.device = widget.Device{Mobile: true, OS: "ios"}
	wantHTML(t, app.HTMLString(c.renderAction()), []string{"kessai-open-app"}, []string{"qr.svg"})

	// The test issuer token opens nothing.
	c.device = widget.Device{}
	c.action = &widget.NextAction{Type: widget.NextOnline, Brand: "pay_pay_online", IssuerToken: "test", Test: true}
	wantHTML(t, app.HTMLString(c.renderAction()), []string{"テストモード: PayPayの画面は開かず"}, []string{"qr.svg", "kessai-open-app"})
}

func TestInstructions(t *testing.T) {
	c := methodsCheckout(t, nil, widget.Device{})
	c.outcome = &widget.Outcome{OK: true, Next: &widget.NextAction{Type: widget.NextBankTransfer, BankName: "GMOあおぞらネット銀行", BankCode: "0310",
		BranchName: "test branch name", BranchCode: "123", AccountNumber: "1234567", AccountHolderName: "test holder name",
		Amount: 1500, Currency: "JPY", Deadline: "2026-01-08T14:59:59Z"}}
	html := app.HTMLString(c.renderInstructions())
	wantHTML(t, html, []string{"お申し込みが完了しました。期限までに下記の口座へお振り込みください。", "お支払いはまだ完了していません。",
		"GMOあおぞらネット銀行 (0310)", "test branch name (123)", "普通", "1234567", "test holder name", "1,500円", "2026年1月8日 23:59",
		`data-copy="account"`, `aria-label="口座番号をコピー"`}, nil)

	c.outcome = &widget.Outcome{OK: true, Next: &widget.NextAction{Type: widget.NextKonbini, ConvenienceStore: "seven_eleven",
		PaymentNumber: "20020-123456789012", PaymentURL: "http://localhost:8080/sandbox/konbini/ch1", Amount: 1500, Currency: "JPY", Deadline: "2026-01-31T14:59:59Z"}}
	c.loc = widget.LocaleEN
	html = app.HTMLString(c.renderInstructions())
	wantHTML(t, html, []string{"Please pay at the convenience store", "7-Eleven", "20020-123456789012", `href="http://localhost:8080/sandbox/konbini/ch1"`,
		"Jan 31, 2026 23:59 (JST)", "Show the payment slip"}, []string{"Institution number"})

	if got := plainCopy("amount", "1,500円"); got != "1500" {
		t.Errorf("plainCopy amount %q", got)
	}
	if got := plainCopy("branch", "test branch name (123)"); got != "test branch name" {
		t.Errorf("plainCopy branch %q", got)
	}
}

func TestThreeDSScreen(t *testing.T) {
	c := methodsCheckout(t, map[string]any{"paymentMethods": "card"}, widget.Device{})
	c.action = &widget.NextAction{Type: widget.NextThreeDS, IssuerToken: "http://localhost:8080/sandbox/3ds/s1", CallMethod: "http_post", Payload: map[string]string{"session": "s1"}}
	wantHTML(t, app.HTMLString(c.renderAction()), []string{"本人認証（3-Dセキュア）", "<iframe", `id="kessai-3ds-frame"`, `name="kessai-3ds-frame"`, "認証画面を別ウィンドウで開く"}, nil)
	if safeURL("javascript:alert(1)") || !safeURL("https://acs.example/x") {
		t.Error("safeURL")
	}
}

// The issuer-token reads of the payment methods, for the recording client
// of params_effect_test.go: a card payment never reaches them.
func (l *callLog) IssuerToken(_ context.Context, storeID, chargeID string) (widget.Object[api.IssuerToken], error) {
	l.add("IssuerToken", chargeID)
	return widget.Object[api.IssuerToken]{}, errStop
}

func (l *callLog) ChargeThreeDSIssuerToken(_ context.Context, storeID, chargeID string) (widget.Object[api.ThreeDSIssuerToken], error) {
	l.add("ChargeThreeDSIssuerToken", chargeID)
	return widget.Object[api.ThreeDSIssuerToken]{}, errStop
}

func (l *callLog) TokenThreeDSIssuerToken(_ context.Context, storeID, tokenID string) (widget.Object[api.ThreeDSIssuerToken], error) {
	l.add("TokenThreeDSIssuerToken", tokenID)
	return widget.Object[api.ThreeDSIssuerToken]{}, errStop
}

// methodsProbe is what the payment methods read of the options, for
// TestEveryParameterActs: the online screen's QR code (screen), the
// methods' fields (form), their token and charge requests (request).
func methodsProbe(r widget.Reader, o widget.Options) string {
	c := &checkout{opts: o, loc: widget.LocaleJA, info: api.CheckoutInfo{LogoImage: ptr("https://shop.example/logo.png")},
		client: &fetchClient{base: "http://kessai.example"}}
	var v []any
	switch r {
	case widget.ReadScreen:
		return sortAttrs(app.HTMLString(c.renderQR("https://pay.example/p", "PayPay")))
	case widget.ReadForm:
		for _, m := range widget.MethodOrder {
			v = append(v, widget.MethodFields(o, m))
		}
	case widget.ReadRequest:
		in := widget.CardInput{Name: "山田 花子", PhoneNumber: "09012345678", Email: "h@example.com"}
		for _, m := range []string{widget.MethodKonbini, widget.MethodBankTransfer} {
			v = append(v, widget.MethodTokenRequest(o, m, in, widget.MethodChoice{Store: "lawson"}, widget.Device{}, widget.RequestExtras{}),
				widget.ChargeRequestWith(o, "tok", m, widget.RequestExtras{}))
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func TestSandboxChallengeInTheWidgetLanguage(t *testing.T) {
	c := methodsCheckout(t, map[string]any{"paymentMethods": "card"}, widget.Device{})
	n := widget.NextAction{Type: widget.NextThreeDS, IssuerToken: "http://localhost:8080/sandbox/3ds/s1", CallMethod: "http_post", Payload: map[string]string{"session": "s1"}}
	if got := c.sandboxLang(n).Payload; got["lang"] != "ja" || got["session"] != "s1" {
		t.Errorf("sandbox payload %v", got)
	}
	n.IssuerToken = "https://acs.bank.example/challenge"
	if got := c.sandboxLang(n).Payload; len(got) != 1 {
		t.Errorf("an issuer's payload changed: %v", got)
	}
}
