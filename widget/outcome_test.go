package widget_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"kessai/api"
	"kessai/widget"
)

// ---------------------------------------------------------------- submit()

func TestOutcomeSubmitValue(t *testing.T) {
	cases := []struct {
		name    string
		attrs   map[string]any
		payment bool
	}{
		{"payment", nil, true},
		{"checkout=token", map[string]any{"data-checkout": "token"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := &flowClient{t: t, CreateTokenFn: flowTokenOK(t)}
			if c.payment {
				cl.CreateChargeFn = flowChargeAs(t, flowStep{status: "pending"})
				cl.GetChargeFn = flowPoll(t, flowStep{status: "successful"})
			}
			out, rec := flowRun(t, context.Background(), flowOptions(t, c.attrs), cl, flowCard, 0)
			if !out.OK {
				t.Fatalf("payment failed: %+v", out)
			}
			msg := flowDecode(t, widget.Result{Type: widget.MsgResult, OK: true, Value: out.SubmitValue("conn-7")})
			flowWant(t, "result", msg, "type", "result")
			flowWant(t, "result", msg, "ok", true)
			v, ok := msg["value"].(map[string]any)
			if !ok {
				t.Fatalf("result value = %#v", msg["value"])
			}
			// The id strings integrations read (docs/widget.md, "submit()").
			flowWant(t, "submit", v, "token", flowTokenID)
			flowWant(t, "submit", v, "transactionToken", flowTokenID)
			flowWant(t, "submit", v, "connectorId", "conn-7")
			flowWant(t, "submit", v, "tokenData.id", flowTokenID)
			flowWant(t, "submit", v, "tokenData.email", "taro@example.com")
			flowWant(t, "submit", v, "tokenData.data.card.lastFour", "4242")
			flowAbsent(t, "submit", v, "tokenData.payment_type")
			if c.payment {
				flowWant(t, "submit", v, "charge", flowChargeID)
			} else {
				flowAbsent(t, "submit", v, "charge")
			}
			// Plus every key of the success detail.
			succ := rec.detail(widget.EventSuccess)
			for k, x := range succ {
				switch k {
				case "token", "charge": // replaced by the id strings
					continue
				}
				if got, ok := v[k]; !ok || !reflect.DeepEqual(got, x) {
					t.Errorf("submit value %s = %#v, want success detail's %#v", k, got, x)
				}
			}
			for _, k := range []string{"resourceType", "tokenId", "paymentType", "brand", "response"} {
				if _, ok := v[k]; !ok {
					t.Errorf("submit value lacks %s", k)
				}
			}
			if c.payment {
				flowWant(t, "submit", v, "chargeId", flowChargeID)
				flowWant(t, "submit", v, "status", "successful")
				flowWant(t, "submit", v, "response.id", flowChargeID)
			} else {
				flowWant(t, "submit", v, "response.id", flowTokenID)
				flowWant(t, "submit", v, "response.paymentType", "card")
			}
		})
	}
}

