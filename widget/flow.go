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
	// GetToken reads a token: a saved card before paying with it, a token
	// whose CVV authorization is pending (docs/widget.md,
	// "CVV authorization").
	GetToken(ctx context.Context, storeID, tokenID string) (Object[api.TransactionToken], error)
	// UpdateToken sends a saved card's fresh CVV (docs/widget.md,
	// "Saved cards"): the only token change the API allows without the
	// secret.
	UpdateToken(ctx context.Context, storeID, tokenID string, req api.TokenUpdateRequest) (Object[api.TransactionToken], error)
	// SavedCards lists a customer's active recurring card tokens, masked
	// (docs/tokens-and-lists.md, "Saved cards without the secret").
	SavedCards(ctx context.Context, storeID, customerID string) ([]api.TokenListItem, error)
	CreateCharge(ctx context.Context, req api.ChargeCreateRequest) (Object[api.Charge], error)
	// GetCharge reads a charge; with polling the server waits (up to about
	// three seconds) for its status to leave pending.
	GetCharge(ctx context.Context, storeID, chargeID string, polling bool) (Object[api.Charge], error)
	CreateSubscription(ctx context.Context, req api.SubscriptionCreateRequest) (Object[api.Subscription], error)
	// GetSubscription reads a subscription; with polling the server waits
	// (up to about three seconds) for it to leave unverified.
	GetSubscription(ctx context.Context, storeID, subscriptionID string, polling bool) (Object[api.Subscription], error)
	// UpdateSubscription changes a subscription; the widget sends only
	// transaction_token_id (docs/widget.md, "Card change").
	UpdateSubscription(ctx context.Context, storeID, subscriptionID string, req api.SubscriptionUpdateBody) (Object[api.Subscription], error)
	// IssuerToken reads what an awaiting online or bank-transfer charge
	// needs from the buyer (docs/widget.md, "Payment methods").
	IssuerToken(ctx context.Context, storeID, chargeID string) (Object[api.IssuerToken], error)
	// ChargeThreeDSIssuerToken and TokenThreeDSIssuerToken read the 3-D
	// Secure challenge of an awaiting charge or token (docs/widget.md,
	// "3-D Secure").
	ChargeThreeDSIssuerToken(ctx context.Context, storeID, chargeID string) (Object[api.ThreeDSIssuerToken], error)
	TokenThreeDSIssuerToken(ctx context.Context, storeID, tokenID string) (Object[api.ThreeDSIssuerToken], error)
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
	StageSubscription = "subscription"
	StagePolling      = "polling"
	// StageTimeout: the merchant's timeout ran out before the payment
	// finished (docs/widget.md, "Timeout").
	StageTimeout = "timeout"
)

// Widget error codes (beside the API's and the payment error numbers).
const (
	CodeInvalidConfiguration = "INVALID_CONFIGURATION"
	CodeValidation           = "VALIDATION_ERROR"
	CodeNetwork              = "NETWORK_ERROR"
	// CodeSubscriptionUnconfirmed: the first payment of a new subscription
	// failed (the subscription ended unconfirmed, docs/widget.md,
	// "Subscriptions").
	CodeSubscriptionUnconfirmed = "SUBSCRIPTION_UNCONFIRMED"
	// CodePollingTimeout: a resource was still pending when the widget
	// stopped reading it (docs/widget.md, "API calls").
	CodePollingTimeout = "POLLING_TIMEOUT"
	// CodeTimeout: the merchant's timeout parameter ran out.
	CodeTimeout = "TIMEOUT"
)

