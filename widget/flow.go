package widget

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"kessai/api"
)

// Client is the REST API as the widget uses it. The wasm app implements it
// with the browser's fetch; tests implement it over httptest.
//
// Errors the API answered with are *api.Error; anything else is a network
// failure.
type Client interface {
	CheckoutInfo(ctx context.Context) (api.CheckoutInfo, error)
	CreateToken(ctx context.Context, req api.TokenCreateRequest) (Object[api.TransactionToken], error)
	CreateCharge(ctx context.Context, req api.ChargeCreateRequest) (Object[api.Charge], error)
	// GetCharge reads a charge; with polling the server waits (up to about
	// three seconds) for its status to leave pending.
	GetCharge(ctx context.Context, storeID, chargeID string, polling bool) (Object[api.Charge], error)
}

// Object is an API resource decoded into its Go type, with the JSON it came
// as: event details carry the whole object, camelCased, not just the fields
// the widget reads.
type Object[T any] struct {
	Value T
	Raw   json.RawMessage
}

// Stages of a failure, reported as univapay:error detail.stage.
const (
	StageConfig       = "config"
	StageCheckoutInfo = "checkout_info"
	StageToken        = "token"
	StageCharge       = "charge"
	StagePolling      = "polling"
)

// Widget error codes (beside the API's and the payment error numbers).
const (
	CodeInvalidConfiguration = "INVALID_CONFIGURATION"
	CodeValidation           = "VALIDATION_ERROR"
	CodeNetwork              = "NETWORK_ERROR"
)

// Payment runs one card payment (or token creation, for checkout=token):
// validate the buyer's input, create the transaction token, create the
// charge, poll it to a final status. It reports every step to the loader
// through Emit, in the order of widget.md §4.1.
type Payment struct {
	Options Options
	Locale  Locale
	Client  Client
	// Emit posts a message (a value of this package's message types) to the
	// loader.
	Emit func(msg any)
	// Rules narrow what the card form accepts (from checkout_info).
	Rules CardRules
	// Now is the clock for expiry checks; time.Now when nil.
	Now func() time.Time
	// MaxPolls bounds the polling loop; 20 when zero.
	MaxPolls int
	// RetryWait is the pause before polling again after a 5xx, a 429 or a
	// network failure; 2 s when zero.
	RetryWait time.Duration
}

// Outcome is what a Payment ended with: what the screen shows and what
// UnivapayCheckout.submit() settles with.
type Outcome struct {
	OK bool
	// Stage, Code and Message describe a failure; Message is localised.
	Stage, Code, Message string
	// Fields holds the buyer's input errors (field -> error code).
	Fields FieldErrors
	// HTTPStatus and APIErrors describe a request the API refused.
	HTTPStatus int
	APIErrors  []api.FieldError
	// Retry tells whether the buyer can correct the input or try another
	// card in the same form.
	Retry  bool
	Token  *Object[api.TransactionToken]
	Charge *Object[api.Charge]
	// Inputs are the hidden inputs put into the merchant form on success.
	Inputs map[string]string
	// Detail is the univapay:success or univapay:error event detail.
	Detail map[string]any
}

