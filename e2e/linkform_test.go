package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kessai/api"
)

// Link forms (docs/link-forms.md): the hosted payment page /forms/{id} on
// the widget origin, a merchant landing page on another origin.

// createForm creates a link form in the demo store through the sandbox
// control surface, as a merchant's script would.
func createForm(t *testing.T, settings string) api.LinkForm {
	t.Helper()
	req, _ := http.NewRequest("POST", env.widget+"/sandbox/forms", strings.NewReader(settings))
	req.Header.Set("Authorization", "Bearer "+env.secret+"."+env.jwt)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /sandbox/forms: %d %s", resp.StatusCode, body)
	}
	var f api.LinkForm
	if err := json.Unmarshal(body, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// landing is a merchant's page the form redirects to: it shows the query
// it was given.
func landing(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>shop</title><h1 id="landed">%s</h1><pre id="query">%s</pre>`,
			html.EscapeString(r.URL.Path), html.EscapeString(r.URL.RawQuery))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// openForm opens a link form page with the query and waits until the
// checkout is ready.
func openForm(t *testing.T, ctx context.Context, form api.LinkForm, query url.Values) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(form.URL+"?"+query.Encode())); err != nil {
		t.Fatal(err)
	}
	// Ready, and the screen after it drawn (it is drawn on the next frame).
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.documentElement.dataset.ready === "1" && !document.querySelector(".kessai-loading")`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("form page not ready: %v", err)
	}
}

// landedQuery waits for the landing page and returns its path and query.
func landedQuery(t *testing.T, ctx context.Context, shop string) (string, url.Values) {
	t.Helper()
	href, err := pollAcrossNavigation[string](ctx, fmt.Sprintf(`location.href.startsWith(%q) && document.getElementById("landed") && location.href`, shop))
	if err != nil {
		screenshot(t, ctx, "linkform-no-redirect")
		where, _ := chromedp.Run(context.WithoutCancel(ctx), chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
		t.Fatalf("no redirect to the merchant: %v; the page: %s", err, where)
	}
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path, u.Query()
}

func formQuery(kv ...string) url.Values {
	q := url.Values{"appId": {env.jwt}}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Add(kv[i], kv[i+1])
	}
	return q
}

func TestLinkFormPaysAndRedirects(t *testing.T) {
	shop := landing(t)
	form := createForm(t, `{"name":"Concert","custom_fields":[{"key":"seat","label":"Seat","type":"select","required":true,"options":["A","B"]}]}`)
	ctx := newTab(t)
	openForm(t, ctx, form, formQuery("amount", "2500", "successRedirectUrl", shop+"/thanks?order=77",
		"failureRedirectUrl", shop+"/sorry", "autoRedirect", "true", "showRedirectMetadata", "true", "locale", "en"))
	screenshot(t, ctx, "linkform-en")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){ var s = document.querySelector('select[name="customField.seat"]');
	  s.value = "B"; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	fillCard(t, ctx, "4000020000000000")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("kessai-pay"))); err != nil {
		t.Fatal(err)
	}
	path, q := landedQuery(t, ctx, shop)
	screenshot(t, ctx, "linkform-landed")
	if path != "/thanks" || q.Get("order") != "77" || q.Get("univapayTokenId") == "" || q.Get("seat") != "B" {
		t.Fatalf("landed on %s?%s, want /thanks with order=77, the token and charge ids and the metadata seat=B", path, q.Encode())
	}
	// The redirect proves nothing: the merchant reads the charge.
	ch := apiCharge(t, q.Get("univapayChargeId"))
	if ch.Status != api.ChargeSuccessful || ch.RequestedAmount != 2500 {
		t.Fatalf("charge = %s %d, want successful 2500", ch.Status, ch.RequestedAmount)
	}
}