// Payment runs one card payment (or token creation, for checkout=token):
// validate the buyer's input, create the transaction token (or take the
// saved card), wait for its CVV authorization, then charge it, create the
// subscription or change a subscription's card, and follow the result to a
// final status (docs/widget.md, "Payment flows"). It reports every step
// to the loader through Emit, in the order of docs/widget.md, "Order".
type Payment struct {
	Options Options
	Locale  Locale
	Client  Client
	// Emit posts a message (a value of this package's message types) to the
	// loader.
	Emit func(msg any)
	// Rules narrow what the card form accepts (from checkout_info).
	Rules CardRules
	// Extras are the buyer's choices beyond the card: the save-card box,
	// the installment count, custom fields.
	Extras RequestExtras
	// SavedCard is the ID of the saved card (a recurring token) the buyer
	// chose instead of typing a card; StoreID is the app token's store,
	// needed to read it. With SavedCardCVV the card's fresh CVV (the
	// buyer's input CVV) is sent first (docs/widget.md, "Saved cards").
	SavedCard    string
	StoreID      string
	SavedCardCVV bool
	// Products are the products paid for (productCodes, resolved by
	// Options.ApplyProducts): reported in the success detail.
	Products []ProductLine
	// Now is the clock for expiry checks; time.Now when nil.
	Now func() time.Time
	// MaxPolls bounds each polling loop; 20 when zero.
	MaxPolls int
	// RetryWait is the pause before polling again after a 5xx, a 429 or a
	// network failure; 2 s when zero.
	RetryWait time.Duration
	// TokenPollWait is the pause between two reads of a token whose CVV
	// authorization is pending (the token GET does not wait); 1 s when
	// zero.
	TokenPollWait time.Duration

	// Method is the payment method chosen ("" or card: the card flow
	// above; konbini, bank_transfer, online, paidy: docs/widget.md,
	// "Payment methods"), Choice the store or brand within it, Offer what
	// the widget offers, Device the buyer's browser and Info the store's
	// checkout_info (deadlines, 3-D Secure).
	Method string
	Choice MethodChoice
	Offer  Offer
	Device Device
	Info   api.CheckoutInfo
	// Act shows the buyer what to do while the flow waits: the online
	// app's page, the 3-D Secure challenge.
	Act func(NextAction)
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
	Retry        bool
	Token        *Object[api.TransactionToken]
	Charge       *Object[api.Charge]
	Subscription *Object[api.Subscription]
	// Inputs are the hidden inputs put into the merchant form on success.
	Inputs map[string]string
	// Next are the payment instructions of an application that awaits
	// the buyer's payment (konbini, bank transfer).
	Next *NextAction
	// Success is the univapay:success detail of a success, Failure the
	// univapay:error detail of a failure reported to the page (nil for input
	// errors caught in the form).
	Success *SuccessDetail
	Failure *ErrorDetail
}