// Run pays with the buyer's card input.
func (p *Payment) Run(ctx context.Context, in CardInput) Outcome {
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	if errs := ValidateCard(in, now(), p.Rules); len(errs) > 0 {
		p.Emit(NewEvent(EventValidationError, errs))
		return Outcome{Stage: StageToken, Code: CodeValidation, Message: p.Locale.T("error.validation"), Fields: errs, Retry: true}
	}

	tok, err := p.Client.CreateToken(ctx, TokenRequest(p.Options, in))
	if err != nil {
		return p.fail(StageToken, err, nil, nil)
	}
	p.Emit(NewEvent(EventTokenCreated, map[string]any{"tokenId": tok.Value.ID, "response": camel(tok.Raw)}))

	if p.Options.Checkout == CheckoutToken {
		inputs := map[string]string{ResultFieldName(p.Options, ResultToken): tok.Value.ID}
		detail := map[string]any{
			"resourceType": ResultToken,
			"tokenId":      tok.Value.ID,
			"paymentType":  string(tok.Value.PaymentType),
			"brand":        cardBrand(tok.Value),
			"response":     camel(tok.Raw),
			"token":        camel(tok.Raw),
		}
		return p.succeed(Outcome{Token: &tok, Inputs: inputs, Detail: detail})
	}

	ch, err := p.Client.CreateCharge(ctx, ChargeRequest(p.Options, tok.Value.ID))
	if err != nil {
		return p.fail(StageCharge, err, &tok, nil)
	}
	p.Emit(NewEvent(EventChargeCreated, map[string]any{"chargeId": ch.Value.ID, "tokenId": tok.Value.ID, "response": camel(ch.Raw)}))

	max := p.MaxPolls
	if max == 0 {
		max = 20
	}
	wait := p.RetryWait
	if wait == 0 {
		wait = 2 * time.Second
	}
	for i := 0; ch.Value.Status == api.ChargePending && i < max; i++ {
		next, err := p.Client.GetCharge(ctx, ch.Value.StoreID, ch.Value.ID, true)
		if err != nil {
			var apiErr *api.Error
			if errors.As(err, &apiErr) && apiErr.Status < 500 && apiErr.Status != 429 {
				return p.fail(StagePolling, err, &tok, &ch)
			}
			// 5xx, rate limits and network failures on a GET are not payment
			// failures (widget.md §6.1): wait and poll again.
			select {
			case <-ctx.Done():
				return p.fail(StagePolling, ctx.Err(), &tok, &ch)
			case <-time.After(wait):
			}
			continue
		}
		ch = next
	}

	switch ch.Value.Status {
	case api.ChargeSuccessful, api.ChargeAuthorized:
		inputs := map[string]string{
			ResultFieldName(p.Options, ResultToken):  tok.Value.ID,
			ResultFieldName(p.Options, ResultCharge): ch.Value.ID,
		}
		detail := map[string]any{
			"resourceType": ResultCharge,
			"tokenId":      tok.Value.ID,
			"chargeId":     ch.Value.ID,
			"status":       string(ch.Value.Status),
			"paymentType":  string(tok.Value.PaymentType),
			"brand":        cardBrand(tok.Value),
			// Integrations read result.response.paymentType (compat.md);
			// a charge has no payment type of its own, its token has.
			"response": withPaymentType(ch.Raw, tok.Value.PaymentType),
			"token":    camel(tok.Raw),
			"charge":   camel(ch.Raw),
		}
		return p.succeed(Outcome{Token: &tok, Charge: &ch, Inputs: inputs, Detail: detail})
	case api.ChargePending:
		return p.finish(Outcome{Stage: StagePolling, Code: "TIMEOUT", Message: p.Locale.T("error.pending"), Token: &tok, Charge: &ch,
			Detail: p.errorDetail(StagePolling, "TIMEOUT", p.Locale.T("error.pending"), &tok, &ch, nil)})
	default:
		if e := ch.Value.Error; e != nil {
			// A failed charge: its own error object carries the payment
			// error, so detail.error is the charge.
			code, msg := strconv.Itoa(e.Code), p.Locale.PaymentError(e.Code)
			return p.finish(Outcome{Stage: StageCharge, Code: code, Message: msg, Retry: true, Token: &tok, Charge: &ch,
				Detail: p.errorDetail(StageCharge, code, msg, &tok, &ch, camel(ch.Raw))})
		}
		// Ended without an error object (canceled, error, or a status this
		// flow does not handle): name the status.
		code, msg := "CHARGE_"+strings.ToUpper(string(ch.Value.Status)), p.Locale.T("error.declined")
		return p.finish(Outcome{Stage: StageCharge, Code: code, Message: msg, Retry: true, Token: &tok, Charge: &ch,
			Detail: p.errorDetail(StageCharge, code, msg, &tok, &ch, nil)})
	}
}

// succeed puts the result ids into the merchant form and fires
// univapay:success, in that order, so that the inputs are there when a
// listener or callback looks.
func (p *Payment) succeed(o Outcome) Outcome {
	o.OK = true
	p.Emit(Inputs{Type: MsgInputs, Fields: o.Inputs})
	p.Emit(NewEvent(EventSuccess, o.Detail))
	return o
}

func (p *Payment) finish(o Outcome) Outcome {
	p.Emit(NewEvent(EventError, o.Detail))
	return o
}

