package widget_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"kessai/api"
	"kessai/widget"
)

// ---------------------------------------------------------------- failures

func TestPaymentRunFailures(t *testing.T) {
	const (
		tc = "event " + widget.EventTokenCreated
		cc = "event " + widget.EventChargeCreated
		ve = "event " + widget.EventValidationError
		er = "event " + widget.EventError
	)
	cases := []struct {
		name    string
		token   error     // CreateToken error (nil = token created)
		charge  *flowStep // POST /charges answer (nil = not called)
		polls   []flowStep
		calls   []string
		kinds   []string
		stage   string
		code    string
		message string // detail.message and Outcome.Message
		errMsg  string // detail.error.error.message; "" = the message
		retry   bool
		fields  widget.FieldErrors // Outcome.Fields and the validation-error detail
		ids     string             // "", "t" or "tc": ids in the detail
		status  int                // detail.error.error.httpStatus (0 = absent)
		check   func(t *testing.T, d map[string]any)
	}{
		{
			name:    "declined at creation: failed 309",
			charge:  &flowStep{status: "failed", errObj: flowErr309},
			calls:   flowCalls(true, 0),
			kinds:   []string{tc, cc, er},
			stage:   widget.StageCharge,
			code:    "309",
			message: flowLocale.PaymentError(309),
			errMsg:  "Test charge failed purposely",
			retry:   true,
			ids:     "tc",
			check: func(t *testing.T, d map[string]any) {
				// error is the failed charge, camelCased, with its own error.
				flowWant(t, "error", d, "error.id", flowChargeID)
				flowWant(t, "error", d, "error.status", "failed")
				flowWant(t, "error", d, "error.error.code", 309)
				flowWant(t, "error", d, "error.transactionTokenId", flowTokenID)
				flowAbsent(t, "error", d, "error.transaction_token_id")
				flowWant(t, "error", d, "response.id", flowChargeID)
				flowWant(t, "error", d, "response.status", "failed")
			},
		},
		{
			name:    "declined after polling: pending, failed 309",
			charge:  &flowStep{status: "pending"},
			polls:   []flowStep{{status: "pending"}, {status: "failed", errObj: flowErr309}},
			calls:   flowCalls(true, 2),
			kinds:   []string{tc, cc, er},
			stage:   widget.StageCharge,
			code:    "309",
			message: flowLocale.PaymentError(309),
			errMsg:  "Test charge failed purposely",
			retry:   true,
			ids:     "tc",
			check: func(t *testing.T, d map[string]any) {
				flowWant(t, "error", d, "error.status", "failed")
				flowWant(t, "error", d, "response.status", "failed")
			},
		},
		{
			name:    "token VALIDATION_ERROR on data.card_number",
			token:   api.ValidationError(api.FieldError{Field: "data.card_number", Reason: api.ReasonInvalidCardNumber}),
			calls:   flowCalls(false, 0),
			kinds:   []string{ve, er},
			stage:   widget.StageToken,
			code:    api.CodeValidationError,
			message: flowLocale.APIError(api.CodeValidationError),
			retry:   true,
			fields:  widget.FieldErrors{widget.FieldCardNumber: widget.ErrCodeInvalidCardNumber},
			status:  400,
			check: func(t *testing.T, d map[string]any) {
				errs, _ := flowAt(d, "error.error.errors")
				want := []any{map[string]any{"field": "data.card_number", "reason": "INVALID_CARD_NUMBER"}}
				if !reflect.DeepEqual(errs, want) {
					t.Errorf("error.error.errors = %#v, want %#v", errs, want)
				}
			},
		},
		{
			name: "token VALIDATION_ERROR on expiry and cvv",
			token: api.ValidationError(
				api.FieldError{Field: "data.exp_year", Reason: api.ReasonInvalidCardExpiration},
				api.FieldError{Field: "data.cvv", Reason: api.ReasonInvalidCVV}),
			calls:   flowCalls(false, 0),
			kinds:   []string{ve, er},
			stage:   widget.StageToken,
			code:    api.CodeValidationError,
			message: flowLocale.APIError(api.CodeValidationError),
			retry:   true,
			fields:  widget.FieldErrors{widget.FieldExp: widget.ErrCodeInvalidExpiry, widget.FieldCVV: widget.ErrCodeInvalidCVV},
			status:  400,
		},
		{
			name:    "token VALIDATION_ERROR on a field not in the form: no validation-error event",
			token:   api.ValidationError(api.FieldError{Field: "metadata", Reason: api.ReasonNestedJSONNotAllowed}),
			calls:   flowCalls(false, 0),
			kinds:   []string{er},
			stage:   widget.StageToken,
			code:    api.CodeValidationError,
			message: flowLocale.APIError(api.CodeValidationError),
			retry:   true,
			status:  400,
		},
		{
			name:    "token INVALID_DOMAIN: not retryable",
			token:   api.NewError(401, api.CodeInvalidDomain),
			calls:   flowCalls(false, 0),
			kinds:   []string{er},
			stage:   widget.StageToken,
			code:    api.CodeInvalidDomain,
			message: "This site's domain is not registered for this app token.",
			retry:   false,
			status:  401,
			check: func(t *testing.T, d map[string]any) {
				flowAbsent(t, "error", d, "error.error.errors")
				flowAbsent(t, "error", d, "response")
			},
		},
		{
			name:    "token INVALID_APP_TOKEN: not retryable",
			token:   api.NewError(401, api.CodeInvalidAppToken),
			calls:   flowCalls(false, 0),
			kinds:   []string{er},
			stage:   widget.StageToken,
			code:    api.CodeInvalidAppToken,
			message: flowLocale.APIError(api.CodeInvalidAppToken),
			retry:   false,
			status:  401,
		},
		{
			name:    "token network error",
			token:   errors.New("TypeError: Failed to fetch"),
			calls:   flowCalls(false, 0),
			kinds:   []string{er},
			stage:   widget.StageToken,
			code:    widget.CodeNetwork,
			message: "A network error occurred. Please try again later.",
			retry:   true,
			check: func(t *testing.T, d map[string]any) {
				flowWant(t, "error", d, "error.error.code", widget.CodeNetwork)
				if s := fmt.Sprint(d); strings.Contains(s, "Failed to fetch") {
					t.Errorf("detail leaks the raw error text: %s", s)
				}
			},
		},
		{
			name:    "charge CARD_LOCKED: token id reported, no charge id",
			charge:  &flowStep{err: api.NewError(403, api.CodeCardLocked)},
			calls:   flowCalls(true, 0),
			kinds:   []string{tc, er},
			stage:   widget.StageCharge,
			code:    api.CodeCardLocked,
			message: flowLocale.APIError(api.CodeCardLocked),
			retry:   true,
			ids:     "t",
			status:  403,
		},
		{
			name:    "charge network error",
			charge:  &flowStep{err: fmt.Errorf("post /charges: %w", errors.New("connection reset"))},
			calls:   flowCalls(true, 0),
			kinds:   []string{tc, er},
			stage:   widget.StageCharge,
			code:    widget.CodeNetwork,
			message: flowLocale.T("error.network"),
			retry:   true,
			ids:     "t",
		},
		{
			name:    "4xx while polling is a failure",
			charge:  &flowStep{status: "pending"},
			polls:   []flowStep{{status: "pending"}, {err: api.NewError(404, api.CodeNotFound)}},
			calls:   flowCalls(true, 2),
			kinds:   []string{tc, cc, er},
			stage:   widget.StagePolling,
			code:    api.CodeNotFound,
			message: flowLocale.APIError(api.CodeNotFound),
			retry:   true,
			ids:     "tc",
			status:  404,
			check: func(t *testing.T, d map[string]any) {
				// the last charge seen is reported.
				flowWant(t, "error", d, "response.id", flowChargeID)
				flowWant(t, "error", d, "response.status", "pending")
			},
		},
		{
			name:    "wrapped *api.Error while polling is still an API error",
			charge:  &flowStep{status: "pending"},
			polls:   []flowStep{{err: fmt.Errorf("get charge: %w", api.NewError(401, api.CodeInvalidDomain))}},
			calls:   flowCalls(true, 1),
			kinds:   []string{tc, cc, er},
			stage:   widget.StagePolling,
			code:    api.CodeInvalidDomain,
			message: flowLocale.APIError(api.CodeInvalidDomain),
			retry:   false,
			ids:     "tc",
			status:  401,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := &flowClient{t: t}
			if c.token != nil {
				cl.CreateTokenFn = flowTokenErr(c.token)
			} else {
				cl.CreateTokenFn = flowTokenOK(t)
			}
			if c.charge != nil {
				cl.CreateChargeFn = flowChargeAs(t, *c.charge)
			}
			if c.polls != nil {
				cl.GetChargeFn = flowPoll(t, c.polls...)
			}
			out, rec := flowRun(t, context.Background(), flowOptions(t, nil), cl, flowCard, 0)

			if got := rec.kinds(); !reflect.DeepEqual(got, c.kinds) {
				t.Fatalf("messages = %v, want %v", got, c.kinds)
			}
			if !reflect.DeepEqual(cl.calls, c.calls) {
				t.Errorf("client calls = %v, want %v", cl.calls, c.calls)
			}

			// Outcome.
			if out.OK || out.Stage != c.stage || out.Code != c.code || out.Message != c.message || out.Retry != c.retry {
				t.Errorf("outcome OK=%t Stage=%q Code=%q Message=%q Retry=%t, want Stage=%q Code=%q Message=%q Retry=%t",
					out.OK, out.Stage, out.Code, out.Message, out.Retry, c.stage, c.code, c.message, c.retry)
			}
			if c.message == "" || strings.HasPrefix(c.message, "apiError.") || strings.HasPrefix(c.message, "error.") {
				t.Errorf("test expects an untranslated message %q", c.message)
			}
			if len(c.fields) > 0 || len(out.Fields) > 0 {
				if !reflect.DeepEqual(out.Fields, c.fields) {
					t.Errorf("Outcome.Fields = %v, want %v", out.Fields, c.fields)
				}
			}
			if out.Inputs != nil {
				t.Errorf("Outcome.Inputs = %v on failure", out.Inputs)
			}

			// validation-error detail: field -> error code.
			if len(c.fields) > 0 {
				want := map[string]any{}
				for f, code := range c.fields {
					want[f] = code
				}
				if got := rec.detail(widget.EventValidationError); !reflect.DeepEqual(got, want) {
					t.Errorf("validation-error detail = %v, want %v", got, want)
				}
			}

			// error detail.
			flowWant(t, "error", rec.event(widget.EventError), "callback", "onError")
			d := rec.detail(widget.EventError)
			flowWant(t, "error", d, "stage", c.stage)
			flowWant(t, "error", d, "code", c.code)
			flowWant(t, "error", d, "message", c.message)
			errMsg := c.errMsg
			if errMsg == "" {
				errMsg = c.message
			}
			flowWant(t, "error", d, "error.error.message", errMsg) // e.error.error.message (EC-CUBE)
			if strings.Contains(c.ids, "t") {
				flowWant(t, "error", d, "tokenId", flowTokenID)
			} else {
				flowAbsent(t, "error", d, "tokenId")
			}
			if strings.Contains(c.ids, "c") {
				flowWant(t, "error", d, "chargeId", flowChargeID)
			} else {
				flowAbsent(t, "error", d, "chargeId")
			}
			if c.status != 0 {
				flowWant(t, "error", d, "error.error.httpStatus", c.status)
				flowWant(t, "error", d, "error.error.code", c.code)
			} else {
				flowAbsent(t, "error", d, "error.error.httpStatus")
			}
			if c.check != nil {
				c.check(t, d)
			}
		})
	}
}

