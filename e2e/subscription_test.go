package e2e

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kessai/api"
)

// Subscriptions, CVV authorization, saved cards and installments through
// the widget (docs/widget.md, "Payment flows"), against the real server.

// The merchant pages of these tests, served with the others of
// pages_test.go. Each JS page records its callbacks in `results`.
var _ = template.Must(testPages.Parse(`
{{define "sub-monthly"}}<!doctype html><html><head><meta charset="utf-8"><title>monthly subscription</title>
<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="order" action="/done"><button type="button" id="open">Subscribe</button></form>
<script>
  var results = [];
  var checkout = UnivapayCheckout.create({
    appId: "{{.JWT}}", checkout: "payment", tokenType: "subscription", subscriptionPeriod: "monthly",
    amount: 980, currency: "jpy", locale: "ja", form: "#order", metadata: { plan: "basic" },
    onSubscriptionCreated: function (r) { results.push({ kind: "created", id: r.subscriptionId, token: r.tokenId }); },
    onSuccess: function (r) {
      var input = document.querySelector('#order input[name="univapaySubscriptionId"]');
      results.push({ kind: "success", id: r.response.id, type: r.resourceType, paymentType: r.response.paymentType,
        sub: r.subscriptionId, status: r.status, input: input ? input.value : "" });
    }
  });
  document.getElementById("open").onclick = function () { checkout.open(); };
</script></body></html>{{end}}
{{define "sub-plan"}}<!doctype html><html><head><meta charset="utf-8"><title>fixed cycles</title>
<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="order" action="/done">
<span data-app-id="{{.JWT}}" data-checkout="payment" data-token-type="subscription" data-subscription-period="monthly"
  data-subscription-plan="fixed_cycles" data-subscription-qty="3" data-amount="3000" data-currency="jpy" data-locale="ja"
  data-name="planSubscription" data-text="3回払いで申し込む"></span>
</form></body></html>{{end}}
{{define "sub-free-first"}}<!doctype html><html><head><meta charset="utf-8"><title>first month free</title>
<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="order" action="/done">
<span data-app-id="{{.JWT}}" data-checkout="payment" data-token-type="subscription" data-subscription-period="monthly"
  data-subscription-initial-amount="0" data-cvv-authorize="true" data-amount="1500" data-currency="jpy" data-locale="en"></span>
</form></body></html>{{end}}
{{define "saved-card"}}<!doctype html><html><head><meta charset="utf-8"><title>saved card</title>
<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="order" action="/done"><button type="button" id="open">Buy</button></form>
<script>
  var results = [];
  var checkout = UnivapayCheckout.create({
    appId: "{{.JWT}}", checkout: "payment", amount: 1200, currency: "jpy", locale: "ja", form: "#order",
    univapayCustomerId: new URLSearchParams(location.search).get("customer"), univapayReferenceId: "ref-42",
    onSuccess: function (r) { results.push(r.response.id + ":" + r.tokenId); }
  });
  document.getElementById("open").onclick = function () { checkout.open(); };
</script></body></html>{{end}}
{{define "installments"}}<!doctype html><html><head><meta charset="utf-8"><title>installments</title>
<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="order" action="/done"><button type="button" id="open">Buy</button></form>
<script>
  var checkout = UnivapayCheckout.create({
    appId: "{{.JWT}}", checkout: "payment", amount: 12000, currency: "jpy", locale: "ja", form: "#order",
    allowCardInstallments: true, cardInstallmentOptions: [1, 3, 6, "revolving"]
  });
  document.getElementById("open").onclick = function () { checkout.open(); };
</script></body></html>{{end}}
{{define "card-change"}}<!doctype html><html><head><meta charset="utf-8"><title>card change</title>
<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="order" action="/done"><button type="button" id="open">Change card</button></form>
<script>
  var checkout = UnivapayCheckout.create({
    appId: "{{.JWT}}", checkout: "token", locale: "ja", form: "#order",
    subscriptionId: new URLSearchParams(location.search).get("subscription")
  });
  document.getElementById("open").onclick = function () { checkout.open(); };
</script></body></html>{{end}}
`))

