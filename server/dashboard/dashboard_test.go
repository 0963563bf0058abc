package dashboard_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"kessai/server"
	"kessai/server/dashboard"
)

// env is a server, its dashboard and a browser-like client.
type env struct {
	t      *testing.T
	srv    *server.Server
	demo   server.AppTokenCreated
	ts     *httptest.Server
	client *http.Client
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv, err := server.Open(server.Config{DataDir: t.TempDir(), PublicURL: "http://localhost",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), ProcessingDelay: time.Millisecond, PollWait: 300 * time.Millisecond,
		// The tests poll the API until the engine has run, however loaded
		// the machine is: no rate limit may refuse the polls.
		LimitsOff: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	demo, _, err := srv.EnsureDemo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d, err := dashboard.New(srv.Handler())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/dashboard", d)
	mux.Handle("/dashboard/", d)
	mux.Handle("/", srv.Handler())
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	return &env{t: t, srv: srv, demo: demo, ts: ts, client: &http.Client{Jar: jar}}
}

// page is an answer of the dashboard.
type page struct {
	status int
	url    string
	body   string
}

func (e *env) get(path string) page {
	e.t.Helper()
	res, err := e.client.Get(e.ts.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	return read(e.t, res)
}

func (e *env) post(path string, form url.Values) page {
	e.t.Helper()
	res, err := e.client.PostForm(e.ts.URL+path, form)
	if err != nil {
		e.t.Fatal(err)
	}
	return read(e.t, res)
}

func read(t *testing.T, res *http.Response) page {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return page{status: res.StatusCode, url: res.Request.URL.Path, body: string(b)}
}

// signInForm posts the sign-in form as a browser does, with the form's
// CSRF token.
func (e *env) signInForm(jwt, secret string) page {
	e.t.Helper()
	return e.post("/dashboard/signin", url.Values{"jwt": {jwt}, "secret": {secret}, "csrf": {e.csrf(e.get("/dashboard/signin"))}})
}

func (e *env) signIn() page {
	e.t.Helper()
	p := e.signInForm(e.demo.JWT, e.demo.Secret)
	if p.status != 200 || p.url != "/dashboard/charges" {
		e.t.Fatalf("sign-in: %d at %s\n%s", p.status, p.url, p.body)
	}
	return p
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token of a page.
func (e *env) csrf(p page) string {
	e.t.Helper()
	m := csrfRE.FindStringSubmatch(p.body)
	if m == nil {
		e.t.Fatalf("no CSRF token on %s", p.url)
	}
	return m[1]
}

// apiCall calls the API with the demo secret.
func (e *env) apiCall(method, path, body string, out any) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.demo.Secret+"."+e.demo.JWT)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		e.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatal(err)
		}
	}
}

type idStatus struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// charge creates a successful card charge of amount yen.
func (e *env) charge(amount string, extra string) idStatus {
	e.t.Helper()
	var tok idStatus
	e.apiCall("POST", "/tokens", `{"payment_type":"card","type":"one_time","email":"taro@example.com",
	 "data":{"cardholder":"TARO YAMADA","card_number":"4242424242424242","exp_month":"12","exp_year":"2099","cvv":"123"}}`, &tok)
	var c idStatus
	e.apiCall("POST", "/charges", `{"transaction_token_id":"`+tok.ID+`","amount":`+amount+`,"currency":"JPY"`+extra+`}`, &c)
	e.apiCall("GET", "/stores/"+e.demo.StoreID+"/charges/"+c.ID+"?polling=true", "", &c)
	return c
}