// Run pays with the buyer's card input (or the saved card).
func (p *Payment) Run(ctx context.Context, in CardInput) Outcome {
	if p.Method != "" && p.Method != MethodCard {
		return p.runMethod(ctx, in)
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	var errs FieldErrors
	if p.SavedCard != "" {
		errs = ValidateSavedCardCVV(in, p.SavedCardCVV)
	} else {
		errs = ValidateCard(in, now(), p.Rules)
	}
	if errs = ValidateForm(p.Options, in, errs); len(errs) > 0 {
		p.Emit(ValidationErrorEvent(errs))
		return Outcome{Stage: StageToken, Code: CodeValidation, Message: p.Locale.T("error.validation"), Fields: errs, Retry: true}
	}
	// The token, the charge and the subscription carry the same metadata
	// (docs/widget.md, "Metadata").
	p.Extras.CustomFields, p.Extras.Reserved = p.Extras.custom(p.Options, in), p.Extras.reserved(p.Options, in)

	tok, failed := p.token(ctx, in)
	if failed != nil {
		return *failed
	}
	switch {
	case p.Options.SubscriptionID != "":
		return p.changeCard(ctx, tok)
	case p.Options.Checkout == CheckoutToken:
		detail := successDetail(ResultToken, tok, camel(tok.Raw))
		if a := tok.Value.Data.CVVAuthorize; a != nil && a.Enabled && a.Status != nil {
			detail.Status = string(*a.Status)
		}
		return p.succeed(Outcome{Token: &tok, Inputs: ResultFields(p.Options, tok.Value.ID, "", ""), Success: detail})
	case CreatesSubscription(p.Options, p.Extras):
		return p.subscribe(ctx, tok)
	}
	return p.charge(ctx, tok)
}

// token creates the transaction token of the buyer's card, or reads the
// saved card (sending its fresh CVV first when the store asks for one), and
// waits for a CVV authorization to settle. A non-nil Outcome is the
// failure, already reported.
func (p *Payment) token(ctx context.Context, in CardInput) (Object[api.TransactionToken], *Outcome) {
	var tok Object[api.TransactionToken]
	var err error
	if p.SavedCard != "" {
		// A saved card is an existing recurring token: no token-created
		// (docs/widget.md, "Events and callbacks").
		if p.SavedCardCVV {
			cvv := api.FlexString(strings.TrimSpace(NormalizeDigits(in.CVV)))
			tok, err = p.Client.UpdateToken(ctx, p.StoreID, p.SavedCard, api.TokenUpdateRequest{Data: &api.TokenUpdateData{CVV: &cvv}})
		} else {
			tok, err = p.Client.GetToken(ctx, p.StoreID, p.SavedCard)
		}
		if err != nil {
			o := p.fail(StageToken, err, created{})
			return tok, &o
		}
		return tok, nil
	}
	req := TokenRequestWith(p.Options, in, p.Extras)
	ThreeDSTokenRequest(p.Options, &req, p.Info.CardConfiguration.ThreeDSRequired)
	tok, err = p.Client.CreateToken(ctx, req)
	if err != nil {
		o := p.fail(StageToken, err, created{})
		return tok, &o
	}
	p.Emit(NewEvent(EventTokenCreated, TokenCreatedDetail{TokenID: tok.Value.ID, Response: camel(tok.Raw)}))
	var failed *Outcome
	if tok, failed = p.threeDSToken(ctx, tok); failed != nil {
		return tok, failed
	}
	if a := tok.Value.Data.CVVAuthorize; a == nil || !a.Enabled {
		return tok, nil
	}
	return p.awaitCVVAuthorization(ctx, tok)
}

// awaitCVVAuthorization reads the token until its CVV authorization leaves
// pending (docs/widget.md, "CVV authorization"): current goes on, failed or
// inactive is the error CVV_AUTHORIZATION_NOT_COMPLETED, before anything is
// charged or reported as a success.
func (p *Payment) awaitCVVAuthorization(ctx context.Context, tok Object[api.TransactionToken]) (Object[api.TransactionToken], *Outcome) {
	pending := func(t api.TransactionToken) bool {
		a := t.Data.CVVAuthorize
		return a != nil && (a.Status == nil || *a.Status == api.CVVAuthPending)
	}
	tok, err := poll(ctx, p, tok, pending, p.tokenPollWait(), func() (Object[api.TransactionToken], error) {
		return p.Client.GetToken(ctx, tok.Value.StoreID, tok.Value.ID)
	})
	if err != nil {
		o := p.fail(StagePolling, err, created{tok: &tok})
		return tok, &o
	}
	if pending(tok.Value) {
		o := p.timeout(created{tok: &tok})
		return tok, &o
	}
	if st := *tok.Value.Data.CVVAuthorize.Status; st != api.CVVAuthCurrent {
		code := api.CodeCVVAuthorizationNotCompleted
		msg := p.Locale.APIError(code)
		o := Outcome{Stage: StageToken, Code: code, Message: msg, Retry: true, Token: &tok}
		o.Failure = p.errorDetail(StageToken, code, msg, created{tok: &tok}, nil)
		o.Failure.Response = camel(tok.Raw)
		return tok, ptrOutcome(p.finish(o))
	}
	return tok, nil
}

func ptrOutcome(o Outcome) *Outcome { return &o }

// charge charges the token and follows the charge to a final status.
func (p *Payment) charge(ctx context.Context, tok Object[api.TransactionToken]) Outcome {
	ch, err := p.Client.CreateCharge(ctx, ChargeRequestWith(p.Options, tok.Value.ID, string(tok.Value.PaymentType), p.Extras))
	if err != nil {
		return p.fail(StageCharge, err, created{tok: &tok})
	}
	p.Emit(NewEvent(EventChargeCreated, ChargeCreatedDetail{ChargeID: ch.Value.ID, TokenID: tok.Value.ID, Response: camel(ch.Raw)}))

	ch, err = poll(ctx, p, ch, func(c api.Charge) bool { return c.Status == api.ChargePending }, 0, func() (Object[api.Charge], error) {
		return p.Client.GetCharge(ctx, ch.Value.StoreID, ch.Value.ID, true)
	})
	if err != nil {
		return p.fail(StagePolling, err, created{tok: &tok, ch: &ch})
	}

	if s := ch.Value.ThreeDS; ch.Value.Status == api.ChargeAwaiting && s != nil && s.Status != nil && *s.Status == api.ThreeDSAwaiting {
		return p.threeDSCharge(ctx, tok, ch)
	}
	switch ch.Value.Status {
	case api.ChargeSuccessful, api.ChargeAuthorized:
		// Integrations read result.response.paymentType (docs/widget.md,
		// "Success detail"); a charge has no payment type of its own, its
		// token has.
		detail := successDetail(ResultCharge, tok, withPaymentType(ch.Raw, tok.Value.PaymentType))
		detail.ChargeID, detail.Status, detail.Charge = ch.Value.ID, string(ch.Value.Status), camel(ch.Raw)
		return p.succeed(Outcome{Token: &tok, Charge: &ch, Inputs: ResultFields(p.Options, tok.Value.ID, ch.Value.ID, ""), Success: detail})
	case api.ChargePending:
		return p.timeout(created{tok: &tok, ch: &ch})
	default:
		if e := ch.Value.Error; e != nil {
			// A failed charge: its own error object carries the payment
			// error, so detail.error is the charge.
			code, msg := strconv.Itoa(e.Code), p.Locale.PaymentError(e.Code)
			return p.finish(Outcome{Stage: StageCharge, Code: code, Message: msg, Retry: true, Token: &tok, Charge: &ch,
				Failure: p.errorDetail(StageCharge, code, msg, created{tok: &tok, ch: &ch}, camel(ch.Raw))})
		}
		// Ended without an error object (canceled, error, or a status this
		// flow does not handle): name the status.
		code, msg := "CHARGE_"+strings.ToUpper(string(ch.Value.Status)), p.Locale.T("error.declined")
		return p.finish(Outcome{Stage: StageCharge, Code: code, Message: msg, Retry: true, Token: &tok, Charge: &ch,
			Failure: p.errorDetail(StageCharge, code, msg, created{tok: &tok, ch: &ch}, nil)})
	}
}

// subscribe creates the subscription on the token (docs/widget.md,
// "Subscriptions") and follows it out of unverified: current or completed is
// a success; unconfirmed (the first payment failed) is an error the buyer can
// retry with another card.
func (p *Payment) subscribe(ctx context.Context, tok Object[api.TransactionToken]) Outcome {
	sub, err := p.Client.CreateSubscription(ctx, SubscriptionRequest(p.Options, tok.Value.ID, p.Extras))
	if err != nil {
		return p.fail(StageSubscription, err, created{tok: &tok})
	}
	p.Emit(NewEvent(EventSubscriptionCreated, SubscriptionCreatedDetail{SubscriptionID: sub.Value.ID, TokenID: tok.Value.ID, Response: camel(sub.Raw)}))
	return p.followSubscription(ctx, tok, sub)
}

// changeCard gives a running subscription the new token (docs/widget.md,
// "Card change") and, when that restarts an unconfirmed subscription's first
// payment, follows it.
func (p *Payment) changeCard(ctx context.Context, tok Object[api.TransactionToken]) Outcome {
	id := tok.Value.ID
	sub, err := p.Client.UpdateSubscription(ctx, tok.Value.StoreID, p.Options.SubscriptionID, api.SubscriptionUpdateBody{TransactionTokenID: &id})
	if err != nil {
		return p.fail(StageSubscription, err, created{tok: &tok})
	}
	return p.followSubscription(ctx, tok, sub)
}

func (p *Payment) followSubscription(ctx context.Context, tok Object[api.TransactionToken], sub Object[api.Subscription]) Outcome {
	sub, err := poll(ctx, p, sub, func(s api.Subscription) bool { return !s.Status.Final() }, 0, func() (Object[api.Subscription], error) {
		return p.Client.GetSubscription(ctx, sub.Value.StoreID, sub.Value.ID, true)
	})
	res := created{tok: &tok, sub: &sub}
	if err != nil {
		return p.fail(StagePolling, err, res)
	}
	switch sub.Value.Status {
	case api.SubscriptionCurrent, api.SubscriptionCompleted:
		// EC-CUBE's subscription page reads result.response.id: the
		// subscription, with its token's payment type (docs/widget.md,
		// "Success detail"). A card change (checkout=token) reports the
		// subscription too; its primary hidden input is the token
		// (ResultFields).
		detail := successDetail(ResultSubscription, tok, withPaymentType(sub.Raw, tok.Value.PaymentType))
		detail.SubscriptionID, detail.Status, detail.Subscription = sub.Value.ID, string(sub.Value.Status), camel(sub.Raw)
		return p.succeed(Outcome{Token: &tok, Subscription: &sub, Inputs: ResultFields(p.Options, tok.Value.ID, "", sub.Value.ID), Success: detail})
	case api.SubscriptionUnverified:
		return p.timeout(res)
	}
	// unconfirmed: the first payment failed, as a declined charge. Other
	// final statuses (suspended, canceled, unpaid) cannot follow a first
	// payment here but end the same way.
	code, msg := CodeSubscriptionUnconfirmed, p.Locale.T("error.subscriptionFailed")
	if sub.Value.Status != api.SubscriptionUnconfirmed {
		code = "SUBSCRIPTION_" + strings.ToUpper(string(sub.Value.Status))
	}
	return p.finish(Outcome{Stage: StageSubscription, Code: code, Message: msg, Retry: true, Token: &tok, Subscription: &sub,
		Failure: p.errorDetail(StageSubscription, code, msg, res, nil)})
}

// poll reads a resource again while busy(resource) holds, at most MaxPolls
// times, pausing wait between reads (the charge and subscription GETs wait on
// the server, the token GET does not). 5xx, rate limits and network failures
// of a GET are not payment failures (docs/widget.md, "API calls"): it waits
// RetryWait and reads again. Another API error ends the loop, with the last
// resource seen.
func poll[T any](ctx context.Context, p *Payment, cur Object[T], busy func(T) bool, wait time.Duration, get func() (Object[T], error)) (Object[T], error) {
	max := p.MaxPolls
	if max == 0 {
		max = 20
	}
	retry := p.RetryWait
	if retry == 0 {
		retry = 2 * time.Second
	}
	for i := 0; busy(cur.Value) && i < max; i++ {
		if i > 0 || wait > 0 {
			if err := sleep(ctx, wait); err != nil {
				return cur, err
			}
		}
		next, err := get()
		if err != nil {
			var apiErr *api.Error
			if errors.As(err, &apiErr) && apiErr.Status < 500 && apiErr.Status != 429 {
				return cur, err
			}
			if err := sleep(ctx, retry); err != nil {
				return cur, err
			}
			continue
		}
		cur = next
	}
	return cur, nil
}

// sleep waits d, or less when ctx ends (then its error).
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

func (p *Payment) tokenPollWait() time.Duration {
	if p.TokenPollWait > 0 {
		return p.TokenPollWait
	}
	return time.Second
}

// timeout reports a resource still pending when the polling budget ran out.
func (p *Payment) timeout(res created) Outcome {
	msg := p.Locale.T("error.pending")
	return p.finish(Outcome{Stage: StagePolling, Code: CodePollingTimeout, Message: msg, Token: res.tok, Charge: res.ch, Subscription: res.sub,
		Failure: p.errorDetail(StagePolling, CodePollingTimeout, msg, res, nil)})
}

// created are the resources a payment has made so far, reported with a
// failure.
type created struct {
	tok *Object[api.TransactionToken]
	ch  *Object[api.Charge]
	sub *Object[api.Subscription]
}

// successDetail is the univapay:success detail (docs/widget.md,
// "Success detail") for a result of kind: the token's id, payment type and
// brand, the token, and response, the primary resource camelCased.
func successDetail(kind string, tok Object[api.TransactionToken], response json.RawMessage) *SuccessDetail {
	return &SuccessDetail{
		ResourceType: kind,
		TokenID:      tok.Value.ID,
		PaymentType:  string(tok.Value.PaymentType),
		Brand:        cardBrand(tok.Value),
		Response:     response,
		Token:        camel(tok.Raw),
	}
}

// succeed puts the result ids into the merchant form and fires
// univapay:success, in that order, so that the inputs are there when a
// listener or callback looks.
func (p *Payment) succeed(o Outcome) Outcome {
	o.OK = true
	if o.Success != nil && len(p.Products) > 0 {
		o.Success.Products = p.Products
	}
	p.Emit(Inputs{Type: MsgInputs, Fields: o.Inputs})
	p.Emit(SuccessEvent(o.Success))
	return o
}

func (p *Payment) finish(o Outcome) Outcome {
	p.Emit(ErrorEvent(o.Failure))
	return o
}

// fail reports an API or network error at stage.
func (p *Payment) fail(stage string, err error, res created) Outcome {
	o := Outcome{Stage: stage, Token: res.tok, Charge: res.ch, Subscription: res.sub}
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
				p.Emit(ValidationErrorEvent(o.Fields))
			}
		}
		o.Retry = o.Retry || retryable(apiErr.Code)
		o.Failure = p.errorDetail(stage, o.Code, o.Message, res, nil)
		o.Failure.Error.Info.HTTPStatus, o.Failure.Error.Info.Errors = apiErr.Status, errorFields(apiErr.Errors)
	default:
		o.Code, o.Message, o.Retry = CodeNetwork, p.Locale.T("error.network"), true
		o.Failure = p.errorDetail(stage, o.Code, o.Message, res, nil)
	}
	return p.finish(o)
}