// apiPost sends a request as the merchant's back end does, with the
// secret, and decodes the answer.
func apiPost(t *testing.T, path, body string, out any) {
	t.Helper()
	req, _ := http.NewRequest("POST", env.widget+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+env.secret+"."+env.jwt)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("POST %s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
}

// apiGet reads an API resource as the merchant's back end does, with the
// secret.
func apiGet(t *testing.T, path string, out any) {
	t.Helper()
	req, _ := http.NewRequest("GET", env.widget+path, nil)
	req.Header.Set("Authorization", "Bearer "+env.secret+"."+env.jwt)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

func apiSubscription(t *testing.T, id string) api.Subscription {
	t.Helper()
	var s api.Subscription
	apiGet(t, "/stores/"+env.storeID+"/subscriptions/"+id, &s)
	return s
}

func apiSubscriptionCharges(t *testing.T, id string) []api.Charge {
	t.Helper()
	var l api.List[api.Charge]
	apiGet(t, "/stores/"+env.storeID+"/subscriptions/"+id+"/charges", &l)
	return l.Items
}

// hiddenInputs returns the hidden inputs of a form of the page, name → value.
func hiddenInputs(t *testing.T, ctx context.Context, form string) map[string]string {
	t.Helper()
	m, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`(function(){ var m = {};
	  document.querySelectorAll('`+form+` input[type="hidden"]').forEach(function(i){ m[i.name] = i.value; }); return m; })()`))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// wantTerms checks that the form shows the subscription's terms.
func wantTerms(t *testing.T, fctx context.Context, lines ...string) {
	t.Helper()
	got, err := chromedp.Run(fctx, chromedp.Poll[string](`(document.querySelector(".kessai-plan") || {}).innerText`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("no subscription terms in the form: %v", err)
	}
	for _, l := range lines {
		if !strings.Contains(got, l) {
			t.Errorf("terms %q lack %q", got, l)
		}
	}
}

// widgetText is the visible text of the widget frame.
func widgetText(t *testing.T, fctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(fctx, chromedp.Evaluate[string](`document.getElementById("kessai").innerText`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMonthlySubscriptionWithCheckoutPayment(t *testing.T) {
	ctx, fctx := openPopup(t, env.pages+"/sub-monthly.html", "#open")
	wantTerms(t, fctx, "毎月のお支払い: 980円", "初回のお支払い（本日）: 980円", "2回目のお支払い: ", "解約されるまで継続します")
	fillCard(t, fctx, "4000020000000000")
	screenshot(t, ctx, "subscription-monthly-form")
	pay(t, ctx, fctx, "#kessai-done")
	screenshot(t, ctx, "subscription-monthly-success")
	if msg := widgetText(t, fctx); !strings.Contains(msg, "定期課金のお申し込みが完了しました") {
		t.Fatalf("success screen = %q", msg)
	}

	raw, err := chromedp.Run(ctx, chromedp.Poll[string](`results.length === 2 && JSON.stringify(results)`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("callbacks: %v (events %s)", err, eventTypes(events(t, ctx)))
	}
	var res []struct{ Kind, ID, Token, Type, PaymentType, Sub, Status, Input string }
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		t.Fatal(err)
	}
	created, success := res[0], res[1]
	if created.Kind != "created" || created.ID == "" || created.Token == "" {
		t.Fatalf("onSubscriptionCreated = %+v", created)
	}
	// onSuccess reads result.response.id: the subscription; the hidden input
	// is already in the form (docs/widget.md, "Success detail").
	if success.Kind != "success" || success.ID != created.ID || success.Sub != created.ID || success.Type != "subscription" ||
		success.PaymentType != "card" || success.Status != "current" || success.Input != created.ID {
		t.Fatalf("onSuccess = %+v, want the subscription %s, current, with its hidden input", success, created.ID)
	}
	inputs := hiddenInputs(t, ctx, "#order")
	if inputs["univapaySubscriptionId"] != created.ID || inputs["univapayTokenId"] != created.Token || inputs["univapayChargeId"] != "" {
		t.Fatalf("hidden inputs = %v", inputs)
	}
	if got, want := withoutValidation(events(t, ctx)), "opened,token-created,subscription-created,success"; got != want {
		t.Fatalf("events = %s, want %s", got, want)
	}
	var d struct {
		SubscriptionID, TokenID string
		Response                struct{ ID, Status, TransactionTokenID string }
	}
	lastDetail(t, ctx, "univapay:subscription-created", &d)
	if d.SubscriptionID != created.ID || d.TokenID != created.Token || d.Response.ID != created.ID || d.Response.TransactionTokenID != created.Token {
		t.Fatalf("subscription-created detail = %+v", d)
	}

	sub := apiSubscription(t, created.ID)
	if sub.Status != api.SubscriptionCurrent || sub.Amount != 980 || sub.Period == nil || *sub.Period != "monthly" ||
		string(sub.Metadata["plan"]) != `"basic"` || sub.NextPayment == nil || sub.NextPayment.Amount != 980 {
		t.Fatalf("subscription = %+v", sub)
	}
	if chs := apiSubscriptionCharges(t, created.ID); len(chs) != 1 || chs[0].Status != "successful" || chs[0].RequestedAmount != 980 {
		t.Fatalf("subscription charges = %+v, want the first payment of 980", chs)
	}

	// A declined first payment: the subscription is unconfirmed, an error
	// with a readable message, no hidden input.
	ctx, fctx = openPopup(t, env.pages+"/sub-monthly.html", "#open")
	fillCard(t, fctx, "4111111111111111")
	pay(t, ctx, fctx, "#kessai-retry")
	screenshot(t, ctx, "subscription-declined")
	waitEvent(t, ctx, "univapay:error")
	var detail struct {
		Code, Stage, SubscriptionID string
		Error                       struct {
			Error struct{ Message string } `json:"error"`
		} `json:"error"`
	}
	lastDetail(t, ctx, "univapay:error", &detail)
	if detail.Code != "SUBSCRIPTION_UNCONFIRMED" || detail.Stage != "subscription" || detail.SubscriptionID == "" || detail.Error.Error.Message == "" {
		t.Fatalf("error detail = %+v", detail)
	}
	if s := apiSubscription(t, detail.SubscriptionID); s.Status != api.SubscriptionUnconfirmed {
		t.Fatalf("declined subscription status = %s, want unconfirmed", s.Status)
	}
	if msg := widgetText(t, fctx); !strings.Contains(msg, "定期課金の初回のお支払いができませんでした") {
		t.Fatalf("failure screen = %q", msg)
	}
	if n := len(hiddenInputs(t, ctx, "#order")); n != 0 {
		t.Fatalf("%d hidden inputs after a declined subscription", n)
	}
}

func TestFixedCyclesSubscription(t *testing.T) {
	ctx, fctx := openPopup(t, env.pages+"/sub-plan.html", "span[data-app-id] button")
	wantTerms(t, fctx, "毎月のお支払い: 1,000円", "初回のお支払い（本日）: 1,000円", "全3回のお支払い（合計 3,000円）")
	fillCard(t, fctx, "5555555555554444")
	screenshot(t, ctx, "subscription-plan-form")
	pay(t, ctx, fctx, "#kessai-done")
	inputs := hiddenInputs(t, ctx, "#order")
	id := inputs["planSubscription"] // data-name renames the subscription field
	if id == "" || inputs["univapayTokenId"] == "" || inputs["univapaySubscriptionId"] != "" {
		t.Fatalf("hidden inputs = %v", inputs)
	}
	sub := apiSubscription(t, id)
	if sub.Status != api.SubscriptionCurrent || sub.Amount != 3000 || sub.SubscriptionPlan == nil ||
		sub.SubscriptionPlan.PlanType != "fixed_cycles" || sub.SubscriptionPlan.FixedCycles == nil || *sub.SubscriptionPlan.FixedCycles != 3 {
		t.Fatalf("subscription = %+v", sub)
	}
	if np := sub.NextPayment; np == nil || np.Amount != 1000 || np.IsLastPayment {
		t.Fatalf("next payment = %+v, want the second of three payments of 1000", np)
	}
	if chs := apiSubscriptionCharges(t, id); len(chs) != 1 || chs[0].RequestedAmount != 1000 {
		t.Fatalf("charges = %+v, want the first payment of 1000", chs)
	}
}

// cvvAuthorize with a free first month: the card is checked (CVV
// authorization) and nothing is charged today.
func TestSubscriptionWithInitialAmountZero(t *testing.T) {
	ctx, fctx := openPopup(t, env.pages+"/sub-free-first.html", "span[data-app-id] button")
	wantTerms(t, fctx, "Monthly: ¥1,500", "Nothing is charged today (your card is only verified)", "Second payment: ")
	fillCard(t, fctx, "3530111333300000")
	screenshot(t, ctx, "subscription-free-first-form")
	pay(t, ctx, fctx, "#kessai-done")
	screenshot(t, ctx, "subscription-free-first-success")
	inputs := hiddenInputs(t, ctx, "#order")
	id := inputs["univapaySubscriptionId"]
	if id == "" {
		t.Fatalf("hidden inputs = %v", inputs)
	}
	sub := apiSubscription(t, id)
	if sub.Status != api.SubscriptionCurrent || sub.InitialAmount == nil || *sub.InitialAmount != 0 || sub.NextPayment == nil || sub.NextPayment.Amount != 1500 {
		t.Fatalf("subscription = %+v", sub)
	}
	if chs := apiSubscriptionCharges(t, id); len(chs) != 0 {
		t.Fatalf("charges = %+v, want none today", chs)
	}
	var tok api.TransactionToken
	apiGet(t, "/stores/"+env.storeID+"/tokens/"+inputs["univapayTokenId"], &tok)
	if a := tok.Data.CVVAuthorize; a == nil || !a.Enabled || a.Status == nil || *a.Status != api.CVVAuthCurrent {
		t.Fatalf("token cvv_authorize = %+v, want current", a)
	}

	// A card whose CVV authorization fails: an error, and no subscription.
	ctx, fctx = openPopup(t, env.pages+"/sub-free-first.html", "span[data-app-id] button")
	fillCard(t, fctx, "4111111111111111")
	pay(t, ctx, fctx, "#kessai-retry")
	screenshot(t, ctx, "subscription-cvv-failed")
	waitEvent(t, ctx, "univapay:error")
	if got := withoutValidation(events(t, ctx)); strings.Contains(got, "subscription-created") || !strings.HasSuffix(got, "token-created,error") {
		t.Fatalf("events = %s, want token-created then error", got)
	}
	if msg := widgetText(t, fctx); !strings.Contains(msg, "Security code authentication failed") {
		t.Fatalf("failure screen = %q", msg)
	}
}

// A customer saves the card on a first visit (univapayCustomerId and the
// save-card box) and pays with it on the next one: a charge on that
// recurring token, no new token.
func TestSavedCardOnSecondVisit(t *testing.T) {
	customer := newUUID(t)
	page := env.pages + "/saved-card.html?customer=" + customer

	ctx, fctx := openPopup(t, page, "#open")
	if n, _ := chromedp.Run(fctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name="savedCard"]').length`)); n != 0 {
		t.Fatalf("%d saved cards offered on the first visit", n)
	}
	fillCard(t, fctx, "4000020000000000")
	if err := chromedp.Do(fctx, chromedp.Click(chromedp.CSS(`input[name="accept"]`))); err != nil {
		t.Fatalf("save-card box: %v", err)
	}
	screenshot(t, ctx, "saved-card-first-visit")
	pay(t, ctx, fctx, "#kessai-done")
	first := hiddenInputs(t, ctx, "#order")
	var tok api.TransactionToken
	apiGet(t, "/stores/"+env.storeID+"/tokens/"+first["univapayTokenId"], &tok)
	if tok.Type != api.TokenTypeRecurring || string(tok.Metadata["univapay-customer-id"]) != `"`+customer+`"` ||
		string(tok.Metadata["univapay-reference-id"]) != `"ref-42"` {
		t.Fatalf("saved token = %s %v, want recurring with the customer and reference ids", tok.Type, tok.Metadata)
	}

	ctx, fctx = openPopup(t, page, "#open")
	label, err := chromedp.Run(fctx, chromedp.Poll[string](`(function(){ var r = document.querySelector('input[name="savedCard"]:checked');
	  return r && r.value && r.parentNode.textContent; })()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !strings.Contains(label, "VISA •••• 0000 (12/99)") {
		t.Fatalf("saved card offered = %q, %v", label, err)
	}
	if n, _ := chromedp.Run(fctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name="data.cardNumber"]').length`)); n != 0 {
		t.Fatal("the card fields are shown with a saved card chosen")
	}
	screenshot(t, ctx, "saved-card-second-visit")
	pay(t, ctx, fctx, "#kessai-done")
	second := hiddenInputs(t, ctx, "#order")
	if second["univapayTokenId"] != first["univapayTokenId"] || second["univapayChargeId"] == "" {
		t.Fatalf("second visit inputs = %v, want a charge on the saved token %s", second, first["univapayTokenId"])
	}
	ch := apiCharge(t, second["univapayChargeId"])
	if ch.Status != "successful" || ch.TransactionTokenID != tok.ID || ch.RequestedAmount != 1200 {
		t.Fatalf("charge = %s on %s (%d), want successful on the saved token", ch.Status, ch.TransactionTokenID, ch.RequestedAmount)
	}
	if got, want := withoutValidation(events(t, ctx)), "opened,charge-created,success"; got != want {
		t.Fatalf("events = %s, want %s (no token-created for a saved card)", got, want)
	}
	if r, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`results.join(",")`)); r != ch.ID+":"+tok.ID {
		t.Fatalf("onSuccess saw %q", r)
	}
}

func newUUID(t *testing.T) string {
	t.Helper()
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Installments (docs/widget.md, "Installments"): the choice shows for a brand that can pay
// in installments, and the payment becomes a subscription with
// installment_plan.
func TestInstallments(t *testing.T) {
	ctx, fctx := openPopup(t, env.pages+"/installments.html", "#open")
	num := chromedp.CSS(`input[name="data.cardNumber"]`)
	// A Mastercard of the demo store cannot pay in installments.
	if err := chromedp.Do(fctx, chromedp.SendKeys(num, "5555555555554444")); err != nil {
		t.Fatal(err)
	}
	if n, _ := chromedp.Run(fctx, chromedp.Evaluate[int](`document.querySelectorAll('select[name="installments"]').length`)); n != 0 {
		t.Fatal("installments offered for a Mastercard")
	}
	if _, err := chromedp.Run(fctx, chromedp.Evaluate[bool](`(function(){ var i = document.querySelector('input[name="data.cardNumber"]');
	  i.value = ""; i.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	fillCard(t, fctx, "4000020000000000")
	options, err := chromedp.Run(fctx, chromedp.Poll[string](`(function(){ var s = document.querySelector('select[name="installments"]');
	  return s && Array.prototype.map.call(s.options, function(o){ return o.value + "=" + o.textContent; }).join(","); })()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || options != "1=一括払い,3=3回払い,6=6回払い,revolving=リボ払い" {
		t.Fatalf("installment options = %q, %v", options, err)
	}
	if _, err := chromedp.Run(fctx, chromedp.Evaluate[bool](`(function(){ var s = document.querySelector('select[name="installments"]');
	  s.value = "6"; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "installments-form")
	pay(t, ctx, fctx, "#kessai-done")
	if msg := widgetText(t, fctx); !strings.Contains(msg, "お支払いが完了しました") {
		t.Fatalf("success screen = %q", msg)
	}
	inputs := hiddenInputs(t, ctx, "#order")
	id := inputs["univapaySubscriptionId"]
	if id == "" || inputs["univapayTokenId"] == "" {
		t.Fatalf("hidden inputs = %v, want the installment subscription", inputs)
	}
	sub := apiSubscription(t, id)
	if sub.InstallmentPlan == nil || sub.InstallmentPlan.PlanType != "fixed_cycles" || sub.InstallmentPlan.FixedCycles == nil ||
		*sub.InstallmentPlan.FixedCycles != 6 || sub.Amount != 12000 || sub.Period == nil || *sub.Period != "monthly" {
		t.Fatalf("subscription = %+v", sub)
	}
	if sub.Status != api.SubscriptionCompleted && sub.Status != api.SubscriptionCurrent {
		t.Fatalf("installment subscription status %s", sub.Status)
	}
	if got := withoutValidation(events(t, ctx)); got != "opened,token-created,subscription-created,success" {
		t.Fatalf("events = %s", got)
	}
}

// subscriptionId: the buyer gives a running subscription a new card
// (docs/widget.md, "Card change").
func TestSubscriptionCardChange(t *testing.T) {
	var tok api.TransactionToken
	apiPost(t, "/tokens", `{"payment_type":"card","type":"subscription","email":"hanako@example.com",
	  "data":{"cardholder":"HANAKO YAMADA","card_number":"4242424242424242","exp_month":"12","exp_year":"2099","cvv":"123"}}`, &tok)
	var sub api.Subscription
	apiPost(t, "/subscriptions", `{"transaction_token_id":"`+tok.ID+`","amount":500,"currency":"JPY","period":"monthly"}`, &sub)

	ctx, fctx := openPopup(t, env.pages+"/card-change.html?subscription="+sub.ID, "#open")
	fillCard(t, fctx, "3530111333300000")
	pay(t, ctx, fctx, "#kessai-done")
	screenshot(t, ctx, "card-change-success")
	if msg := widgetText(t, fctx); !strings.Contains(msg, "お支払いに使うカードを変更しました") {
		t.Fatalf("success screen = %q", msg)
	}
	inputs := hiddenInputs(t, ctx, "#order")
	if inputs["univapaySubscriptionId"] != sub.ID || inputs["univapayTokenId"] == "" {
		t.Fatalf("hidden inputs = %v", inputs)
	}
	changed := apiSubscription(t, sub.ID)
	if changed.TransactionTokenID != inputs["univapayTokenId"] || changed.TransactionTokenID == tok.ID {
		t.Fatalf("subscription token = %s, want the new %s", changed.TransactionTokenID, inputs["univapayTokenId"])
	}
}

// The example shop's subscription page: the form, auto-submitted, reaches
// the shop's back end, which reads the subscription with the secret.
func TestExampleShopSubscription(t *testing.T) {
	ctx, fctx := openPopup(t, env.shop+"/examples/subscription.html", "span[data-app-id] button")
	wantTerms(t, fctx, "Monthly: ¥980") // locale auto: the browser's English
	fillCard(t, fctx, "4242424242424242")
	pay(t, ctx, fctx, "#kessai-done")
	if err := chromedp.Do(fctx, chromedp.Click(chromedp.ID("kessai-done"))); err != nil {
		t.Fatal(err)
	}
	got := received(t, ctx)
	if got["univapaySubscriptionId"] == "" || got["univapayTokenId"] == "" {
		t.Fatalf("form received %v", got)
	}
	status, err := pollAcrossNavigation[string](ctx, `(document.getElementById("subscription-status") || {}).textContent`)
	if err != nil || status != "current" {
		t.Fatalf("result page subscription status = %q, %v", status, err)
	}
	screenshot(t, ctx, "example-subscription-result")
}
