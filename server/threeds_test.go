package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"kessai/api"
)

// 3-D Secure (docs/payment-methods.md, "3-D Secure"): when a challenge
// runs, the issuer tokens, the sandbox ACS page and its outcomes.

const threeDSCard = "4000000000003220"

// acsForm posts the ACS page's form (as the browser does) and returns the
// response; action "" just opens it as the issuer token's form post does.
func (e *testEnv) acsForm(it api.ThreeDSIssuerToken, action, lang string) resp {
	e.t.Helper()
	u, err := url.Parse(it.IssuerToken)
	if err != nil {
		e.t.Fatal(err)
	}
	form := url.Values{"session": {it.Payload["session"]}}
	if action != "" {
		form.Set("action", action)
	}
	if lang != "" {
		form.Set("lang", lang)
	}
	return e.do("POST", u.Path, "", form.Encode(), "Content-Type", api.ContentTypeForm)
}

// challengedCharge creates a charge that runs 3-D Secure and returns it
// awaiting, with its issuer token.
func (e *testEnv) challengedCharge(number, extra string) (api.Charge, api.ThreeDSIssuerToken) {
	e.t.Helper()
	c := e.createCharge(e.createToken(number, "one_time").ID, extra)
	e.settleAll()
	c = e.getCharge(c.ID)
	if c.Status != api.ChargeAwaiting || c.ThreeDS == nil || c.ThreeDS.Status == nil || *c.ThreeDS.Status != api.ThreeDSAwaiting {
		e.t.Fatalf("charge %s three_ds %+v, want awaiting its challenge", c.Status, c.ThreeDS)
	}
	it := call[api.ThreeDSIssuerToken](e, http.StatusOK, "GET", e.chargePath(c.ID)+"/three_ds/issuer_token", e.publicAuth(), "")
	return c, it
}

func TestChargeThreeDSAuthenticate(t *testing.T) {
	e := newClockEnv(t)
	c, it := e.challengedCharge(threeDSCard, "")
	if !strings.HasPrefix(it.IssuerToken, "http://localhost:8080/sandbox/3ds/") || it.CallMethod != api.CallHTTPPost ||
		it.ContentType != api.ContentTypeForm || it.PaymentType != api.PaymentTypeCard || it.Payload["session"] == "" ||
		!strings.HasSuffix(it.IssuerToken, "/"+it.Payload["session"]) {
		t.Fatalf("issuer token %+v", it)
	}
	// The charge's online issuer token is not the challenge.
	wantError(t, e.do("GET", e.chargePath(c.ID)+"/issuer_token", e.secretAuth(), ""), 400, api.CodeValidationError,
		api.FieldError{Reason: api.ReasonInvalidChargeStatus})

	page := e.acsForm(it, "", "")
	body := string(page.body)
	if page.code != 200 || !strings.Contains(body, `lang="ja"`) || !strings.Contains(body, "認証する") ||
		!strings.Contains(body, "3220") || !strings.Contains(body, `value="timeout"`) {
		t.Fatalf("ACS page %d %s", page.code, body)
	}
	if en := e.acsForm(it, "", "en"); !strings.Contains(string(en.body), ">Authenticate<") {
		t.Errorf("English page %s", en.body)
	}
	done := e.acsForm(it, "authenticate", "en")
	if done.code != 200 || !strings.Contains(string(done.body), "Authentication succeeded") {
		t.Fatalf("after authenticate %d %s", done.code, done.body)
	}
	if msg, want := postedMessage(t, done.body), (api.ThreeDSComplete{Type: api.ThreeDSCompleteMessage, Resource: "charge", ID: c.ID, Status: api.ThreeDSSuccessful}); msg != want {
		t.Errorf("posted %+v, want %+v", msg, want)
	}
	// Authenticated, the charge is processed as any card charge.
	e.settleAll()
	c = e.getCharge(c.ID)
	wantStatus(t, c, api.ChargeSuccessful, 0)
	if *c.ThreeDS.Status != api.ThreeDSSuccessful {
		t.Errorf("three_ds %+v", c.ThreeDS)
	}
	// The session is spent: the page shows the outcome, the issuer token is gone.
	if again := e.acsForm(it, "fail", "en"); !strings.Contains(string(again.body), "Authentication succeeded") {
		t.Errorf("second answer changed the outcome: %s", again.body)
	}
	wantError(t, e.do("GET", e.chargePath(c.ID)+"/three_ds/issuer_token", e.secretAuth(), ""), 400, api.CodeValidationError,
		api.FieldError{Reason: api.ReasonInvalidThreeDSStatus})
}