// fail reports an API or network error at stage.
func (p *Payment) fail(stage string, err error, tok *Object[api.TransactionToken], ch *Object[api.Charge]) Outcome {
	o := Outcome{Stage: stage, Token: tok, Charge: ch}
	var apiErr *api.Error
	switch {
	case errors.As(err, &apiErr):
		o.Code = apiErr.Code
		o.Message = p.Locale.APIError(apiErr.Code)
		o.HTTPStatus, o.APIErrors = apiErr.Status, apiErr.Errors
		if apiErr.Code == api.CodeValidationError {
			o.Fields = FieldErrorsFromAPI(apiErr.Errors)
			o.Retry = true
			if len(o.Fields) > 0 {
				p.Emit(NewEvent(EventValidationError, o.Fields))
			}
		}
		o.Retry = o.Retry || retryable(apiErr.Code)
		e := map[string]any{"httpStatus": apiErr.Status, "code": apiErr.Code, "message": o.Message}
		if len(apiErr.Errors) > 0 {
			e["errors"] = apiErr.Errors
		}
		o.Detail = p.errorDetail(stage, o.Code, o.Message, tok, ch, map[string]any{"error": e})
	default:
		o.Code, o.Message, o.Retry = CodeNetwork, p.Locale.T("error.network"), true
		o.Detail = p.errorDetail(stage, o.Code, o.Message, tok, ch, map[string]any{"error": map[string]any{"code": o.Code, "message": o.Message}})
	}
	return p.finish(o)
}

// errorDetail builds the univapay:error detail of widget.md §4.1: errObj is
// the failed resource (a failed charge, whose own "error" holds the payment
// error) or {"error": {...}}, so that detail.error.error.message is readable
// either way.
func (p *Payment) errorDetail(stage, code, msg string, tok *Object[api.TransactionToken], ch *Object[api.Charge], errObj any) map[string]any {
	d := map[string]any{"stage": stage, "code": code, "message": msg}
	if errObj == nil {
		errObj = map[string]any{"error": map[string]any{"code": code, "message": msg}}
	}
	d["error"] = errObj
	if tok != nil {
		d["tokenId"] = tok.Value.ID
	}
	if ch != nil {
		d["chargeId"] = ch.Value.ID
		d["response"] = camel(ch.Raw)
	}
	return d
}

// ConfigError builds the outcome of invalid merchant options (widget.md
// §5.2): univapay:error with stage "config" and the offending parameters.
func ConfigError(l Locale, problems Problems) Outcome {
	fields := make([]api.FieldError, 0, len(problems))
	for _, pr := range problems {
		fields = append(fields, api.FieldError{Field: pr.Param, Reason: pr.Reason})
	}
	param := ""
	if len(problems) > 0 {
		param = problems[0].Param
	}
	msg := l.T("error.config", param)
	return Outcome{Stage: StageConfig, Code: CodeInvalidConfiguration, Message: msg,
		Detail: map[string]any{"stage": StageConfig, "code": CodeInvalidConfiguration, "message": msg,
			"error": map[string]any{"error": map[string]any{"code": CodeInvalidConfiguration, "message": msg, "errors": fields}}}}
}

// APIFailure builds the outcome of a failed call outside a payment, such as
// GET /checkout_info when the page's domain is not registered.
func APIFailure(l Locale, stage string, err error) Outcome {
	code, msg := CodeNetwork, l.T("error.network")
	status := 0
	var fields []api.FieldError
	var apiErr *api.Error
	if errors.As(err, &apiErr) {
		code, msg, status, fields = apiErr.Code, l.APIError(apiErr.Code), apiErr.Status, apiErr.Errors
	}
	e := map[string]any{"code": code, "message": msg}
	if status != 0 {
		e["httpStatus"] = status
	}
	return Outcome{Stage: stage, Code: code, Message: msg, HTTPStatus: status, APIErrors: fields,
		Detail: map[string]any{"stage": stage, "code": code, "message": msg, "error": map[string]any{"error": e}}}
}

// BlockedFrame is the failure the loader reports by itself when the widget
// iframe never starts: the browser refused to frame it (CSP frame-ancestors:
// the page's domain is not one of the app token's) or it could not load.
func BlockedFrame(l Locale) Outcome {
	return APIFailure(l, StageConfig, api.NewError(401, api.CodeInvalidDomain))
}