func TestSignInAndOut(t *testing.T) {
	e := newEnv(t)
	// Signed out: every page sends to the sign-in form.
	for _, p := range []string{"/dashboard", "/dashboard/charges", "/dashboard/clock", "/dashboard/config"} {
		if got := e.get(p); got.url != "/dashboard/signin" || !strings.Contains(got.body, `name="secret"`) {
			t.Errorf("GET %s signed out: at %s, want the sign-in form", p, got.url)
		}
	}
	// Wrong secret.
	p := e.signInForm(e.demo.JWT, "nope")
	if p.status != http.StatusUnauthorized {
		t.Errorf("bad secret: %d, want 401", p.status)
	}
	// The sign-in form needs its CSRF token too.
	p = e.post("/dashboard/signin", url.Values{"jwt": {e.demo.JWT}, "secret": {e.demo.Secret}, "csrf": {"forged"}})
	if p.status != http.StatusForbidden {
		t.Errorf("sign-in with a forged CSRF token: %d, want 403", p.status)
	}
	p = e.signIn()
	if strings.Contains(p.body, e.demo.Secret) {
		t.Error("a page shows the secret")
	}
	// The cookie's attributes.
	noFollow := &http.Client{Jar: e.client.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := e.get("/dashboard/signin")
	res, err := noFollow.PostForm(e.ts.URL+"/dashboard/signin", url.Values{"jwt": {e.demo.JWT}, "secret": {e.demo.Secret}, "csrf": {e.csrf(form)}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in: %d, want 303", res.StatusCode)
	}
	var sc string
	for _, c := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "kessai_dashboard=") {
			sc = c
		}
	}
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/dashboard"} {
		if !strings.Contains(sc, want) {
			t.Errorf("Set-Cookie %q lacks %s", sc, want)
		}
	}
	if strings.Contains(sc, e.demo.Secret) || strings.Contains(sc, e.demo.JWT) {
		t.Error("the cookie carries the credentials")
	}
	// Sign out needs the CSRF token, then ends the session.
	p = e.get("/dashboard/charges")
	if got := e.post("/dashboard/signout", url.Values{}); got.status != http.StatusForbidden {
		t.Errorf("sign-out without CSRF: %d, want 403", got.status)
	}
	p = e.post("/dashboard/signout", url.Values{"csrf": {e.csrf(p)}})
	if p.url != "/dashboard/signin" {
		t.Errorf("after sign-out at %s", p.url)
	}
	if got := e.get("/dashboard/charges"); got.url != "/dashboard/signin" {
		t.Errorf("after sign-out /dashboard/charges is at %s", got.url)
	}
}

func TestActionsRefused(t *testing.T) {
	e := newEnv(t)
	c := e.charge("1000", "")
	// Without a session.
	if p := e.post("/dashboard/charges/"+c.ID+"/refund", url.Values{"amount": {"1000"}, "currency": {"JPY"}}); p.status != http.StatusForbidden {
		t.Errorf("refund signed out: %d, want 403", p.status)
	}
	e.signIn()
	// Without or with a wrong CSRF token.
	for _, tok := range []string{"", "wrong"} {
		p := e.post("/dashboard/charges/"+c.ID+"/refund", url.Values{"amount": {"1000"}, "currency": {"JPY"}, "csrf": {tok}})
		if p.status != http.StatusForbidden {
			t.Errorf("refund with csrf %q: %d, want 403", tok, p.status)
		}
	}
	var refunds struct{ Items []idStatus }
	e.apiCall("GET", "/stores/"+e.demo.StoreID+"/charges/"+c.ID+"/refunds", "", &refunds)
	if len(refunds.Items) != 0 {
		t.Errorf("a refused action made %d refunds", len(refunds.Items))
	}
}