// postedMessage is the message the ACS page's script posts to the widget:
// the JSON string literal it assigns, decoded.
func postedMessage(t *testing.T, page []byte) api.ThreeDSComplete {
	t.Helper()
	m := regexp.MustCompile(`var m=("(?:[^"\\]|\\.)*");`).FindSubmatch(page)
	var text string
	var msg api.ThreeDSComplete
	if m == nil || json.Unmarshal(m[1], &text) != nil || json.Unmarshal([]byte(text), &msg) != nil {
		t.Fatalf("no message posted by %s", page)
	}
	return msg
}

func TestChargeThreeDSOutcomes(t *testing.T) {
	e := newClockEnv(t)
	// Fail: the charge fails with 306.
	c, it := e.challengedCharge(threeDSCard, "")
	e.acsForm(it, "fail", "")
	c = e.getCharge(c.ID)
	wantStatus(t, c, api.ChargeFailed, api.PaymentErrorDeclined)
	if *c.ThreeDS.Status != api.ThreeDSFailed {
		t.Errorf("three_ds %+v", c.ThreeDS)
	}
	// Time out on the page: error.
	c, it = e.challengedCharge(threeDSCard, `,"amount":1001`)
	e.acsForm(it, "timeout", "")
	wantStatus(t, e.getCharge(c.ID), api.ChargeError, api.PaymentErrorDeadlinePassed)
	// Time out by the clock: 15 minutes.
	c, _ = e.challengedCharge(threeDSCard, `,"amount":1002`)
	e.advance(14 * time.Minute)
	wantStatus(t, e.getCharge(c.ID), api.ChargeAwaiting, 0)
	e.advance(time.Minute)
	c = e.getCharge(c.ID)
	wantStatus(t, c, api.ChargeError, api.PaymentErrorDeadlinePassed)
	if *c.ThreeDS.Status != api.ThreeDSError {
		t.Errorf("three_ds %+v", c.ThreeDS)
	}
	// A 1111 card authenticates, then its authorization fails.
	c, it = e.challengedCharge("4111111111111111", `,"three_ds":{"mode":"force"}`)
	e.acsForm(it, "authenticate", "")
	e.settleAll()
	wantStatus(t, e.getCharge(c.ID), api.ChargeFailed, api.PaymentErrorGeneral)
	// The sandbox controls answer a challenge too.
	c, _ = e.challengedCharge(threeDSCard, `,"amount":1003`)
	var got api.Charge
	e.do("POST", "/sandbox/charges/"+c.ID+"/complete", e.secretAuth(), "").json(t, &got)
	wantStatus(t, got, api.ChargeSuccessful, 0)
	// capture=false: authorized after authentication.
	c, it = e.challengedCharge(threeDSCard, `,"amount":1004,"capture":false`)
	e.acsForm(it, "authenticate", "")
	wantStatus(t, e.getCharge(c.ID), api.ChargeAuthorized, 0)
}

func TestChargeThreeDSRule(t *testing.T) {
	e := newClockEnv(t)
	settled := func(number, extra string) api.Charge {
		t.Helper()
		c := e.createCharge(e.createToken(number, "one_time").ID, extra)
		e.settleAll()
		return e.getCharge(c.ID)
	}
	// No challenge: an ordinary card, or mode skip / provided on the test card.
	for _, tt := range []struct{ number, extra string }{
		{"4000020000000000", ""},
		{"4000020000000000", `,"three_ds":{"mode":"normal"}`},
		{threeDSCard, `,"three_ds":{"mode":"skip"}`},
		{threeDSCard, `,"three_ds":{"mode":"provided"}`},
	} {
		c := settled(tt.number, tt.extra+`,"amount":`+strings.Repeat("1", 4))
		wantStatus(t, c, api.ChargeSuccessful, 0)
		if c.ThreeDS != nil && c.ThreeDS.Status != nil {
			t.Errorf("%s %s: three_ds %+v", tt.number, tt.extra, c.ThreeDS)
		}
	}
	// force on any card; the redirect endpoint is kept with an ID.
	c, _ := e.challengedCharge("4000020000000000", `,"three_ds":{"mode":"force","redirect_endpoint":"https://shop.example/3ds?x=1"}`)
	if c.ThreeDS.Mode != api.ThreeDSForce || *c.ThreeDS.RedirectEndpoint != "https://shop.example/3ds?x=1" || c.ThreeDS.RedirectID == nil {
		t.Errorf("three_ds %+v", c.ThreeDS)
	}
	// The store's three_ds_required.
	e.enableMethods(`,"three_ds_required":true`)
	e.challengedCharge("4000020000000000", `,"amount":2000`)
	wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+e.createToken("4000020000000000", "one_time").ID+`","amount":1,"currency":"JPY","three_ds":{"mode":"sometimes"}}`),
		400, api.CodeValidationError, api.FieldError{Field: "three_ds.mode", Reason: api.ReasonInvalidFormat})
}