// SubmitValue is what UnivapayCheckout.submit() resolves with: the success
// detail plus the id strings integrations read (compat.md).
func (o Outcome) SubmitValue(connectorID string) map[string]any {
	v := make(map[string]any, len(o.Detail)+5)
	for k, x := range o.Detail {
		v[k] = x
	}
	v["connectorId"] = connectorID
	if o.Token != nil {
		v["token"] = o.Token.Value.ID
		v["transactionToken"] = o.Token.Value.ID
		v["tokenData"] = camel(o.Token.Raw)
	}
	if o.Charge != nil {
		v["charge"] = o.Charge.Value.ID
	}
	return v
}

// SubmitError is what UnivapayCheckout.submit() rejects with (widget.md
// §1.3): a readable message and code, and for input errors data with the
// failing fields' messages.
func (o Outcome) SubmitError(l Locale) map[string]any {
	e := map[string]any{"code": o.Code, "message": o.Message, "stage": o.Stage}
	if o.Code == CodeValidation && len(o.Fields) > 0 {
		e["type"] = "validation"
		data := make(map[string]string, len(o.Fields))
		for f, code := range o.Fields {
			data[f] = l.FieldError(f, code)
		}
		e["data"] = data
		if o.HTTPStatus == 0 {
			// Caught in the form: no API call, no univapay:error.
			e["error"] = map[string]any{"error": map[string]any{"code": o.Code, "message": o.Message}}
			return e
		}
	} else {
		e["type"] = "api"
	}
	if o.HTTPStatus != 0 {
		e["status"] = o.HTTPStatus
		errs := o.APIErrors
		if errs == nil {
			errs = []api.FieldError{}
		}
		e["errors"] = errs
	}
	for k, x := range o.Detail {
		if _, ok := e[k]; !ok {
			e[k] = x
		}
	}
	if o.Token != nil {
		e["tokenId"] = o.Token.Value.ID
	}
	if o.Charge != nil {
		e["chargeId"] = o.Charge.Value.ID
	}
	return e
}

// FieldErrorsFromAPI maps a VALIDATION_ERROR's field errors onto the form's
// field names (widget.md §5.3).
func FieldErrorsFromAPI(errs []api.FieldError) FieldErrors {
	names := map[string]string{
		"card_number": FieldCardNumber, "data.card_number": FieldCardNumber,
		"exp_month": FieldExp, "exp_year": FieldExp, "data.exp_month": FieldExp, "data.exp_year": FieldExp,
		"cvv": FieldCVV, "data.cvv": FieldCVV,
		"cardholder": FieldCardholder, "data.cardholder": FieldCardholder,
		"email": FieldEmail,
	}
	codes := map[string]string{
		api.ReasonInvalidCardNumber:     "invalid_card_number",
		api.ReasonInvalidCardExpiration: "invalid_expiry",
		api.ReasonInvalidCVV:            "invalid_cvv",
		api.ReasonInvalidFormatEmail:    "invalid_email",
		api.ReasonRequiredValue:         "required",
	}
	out := FieldErrors{}
	for _, e := range errs {
		f, ok := names[e.Field]
		if !ok {
			continue
		}
		c, ok := codes[e.Reason]
		if !ok {
			c = "invalid"
		}
		out[f] = c
	}
	return out
}

// retryable tells whether the buyer may try again in the same form after an
// API error code.
func retryable(code string) bool {
	switch code {
	case api.CodeInvalidDomain, api.CodeInvalidAppToken, api.CodeInvalidPermissions, api.CodeAuthHeaderMissing:
		return false
	}
	return true
}

func cardBrand(t api.TransactionToken) string {
	if t.Data.Card == nil {
		return ""
	}
	return t.Data.Card.Brand
}

// camel turns an API object into the camelCased value event details carry
// (compat.md: result.response.paymentType).
func camel(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	b, err := CamelizeJSON(raw)
	if err != nil {
		return json.RawMessage(raw)
	}
	return json.RawMessage(b)
}

// withPaymentType is camel(raw) with a paymentType key added when the
// object has none.
func withPaymentType(raw json.RawMessage, pt api.PaymentType) any {
	var obj map[string]json.RawMessage
	c, ok := camel(raw).(json.RawMessage)
	if !ok || json.Unmarshal(c, &obj) != nil {
		return camel(raw)
	}
	if _, has := obj["paymentType"]; !has {
		b, _ := json.Marshal(string(pt))
		obj["paymentType"] = b
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return c
	}
	return json.RawMessage(out)
}
