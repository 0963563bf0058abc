package server

import (
	"net/http"
	"testing"
	"time"

	"kessai/api"
)

// The charge webhooks of every transition of the payment methods and of
// 3-D Secure (docs/payment-methods.md, "Webhooks"), with the harness of
// events_test.go: each step delivers exactly the events listed, each
// carrying the resource as GET returns it.
func TestPaymentMethodEvents(t *testing.T) {
	var (
		tokenCreated = api.EventTokenCreated
		tokenUpdated = api.EventTokenUpdated
		chUpdated    = api.EventChargeUpdated
		chFinished   = api.EventChargeFinished
		cnFinished   = api.EventCancelFinished
	)
	step := func(name string, do func(f *evFlow), ws ...evWant) evStep { return evStep{name, do, ws} }
	clock := func(d time.Duration) func(f *evFlow) { return func(f *evFlow) { f.e.advance(d) } }
	token := func(body string) func(f *evFlow) {
		return func(f *evFlow) {
			var tok api.TransactionToken
			f.call("POST", "/tokens", body, http.StatusCreated).json(f.t, &tok)
			f.add("t", "token", tok.ID, f.tokenPath(tok.ID))
		}
	}
	charge := func(extra string) func(f *evFlow) { return func(f *evFlow) { f.charge("c", "t", extra) } }
	control := func(action, body string) func(f *evFlow) {
		return func(f *evFlow) { f.call("POST", "/sandbox/charges/"+f.ids["c"]+"/"+action, body, 200) }
	}
	get := func(suffix string, code int) func(f *evFlow) {
		return func(f *evFlow) { f.call("GET", f.path["c"]+suffix, "", code) }
	}
	awaiting := string(api.ChargeAwaiting)

	for _, tt := range []struct {
		name  string
		steps []evStep
	}{
		{"konbini: awaiting, paid ten minutes later", []evStep{
			step("token", token(konbiniBody("family_mart", "09012345678", "")), want(tokenCreated, "t")),
			step("charge", charge("")),
			step("application", clock(time.Second), want(chUpdated, "c", awaiting)),
			step("nine minutes", clock(9*time.Minute)),
			step("paid", clock(time.Minute), want(chFinished, "c", string(api.ChargeSuccessful))),
		}},
		{"konbini: deadline passed", []evStep{
			step("token", token(konbiniBody("family_mart", "09012345678", "")), want(tokenCreated, "t")),
			step("charge due in five minutes", func(f *evFlow) {
				f.charge("c", "t", `,"capture_at":"`+api.FormatTime(f.e.storeNow().Add(5*time.Minute))+`"`)
			}),
			step("application", clock(time.Second), want(chUpdated, "c", awaiting)),
			step("deadline", clock(5*time.Minute), want(chFinished, "c", string(api.ChargeFailed))),
		}},
		{"konbini: canceled", []evStep{
			step("token", token(konbiniBody("lawson", "09012345678", "")), want(tokenCreated, "t")),
			step("charge", charge("")),
			step("application", clock(time.Second), want(chUpdated, "c", awaiting)),
			step("cancel", func(f *evFlow) { f.cancel("n", "c") }),
			step("canceled", clock(time.Second), want(chFinished, "c", string(api.ChargeCanceled)), want(cnFinished, "n")),
			step("no payment after a cancel", clock(time.Hour)),
		}},
		{"bank transfer: deposits", []evStep{
			step("token", token(bankBody("one_time", "")), want(tokenCreated, "t")),
			step("charge", charge("")),
			step("application", clock(time.Second), want(chUpdated, "c", awaiting)),
			step("insufficient deposit: no event", control("deposit", `{"amount":300}`)),
			step("the rest", control("deposit", `{"amount":700}`), want(chFinished, "c", string(api.ChargeSuccessful))),
		}},
		{"bank transfer: test buyer after the issuer token", []evStep{
			step("token", token(bankBody("one_time", "")), want(tokenCreated, "t")),
			step("charge", charge("")),
			step("application", clock(time.Second), want(chUpdated, "c", awaiting)),
			step("issuer token", get("/issuer_token", 200)),
			step("paid", clock(10*time.Minute), want(chFinished, "c", string(api.ChargeSuccessful))),
		}},
		{"online: paid at the issuer token", []evStep{
			step("token", token(onlineBody("pay_pay_online", "")), want(tokenCreated, "t")),
			step("charge", charge("")),
			step("awaiting", clock(time.Second), want(chUpdated, "c", awaiting)),
			step("issuer token", get("/issuer_token", 200), want(chFinished, "c", string(api.ChargeSuccessful))),
		}},
		{"online: expired by the control", []evStep{
			step("token", token(onlineBody("pay_pay_online", "")), want(tokenCreated, "t")),
			step("charge", charge("")),
			step("awaiting", clock(time.Second), want(chUpdated, "c", awaiting)),
			step("expire", control("expire", ""), want(chFinished, "c", string(api.ChargeFailed))),
		}},
		{"3-D Secure charge: authenticated", []evStep{
			step("token", token(cardTokenBody(threeDSCard, "one_time")), want(tokenCreated, "t")),
			step("charge", charge("")),
			step("challenge", clock(time.Second), want(chUpdated, "c", awaiting)),
			step("authenticated", control("complete", ""), want(chFinished, "c", string(api.ChargeSuccessful))),
		}},
		{"3-D Secure charge: timed out", []evStep{
			step("token", token(cardTokenBody(threeDSCard, "one_time")), want(tokenCreated, "t")),
			step("charge", charge("")),
			step("challenge", clock(time.Second), want(chUpdated, "c", awaiting)),
			step("time out", clock(threeDSTimeout), want(chFinished, "c", string(api.ChargeError))),
		}},
		{"3-D Secure token: timed out", []evStep{
			step("token", token(`{"payment_type":"card","type":"recurring","email":"a@example.com","three_ds":{"mode":"force"},
				"data":{"cardholder":"TARO YAMADA","card_number":"4000020000000000","exp_month":"12","exp_year":"2099","cvv":"123"}}`),
				want(tokenCreated, "t")),
			step("time out", clock(threeDSTimeout), want(tokenUpdated, "t")),
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newClockEnv(t)
			e.enableMethods()
			f := &evFlow{t: t, e: e, ids: map[string]string{}, path: map[string]string{}, kind: map[string]string{}}
			f.run(newEventSink(e), tt.steps)
		})
	}
}
