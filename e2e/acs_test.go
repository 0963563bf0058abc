package e2e

import (
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kessai/api"
)

// The sandbox's 3-D Secure page (docs/payment-methods.md, "The sandbox ACS
// page") in a real browser: as a window the buyer answers, and framed the
// way the widget shows it, posting its message to the frame's parent.

// challengedCharge creates, with the secret, a charge on the sandbox's 3-D
// Secure test card and returns it awaiting with its issuer token.
func challengedCharge(t *testing.T, amount int) (api.Charge, api.ThreeDSIssuerToken) {
	t.Helper()
	var tok api.TransactionToken
	apiPost(t, "/tokens", `{"payment_type":"card","type":"one_time","email":"taro@example.com",
	 "data":{"cardholder":"TARO YAMADA","card_number":"4000000000003220","exp_month":"12","exp_year":"2099","cvv":"123"}}`, &tok)
	var c api.Charge
	apiPost(t, "/charges", fmt.Sprintf(`{"transaction_token_id":%q,"amount":%d,"currency":"JPY"}`, tok.ID, amount), &c)
	c = apiCharge(t, c.ID)
	if c.Status != api.ChargeAwaiting {
		t.Fatalf("charge %s, want awaiting its challenge", c.Status)
	}
	var it api.ThreeDSIssuerToken
	apiGet(t, "/stores/"+env.storeID+"/charges/"+c.ID+"/three_ds/issuer_token", &it)
	return c, it
}

func TestSandboxACSPage(t *testing.T) {
	c, it := challengedCharge(t, 4321)
	ctx := newTab(t)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(it.IssuerToken+"?lang=ja"),
		chromedp.WaitVisible(chromedp.CSS(`button[value="authenticate"]`)),
	); err != nil {
		t.Fatalf("open the ACS page: %v", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "4,321") || !strings.Contains(text, "3220") || !strings.Contains(text, "認証に失敗させる") {
		t.Errorf("page text %q", text)
	}
	screenshot(t, ctx, "acs-ja")
	if focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.value`)); err != nil || focused != "authenticate" {
		t.Errorf("focus on %q (%v), want the Authenticate button", focused, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`button[value="fail"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#result`)),
	); err != nil {
		t.Fatalf("answer: %v", err)
	}
	if text, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#result"))); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "認証に失敗しました") {
		t.Errorf("result %q", text)
	}
	screenshot(t, ctx, "acs-ja-failed")
	if got := apiCharge(t, c.ID); got.Status != api.ChargeFailed || got.Error == nil || got.Error.Code != api.PaymentErrorDeclined {
		t.Errorf("charge %s %+v, want failed 306", got.Status, got.Error)
	}
}

func TestSandboxACSFramed(t *testing.T) {
	c, it := challengedCharge(t, 4322)
	// A parent page like the widget's: it posts the issuer token's form
	// into a frame (with the buyer's answer, as the click would) and
	// records the messages it receives.
	inputs := ""
	for k, v := range it.Payload {
		inputs += fmt.Sprintf(`<input type="hidden" name="%s" value="%s">`, html.EscapeString(k), html.EscapeString(v))
	}
	parent := `<!doctype html><html><body><iframe name="acs" style="width:420px;height:480px"></iframe>
<form id="f" method="post" target="acs" enctype="` + it.ContentType + `" action="` + html.EscapeString(it.IssuerToken) + `">` + inputs +
		`<input type="hidden" name="lang" value="en"><input type="hidden" name="action" value="authenticate"></form>
<script>window.got=[];addEventListener("message",function(e){got.push(e.data)});document.getElementById("f").submit();</script></body></html>`
	ctx := newTab(t)
	// The parent is on the server's origin, as the widget's frame is.
	if err := chromedp.Do(ctx, chromedp.Navigate(env.widget+"/heartbeat")); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(parent)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.open();document.write(`+string(b)+`);document.close();true`)); err != nil {
		t.Fatal(err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Poll[string](`window.got && window.got.length ? window.got[0] : ""`, chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		screenshot(t, ctx, "acs-framed-failed")
		t.Fatalf("framed ACS page: %v", err)
	}
	want := fmt.Sprintf(`{"type":"univapay-3ds-complete","resource":"charge","id":%q,"status":"successful"}`, c.ID)
	if msg != want {
		t.Errorf("message %s, want %s", msg, want)
	}
	screenshot(t, ctx, "acs-framed-done")
	if got := apiCharge(t, c.ID); got.Status != api.ChargeSuccessful {
		t.Errorf("charge %s, want successful", got.Status)
	}
}
