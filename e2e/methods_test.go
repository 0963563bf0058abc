package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"kessai/api"
)

// The payment methods other than card and 3-D Secure, from the widget to
// their final state (docs/widget.md, "Payment methods"). Each test
// enables what it needs in the demo store's configuration and puts it back
// afterwards.

var _ = template.Must(testPages.Parse(`
{{define "methods"}}<!doctype html><html><head><meta charset="utf-8"><title>payment methods</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{{template "console"}}<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="order" action="/done">
<span data-app-id="{{.JWT}}" data-checkout="payment" data-amount="1500" data-currency="jpy" data-text="Checkout"></span>
</form>
<script>
  var q = new URLSearchParams(location.search), span = document.querySelector("span");
  q.forEach(function (v, k) { span.setAttribute("data-" + k, v); });
</script></body></html>{{end}}
{{define "methods-js"}}<!doctype html><html><head><meta charset="utf-8"><title>payment methods, JS</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{{template "console"}}<script src="{{.Widget}}/client/checkout.js"></script>
<script>
  var q = new URLSearchParams(location.search), results = [];
  var opts = { appId: "{{.JWT}}", checkout: "payment", amount: 1500, currency: "jpy",
    onSuccess: function (r) { results.push(JSON.stringify({id: r.response.id, status: r.status, next: r.nextAction})); } };
  q.forEach(function (v, k) { opts[k] = v === "true" ? true : v; });
  var checkout = UnivapayCheckout.create(opts);
  if (opts.inline) { window.onload = function () { checkout.open(); }; }
</script></head><body>
<form id="order" action="/done"><div id="slot"></div><button type="button" id="open" onclick="checkout.open()">Pay</button>
<button type="button" id="submit" onclick="UnivapayCheckout.submit(document.querySelector('iframe')).then(function (r) { results.push('submit:' + r.charge); }, function (e) { results.push('rejected:' + e.message); })">Submit</button></form>
</body></html>{{end}}
`))

// storeConfig changes the demo store's configuration for the test (PATCH
// /sandbox/store_configuration) and puts the original back afterwards.
func storeConfig(t *testing.T, patch string) {
	t.Helper()
	var orig json.RawMessage
	apiGet(t, "/sandbox/store_configuration", &orig)
	sandboxCall(t, "PATCH", "/sandbox/store_configuration", patch, nil)
	t.Cleanup(func() { sandboxCall(t, "PUT", "/sandbox/store_configuration", string(orig), nil) })
}

// sandboxCall sends a request with the secret and decodes a 2xx answer.
func sandboxCall(t *testing.T, method, path, body string, out any) {
	t.Helper()
	req, _ := http.NewRequest(method, env.widget+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+env.secret+"."+env.jwt)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

const allMethods = `{"konbini_enabled":true,"bank_transfer_enabled":true,"online_enabled":true,"paidy_enabled":true,
  "konbini_brands":["seven_eleven","family_mart","lawson","pay_easy"],"online_brands":["pay_pay_online","alipay_online","we_chat_online"]}`

// openMethods opens the methods page with the span's extra attributes
// (query: payment-methods=konbini&locale=en ...), at a width when given.
func openMethods(t *testing.T, query string, width int64) (ctx, fctx context.Context) {
	t.Helper()
	ctx = newTab(t)
	if width > 0 {
		if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: width, Height: 740, DeviceScaleFactor: 2, Mobile: true}); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(env.pages+"/methods.html?"+query), chromedp.WaitVisible(chromedp.CSS("span button")),
		chromedp.Click(chromedp.CSS("span button"))); err != nil {
		t.Fatal(err)
	}
	return ctx, widgetFrame(t, ctx)
}

// waitText waits until the widget shows text.
func waitText(t *testing.T, ctx, fctx context.Context, text string) {
	t.Helper()
	js := fmt.Sprintf(`(document.getElementById("kessai") || {innerText: ""}).innerText.includes(%q)`, text)
	if _, err := chromedp.Run(fctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("widget does not show %q: it shows %q (events %s)", text, widgetText(t, fctx), eventTypes(events(t, ctx)))
	}
}