func TestChargesAndRefund(t *testing.T) {
	e := newEnv(t)
	c1 := e.charge("1000", `,"metadata":{"order":"a1"}`)
	c2 := e.charge("2000", `,"metadata":{"order":"b2"}`)
	p := e.signIn()
	for _, id := range []string{c1.ID, c2.ID} {
		if !strings.Contains(p.body, "/dashboard/charges/"+id) {
			t.Errorf("the charge list lacks %s", id)
		}
	}
	if strings.Index(p.body, c2.ID) > strings.Index(p.body, c1.ID) {
		t.Error("the list is not newest first")
	}
	// The chart of payments per status: today's bar has the two, with
	// the table of its numbers.
	if !strings.Contains(p.body, `<svg id="chart-payments" role="img"`) || strings.Count(p.body, `class="c-successful"><title>successful: 2</title>`) != 1 {
		t.Errorf("no chart of two successful payments:\n%s", p.body)
	}
	rows := regexp.MustCompile(`<tr><td>\d\d-\d\d</td><td class="num">(\d+)</td>`).FindAllStringSubmatch(p.body, -1)
	if len(rows) != 14 || rows[13][1] != "2" {
		t.Errorf("chart table rows %v, want 14 days, the last with 2 successful", rows)
	}
	// Filters go to the API.
	p = e.get("/dashboard/charges?metadata=order:a1")
	if !strings.Contains(p.body, c1.ID) || strings.Contains(p.body, c2.ID) {
		t.Error("metadata filter: want only the first charge")
	}
	var ch struct {
		Token string `json:"transaction_token_id"`
	}
	e.apiCall("GET", "/stores/"+e.demo.StoreID+"/charges/"+c2.ID, "", &ch)
	if p := e.get("/dashboard/tokens"); !strings.Contains(p.body, "/dashboard/charges?transaction_token_id="+ch.Token) {
		t.Error("the tokens page does not link to the token's charges")
	}
	// The token's own page: its data, its requests (its creation, without
	// the card data) and the link to its charges.
	p = e.get("/dashboard/tokens/" + ch.Token)
	if !strings.Contains(p.body, `id="token-type">one_time`) || !strings.Contains(p.body, "POST /tokens") ||
		!strings.Contains(p.body, `href="/dashboard/charges?transaction_token_id=`+ch.Token+`"`) || strings.Contains(p.body, "4242424242424242") {
		t.Errorf("the token's page:\n%s", p.body)
	}
	p = e.get("/dashboard/charges?transaction_token_id=" + ch.Token)
	if !strings.Contains(p.body, c2.ID) || strings.Contains(p.body, c1.ID) {
		t.Error("token filter: want only the second charge")
	}
	p = e.get("/dashboard/charges?status=failed")
	if strings.Contains(p.body, c1.ID) {
		t.Error("status filter failed: lists a successful charge")
	}
	held := e.charge("3000", `,"capture":false`)
	p = e.get("/dashboard/charges?status=authorized&payment_type=card")
	if !strings.Contains(p.body, held.ID) || strings.Contains(p.body, c1.ID) || !strings.Contains(p.body, "Total: 1<") {
		t.Errorf("status filter authorized: want only %s and a total of 1", held.ID)
	}

	p = e.get("/dashboard/charges/" + c1.ID)
	for _, want := range []string{`id="charge-status">successful`, `&#34;id&#34;: &#34;` + c1.ID + `&#34;`, "order"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("charge page lacks %q", want)
		}
	}
	p = e.post("/dashboard/charges/"+c1.ID+"/refund", url.Values{"amount": {"400"}, "currency": {"JPY"}, "reason": {"customer_request"}, "csrf": {e.csrf(p)}})
	if p.url != "/dashboard/charges/"+c1.ID || strings.Contains(p.body, `flash error`) {
		t.Fatalf("refund: at %s\n%s", p.url, p.body)
	}
	var refunds struct{ Items []idStatus }
	e.apiCall("GET", "/stores/"+e.demo.StoreID+"/charges/"+c1.ID+"/refunds", "", &refunds)
	if len(refunds.Items) != 1 {
		t.Fatalf("refunds = %v, want one", refunds.Items)
	}
	if !strings.Contains(p.body, `id="refunds"`) || !strings.Contains(p.body, "customer_request") {
		t.Error("the charge page does not show the refund")
	}
	// The timeline from the request log: created pending, then
	// successful, then the refund; the requests that touched the charge,
	// and what it was created with. The dashboard's own reads are not
	// among them.
	tl := p.body[strings.Index(p.body, `id="timeline"`):]
	tl = tl[:strings.Index(tl, "</ol>")]
	for _, want := range []string{"created", "status changed", `s-pending">pending</span> → <span class="status s-successful">successful`, "refund"} {
		if !strings.Contains(tl, want) {
			t.Errorf("the timeline lacks %q:\n%s", want, tl)
		}
	}
	reqs := p.body[strings.Index(p.body, `id="requests"`):]
	reqs = reqs[:strings.Index(reqs, "</table>")]
	for _, want := range []string{"POST /charges", "POST /stores/" + e.demo.StoreID + "/charges/" + c1.ID + "/refunds", "GET /stores/" + e.demo.StoreID + "/charges/" + c1.ID + "?polling=true"} {
		if !strings.Contains(reqs, want) {
			t.Errorf("the requests lack %q:\n%s", want, reqs)
		}
	}
	if n := strings.Count(reqs, "<tr>"); n != 4 { // the header, the creation, the poll, the refund
		t.Errorf("%d rows of requests, want 3 and the header:\n%s", n, reqs)
	}
	if !strings.Contains(p.body, `id="created-with"`) || !strings.Contains(p.body, `&#34;order&#34;: &#34;a1&#34;`) {
		t.Error("the charge page does not show what it was created with")
	}
	// The store's refunds, from the transaction history.
	if p := e.get("/dashboard/refunds"); !strings.Contains(p.body, `href="/dashboard/charges/`+c1.ID+`"`) || !strings.Contains(p.body, "Total: 1<") {
		t.Errorf("the refunds page lacks the refund of %s:\n%s", c1.ID, p.body)
	}
	if p := e.get("/dashboard/refunds?status=error"); strings.Contains(p.body, `href="/dashboard/charges/`+c1.ID+`"`) || !strings.Contains(p.body, "<option selected>error</option>") {
		t.Errorf("refunds filtered by error list the refund:\n%s", p.body)
	}
	// An API error is shown, not hidden.
	p = e.post("/dashboard/charges/"+c1.ID+"/refund", url.Values{"amount": {"999999"}, "currency": {"JPY"}, "csrf": {e.csrf(p)}})
	if !strings.Contains(p.body, "flash error") {
		t.Error("a refused refund shows no error")
	}
}