func TestOutcomeSubmitError(t *testing.T) {
	type run struct {
		token  error
		charge *flowStep
		polls  []flowStep
		in     widget.CardInput
	}
	bad := flowCard
	bad.CardNumber = "4242424242424241"
	bad.Email = "taro@"
	cases := []struct {
		name  string
		run   run
		check func(t *testing.T, e map[string]any)
	}{
		{"client validation", run{in: bad}, func(t *testing.T, e map[string]any) {
			flowWant(t, "reject", e, "type", "validation")
			flowWant(t, "reject", e, "code", widget.CodeValidation)
			flowWant(t, "reject", e, "message", flowLocale.T("error.validation"))
			data, _ := e["data"].(map[string]any)
			want := map[string]any{
				widget.FieldCardNumber: flowLocale.FieldError(widget.FieldCardNumber, widget.ErrCodeInvalidCardNumber),
				widget.FieldEmail:      flowLocale.FieldError(widget.FieldEmail, widget.ErrCodeInvalidEmail),
			}
			if !reflect.DeepEqual(data, want) {
				t.Errorf("data = %#v, want only the failing fields %#v", data, want)
			}
			for f, m := range data {
				if s, _ := m.(string); s == "" || strings.HasPrefix(s, "validation.") {
					t.Errorf("data.%s = %#v, want a localized message", f, m)
				}
			}
		}},
		{"declined 309", run{charge: &flowStep{status: "failed", errObj: flowErr309}}, func(t *testing.T, e map[string]any) {
			flowWant(t, "reject", e, "type", "api")
			flowWant(t, "reject", e, "code", "309")
			flowWant(t, "reject", e, "message", flowLocale.PaymentError(309))
			flowWant(t, "reject", e, "error.error.message", "Test charge failed purposely")
			flowWant(t, "reject", e, "tokenId", flowTokenID)
			flowWant(t, "reject", e, "chargeId", flowChargeID)
			flowAbsent(t, "reject", e, "data")
		}},
		{"INVALID_DOMAIN", run{token: api.NewError(401, api.CodeInvalidDomain)}, func(t *testing.T, e map[string]any) {
			flowWant(t, "reject", e, "type", "api")
			flowWant(t, "reject", e, "code", api.CodeInvalidDomain)
			flowWant(t, "reject", e, "message", flowLocale.APIError(api.CodeInvalidDomain))
			flowWant(t, "reject", e, "error.error.message", flowLocale.APIError(api.CodeInvalidDomain))
			flowAbsent(t, "reject", e, "tokenId")
		}},
		{"network error", run{token: errors.New("offline")}, func(t *testing.T, e map[string]any) {
			flowWant(t, "reject", e, "type", "api")
			flowWant(t, "reject", e, "code", widget.CodeNetwork)
			flowWant(t, "reject", e, "message", flowLocale.T("error.network"))
			flowWant(t, "reject", e, "error.error.message", flowLocale.T("error.network"))
		}},
		{"polling 4xx", run{charge: &flowStep{status: "pending"}, polls: []flowStep{{err: api.NewError(404, api.CodeNotFound)}}}, func(t *testing.T, e map[string]any) {
			flowWant(t, "reject", e, "type", "api")
			flowWant(t, "reject", e, "code", api.CodeNotFound)
			flowWant(t, "reject", e, "stage", widget.StagePolling)
			flowWantString(t, "reject", e, "message")
			flowWantString(t, "reject", e, "error.error.message")
			flowWant(t, "reject", e, "tokenId", flowTokenID)
			flowWant(t, "reject", e, "chargeId", flowChargeID)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := &flowClient{t: t}
			if c.run.token != nil {
				cl.CreateTokenFn = flowTokenErr(c.run.token)
			} else {
				cl.CreateTokenFn = flowTokenOK(t)
			}
			if c.run.charge != nil {
				cl.CreateChargeFn = flowChargeAs(t, *c.run.charge)
			}
			if c.run.polls != nil {
				cl.GetChargeFn = flowPoll(t, c.run.polls...)
			}
			in := c.run.in
			if reflect.DeepEqual(in, widget.CardInput{}) {
				in = flowCard
			}
			out, _ := flowRun(t, context.Background(), flowOptions(t, nil), cl, in, 0)
			if out.OK {
				t.Fatalf("payment succeeded: %+v", out)
			}
			msg := flowDecode(t, widget.Result{Type: widget.MsgResult, OK: false, Error: out.SubmitError(flowLocale)})
			flowAbsent(t, "result", msg, "value")
			e, ok := msg["error"].(map[string]any)
			if !ok {
				t.Fatalf("result error = %#v", msg["error"])
			}
			flowWantString(t, "reject", e, "message") // pages show 'エラー: ' + error.message
			flowWantString(t, "reject", e, "code")
			c.check(t, e)
		})
	}
}

// docs/widget.md, "submit()": when the API call or the payment fails, the
// reject value has type "api", status, errors, the ids created so far, and
// the keys of the univapay:error detail, so that e.error.error.message is
// readable. These check the parts SubmitError leaves out.
func TestOutcomeSubmitErrorAPIStatusAndErrors(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		status int
	}{
		{"INVALID_DOMAIN", api.NewError(401, api.CodeInvalidDomain), 401},
		{"server VALIDATION_ERROR on card_number", api.ValidationError(api.FieldError{Field: "data.card_number", Reason: api.ReasonInvalidCardNumber}), 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := &flowClient{t: t, CreateTokenFn: flowTokenErr(c.err)}
			out, rec := flowRun(t, context.Background(), flowOptions(t, nil), cl, flowCard, 0)
			// The univapay:error event does fire, with a readable message.
			flowWantString(t, "error", rec.detail(widget.EventError), "error.error.message")
			e := flowDecode(t, widget.Result{Type: widget.MsgResult, Error: out.SubmitError(flowLocale)})["error"].(map[string]any)
			flowWantString(t, "reject", e, "message")

			var bugs []string
			if st, _ := flowAt(e, "status"); fmt.Sprint(st) != fmt.Sprint(c.status) {
				bugs = append(bugs, fmt.Sprintf("status = %#v, want %d", st, c.status))
			}
			if errs, ok := flowAt(e, "errors"); !ok {
				bugs = append(bugs, "errors missing")
			} else if _, isList := errs.([]any); !isList {
				bugs = append(bugs, fmt.Sprintf("errors = %#v, want a list", errs))
			}
			if m, _ := flowAt(e, "error.error.message"); m == nil || m == "" {
				bugs = append(bugs, "error.error.message not readable")
			}
			if len(bugs) > 0 {
				keys := make([]string, 0, len(e))
				for k := range e {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				t.Errorf("SubmitError for an API failure: %s; reject value keys %v", strings.Join(bugs, "; "), keys)
			}
		})
	}
}