func click(t *testing.T, fctx context.Context, sel string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(fctx, 15*time.Second)
	defer cancel()
	// A script click: mouse coordinates inside a cross-origin frame of an
	// emulated phone screen miss.
	if err := chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		t.Fatalf("click %s: %v (widget: %q)", sel, err, widgetText(t, fctx))
	}
	if _, err := chromedp.Run(wctx, chromedp.Evaluate[bool](fmt.Sprintf(`(document.querySelector(%q).click(), true)`, sel))); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

// payAndWait presses the widget's pay button and waits for the screen that
// shows next.
func payAndWait(t *testing.T, ctx, fctx context.Context, next string) {
	t.Helper()
	click(t, fctx, "#kessai-pay")
	wctx, cancel := context.WithTimeout(fctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS(next))); err != nil {
		t.Fatalf("after pay, no %s: %v (widget %q, events %s)", next, err, widgetText(t, fctx), eventTypes(events(t, ctx)))
	}
}

func typeInto(t *testing.T, fctx context.Context, name, value string) {
	t.Helper()
	sel := chromedp.CSS(fmt.Sprintf(`[name=%q]`, name))
	wctx, cancel := context.WithTimeout(fctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(wctx, chromedp.WaitVisible(sel), chromedp.SendKeys(sel, value)); err != nil {
		t.Fatalf("type %s: %v (widget: %q)", name, err, widgetText(t, fctx))
	}
}

// methodButtons are the methods the selection screen offers.
func methodButtons(t *testing.T, fctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(fctx, chromedp.Poll[string](`Array.from(document.querySelectorAll(".kessai-method")).map(function(b){ return b.dataset.method }).join(",") || ""`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("no method buttons: %v (widget: %q)", err, widgetText(t, fctx))
	}
	return s
}

type successDetail struct {
	ChargeID    string `json:"chargeId"`
	Status      string `json:"status"`
	PaymentType string `json:"paymentType"`
	NextAction  map[string]any
}

func apiWaitCharge(t *testing.T, id string, status api.ChargeStatus) api.Charge {
	t.Helper()
	var ch api.Charge
	for i := 0; i < 10; i++ {
		if ch = apiCharge(t, id); ch.Status == status {
			return ch
		}
	}
	t.Fatalf("charge %s is %s, want %s", id, ch.Status, status)
	return ch
}

// paymentMethods narrows what checkout_info enables: unknown-to-the-store
// values are console warnings, one method skips the selection, none left
// is NO_PAYMENT_METHODS naming the parameter and its value.
func TestMethodsFilteringAgainstCheckoutInfo(t *testing.T) {
	storeConfig(t, `{"konbini_enabled":true,"bank_transfer_enabled":true,"online_enabled":true,"paidy_enabled":false,
	  "konbini_brands":["seven_eleven","lawson"],"online_brands":["pay_pay_online","alipay_online"]}`)

	ctx, fctx := openMethods(t, "locale=ja", 0)
	if got := methodButtons(t, fctx); got != "card,konbini,bank_transfer,online" {
		t.Errorf("methods %q", got)
	}
	waitText(t, ctx, fctx, "セブン-イレブン / ローソン")
	screenshot(t, ctx, "methods-selection-ja")

	ctx, fctx = openMethods(t, "locale=en&payment-methods=visa,lawson,paidy", 0)
	if got := methodButtons(t, fctx); got != "card,konbini" {
		t.Errorf("methods %q", got)
	}
	waitText(t, ctx, fctx, "Lawson")
	if txt := widgetText(t, fctx); strings.Contains(txt, "7-Eleven") {
		t.Errorf("seven-eleven offered: %q", txt)
	}
	warned := false
	for _, l := range consoleLines(t, ctx) {
		warned = warned || strings.HasPrefix(l, "warn: ") && strings.Contains(l, "paidy is not enabled")
	}
	if !warned {
		t.Errorf("console %q, want a warning about paidy", consoleLines(t, ctx))
	}
	screenshot(t, ctx, "methods-selection-en")

	// One method left: its form at once.
	_, fctx = openMethods(t, "locale=en&payment-methods=bank_transfer", 0)
	if _, err := chromedp.Run(fctx, chromedp.Poll[bool](`!!document.querySelector(".kessai-form-bank_transfer") && !document.querySelector(".kessai-method")`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("no bank-transfer form: %q", widgetText(t, fctx))
	}

	// Nothing left.
	ctx, fctx = openMethods(t, "locale=ja&payment-methods=paidy", 0)
	waitEvent(t, ctx, "univapay:error")
	var d struct{ Stage, Code, Message string }
	lastDetail(t, ctx, "univapay:error", &d)
	if d.Stage != "config" || d.Code != "NO_PAYMENT_METHODS" || !strings.Contains(d.Message, `paymentMethods="paidy"`) {
		t.Errorf("error %+v", d)
	}
	waitText(t, ctx, fctx, `ご利用いただける支払い方法がありません（設定: paymentMethods="paidy"）`)
	screenshot(t, ctx, "methods-none-left-ja")
}

// A konbini application: the store, name and phone; univapay:success says
// awaiting with the payment number; the charge completes on the store's
// clock ten minutes later.
func TestKonbiniFromTheWidgetToPaid(t *testing.T) {
	storeConfig(t, allMethods)
	var charges []string
	for _, c := range []struct {
		locale string
		width  int64
		store  string
	}{{"ja", 0, "seven_eleven"}, {"en", 360, "pay_easy"}} {
		ctx, fctx := openMethods(t, "locale="+c.locale+"&payment-methods=konbini&convenience-store-expiration-period=P3D", c.width)
		click(t, fctx, "#konbiniStore-"+c.store)
		typeInto(t, fctx, "name", "山田 花子")
		typeInto(t, fctx, "phoneNumber.localNumber", "09012345678")
		typeInto(t, fctx, "email", "hanako@example.com")
		screenshot(t, ctx, "methods-konbini-form-"+c.locale)
		payAndWait(t, ctx, fctx, "#kessai-done")
		var d successDetail
		lastDetail(t, ctx, "univapay:success", &d)
		if d.Status != "awaiting" || d.PaymentType != "konbini" || d.NextAction["type"] != "konbini" || d.NextAction["paymentNumber"] == nil {
			t.Fatalf("success %+v", d)
		}
		if c.store == "seven_eleven" {
			waitText(t, ctx, fctx, "払込票を表示")
			waitText(t, ctx, fctx, "お支払いはまだ完了していません。")
		} else {
			waitText(t, ctx, fctx, "Institution number")
			waitText(t, ctx, fctx, "58091")
		}
		waitText(t, ctx, fctx, d.NextAction["paymentNumber"].(string))
		screenshot(t, ctx, "methods-konbini-awaiting-"+c.locale)
		if in := hiddenInputs(t, ctx, "#order"); in["univapayChargeId"] != d.ChargeID {
			t.Errorf("hidden inputs %v", in)
		}
		charges = append(charges, d.ChargeID)
		ch := apiCharge(t, d.ChargeID)
		if ch.Status != api.ChargeAwaiting || ch.CaptureAt == nil {
			t.Fatalf("charge %+v", ch)
		}
		// The deadline shown is the charge's.
		dl, _ := time.Parse(time.RFC3339, *ch.CaptureAt)
		want := dl.In(time.FixedZone("JST", 9*3600)).Format("2006年1月2日")
		if c.locale == "en" {
			want = dl.In(time.FixedZone("JST", 9*3600)).Format("Jan 2, 2006")
		}
		waitText(t, ctx, fctx, want)
	}
	// Ten minutes later on the store's clock, the test payments arrive.
	sandboxCall(t, "POST", "/sandbox/clock/advance", `{"duration":"PT11M"}`, nil)
	for _, id := range charges {
		apiWaitCharge(t, id, api.ChargeSuccessful)
	}
}

// A bank transfer: the virtual account with copy buttons; a deposit of
// the amount completes it.
func TestBankTransferFromTheWidgetToPaid(t *testing.T) {
	storeConfig(t, allMethods)
	ctx, fctx := openMethods(t, "locale=ja", 0)
	click(t, fctx, "#method-bank_transfer")
	typeInto(t, fctx, "name", "ヤマダ ハナコ")
	typeInto(t, fctx, "email", "hanako@example.com")
	payAndWait(t, ctx, fctx, "#kessai-done")
	var d successDetail
	lastDetail(t, ctx, "univapay:success", &d)
	if d.Status != "awaiting" || d.NextAction["type"] != "bank_transfer" || d.NextAction["accountNumber"] == nil {
		t.Fatalf("success %+v", d)
	}
	for _, s := range []string{"GMOあおぞらネット銀行 (0310)", "普通", d.NextAction["accountNumber"].(string), "1,500円", "お振込期限"} {
		waitText(t, ctx, fctx, s)
	}
	click(t, fctx, `button[data-copy="account"]`)
	waitText(t, ctx, fctx, "コピーしました")
	screenshot(t, ctx, "methods-bank-transfer-ja")
	if ch := apiCharge(t, d.ChargeID); ch.Status != api.ChargeAwaiting {
		t.Fatalf("charge %s", ch.Status)
	}
	sandboxCall(t, "POST", "/sandbox/charges/"+d.ChargeID+"/deposit", `{"amount":1500}`, nil)
	apiWaitCharge(t, d.ChargeID, api.ChargeSuccessful)

	ctx, fctx = openMethods(t, "locale=en&payment-methods=bank_transfer", 360)
	typeInto(t, fctx, "name", "Hanako Yamada")
	typeInto(t, fctx, "email", "hanako@example.com")
	payAndWait(t, ctx, fctx, "#kessai-done")
	waitText(t, ctx, fctx, "Transfer deadline")
	screenshot(t, ctx, "methods-bank-transfer-en-360")
}

// An online payment: the brand, then the charge followed to successful
// (the sandbox's test issuer token opens nothing).
func TestOnlineFromTheWidgetToPaid(t *testing.T) {
	storeConfig(t, allMethods)
	ctx, fctx := openMethods(t, "locale=ja&payment-methods=online", 0)
	// WeChat Pay is not offered on a computer.
	waitText(t, ctx, fctx, "PayPay")
	if strings.Contains(widgetText(t, fctx), "微信") || strings.Contains(widgetText(t, fctx), "WeChat") {
		t.Errorf("wechat offered on a computer: %q", widgetText(t, fctx))
	}
	click(t, fctx, "#onlineBrand-pay_pay_online")
	screenshot(t, ctx, "methods-online-form-ja")
	payAndWait(t, ctx, fctx, "#kessai-done")
	waitText(t, ctx, fctx, "PayPayでのお支払いが完了しました")
	var d successDetail
	lastDetail(t, ctx, "univapay:success", &d)
	if d.Status != "successful" || d.PaymentType != "online" {
		t.Fatalf("success %+v", d)
	}
	apiWaitCharge(t, d.ChargeID, api.ChargeSuccessful)
	screenshot(t, ctx, "methods-online-done-ja")
}

// Paidy: the buyer's details, then a card-like charge (the sandbox skips
// Paidy's SMS authentication).
func TestPaidyFromTheWidgetToPaid(t *testing.T) {
	storeConfig(t, allMethods)
	ctx, fctx := openMethods(t, "locale=ja&payment-methods=paidy", 0)
	typeInto(t, fctx, "name", "山田 花子")
	typeInto(t, fctx, "email", "hanako@example.com")
	typeInto(t, fctx, "phoneNumber.localNumber", "09012345678")
	typeInto(t, fctx, "address.zip", "1000001")
	if _, err := chromedp.Run(fctx, chromedp.Evaluate[bool](`(function(){ var s = document.querySelector('[name="address.state"]');
	  s.value = "東京都"; return s.dispatchEvent(new Event("change", {bubbles: true})); })()`)); err != nil {
		t.Fatal(err)
	}
	typeInto(t, fctx, "address.city", "千代田区")
	typeInto(t, fctx, "address.line1", "千代田1-1")
	screenshot(t, ctx, "methods-paidy-form-ja")
	payAndWait(t, ctx, fctx, "#kessai-done")
	var d successDetail
	lastDetail(t, ctx, "univapay:success", &d)
	if d.Status != "successful" || d.PaymentType != "paidy" {
		t.Fatalf("success %+v", d)
	}
}

// acsClick presses a button of the sandbox ACS page inside the widget's
// 3-D Secure frame (only looking when press is false).
func acsClick(t *testing.T, ctx, fctx context.Context, action string, press bool) {
	t.Helper()
	js := fmt.Sprintf(`(function(){ var f = document.getElementById("kessai-3ds-frame"); if (!f) return false;
	  var d = f.contentDocument; if (!d) return false;
	  var b = d.querySelector('button[value=%q]'); if (!b) return false; if (%t) b.click(); return true; })()`, action, press)
	if _, err := chromedp.Run(fctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("no %s button in the challenge: %v (widget %q, events %s)", action, err, widgetText(t, fctx), eventTypes(events(t, ctx)))
	}
}

// 3-D Secure in a popup and in an inline form: the challenge inside the
// widget, authenticated, failed and timed out.
func TestThreeDSChallengeInTheWidget(t *testing.T) {
	for _, mode := range []string{"popup", "inline"} {
		for _, c := range []struct{ action, want, code string }{
			{"authenticate", "success", ""}, {"fail", "error", "306"}, {"timeout", "error", "327"},
		} {
			t.Run(mode+"/"+c.action, func(t *testing.T) {
				ctx := newTab(t)
				q := "locale=ja"
				if mode == "inline" {
					q += "&inline=true&target=%23slot"
				}
				if err := chromedp.Do(ctx, chromedp.Navigate(env.pages+"/methods-js.html?"+q)); err != nil {
					t.Fatal(err)
				}
				if mode == "popup" {
					click(t, ctx, "#open")
				}
				fctx := widgetFrame(t, ctx)
				fillCard(t, fctx, "4000000000003220")
				if mode == "inline" {
					click(t, ctx, "#submit")
				} else {
					click(t, fctx, "#kessai-pay")
				}
				waitText(t, ctx, fctx, "本人認証（3-Dセキュア）")
				if c.action == "authenticate" {
					acsClick(t, ctx, fctx, c.action, false)
					time.Sleep(300 * time.Millisecond) // the frame's new height reaches the page
					screenshot(t, ctx, "methods-3ds-"+mode+"-ja")
				}
				acsClick(t, ctx, fctx, c.action, true)
				waitEvent(t, ctx, "univapay:"+c.want)
				if c.want == "error" {
					var d struct{ Stage, Code, ChargeID string }
					lastDetail(t, ctx, "univapay:error", &d)
					if d.Stage != "three_ds" || d.Code != c.code || d.ChargeID == "" {
						t.Fatalf("error %+v", d)
					}
					if ch := apiCharge(t, d.ChargeID); ch.Status != api.ChargeFailed && ch.Status != api.ChargeError {
						t.Errorf("charge %s", ch.Status)
					}
					return
				}
				var d successDetail
				lastDetail(t, ctx, "univapay:success", &d)
				if d.Status != "successful" {
					t.Fatalf("success %+v", d)
				}
				if ch := apiCharge(t, d.ChargeID); ch.Status != api.ChargeSuccessful {
					t.Errorf("charge %s", ch.Status)
				}
			})
		}
	}
}

// onSuccess of a JS-mode page hears of a konbini application as awaiting,
// with its payment number: no merchant takes it for a paid order.
func TestKonbiniOnSuccessSaysAwaiting(t *testing.T) {
	storeConfig(t, allMethods)
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.pages+"/methods-js.html?locale=ja&paymentMethods=family_mart")); err != nil {
		t.Fatal(err)
	}
	click(t, ctx, "#open")
	fctx := widgetFrame(t, ctx)
	typeInto(t, fctx, "name", "山田 花子")
	typeInto(t, fctx, "phoneNumber.localNumber", "090-1234-5678")
	typeInto(t, fctx, "email", "hanako@example.com")
	payAndWait(t, ctx, fctx, "#kessai-done")
	got, err := chromedp.Run(ctx, chromedp.Poll[string](`results.length ? results[0] : ""`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("onSuccess not called: %v", err)
	}
	var r struct {
		ID, Status string
		Next       struct{ Type, ConvenienceStore, PaymentNumber, Deadline string }
	}
	if err := json.Unmarshal([]byte(got), &r); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if r.Status != "awaiting" || r.Next.Type != "konbini" || r.Next.ConvenienceStore != "family_mart" || r.Next.PaymentNumber == "" || r.Next.Deadline == "" {
		t.Fatalf("onSuccess %s", got)
	}
	if ch := apiCharge(t, r.ID); ch.Status != api.ChargeAwaiting {
		t.Errorf("charge %s", ch.Status)
	}
}