func TestPagination(t *testing.T) {
	e := newEnv(t)
	var tok idStatus
	for i := 0; i < 22; i++ {
		e.apiCall("POST", "/tokens", `{"payment_type":"card","type":"one_time","email":"p@example.com",
		 "data":{"cardholder":"TARO YAMADA","card_number":"4242424242424242","exp_month":"12","exp_year":"2099","cvv":"123"}}`, &tok)
	}
	e.signIn()
	p := e.get("/dashboard/tokens")
	m := regexp.MustCompile(`href="(/dashboard/tokens\?cursor=[^"]+)" rel="next"`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no next page link:\n%s", p.body)
	}
	p = e.get(strings.ReplaceAll(m[1], "&amp;", "&"))
	if n := strings.Count(p.body, "p@example.com"); n != 2 {
		t.Errorf("second page has %d tokens, want 2", n)
	}
}

func TestClockAndConfig(t *testing.T) {
	e := newEnv(t)
	e.signIn()
	var before, after struct{ Now string }
	e.apiCall("GET", "/sandbox/clock", "", &before)
	p := e.get("/dashboard/clock")
	if !strings.Contains(p.body, `id="clock-now"`) {
		t.Fatal("no clock on the clock page")
	}
	p = e.post("/dashboard/clock/day", url.Values{"csrf": {e.csrf(p)}})
	e.apiCall("GET", "/sandbox/clock", "", &after)
	b, _ := time.Parse(time.RFC3339, before.Now)
	a, _ := time.Parse(time.RFC3339, after.Now)
	if d := a.Sub(b); d < 24*time.Hour || d > 25*time.Hour {
		t.Errorf("the clock moved %v, want a day", d)
	}
	if !strings.Contains(p.body, after.Now[:13]) {
		t.Errorf("the clock page does not show %s", after.Now)
	}
	p = e.post("/dashboard/clock/set", url.Values{"time": {"2031-02-03T04:05:06Z"}, "csrf": {e.csrf(p)}})
	if !strings.Contains(p.body, "2031-02-03T04:05:06") {
		t.Error("set: the clock page does not show the new time")
	}

	// The next scheduled event: a capture in two hours. The button moves
	// the clock to it; the page lists what the move ran, and the moves.
	if !strings.Contains(p.body, `id="next-event">nothing scheduled`) {
		t.Errorf("next event with nothing scheduled:\n%s", p.body)
	}
	var now struct{ Now string }
	e.apiCall("GET", "/sandbox/clock", "", &now)
	n, _ := time.Parse(time.RFC3339, now.Now)
	at := n.Add(2 * time.Hour).UTC().Format("2006-01-02T15:04:05Z")
	held := e.charge("500", `,"capture":false,"capture_at":"`+at+`"`)
	p = e.get("/dashboard/clock")
	if !strings.Contains(p.body, `href="/dashboard/charges/`+held.ID+`"`) || !strings.Contains(p.body, strings.Replace(at[:19], "T", " ", 1)) {
		t.Errorf("the next event is not the capture of %s at %s", held.ID, at)
	}
	p = e.post("/dashboard/clock/next", url.Values{"csrf": {e.csrf(p)}})
	e.apiCall("GET", "/sandbox/clock", "", &now)
	if now.Now[:19] != at[:19] {
		t.Errorf("next: the clock is at %s, want %s", now.Now, at)
	}
	ran := p.body[strings.Index(p.body, `id="ran"`):]
	if !strings.Contains(ran[:strings.Index(ran, "</ul>")], held.ID) || !strings.Contains(p.body, "1 status changes") {
		t.Errorf("the page does not show what the move ran:\n%s", p.body)
	}
	moves := p.body[strings.Index(p.body, `id="moves"`):]
	if !strings.Contains(moves, "/sandbox/clock/next") || !strings.Contains(moves, held.ID) || !strings.Contains(moves, "/sandbox/clock/set") {
		t.Errorf("the clock moves lack the last one:\n%s", moves)
	}
	if p := e.get("/dashboard/clock"); strings.Contains(p.body, `id="ran"`) {
		t.Error("what the move ran is shown twice")
	}

	p = e.get("/dashboard/config")
	if !strings.Contains(p.body, `id="config"`) {
		t.Fatal("no configuration form")
	}
	var conf map[string]any
	e.apiCall("GET", "/sandbox/store_configuration", "", &conf)
	key := "only_direct_currency"
	if _, ok := conf[key]; !ok {
		t.Fatalf("configuration has no %s: %v", key, conf)
	}
	p = e.post("/dashboard/config", url.Values{"config": {`{"only_direct_currency": true}`}, "csrf": {e.csrf(p)}})
	e.apiCall("GET", "/sandbox/store_configuration", "", &conf)
	if conf[key] != true {
		t.Errorf("%s = %v after saving", key, conf[key])
	}
	if !strings.Contains(p.body, `&#34;only_direct_currency&#34;: true`) {
		t.Error("the form does not show the saved value")
	}
	p = e.post("/dashboard/config", url.Values{"config": {`[1`}, "csrf": {e.csrf(p)}})
	if !strings.Contains(p.body, "flash error") {
		t.Error("invalid JSON shows no error")
	}
}