// A subscription through a link form: the terms on the page, the
// subscription's ID in the redirect, the termination mode sent.
func TestLinkFormSubscription(t *testing.T) {
	shop := landing(t)
	form := createForm(t, `{"name":"Membership","success_redirect_url":"`+shop+`/welcome"}`)
	ctx := newTab(t)
	openForm(t, ctx, form, formQuery("amount", "980", "type", "subscription", "period", "monthly",
		"terminationMode", "on_next_payment", "autoRedirect", "true", "locale", "en"))
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(".kessai-plan"))); err != nil {
		t.Fatalf("no subscription terms on the page: %v", err)
	}
	fillCard(t, ctx, "4000020000000000")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("kessai-pay"))); err != nil {
		t.Fatal(err)
	}
	path, q := landedQuery(t, ctx, shop)
	id := q.Get("univapaySubscriptionId")
	if path != "/welcome" || id == "" {
		t.Fatalf("landed on %s?%s, want /welcome with the subscription id", path, q.Encode())
	}
	req, _ := http.NewRequest("GET", env.widget+"/stores/"+env.storeID+"/subscriptions/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+env.secret+"."+env.jwt)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var sub struct {
		Status           string `json:"status"`
		ScheduleSettings struct {
			TerminationMode string `json:"termination_mode"`
		} `json:"schedule_settings"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&sub); err != nil {
		t.Fatal(err)
	}
	if sub.Status != "current" || sub.ScheduleSettings.TerminationMode != "on_next_payment" {
		t.Fatalf("subscription = %+v, want current with termination on the next payment", sub)
	}
}

func TestLinkFormDeclinedCardGoesToTheFailureURL(t *testing.T) {
	shop := landing(t)
	form := createForm(t, `{"name":"Donation","success_redirect_url":"`+shop+`/thanks","failure_redirect_url":"`+shop+`/sorry"}`)
	ctx := newTab(t)
	// Without autoRedirect the buyer reads the result and follows the link.
	openForm(t, ctx, form, formQuery("amount", "1200", "locale", "ja"))
	fillCard(t, ctx, "4111111111111111")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("kessai-pay")), chromedp.WaitVisible(chromedp.ID("kessai-return"))); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "linkform-declined-ja")
	proof, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".kessai-proof")))
	if err != nil || !strings.Contains(proof, "ウェブフック") {
		t.Fatalf("the page must say that the redirect proves nothing: %q %v", proof, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("kessai-return"))); err != nil {
		t.Fatal(err)
	}
	path, q := landedQuery(t, ctx, shop)
	if path != "/sorry" || q.Get("univapayChargeId") == "" {
		t.Fatalf("landed on %s?%s, want /sorry with the charge id", path, q.Encode())
	}
	if ch := apiCharge(t, q.Get("univapayChargeId")); ch.Status != api.ChargeFailed {
		t.Fatalf("declined charge status = %s", ch.Status)
	}
}

// The form's settings against the URL: the URL's methods win, the
// settings' required customer fields stay whatever the URL says.
func TestLinkFormSettingsAgainstURL(t *testing.T) {
	form := createForm(t, `{"name":"JCB only","payment_methods":["jcb"],"require_name":true,"require_phone_number":true}`)
	ctx := newTab(t)

	// The settings: JCB only, so a Visa card is refused in the form; the
	// name and the phone number are asked for although the URL says
	// requirePhoneNumber=false.
	openForm(t, ctx, form, formQuery("amount", "900", "locale", "en", "requirePhoneNumber", "false"))
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name="name"], input[name="phoneNumber.localNumber"]').length`))
	if err != nil || n != 2 {
		t.Fatalf("name and phone inputs = %d, %v; the settings require both", n, err)
	}
	fillCard(t, ctx, "4000020000000000")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("kessai-pay"))); err != nil {
		t.Fatal(err)
	}
	invalid, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("cardNumber").getAttribute("aria-invalid") === "true"`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !invalid {
		t.Fatalf("a Visa card must be refused by a JCB-only form: %v", err)
	}
	screenshot(t, ctx, "linkform-settings")

	// The URL's paymentMethods replace the settings': Visa is taken.
	openForm(t, ctx, form, formQuery("amount", "900", "locale", "en", "paymentMethods[]", "visa"))
	fillCard(t, ctx, "4000020000000000")
	for sel, v := range map[string]string{`input[name="name"]`: "Taro Yamada", `input[name="phoneNumber.localNumber"]`: "9012345678"} {
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), v)); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("kessai-pay")), chromedp.WaitVisible(chromedp.CSS(".kessai-result-ok"))); err != nil {
		t.Fatalf("a Visa card with paymentMethods[]=visa: %v", err)
	}
}

// A bad parameter gives a page naming it, status 400, and no checkout.
func TestLinkFormBadParameterPage(t *testing.T) {
	form := createForm(t, `{"name":"Bad"}`)
	resp, err := http.Get(form.URL + "?" + formQuery("amount", "1000", "auth", "perhaps").Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !bytes.Contains(body, []byte(`auth=&#34;perhaps&#34;`)) {
		t.Fatalf("bad parameter: %d %s", resp.StatusCode, body)
	}
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(form.URL+"?"+formQuery("amount", "1000", "auth", "perhaps").Encode()),
		chromedp.WaitVisible(chromedp.CSS("main[role=alert]"))); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "linkform-bad-parameter")
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("input").length`))
	if err != nil || n != 0 {
		t.Fatalf("the error page has %d inputs (%v); no payment may start", n, err)
	}
}

// The page refuses to be framed: a merchant page that frames it next to
// the widget's iframe (which it may frame) gets the widget's hello but
// never the form's.
func TestLinkFormRefusesFrames(t *testing.T) {
	form := createForm(t, `{"name":"Framed"}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><script>