// ---------------------------------------------------------------- ConfigError / APIFailure

func TestConfigError(t *testing.T) {
	problems := widget.Problems{
		{Param: "amount", Reason: "must be an integer ≥ 0"},
		{Param: "currency", Reason: "must be 3 letters"},
	}
	out := widget.ConfigError(flowLocale, problems)
	wantMsg := "Configuration error: amount"
	if out.OK || out.Stage != widget.StageConfig || out.Code != widget.CodeInvalidConfiguration || out.Message != wantMsg || out.Retry {
		t.Errorf("outcome OK=%t Stage=%q Code=%q Message=%q Retry=%t", out.OK, out.Stage, out.Code, out.Message, out.Retry)
	}
	ev := flowDecode(t, widget.NewEvent(widget.EventError, out.Detail))
	flowWant(t, "config", ev, "name", widget.EventError)
	flowWant(t, "config", ev, "callback", "onError")
	d, _ := ev["detail"].(map[string]any)
	flowWant(t, "config", d, "stage", "config")
	flowWant(t, "config", d, "code", "INVALID_CONFIGURATION")
	flowWant(t, "config", d, "message", wantMsg)
	flowWant(t, "config", d, "error.error.code", "INVALID_CONFIGURATION")
	flowWant(t, "config", d, "error.error.message", wantMsg)
	errs, _ := flowAt(d, "error.error.errors")
	want := []any{
		map[string]any{"field": "amount", "reason": "must be an integer ≥ 0"},
		map[string]any{"field": "currency", "reason": "must be 3 letters"},
	}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("error.error.errors = %#v, want %#v", errs, want)
	}
	flowAbsent(t, "config", d, "tokenId")
	flowAbsent(t, "config", d, "chargeId")

	// submit() rejects with a readable message too.
	e := flowDecode(t, widget.Result{Type: widget.MsgResult, Error: out.SubmitError(flowLocale)})["error"]
	flowWant(t, "reject", e, "code", "INVALID_CONFIGURATION")
	flowWant(t, "reject", e, "message", wantMsg)
	flowWant(t, "reject", e, "error.error.message", wantMsg)
}

func TestAPIFailure(t *testing.T) {
	cases := []struct {
		name    string
		err     error
		code    string
		message string
		status  int // 0 = no httpStatus
	}{
		{"INVALID_DOMAIN", api.NewError(401, api.CodeInvalidDomain), api.CodeInvalidDomain,
			"This site's domain is not registered for this app token.", 401},
		{"wrapped *api.Error", fmt.Errorf("checkout_info: %w", api.NewError(503, api.CodeInternalError)), api.CodeInternalError,
			flowLocale.APIError(api.CodeInternalError), 503},
		{"network error", errors.New("Failed to fetch"), widget.CodeNetwork, "A network error occurred. Please try again later.", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := widget.APIFailure(flowLocale, widget.StageCheckoutInfo, c.err)
			if out.OK || out.Stage != widget.StageCheckoutInfo || out.Code != c.code || out.Message != c.message {
				t.Errorf("outcome OK=%t Stage=%q Code=%q Message=%q, want Code=%q Message=%q", out.OK, out.Stage, out.Code, out.Message, c.code, c.message)
			}
			ev := flowDecode(t, widget.NewEvent(widget.EventError, out.Detail))
			d, _ := ev["detail"].(map[string]any)
			flowWant(t, "api failure", d, "stage", "checkout_info")
			flowWant(t, "api failure", d, "code", c.code)
			flowWant(t, "api failure", d, "message", c.message)
			flowWant(t, "api failure", d, "error.error.code", c.code)
			flowWant(t, "api failure", d, "error.error.message", c.message)
			if c.status != 0 {
				flowWant(t, "api failure", d, "error.error.httpStatus", c.status)
			} else {
				flowAbsent(t, "api failure", d, "error.error.httpStatus")
			}
		})
	}
}