func TestWebhooksPage(t *testing.T) {
	e := newEnv(t)
	var wh idStatus
	e.apiCall("POST", "/stores/"+e.demo.StoreID+"/webhooks", `{"triggers":["charge_finished"],"url":"http://127.0.0.1:1/hook","active":false}`, &wh)
	e.apiCall("POST", "/stores/"+e.demo.StoreID+"/webhooks", `{"triggers":["charge_finished"],"url":"http://127.0.0.1:1/live"}`, nil)
	e.charge("1500", "")
	p := e.signIn()
	p = e.get("/dashboard/webhooks")
	if !strings.Contains(p.body, `id="deliveries"`) || !strings.Contains(p.body, "<td>charge_finished</td>") {
		t.Errorf("webhooks page lacks the delivery:\n%s", p.body)
	}
	if !strings.Contains(p.body, `<svg id="rates" role="img"`) || !strings.Contains(p.body, `id="rates-table"`) ||
		!regexp.MustCompile(`<tr><td>pending</td><td class="num">1</td><td class="num">100%</td></tr>`).MatchString(p.body) {
		t.Errorf("no delivery rates (one pending delivery) on the webhooks page:\n%s", p.body)
	}
	// The delivery filters go to the API.
	if p := e.get("/dashboard/webhooks?event=token_created"); strings.Contains(p.body, "<td>charge_finished</td>") {
		t.Error("event filter: a charge_finished delivery is listed")
	}
	if !strings.Contains(p.body, "http://127.0.0.1:1/hook") || !strings.Contains(p.body, `class="enable"`) {
		t.Fatalf("webhooks page lacks the stopped webhook:\n%s", p.body)
	}
	p = e.post("/dashboard/webhooks/"+wh.ID+"/enable", url.Values{"csrf": {e.csrf(p)}})
	var got struct{ Active bool }
	e.apiCall("GET", "/webhooks/"+wh.ID, "", &got)
	if !got.Active || strings.Contains(p.body, `class="enable"`) {
		t.Errorf("after re-enable: active %v", got.Active)
	}
}

func TestLanguage(t *testing.T) {
	e := newEnv(t)
	req, _ := http.NewRequest("GET", e.ts.URL+"/dashboard/signin", nil)
	req.Header.Set("Accept-Language", "ja-JP,ja;q=0.9,en;q=0.8")
	res, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	p := read(t, res)
	if !strings.Contains(p.body, `lang="ja"`) || !strings.Contains(p.body, "サインイン") {
		t.Error("Accept-Language ja: the page is not in Japanese")
	}
	p = e.get("/dashboard/signin?lang=en")
	if !strings.Contains(p.body, `lang="en"`) {
		t.Error("?lang=en: not English")
	}
	// The choice is remembered.
	req, _ = http.NewRequest("GET", e.ts.URL+"/dashboard/signin", nil)
	req.Header.Set("Accept-Language", "ja")
	res, err = e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if p := read(t, res); !strings.Contains(p.body, `lang="en"`) {
		t.Error("the language switch is not remembered")
	}
}

