package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestDashboard signs in to the sandbox dashboard, pays through the widget
// in another tab, watches the charge appear, refunds it from the dashboard
// and advances the clock (docs/dashboard.md). It runs on a server of its
// own, so that moving the clock leaves the other tests' store alone.
func TestDashboard(t *testing.T) {
	srv, err := startKessai(env.bin, "server-dashboard.log", "--limits=off")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.stop)
	// The helpers (widgetFrame, apiCharge) read env's server: this test's
	// for its duration. The browser tests run one at a time.
	saved := env.kessaiServer
	env.kessaiServer = *srv
	t.Cleanup(func() { env.kessaiServer = saved })

	dash := newTab(t)
	if err := chromedp.Do(dash, chromedp.Navigate(srv.widget+"/dashboard?lang=en"),
		chromedp.WaitVisible(chromedp.ID("jwt"))); err != nil {
		t.Fatal(err)
	}
	screenshot(t, dash, "dashboard-signin")
	if err := chromedp.Do(dash,
		chromedp.SetValue(chromedp.ID("jwt"), srv.jwt),
		chromedp.SendKeys(chromedp.ID("secret"), srv.secret),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.CSS(`a[aria-current="page"][href="/dashboard/charges"]`))); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	// The session cookie is out of the page's reach, and the secret is on
	// no page.
	if cookies, err := chromedp.Run(dash, chromedp.Evaluate[string](`document.cookie`)); err != nil || strings.Contains(cookies, "kessai_dashboard=") {
		t.Errorf("document.cookie = %q (%v): the session cookie is readable", cookies, err)
	}
	if html, err := chromedp.Run(dash, chromedp.OuterHTML(chromedp.CSS("html"))); err != nil || strings.Contains(html, srv.secret) {
		t.Errorf("the charges page shows the secret (%v)", err)
	}

	// A webhook that nobody answers: its deliveries fail.
	var hook struct{ ID string }
	apiPost(t, "/stores/"+srv.storeID+"/webhooks", `{"triggers":["charge_finished"],"url":"http://127.0.0.1:9/hook"}`, &hook)
	// And a receiver that answers 302 (the webhook stops at once) until
	// the test changes its mind.
	var answer atomic.Int32
	answer.Store(http.StatusFound)
	got := make(chan string, 10)
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- string(b)
		if answer.Load() == http.StatusFound {
			w.Header().Set("Location", "/elsewhere")
		}
		w.WriteHeader(int(answer.Load()))
	}))
	t.Cleanup(rc.Close)
	var hook2 struct{ ID string }
	apiPost(t, "/stores/"+srv.storeID+"/webhooks", `{"triggers":["charge_finished"],"url":"`+rc.URL+`/hook"}`, &hook2)

	// Pay through the widget in another tab, as a buyer.
	shop, fctx := openPopup(t, srv.shop+"/examples/html.html", "span[data-app-id] button")
	fillCard(t, fctx, "4000020000000000")
	pay(t, shop, fctx, "#kessai-done")
	if err := chromedp.Do(fctx, chromedp.Click(chromedp.ID("kessai-done"))); err != nil {
		t.Fatal(err)
	}
	chargeID := received(t, shop)["univapayChargeId"]
	if chargeID == "" {
		t.Fatal("the shop received no charge ID")
	}
	apiCharge(t, chargeID) // successful, once polling returns

	// The charge appears on the dashboard's list.
	link := chromedp.CSS(`#charges a[href="/dashboard/charges/` + chargeID + `"]`)
	if err := chromedp.Do(dash, chromedp.Reload(), chromedp.WaitVisible(link)); err != nil {
		t.Fatalf("the charge is not listed: %v", err)
	}
	screenshot(t, dash, "dashboard-charges")
	if err := chromedp.Do(dash, chromedp.Click(link), chromedp.WaitVisible(chromedp.ID("timeline"))); err != nil {
		t.Fatal(err)
	}
	status, err := chromedp.Run(dash, chromedp.Text(chromedp.ID("charge-status")))
	if err != nil || status != "successful" {
		t.Fatalf("charge status on its page = %q, %v", status, err)
	}

	// Refund part of it from the dashboard; the refund shows on the
	// charge's page.
	if err := chromedp.Do(dash, chromedp.SetValue(chromedp.CSS(`form[action$="/refund"] input[name="amount"]`), "300"),
		chromedp.Click(chromedp.ID("refund")), chromedp.WaitVisible(chromedp.ID("refunds"))); err != nil {
		t.Fatalf("refund: %v", err)
	}
	flash, _ := chromedp.Run(dash, chromedp.Text(chromedp.ID("flash")))
	if flash != "Done." {
		t.Errorf("after refund the page says %q", flash)
	}
	var refunds struct {
		Items []struct{ Status string } `json:"items"`
	}
	apiGet(t, "/stores/"+srv.storeID+"/charges/"+chargeID+"/refunds", &refunds)
	if len(refunds.Items) != 1 {
		t.Fatalf("the API has %d refunds, want 1", len(refunds.Items))
	}
	// Another refund, from the API: the timeline shows both, after the
	// charge's status changes, and the requests list both refunds.
	apiPost(t, "/stores/"+srv.storeID+"/charges/"+chargeID+"/refunds", `{"amount":200,"currency":"JPY","reason":"fraud"}`, &struct{}{})
	if err := chromedp.Do(dash, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("timeline"))); err != nil {
		t.Fatal(err)
	}
	timeline, _ := chromedp.Run(dash, chromedp.Text(chromedp.ID("timeline")))
	if strings.Count(timeline, "refund requested") != 2 || !strings.Contains(timeline, "status changed") || !strings.Contains(timeline, "successful") {
		t.Errorf("the timeline after two refunds:\n%s", timeline)
	}
	requests, _ := chromedp.Run(dash, chromedp.Text(chromedp.ID("requests")))
	if strings.Count(requests, "POST /stores/"+srv.storeID+"/charges/"+chargeID+"/refunds") != 2 || !strings.Contains(requests, "POST /charges") ||
		!strings.Contains(requests, "browser (widget)") {
		t.Errorf("the charge's requests:\n%s", requests)
	}
	screenshot(t, dash, "dashboard-charge-refunded")

	// Advance the clock by a day.
	var before, after struct {
		Now string `json:"now"`
	}
	apiGet(t, "/sandbox/clock", &before)
	if err := chromedp.Do(dash, chromedp.Click(chromedp.CSS(`nav a[href="/dashboard/clock"]`)), chromedp.WaitVisible(chromedp.ID("advance-day")),
		chromedp.Click(chromedp.ID("advance-day")), chromedp.WaitVisible(chromedp.ID("flash"))); err != nil {
		t.Fatalf("advance the clock: %v", err)
	}
	apiGet(t, "/sandbox/clock", &after)
	b, _ := time.Parse(time.RFC3339, before.Now)
	a, _ := time.Parse(time.RFC3339, after.Now)
	if d := a.Sub(b); d < 24*time.Hour || d > 25*time.Hour {
		t.Errorf("the clock moved by %v, want a day", d)
	}
	shown, _ := chromedp.Run(dash, chromedp.Text(chromedp.ID("clock-now")))
	if !strings.HasPrefix(shown, after.Now[:13]) {
		t.Errorf("the clock page shows %q, the API %q", shown, after.Now)
	}
	screenshot(t, dash, "dashboard-clock")

	// The webhook's deliveries, each attempt with its error.
	if err := chromedp.Do(dash, chromedp.Click(chromedp.CSS(`nav a[href="/dashboard/webhooks"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#deliveries .attempts li`))); err != nil {
		t.Fatalf("webhooks page: %v", err)
	}
	if text, _ := chromedp.Run(dash, chromedp.Text(chromedp.ID("deliveries"))); !strings.Contains(text, "charge_finished") {
		t.Errorf("deliveries = %q, want a charge_finished delivery", text)
	}
	screenshot(t, dash, "dashboard-webhooks")

	// The 302 stopped the second webhook: re-enable it, then resend the
	// failed delivery; the receiver gets the same event again.
	first := <-got
	var failed struct {
		Items []struct{ ID, Status string } `json:"items"`
	}
	for range 100 {
		apiGet(t, "/sandbox/webhook_deliveries?webhook_id="+hook2.ID, &failed)
		if len(failed.Items) == 1 && failed.Items[0].Status == "failed" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(failed.Items) != 1 || failed.Items[0].Status != "failed" {
		t.Fatalf("deliveries to the 302 receiver: %+v", failed.Items)
	}
	answer.Store(http.StatusOK)
	resend := chromedp.CSS(`form[action="/dashboard/webhooks/deliveries/` + failed.Items[0].ID + `/resend"] button`)
	if err := chromedp.Do(dash, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`form[action="/dashboard/webhooks/`+hook2.ID+`/enable"] button`)),
		chromedp.Click(chromedp.CSS(`form[action="/dashboard/webhooks/`+hook2.ID+`/enable"] button`)), chromedp.WaitVisible(chromedp.ID("flash")),
		chromedp.WaitVisible(resend), chromedp.Click(resend)); err != nil {
		t.Fatalf("re-enable and resend: %v", err)
	}
	if !eventually(dash, `document.getElementById("deliveries") !== null && document.getElementById("deliveries").textContent.includes("resent")`) {
		t.Fatal("the resent delivery is not listed")
	}
	select {
	case again := <-got:
		var a, b struct{ ID string }
		json.Unmarshal([]byte(first), &a)
		json.Unmarshal([]byte(again), &b)
		if a.ID == "" || a.ID != b.ID {
			t.Errorf("resent event %q, first %q", b.ID, a.ID)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the receiver got nothing after the resend")
	}
	for range 100 {
		apiGet(t, "/sandbox/webhook_deliveries?webhook_id="+hook2.ID+"&status=successful", &failed)
		if len(failed.Items) == 1 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := chromedp.Do(dash, chromedp.Navigate(srv.widget+"/dashboard/webhooks"), chromedp.WaitVisible(chromedp.ID("deliveries"))); err != nil {
		t.Fatal(err)
	}
	if text, _ := chromedp.Run(dash, chromedp.Text(chromedp.ID("deliveries"))); !strings.Contains(text, "resent") || !strings.Contains(text, "successful") {
		t.Errorf("deliveries after the resend:\n%s", text)
	}
	screenshot(t, dash, "dashboard-webhooks-resent")

	// Change the theme: the preview of the real widget follows.
	themed := `(() => { const f = document.getElementById("preview-frame"); const d = f && f.contentDocument;
	  const w = d && d.querySelector("#preview-inline iframe"); const k = w && w.contentDocument && w.contentDocument.getElementById("kessai");
	  return k ? k.style.getPropertyValue("--kessai-main") : "" })() === "#D32F2F"`
	if err := chromedp.Do(dash, chromedp.Navigate(srv.widget+"/dashboard/config"), chromedp.WaitVisible(chromedp.ID("preview-frame")),
		chromedp.SetValue(chromedp.ID("theme-main_color"), "#D32F2F"), chromedp.Click(chromedp.ID("save-form")),
		chromedp.WaitVisible(chromedp.ID("flash"))); err != nil {
		t.Fatalf("save the theme: %v", err)
	}
	if _, err := chromedp.Run(dash, chromedp.Poll[bool](themed, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Errorf("the preview does not show the new main colour: %v", err)
	}
	screenshot(t, dash, "dashboard-config")

	// With a session but without the CSRF token, a change is refused.
	st, err := chromedp.Run(dash, chromedp.Evaluate[int](`fetch("/dashboard/clock/day", {method: "POST",
	  headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: "csrf=guess"}).then(r => r.status)`, chromedp.EvalAwaitPromise))
	if err != nil || st != http.StatusForbidden {
		t.Errorf("a post without the CSRF token: %d (%v), want 403", st, err)
	}

	// At 360 px, in Japanese.
	if err := chromedp.Do(dash, chromedp.EmulateViewport(360, 740), chromedp.Navigate(srv.widget+"/dashboard/charges/"+chargeID+"?lang=ja"),
		chromedp.WaitVisible(chromedp.ID("timeline"))); err != nil {
		t.Fatal(err)
	}
	overflow, _ := chromedp.Run(dash, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if overflow {
		t.Error("the charge page scrolls sideways at 360 px")
	}
	screenshot(t, dash, "dashboard-charge-360-ja")
	for _, page := range []string{"charges", "webhooks", "clock", "config"} {
		if err := chromedp.Do(dash, chromedp.Navigate(srv.widget+"/dashboard/"+page), chromedp.WaitVisible(chromedp.ID("main"))); err != nil {
			t.Fatal(err)
		}
		if overflow, _ := chromedp.Run(dash, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)); overflow {
			t.Errorf("the %s page scrolls sideways at 360 px", page)
		}
	}
	screenshot(t, dash, "dashboard-config-360-ja")
	// Keyboard: the skip link comes first, then the navigation.
	if err := chromedp.Do(dash, chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	if focused, _ := chromedp.Run(dash, chromedp.Evaluate[string](`document.activeElement.className`)); focused != "skip" {
		t.Errorf("the first Tab focuses %q, want the skip link", focused)
	}

	// A subscription's next payment runs when the clock is set past its
	// date from the dashboard, and shows on the subscription's page.
	var tok, sub struct {
		ID          string `json:"id"`
		NextPayment struct {
			DueDate string `json:"due_date"`
		} `json:"next_payment"`
	}
	apiPost(t, "/tokens", `{"payment_type":"card","type":"subscription","email":"sub@example.com",
	 "data":{"cardholder":"TARO YAMADA","card_number":"4000020000000000","exp_month":"12","exp_year":"2099","cvv":"123"}}`, &tok)
	apiPost(t, "/subscriptions", `{"transaction_token_id":"`+tok.ID+`","amount":500,"currency":"JPY","period":"monthly"}`, &sub)
	apiGet(t, "/stores/"+srv.storeID+"/subscriptions/"+sub.ID+"?polling=true", &sub)
	due, err := time.Parse(time.DateOnly, sub.NextPayment.DueDate)
	if err != nil {
		t.Fatalf("next payment %q: %v", sub.NextPayment.DueDate, err)
	}
	paid := `document.querySelectorAll("#payments .s-paid").length`
	if err := chromedp.Do(dash, chromedp.EmulateViewport(1000, 800), chromedp.Navigate(srv.widget+"/dashboard/subscriptions/"+sub.ID+"?lang=en"),
		chromedp.WaitVisible(chromedp.ID("payments"))); err != nil {
		t.Fatal(err)
	}
	if n, _ := chromedp.Run(dash, chromedp.Evaluate[int](paid)); n != 1 {
		t.Errorf("%d paid payments at first, want 1", n)
	}
	if err := chromedp.Do(dash, chromedp.Navigate(srv.widget+"/dashboard/clock"), chromedp.WaitVisible(chromedp.ID("time")),
		chromedp.SendKeys(chromedp.ID("time"), due.Add(36*time.Hour).Format(time.RFC3339)), chromedp.Click(chromedp.ID("set-clock")),
		chromedp.WaitVisible(chromedp.ID("flash")),
		chromedp.Navigate(srv.widget+"/dashboard/subscriptions/"+sub.ID), chromedp.WaitVisible(chromedp.ID("payments"))); err != nil {
		t.Fatalf("set the clock: %v", err)
	}
	if n, _ := chromedp.Run(dash, chromedp.Evaluate[int](paid)); n != 2 {
		t.Errorf("%d paid payments after the clock passed the next date, want 2", n)
	}
	screenshot(t, dash, "dashboard-subscription")

	// An awaiting bank transfer, paid from the dashboard.
	apiPatch := func(path, body string) {
		req, _ := http.NewRequest("PATCH", srv.widget+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+srv.secret+"."+srv.jwt)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("PATCH %s: %v %v", path, res, err)
		}
		res.Body.Close()
	}
	apiPatch("/sandbox/store_configuration", `{"bank_transfer_enabled":true}`)
	var btok, bank struct{ ID, Status string }
	apiPost(t, "/tokens", `{"payment_type":"bank_transfer","type":"one_time","email":"hanako@example.com","data":{"brand":"aozora_bank"}}`, &btok)
	apiPost(t, "/charges", `{"transaction_token_id":"`+btok.ID+`","amount":5000,"currency":"JPY"}`, &bank)
	apiGet(t, "/stores/"+srv.storeID+"/charges/"+bank.ID+"?polling=true", &bank)
	if err := chromedp.Do(dash, chromedp.Navigate(srv.widget+"/dashboard/charges?status=awaiting"),
		chromedp.Click(chromedp.CSS(`#charges a[href="/dashboard/charges/`+bank.ID+`"]`)), chromedp.WaitVisible(chromedp.ID("complete"))); err != nil {
		t.Fatalf("the awaiting bank transfer: %v", err)
	}
	screenshot(t, dash, "dashboard-awaiting")
	if err := chromedp.Do(dash, chromedp.Click(chromedp.ID("complete")), chromedp.WaitVisible(chromedp.ID("flash"))); err != nil {
		t.Fatal(err)
	}
	if status, _ := chromedp.Run(dash, chromedp.Text(chromedp.ID("charge-status"))); status != "successful" {
		t.Errorf("after complete the charge is %q", status)
	}

	// A form posted from another origin (the shop's) carries no session:
	// the SameSite=Strict cookie stays home, and the token is missing.
	res, err := http.PostForm(srv.widget+"/dashboard/clock/day", url.Values{"csrf": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a post without a session: %d, want 403", res.StatusCode)
	}

	// Sign out: the pages send to the sign-in form again.
	if err := chromedp.Do(dash, chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("jwt")),
		chromedp.Navigate(srv.widget+"/dashboard/charges"), chromedp.WaitVisible(chromedp.ID("jwt"))); err != nil {
		t.Fatalf("sign out: %v", err)
	}
}

// eventually evaluates a JavaScript condition in the tab until it holds,
// for up to 20 seconds, across the navigations a form post makes.
func eventually(ctx context.Context, cond string) bool {
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond)); err == nil && ok {
			return true
		}
	}
	return false
}