// errorDetail builds the univapay:error detail (docs/widget.md,
// "Error detail"): failed is the failed resource (a failed charge, whose own
// "error" holds the payment error); without one, error is {"error": {code,
// message}}, so that detail.error.error.message is readable either way. The
// ids of the resources created so far are reported, and the last one as
// response.
func (p *Payment) errorDetail(stage, code, msg string, res created, failed json.RawMessage) *ErrorDetail {
	d := &ErrorDetail{Stage: stage, Code: code, Message: msg,
		Error: ErrorCause{Resource: failed, Info: ErrorInfo{Code: code, Message: msg}}}
	if res.tok != nil {
		d.TokenID = res.tok.Value.ID
	}
	if res.ch != nil {
		d.ChargeID = res.ch.Value.ID
		d.Response = camel(res.ch.Raw)
	}
	if res.sub != nil {
		d.SubscriptionID = res.sub.Value.ID
		d.Response = camel(res.sub.Raw)
	}
	return d
}

// ConfigError builds the outcome of invalid merchant options
// (docs/widget.md, "Configuration errors"): univapay:error with stage
// "config" and the offending parameters.
func ConfigError(l Locale, problems Problems) Outcome {
	// {field, reason, value}: the parameter, why, and the value given.
	fields := problems.Errors()
	param := ""
	if len(problems) > 0 {
		param = problems[0].Named()
	}
	msg := l.T("error.config", param)
	return Outcome{Stage: StageConfig, Code: CodeInvalidConfiguration, Message: msg,
		Failure: &ErrorDetail{Stage: StageConfig, Code: CodeInvalidConfiguration, Message: msg,
			Error: ErrorCause{Info: ErrorInfo{Code: CodeInvalidConfiguration, Message: msg, Errors: problemFields(fields)}}}}
}