// The invariant of docs/widget.md, "Error detail": either way
// detail.error.error.message is readable, and code is the failure's code. A
// charge that ends in a non-success final status without an error object
// (canceled, or a status the flow does not handle) must still give onError
// something to show.
func TestPaymentRunFailedChargeWithoutErrorObject(t *testing.T) {
	for _, status := range []string{"canceled", "error"} {
		t.Run(status, func(t *testing.T) {
			cl := &flowClient{t: t, CreateTokenFn: flowTokenOK(t),
				CreateChargeFn: flowChargeAs(t, flowStep{status: "pending"}),
				GetChargeFn:    flowPoll(t, flowStep{status: status})}
			out, rec := flowRun(t, context.Background(), flowOptions(t, nil), cl, flowCard, 0)
			if got, want := rec.kinds(), []string{"event " + widget.EventTokenCreated, "event " + widget.EventChargeCreated, "event " + widget.EventError}; !reflect.DeepEqual(got, want) {
				t.Fatalf("messages = %v, want %v", got, want)
			}
			if out.OK || out.Message == "" {
				t.Errorf("outcome OK=%t Message=%q", out.OK, out.Message)
			}
			d := rec.detail(widget.EventError)
			flowWant(t, "error", d, "stage", widget.StageCharge)
			flowWant(t, "error", d, "chargeId", flowChargeID)

			var bugs []string
			if m, _ := flowAt(d, "error.error.message"); m == nil || m == "" {
				e, _ := flowAt(d, "error.error")
				bugs = append(bugs, fmt.Sprintf("detail.error.error.message not readable (detail.error.error = %#v)", e))
			}
			if out.Code == "" || d["code"] == "" {
				bugs = append(bugs, fmt.Sprintf("empty code (Outcome.Code=%q, detail.code=%#v)", out.Code, d["code"]))
			}
			if len(bugs) > 0 {
				t.Errorf("charge %s with error:null: %s", status, strings.Join(bugs, "; "))
			}
		})
	}
}