func TestSubscription(t *testing.T) {
	e := newEnv(t)
	var tok, sub idStatus
	e.apiCall("POST", "/tokens", `{"payment_type":"card","type":"subscription","email":"sub@example.com",
	 "data":{"cardholder":"TARO YAMADA","card_number":"4242424242424242","exp_month":"12","exp_year":"2099","cvv":"123"}}`, &tok)
	e.apiCall("POST", "/subscriptions", `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"jpy","period":"monthly","metadata":{"plan":"gold"}}`, &sub)
	// Each poll waits at most 300 ms (PollWait): poll until the first
	// payment has settled, however loaded the machine is.
	for i := 0; i < 100 && (sub.Status == "" || sub.Status == "unverified"); i++ {
		e.apiCall("GET", "/stores/"+e.demo.StoreID+"/subscriptions/"+sub.ID+"?polling=true", "", &sub)
	}
	e.signIn()
	p := e.get("/dashboard/subscriptions")
	if !strings.Contains(p.body, "/dashboard/subscriptions/"+sub.ID) {
		t.Fatalf("the list lacks the subscription:\n%s", p.body)
	}
	p = e.get("/dashboard/subscriptions/" + sub.ID)
	for _, want := range []string{`id="subscription-status">` + sub.Status, `id="payments"`, "s-paid", "monthly", `id="next-payment">20`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("subscription page lacks %q", want)
		}
	}
	// Set the clock past the next payment's date from the clock page: the
	// payment has run.
	if n := strings.Count(p.body, `class="status s-paid"`); n != 1 {
		t.Errorf("%d paid payments before the advance, want 1", n)
	}
	var withNext struct {
		NextPayment struct {
			DueDate string `json:"due_date"`
		} `json:"next_payment"`
	}
	e.apiCall("GET", "/stores/"+e.demo.StoreID+"/subscriptions/"+sub.ID, "", &withNext)
	due, err := time.Parse(time.DateOnly, withNext.NextPayment.DueDate)
	if err != nil {
		t.Fatalf("next payment: %v", err)
	}
	e.post("/dashboard/clock/set", url.Values{"time": {due.Add(36 * time.Hour).Format(time.RFC3339)}, "csrf": {e.csrf(p)}})
	p = e.get("/dashboard/subscriptions/" + sub.ID)
	if n := strings.Count(p.body, `class="status s-paid"`); n != 2 {
		t.Errorf("%d paid payments a month later, want 2:\n%s", n, p.body[strings.Index(p.body, `id="payments"`):])
	}
	for _, step := range []struct{ action, want string }{{"suspend", "suspended"}, {"resume", "unpaid"}, {"cancel", "canceled"}} {
		p = e.post("/dashboard/subscriptions/"+sub.ID+"/"+step.action, url.Values{"csrf": {e.csrf(p)}})
		var got idStatus
		e.apiCall("GET", "/stores/"+e.demo.StoreID+"/subscriptions/"+sub.ID, "", &got)
		if got.Status != step.want || !strings.Contains(p.body, `id="subscription-status">`+step.want) {
			t.Errorf("after %s: API %s, want %s (flash: %v)", step.action, got.Status, step.want, strings.Contains(p.body, "flash error"))
		}
	}
}

// A page whose resource the API does not find answers the API's status
// with its error.
func TestNotFound(t *testing.T) {
	e := newEnv(t)
	e.signIn()
	p := e.get("/dashboard/charges/01a22d54-c926-750f-97d4-293ce89d513a")
	if p.status != http.StatusNotFound || !strings.Contains(p.body, "NOT_FOUND") || !strings.Contains(p.body, "flash error") {
		t.Errorf("unknown charge: %d\n%s", p.status, p.body)
	}
}