// TimeoutError is the outcome of the merchant's timeout running out
// (docs/widget.md, "Timeout"): univapay:error with stage "timeout", code
// TIMEOUT and the ids of what the abandoned payment created so far (ids:
// "tokenId", "chargeId", "subscriptionId", see CreatedIDs).
func TimeoutError(l Locale, ids map[string]string) Outcome {
	msg := l.T("error.timeout")
	d := &ErrorDetail{Stage: StageTimeout, Code: CodeTimeout, Message: msg,
		Error:   ErrorCause{Info: ErrorInfo{Code: CodeTimeout, Message: msg}},
		TokenID: ids["tokenId"], ChargeID: ids["chargeId"], SubscriptionID: ids["subscriptionId"]}
	return Outcome{Stage: StageTimeout, Code: CodeTimeout, Message: msg, Failure: d}
}

// CreatedIDs records into ids the ids a created event (token, charge,
// subscription) reports, so that a payment abandoned by the timeout can
// still name them.
func CreatedIDs(msg any, ids map[string]string) {
	ev, ok := msg.(Event)
	if !ok {
		return
	}
	set := func(k, v string) {
		if v != "" {
			ids[k] = v
		}
	}
	switch d := ev.Detail.(type) {
	case TokenCreatedDetail:
		set("tokenId", d.TokenID)
	case ChargeCreatedDetail:
		set("tokenId", d.TokenID)
		set("chargeId", d.ChargeID)
	case SubscriptionCreatedDetail:
		set("tokenId", d.TokenID)
		set("subscriptionId", d.SubscriptionID)
	}
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
	return Outcome{Stage: stage, Code: code, Message: msg, HTTPStatus: status, APIErrors: fields,
		Failure: &ErrorDetail{Stage: stage, Code: code, Message: msg,
			Error: ErrorCause{Info: ErrorInfo{Code: code, Message: msg, HTTPStatus: status}}}}
}