var hellos = [], loaded = 0;
addEventListener("message", function (e) {
  if (e.source === document.getElementById("form").contentWindow) hellos.push("form");
  if (e.source === document.getElementById("control").contentWindow) hellos.push("control");
});
</script>
<iframe id="control" onload="loaded++" src="%s/checkout?appId=%s"></iframe>
<iframe id="form" onload="loaded++" src="%s?appId=%s&amount=1000"></iframe>`, env.widget, url.QueryEscape(env.jwt), form.URL, url.QueryEscape(env.jwt))
	}))
	defer srv.Close()
	ctx := newTab(t)
	// The demo token allows 127.0.0.1 (the test server's host) to frame
	// the widget.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Poll[string](`loaded === 2 && hellos.indexOf("control") >= 0 && hellos.join(",")`,
		chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		t.Fatalf("frames did not load: %v", err)
	}
	if got != "control" {
		t.Fatalf("messages from the frames: %s; the form page must not render in a frame", got)
	}
}

// Screenshots of a form with its theme, in Japanese, on a desktop and on
// a 360 px phone, and of checkout=qr.
func TestLinkFormScreenshots(t *testing.T) {
	form := createForm(t, `{"name":"Theme","language":"ja","require_name":true,
	  "custom_fields":[{"key":"size","label":"サイズ","type":"select","required":true,"options":["S","M","L"]}],
	  "theme":{"mode":"dark","button_color":"#e0457b","header_color":"#2b1f3a"}}`)
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(900, 1100)); err != nil {
		t.Fatal(err)
	}
	openForm(t, ctx, form, formQuery("amount", "3300"))
	screenshot(t, ctx, "linkform-ja-dark")
	lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil || lang != "ja" {
		t.Fatalf("lang = %q (%v), want the settings' ja", lang, err)
	}
	if title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`)); err != nil || title != "Kessai デモストア" {
		t.Errorf("document.title = %q (%v), want the store's name", title, err)
	}
	light := createForm(t, `{"name":"Light","require_name":true}`)
	openForm(t, ctx, light, formQuery("amount", "2500", "locale", "en"))
	screenshot(t, ctx, "linkform-en-desktop")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740)); err != nil {
		t.Fatal(err)
	}
	openForm(t, ctx, form, formQuery("amount", "3300"))
	screenshot(t, ctx, "linkform-ja-360")
	openForm(t, ctx, form, formQuery("checkout", "qr", "locale", "en"))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(function(){ var i = document.querySelector(".kessai-page-qr img"); return !!i && i.complete && i.naturalWidth > 0; })()`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("no QR code with checkout=qr: %v", err)
	}
	screenshot(t, ctx, "linkform-qr-360")
}

// The dashboard creates a form, edits it, and opens it with the session's
// app token.
func TestLinkFormFromTheDashboard(t *testing.T) {
	dash := newTab(t)
	if err := chromedp.Do(dash, chromedp.Navigate(env.widget+"/dashboard/signin?lang=ja"),
		chromedp.SetValue(chromedp.ID("jwt"), env.jwt),
		chromedp.SendKeys(chromedp.ID("secret"), env.secret),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/dashboard/forms"]`)),
		chromedp.Navigate(env.widget+"/dashboard/forms"),
		chromedp.SendKeys(chromedp.ID("form-name"), "ダッシュボードのフォーム"),
		chromedp.Click(chromedp.ID("create-form")),
		chromedp.WaitVisible(chromedp.ID("form-settings"))); err != nil {
		t.Fatalf("create a form in the dashboard: %v", err)
	}
	if err := chromedp.Do(dash, chromedp.Click(chromedp.CSS(`input[name="require_name"]`)),
		chromedp.SetValue(chromedp.ID("button_color"), "#0a7d55"),
		chromedp.Click(chromedp.ID("save-form")),
		chromedp.WaitVisible(chromedp.ID("flash"))); err != nil {
		t.Fatal(err)
	}
	screenshot(t, dash, "linkform-dashboard-ja")
	open, err := chromedp.Run(dash, chromedp.Evaluate[string](`document.getElementById("open-form").href`))
	if err != nil {
		t.Fatal(err)
	}
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(open)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.documentElement.dataset.ready === "1" && !!document.querySelector('input[name="name"]')`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("the form opened from the dashboard does not ask for the name it requires: %v", err)
	}
}