func TestThreeDSRedirect(t *testing.T) {
	e := newClockEnv(t)
	c, it := e.challengedCharge(threeDSCard, `,"metadata":{"order":"A-7"},"three_ds":{"redirect_endpoint":"https://shop.example/back?from=3ds"}`)
	r := e.acsForm(it, "authenticate", "")
	if r.code != http.StatusSeeOther {
		t.Fatalf("answer %d %s, want 303", r.code, r.body)
	}
	u, _ := url.Parse(r.header.Get("Location"))
	q := u.Query()
	if u.Host != "shop.example" || u.Path != "/back" || q.Get("from") != "3ds" || q.Get("order") != "A-7" ||
		q.Get("univapayChargeId") != c.ID || q.Get("univapayTokenId") != c.TransactionTokenID {
		t.Errorf("redirect to %s", u)
	}
}

func TestTokenThreeDS(t *testing.T) {
	e := newClockEnv(t)
	body := strings.Replace(cardTokenBody("4000020000000000", "recurring"), `"cvv":"123"`, `"cvv":"123","three_ds":{"enabled":true}`, 1)
	tok := e.postToken(e.secretAuth(), body)
	if d := tok.Data.ThreeDS; !d.Enabled || d.Status == nil || *d.Status != api.ThreeDSAwaiting {
		t.Fatalf("token three_ds %+v", d)
	}
	// Not chargeable until authenticated.
	wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`), 400,
		api.CodeValidationError, api.FieldError{Field: "transaction_token_id", Reason: api.ReasonInvalidThreeDSStatus})
	it := call[api.ThreeDSIssuerToken](e, 200, "GET", "/stores/"+e.demo.StoreID+"/tokens/"+tok.ID+"/three_ds/issuer_token", e.publicAuth(), "")
	done := e.acsForm(it, "authenticate", "en")
	if msg, want := postedMessage(t, done.body), (api.ThreeDSComplete{Type: api.ThreeDSCompleteMessage, Resource: "token", ID: tok.ID, Status: api.ThreeDSSuccessful}); msg != want {
		t.Errorf("posted %+v, want %+v", msg, want)
	}
	if d := e.getToken(tok.ID).Data.ThreeDS; *d.Status != api.ThreeDSSuccessful {
		t.Fatalf("after authenticate %+v", d)
	}
	// Charged without a second challenge, even on the store that requires one.
	e.enableMethods(`,"three_ds_required":true`)
	c := e.chargeYen(tok.ID, 1000)
	e.settleAll()
	wantStatus(t, e.getCharge(c.ID), api.ChargeSuccessful, 0)

	// Timed out by the clock.
	tok = e.postToken(e.secretAuth(), strings.Replace(cardTokenBody("4000020000000000", "recurring"), `"email"`, `"three_ds":{"mode":"force"},"email"`, 1))
	e.advance(15 * time.Minute)
	d := e.getToken(tok.ID).Data.ThreeDS
	if *d.Status != api.ThreeDSError || d.Error == nil || d.Error.Code != api.PaymentErrorDeadlinePassed {
		t.Errorf("timed out token three_ds %+v", d)
	}
	// Failed on the page.
	tok = e.postToken(e.secretAuth(), body)
	it = call[api.ThreeDSIssuerToken](e, 200, "GET", "/stores/"+e.demo.StoreID+"/tokens/"+tok.ID+"/three_ds/issuer_token", e.publicAuth(), "")
	e.acsForm(it, "fail", "")
	if d := e.getToken(tok.ID).Data.ThreeDS; *d.Status != api.ThreeDSFailed || d.Error.Code != api.PaymentErrorDeclined {
		t.Errorf("failed token three_ds %+v", d)
	}
	// Tampered or unknown sessions.
	for _, s := range []string{it.Payload["session"] + "x", "bm90LWEtc2Vzc2lvbg.AAAA", "x"} {
		if r := e.do("GET", "/sandbox/3ds/"+s, "", ""); r.code != http.StatusNotFound {
			t.Errorf("session %q: %d", s, r.code)
		}
	}
}