// BlockedFrame is the failure the loader reports by itself when the widget
// iframe never starts although the widget's server answers: the browser
// refused to frame it (CSP frame-ancestors: the page's domain is not one of
// the app token's).
func BlockedFrame(l Locale) Outcome {
	return APIFailure(l, StageConfig, api.NewError(401, api.CodeInvalidDomain))
}

// UnreachableFrame is the failure the loader reports when the widget iframe
// never starts and the widget's server does not answer either: a network
// error, not a domain one (docs/widget.md, "Loader and iframe").
func UnreachableFrame(l Locale) Outcome {
	return APIFailure(l, StageConfig, errUnreachable)
}

var errUnreachable = errors.New("the widget's server did not answer")

// SubmitValue is what UnivapayCheckout.submit() resolves with: the success
// detail plus the id strings integrations read (docs/widget.md, "submit()").
func (o Outcome) SubmitValue(connectorID string) *SubmitResult {
	v := &SubmitResult{ConnectorID: connectorID}
	if o.Success != nil {
		v.SuccessDetail = *o.Success
	}
	if o.Token != nil {
		v.Token, v.TransactionToken, v.TokenData = o.Token.Value.ID, o.Token.Value.ID, camel(o.Token.Raw)
	}
	if o.Charge != nil {
		v.Charge = o.Charge.Value.ID
	}
	if o.Subscription != nil {
		v.Subscription = o.Subscription.Value.ID
	}
	return v
}