// TestWebhookResend resends a finished delivery from the webhooks page:
// the receiver gets the same event again.
func TestWebhookResend(t *testing.T) {
	e := newEnv(t)
	got := make(chan string, 10)
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- string(b)
	}))
	t.Cleanup(rc.Close)
	e.apiCall("POST", "/stores/"+e.demo.StoreID+"/webhooks", `{"triggers":["charge_finished"],"url":"`+rc.URL+`/hook"}`, nil)
	e.charge("1500", "")
	first := <-got
	type delivery struct {
		ID, Status string
		ResentFrom *string `json:"resent_from"`
	}
	var l struct{ Items []delivery }
	for range 100 { // the attempt is recorded just after the receiver answers
		e.apiCall("GET", "/sandbox/webhook_deliveries", "", &l)
		if len(l.Items) == 1 && l.Items[0].Status == "successful" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(l.Items) != 1 || l.Items[0].Status != "successful" {
		t.Fatalf("deliveries: %+v", l.Items)
	}
	old := l.Items[0].ID
	e.signIn()
	p := e.get("/dashboard/webhooks")
	if !strings.Contains(p.body, `action="/dashboard/webhooks/deliveries/`+old+`/resend"`) {
		t.Fatalf("no resend button for %s:\n%s", old, p.body)
	}
	p = e.post("/dashboard/webhooks/deliveries/"+old+"/resend", url.Values{"csrf": {e.csrf(p)}})
	if p.url != "/dashboard/webhooks" || strings.Contains(p.body, "flash error") {
		t.Fatalf("resend: at %s\n%s", p.url, p.body)
	}
	select {
	case again := <-got:
		if again[:60] != first[:60] { // {"id":"<the event's>",...
			t.Errorf("resent payload %s, first %s", again, first)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the receiver got nothing after the resend")
	}
	e.apiCall("GET", "/sandbox/webhook_deliveries", "", &l)
	if len(l.Items) != 2 || l.Items[0].ResentFrom == nil || *l.Items[0].ResentFrom != old {
		t.Errorf("deliveries after the resend: %+v", l.Items)
	}
	// Without the CSRF token nothing is resent.
	if p := e.post("/dashboard/webhooks/deliveries/"+old+"/resend", url.Values{}); p.status != http.StatusForbidden {
		t.Errorf("resend without CSRF: %d", p.status)
	}
}

// TestConfigFormAndTokens saves the configuration form, frames the widget
// preview, and creates and revokes an app token (the secret shown once).
func TestConfigFormAndTokens(t *testing.T) {
	e := newEnv(t)
	e.signIn()
	p := e.get("/dashboard/config")
	for _, want := range []string{`id="config-form"`, `id="m-card_enabled" checked`, `id="b-visa" checked`, `id="preview-frame"`, `src="/dashboard/preview?v=`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the configuration page lacks %q", want)
		}
	}
	frame := regexp.MustCompile(`src="(/dashboard/preview\?v=[0-9a-f]+)"`).FindStringSubmatch(p.body)[1]
	form := url.Values{"csrf": {e.csrf(p)}, "card_enabled": {"on"}, "konbini_enabled": {"on"}, "brand_visa": {"on"}, "brand_jcb": {"on"},
		"theme_main_color": {"#D32F2F"}, "logo_image": {"https://shop.example/logo.png"}, "three_ds_required": {"on"}, "recurring_token_privilege": {"bounded"}}
	p = e.post("/dashboard/config/form", form)
	if strings.Contains(p.body, "flash error") {
		t.Fatalf("saving the form:\n%s", p.body)
	}
	var conf struct {
		Brands              []string `json:"card_brands"`
		Theme               map[string]string
		Logo                *string `json:"logo_image"`
		ThreeDS             bool    `json:"three_ds_required"`
		Privilege           string  `json:"recurring_token_privilege"`
		CardEnabled         bool    `json:"card_enabled"`
		KonbiniEnabled      bool    `json:"konbini_enabled"`
		BankTransferEnabled bool    `json:"bank_transfer_enabled"`
	}
	e.apiCall("GET", "/sandbox/store_configuration", "", &conf)
	if !conf.CardEnabled || !conf.KonbiniEnabled || conf.BankTransferEnabled || strings.Join(conf.Brands, ",") != "visa,jcb" ||
		conf.Theme["main_color"] != "#D32F2F" || conf.Logo == nil || *conf.Logo != "https://shop.example/logo.png" || !conf.ThreeDS || conf.Privilege != "bounded" {
		t.Errorf("configuration after the form: %+v", conf)
	}
	if strings.Contains(p.body, frame) {
		t.Error("the preview's URL did not change with the configuration: it would not reload")
	}
	// The preview page frames the real widget with the session's token;
	// only the dashboard may frame it.
	res, err := e.client.Get(e.ts.URL + "/dashboard/preview")
	if err != nil {
		t.Fatal(err)
	}
	pv := read(t, res)
	if !strings.Contains(pv.body, `<script src="/client/checkout.js">`) || !strings.Contains(pv.body, `data-app-id="`+e.demo.JWT+`"`) ||
		res.Header.Get("X-Frame-Options") != "SAMEORIGIN" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'self'") {
		t.Errorf("preview page: %s %v\n%s", res.Status, res.Header, pv.body)
	}
	if strings.Contains(pv.body, e.demo.Secret) {
		t.Error("the preview page holds the secret")
	}

	// App tokens: create one with domains, its secret shown once.
	p = e.post("/dashboard/app_tokens", url.Values{"csrf": {e.csrf(p)}, "domains": {"shop.example:3000, localhost"}, "mode": {"test"}})
	m := regexp.MustCompile(`id="new-secret">([^<]+)<`).FindStringSubmatch(p.body)
	j := regexp.MustCompile(`id="new-jwt">([^<]+)<`).FindStringSubmatch(p.body)
	if m == nil || j == nil {
		t.Fatalf("no new secret shown:\n%s", p.body)
	}
	if !strings.Contains(p.body, "<code>shop.example:3000</code> <code>localhost</code>") {
		t.Error("the new token's domains are not listed")
	}
	if p := e.get("/dashboard/config"); strings.Contains(p.body, m[1]) {
		t.Error("the secret is shown twice")
	}
	var tokens struct {
		Items []struct {
			ID, JWT string
			Active  bool
		}
	}
	e.apiCall("GET", "/sandbox/app_tokens", "", &tokens)
	if len(tokens.Items) != 2 || tokens.Items[0].JWT != j[1] {
		t.Fatalf("tokens: %+v", tokens.Items)
	}
	p = e.get("/dashboard/config")
	p = e.post("/dashboard/app_tokens/"+tokens.Items[0].ID+"/revoke", url.Values{"csrf": {e.csrf(p)}})
	e.apiCall("GET", "/sandbox/app_tokens", "", &tokens)
	if tokens.Items[0].Active || !strings.Contains(p.body, "Revoked") {
		t.Error("the token was not revoked")
	}
	// The session's own token has no revoke button.
	if n := strings.Count(p.body, `class="danger revoke"`); n != 0 {
		t.Errorf("%d revoke buttons, want none (one revoked, one the session's)", n)
	}
}