func TestPaymentRunPollingBudgetExhausted(t *testing.T) {
	cl := &flowClient{t: t, CreateTokenFn: flowTokenOK(t),
		CreateChargeFn: flowChargeAs(t, flowStep{status: "pending"}),
		GetChargeFn:    flowPoll(t, flowStep{status: "pending"}, flowStep{status: "pending"}, flowStep{status: "pending"})}
	out, rec := flowRun(t, context.Background(), flowOptions(t, nil), cl, flowCard, 3)
	if got, want := rec.kinds(), []string{"event " + widget.EventTokenCreated, "event " + widget.EventChargeCreated, "event " + widget.EventError}; !reflect.DeepEqual(got, want) {
		t.Fatalf("messages = %v, want %v", got, want)
	}
	if want := flowCalls(true, 3); !reflect.DeepEqual(cl.calls, want) {
		t.Errorf("client calls = %v, want %v (MaxPolls=3)", cl.calls, want)
	}
	// The code as UnivaPay's widget documentation names it.
	if out.OK || out.Stage != "polling" || out.Code != "POLLING_TIMEOUT" || out.Message == "" {
		t.Errorf("outcome OK=%t Stage=%q Code=%q Message=%q", out.OK, out.Stage, out.Code, out.Message)
	}
	d := rec.detail(widget.EventError)
	flowWant(t, "error", d, "stage", widget.StagePolling)
	flowWant(t, "error", d, "code", "POLLING_TIMEOUT")
	flowWant(t, "error", d, "tokenId", flowTokenID)
	flowWant(t, "error", d, "chargeId", flowChargeID)
	flowWant(t, "error", d, "response.status", "pending")
	flowWant(t, "error", d, "error.error.message", out.Message)
}