// SubmitError is what UnivapayCheckout.submit() rejects with (docs/widget.md,
// "submit()"): a readable message and code, and for input errors data with
// the failing fields' messages.
func (o Outcome) SubmitError(l Locale) *SubmitRejection {
	e := &SubmitRejection{Code: o.Code, Message: o.Message, Stage: o.Stage, Type: "api"}
	if o.Code == CodeValidation && len(o.Fields) > 0 {
		e.Type = "validation"
		e.Data = make(map[string]string, len(o.Fields))
		for f, code := range o.Fields {
			e.Data[f] = l.FieldError(f, code)
		}
		if o.HTTPStatus == 0 {
			// Caught in the form: no API call, no univapay:error.
			e.Error = &ErrorCause{Info: ErrorInfo{Code: o.Code, Message: o.Message}}
			return e
		}
	}
	if o.HTTPStatus != 0 {
		e.Status = o.HTTPStatus
		e.Errors = o.APIErrors
		if e.Errors == nil {
			e.Errors = []api.FieldError{}
		}
	}
	if d := o.Failure; d != nil {
		cause := d.Error
		e.Error = &cause
		e.TokenID, e.ChargeID, e.SubscriptionID, e.Response = d.TokenID, d.ChargeID, d.SubscriptionID, d.Response
	}
	if o.Token != nil {
		e.TokenID = o.Token.Value.ID
	}
	if o.Charge != nil {
		e.ChargeID = o.Charge.Value.ID
	}
	if o.Subscription != nil {
		e.SubscriptionID = o.Subscription.Value.ID
	}
	return e
}

// FieldErrorsFromAPI maps a VALIDATION_ERROR's field errors onto the form's
// field names (docs/widget.md, "The validation-error detail").
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
// (docs/widget.md, "Success detail": result.response.paymentType).
func camel(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return nil
	}
	b, err := CamelizeJSON(raw)
	if err != nil {
		return raw
	}
	return b
}

// withPaymentType is camel(raw) with a paymentType key added when the
// object has none.
func withPaymentType(raw json.RawMessage, pt api.PaymentType) json.RawMessage {
	var obj map[string]json.RawMessage
	c := camel(raw)
	if len(c) == 0 || json.Unmarshal(c, &obj) != nil {
		return c
	}
	if _, has := obj["paymentType"]; !has {
		b, _ := json.Marshal(string(pt))
		obj["paymentType"] = b
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return c
	}
	return out
}