// TestListFilters: the tokens and subscriptions pages filter through the
// API and keep the chosen values in their forms.
func TestListFilters(t *testing.T) {
	e := newEnv(t)
	c := e.charge("1000", "")
	var ch struct {
		Token string `json:"transaction_token_id"`
	}
	e.apiCall("GET", "/stores/"+e.demo.StoreID+"/charges/"+c.ID, "", &ch)
	e.signIn()
	if p := e.get("/dashboard/tokens?type=one_time&payment_type=card&mode=test"); !strings.Contains(p.body, ch.Token) ||
		!strings.Contains(p.body, "<option selected>one_time</option>") || !strings.Contains(p.body, "<option selected>card</option>") {
		t.Errorf("tokens filtered by their own type and method lack the token:\n%s", p.body)
	}
	for _, q := range []string{"type=recurring", "payment_type=konbini", "mode=live", "metadata=order:none"} {
		if p := e.get("/dashboard/tokens?" + q); strings.Contains(p.body, ch.Token) {
			t.Errorf("tokens?%s lists the one-time card token", q)
		}
	}
	p := e.get("/dashboard/subscriptions?status=canceled")
	if !strings.Contains(p.body, "<option selected>canceled</option>") || !strings.Contains(p.body, "Total: 0") {
		t.Errorf("subscriptions filtered by status:\n%s", p.body)
	}
}

// TestAwaitingPayments: a bank transfer and a konbini payment awaiting the
// buyer are driven from the charge's page with the sandbox controls.
func TestAwaitingPayments(t *testing.T) {
	e := newEnv(t)
	e.apiCall("PATCH", "/sandbox/store_configuration", `{"konbini_enabled":true,"bank_transfer_enabled":true}`, nil)
	awaiting := func(token string) idStatus {
		var tok, c idStatus
		e.apiCall("POST", "/tokens", token, &tok)
		e.apiCall("POST", "/charges", `{"transaction_token_id":"`+tok.ID+`","amount":5000,"currency":"JPY"}`, &c)
		e.apiCall("GET", "/stores/"+e.demo.StoreID+"/charges/"+c.ID+"?polling=true", "", &c)
		if c.Status != "awaiting" {
			t.Fatalf("charge %s, want awaiting", c.Status)
		}
		return c
	}
	bank := awaiting(`{"payment_type":"bank_transfer","type":"one_time","email":"hanako@example.com","data":{"brand":"aozora_bank"}}`)
	e.signIn()
	if p := e.get("/dashboard/charges?status=awaiting"); !strings.Contains(p.body, bank.ID) {
		t.Error("the awaiting payments do not list the bank transfer")
	}
	p := e.get("/dashboard/charges/" + bank.ID)
	for _, want := range []string{`id="complete"`, `id="fail"`, `id="expire"`, `id="deposit"`, `<span class="tag">bank_transfer</span>`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the awaiting bank transfer's page lacks %q", want)
		}
	}
	// Part of the amount arrives: still awaiting. Then the buyer pays.
	p = e.post("/dashboard/charges/"+bank.ID+"/deposit", url.Values{"amount": {"2000"}, "csrf": {e.csrf(p)}})
	var c idStatus
	e.apiCall("GET", "/stores/"+e.demo.StoreID+"/charges/"+bank.ID, "", &c)
	if c.Status != "awaiting" || strings.Contains(p.body, "flash error") {
		t.Fatalf("after a deposit of 2000 of 5000: %s", c.Status)
	}
	p = e.post("/dashboard/charges/"+bank.ID+"/complete", url.Values{"csrf": {e.csrf(p)}})
	if !strings.Contains(p.body, `id="charge-status">successful`) || strings.Contains(p.body, `id="complete"`) {
		t.Errorf("after complete the page shows:\n%s", p.body)
	}

	konbini := awaiting(`{"payment_type":"konbini","type":"one_time","email":"hanako@example.com",
	 "data":{"customer_name":"山田花子","convenience_store":"lawson","phone_number":{"country_code":"81","local_number":"0312345678"}}}`)
	p = e.get("/dashboard/charges/" + konbini.ID)
	if strings.Contains(p.body, `id="deposit"`) {
		t.Error("a konbini payment has a deposit form")
	}
	p = e.post("/dashboard/charges/"+konbini.ID+"/expire", url.Values{"csrf": {e.csrf(p)}})
	if !strings.Contains(p.body, `id="charge-status">failed`) {
		t.Errorf("after expire the page shows:\n%s", p.body)
	}
}