// 5xx, 429 and network failures of a polling GET are retried
// (docs/widget.md, "API calls"), not reported as a payment failure.
func TestPaymentRunPollingRetries(t *testing.T) {
	cases := []struct {
		name  string
		polls []flowStep
	}{
		{"503 then successful", []flowStep{{err: api.NewError(503, api.CodeInternalError)}, {status: "successful"}}},
		{"500 then successful", []flowStep{{err: api.NewError(500, api.CodeInternalError)}, {status: "successful"}}},
		{"network error then successful", []flowStep{{err: errors.New("Failed to fetch")}, {status: "successful"}}},
		{"429 then successful", []flowStep{{err: api.NewError(429, "TOO_MANY_REQUESTS")}, {status: "successful"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cl := &flowClient{t: t, CreateTokenFn: flowTokenOK(t),
				CreateChargeFn: flowChargeAs(t, flowStep{status: "pending"}),
				GetChargeFn:    flowPoll(t, c.polls...)}
			out, rec := flowRun(t, context.Background(), flowOptions(t, nil), cl, flowCard, 0)
			want := []string{"event " + widget.EventTokenCreated, "event " + widget.EventChargeCreated, "inputs", "event " + widget.EventSuccess}
			if got := rec.kinds(); !reflect.DeepEqual(got, want) {
				t.Fatalf("messages = %v, want %v", got, want)
			}
			if w := flowCalls(true, len(c.polls)); !reflect.DeepEqual(cl.calls, w) {
				t.Errorf("client calls = %v, want %v", cl.calls, w)
			}
			if !out.OK {
				t.Errorf("outcome = %+v, want OK", out)
			}
			flowWant(t, "success", rec.detail(widget.EventSuccess), "status", "successful")
		})
	}

	t.Run("canceled context stops the retry wait", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		cl := &flowClient{t: t, CreateTokenFn: flowTokenOK(t),
			CreateChargeFn: flowChargeAs(t, flowStep{status: "pending"}),
			GetChargeFn:    flowPoll(t, flowStep{err: api.NewError(503, api.CodeInternalError)})}
		start := time.Now()
		out, rec := flowRun(t, ctx, flowOptions(t, nil), cl, flowCard, 0)
		if el := time.Since(start); el > time.Second {
			t.Errorf("Run took %v after the context was canceled", el)
		}
		want := []string{"event " + widget.EventTokenCreated, "event " + widget.EventChargeCreated, "event " + widget.EventError}
		if got := rec.kinds(); !reflect.DeepEqual(got, want) {
			t.Fatalf("messages = %v, want %v", got, want)
		}
		if out.OK || out.Stage != widget.StagePolling {
			t.Errorf("outcome OK=%t Stage=%q", out.OK, out.Stage)
		}
		d := rec.detail(widget.EventError)
		flowWant(t, "error", d, "chargeId", flowChargeID)
		flowWant(t, "error", d, "tokenId", flowTokenID)
		flowWantString(t, "error", d, "error.error.message")
	})
}
