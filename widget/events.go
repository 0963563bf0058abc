package widget

import (
	"encoding/json"

	"kessai/api"
)

// This file types what the widget hands the merchant page: the detail of
// every univapay:* window event (also the argument of its callback option),
// what UnivapayCheckout.submit() resolves with and what it rejects with
// (docs/widget.md, "Events and callbacks" and "submit()"). They are Go
// structs with JSON tags, as package api types the REST API, and the
// TypeScript declarations served at /client/checkout.d.ts are generated from
// them (widget/tsdecl).
//
// A field's `ts` tag gives its TypeScript type where the Go type cannot say
// it: API objects kept as the JSON the widget read (camelCased), and string
// unions. The generator reads the same tags as encoding/json.

// EventSpec is one window event: its name, the create() callback option the
// loader calls with the same detail before dispatching it, and the detail's
// type (a zero value of it).
type EventSpec struct {
	Name     string
	Callback string
	Detail   any
	// When says when it fires, for the declarations' documentation.
	When string
}

// eventTable lists the window events in the order of a payment
// (docs/widget.md, "Order").
var eventTable = []EventSpec{
	{EventOpened, "opened", EmptyDetail{}, "The popup opened, or an inline form started."},
	{EventValidationError, "onValidationError", FieldErrors{}, "The set of field errors changed: the fields that have an error now, {} once the last is fixed."},
	{EventTokenCreated, "onTokenCreated", TokenCreatedDetail{}, "A transaction token was created (never for a saved card)."},
	{EventChargeCreated, "onChargeCreated", ChargeCreatedDetail{}, "A charge was created, whatever its outcome."},
	{EventSubscriptionCreated, "onSubscriptionCreated", SubscriptionCreatedDetail{}, "A subscription was created, whatever its outcome."},
	{EventSuccess, "onSuccess", SuccessDetail{}, "The payment, the token or the card change succeeded; the hidden inputs are already in the form."},
	{EventError, "onError", ErrorDetail{}, "A stage failed: the configuration, checkout_info, the token, the charge, the subscription, polling or the timeout."},
	{EventClosed, "closed", EmptyDetail{}, "The popup closed, for any reason (also after a success), or an inline form was closed by checkout.close()."},
}

// Events returns the window events in the order of a payment.
func Events() []EventSpec { return append([]EventSpec(nil), eventTable...) }

// EmptyDetail is the detail of univapay:opened and univapay:closed: {}.
type EmptyDetail struct{}

// TokenCreatedDetail is the detail of univapay:token-created.
type TokenCreatedDetail struct {
	TokenID string `json:"tokenId"`
	// Response is the token as POST /tokens returned it, camelCased.
	Response json.RawMessage `json:"response" ts:"TransactionToken"`
}

// ChargeCreatedDetail is the detail of univapay:charge-created.
type ChargeCreatedDetail struct {
	ChargeID string `json:"chargeId"`
	TokenID  string `json:"tokenId"`
	// Response is the charge as POST /charges returned it, camelCased.
	Response json.RawMessage `json:"response" ts:"Charge"`
}

// SubscriptionCreatedDetail is the detail of univapay:subscription-created.
type SubscriptionCreatedDetail struct {
	SubscriptionID string `json:"subscriptionId"`
	TokenID        string `json:"tokenId"`
	// Response is the subscription as POST /subscriptions returned it,
	// camelCased.
	Response json.RawMessage `json:"response" ts:"Subscription"`
}

// SuccessDetail is the detail of univapay:success (docs/widget.md,
// "Success detail").
type SuccessDetail struct {
	// ResourceType is what the payment made last: the token (checkout=token),
	// the charge, or the subscription (also for a card change).
	ResourceType string `json:"resourceType" ts:"\"token\" | \"charge\" | \"subscription\""`
	TokenID      string `json:"tokenId"`
	PaymentType  string `json:"paymentType"`
	// Brand is the card brand ("visa", ...).
	Brand string `json:"brand"`
	// Response is the primary resource (the subscription, else the charge,
	// else the token), camelCased, with its token's paymentType added.
	Response json.RawMessage `json:"response" ts:"(TransactionToken | Charge | Subscription) & { paymentType: string }"`
	Token    json.RawMessage `json:"token" ts:"TransactionToken"`
	ChargeID string          `json:"chargeId,omitempty"`
	Charge   json.RawMessage `json:"charge,omitempty" ts:"Charge"`
	// SubscriptionID and Subscription are set for a subscription and for a
	// card change.
	SubscriptionID string          `json:"subscriptionId,omitempty"`
	Subscription   json.RawMessage `json:"subscription,omitempty" ts:"Subscription"`
	// Status is the final status: successful or authorized (a charge),
	// current or completed (a subscription), the CVV authorization's (a
	// token that had one); absent for a token without one.
	Status string `json:"status,omitempty"`
	// Products are the products paid for (productCodes), as shown to the
	// buyer (docs/widget.md, "Products").
	Products []ProductLine `json:"products,omitempty"`
	// NextAction are the payment instructions of a konbini or bank-transfer
	// application, whose status is awaiting: it is not paid yet
	// (docs/widget.md, "Payment methods").
	NextAction *NextAction `json:"nextAction,omitempty"`
}

// ErrorDetail is the detail of univapay:error (docs/widget.md,
// "Error detail").
type ErrorDetail struct {
	Stage string `json:"stage" ts:"ErrorStage"`
	// Code is the API's error code, a payment error number as a string
	// ("309"), or one of the widget's codes.
	Code string `json:"code"`
	// Message is readable and localised.
	Message string `json:"message"`
	// Error is the failed charge when there is one, else {error: {...}}:
	// error.error.message is readable either way.
	Error ErrorCause `json:"error"`
	// The ids of what the payment created so far.
	TokenID        string `json:"tokenId,omitempty"`
	ChargeID       string `json:"chargeId,omitempty"`
	SubscriptionID string `json:"subscriptionId,omitempty"`
	// Response is the last resource created: the charge or subscription, or
	// the token when its CVV authorization failed.
	Response json.RawMessage `json:"response,omitempty" ts:"TransactionToken | Charge | Subscription"`
}

// ErrorCause is ErrorDetail.Error: the failed resource (a charge, whose own
// error is the payment error {code, message, detail}), or, when there is
// none, {error: ErrorInfo}.
type ErrorCause struct {
	// Resource is the failed charge as the widget read it, camelCased.
	Resource json.RawMessage
	Info     ErrorInfo
}

// MarshalJSON writes the resource, or {"error": Info}.
func (c ErrorCause) MarshalJSON() ([]byte, error) {
	if len(c.Resource) > 0 {
		return c.Resource, nil
	}
	return json.Marshal(struct {
		Error ErrorInfo `json:"error"`
	}{c.Info})
}

// TSType is ErrorCause's TypeScript type (widget/tsdecl).
func (ErrorCause) TSType() string { return "{ error: ErrorInfo } | Charge" }

// ErrorInfo is a failure without a failed resource.
type ErrorInfo struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// HTTPStatus is set when the API refused a request.
	HTTPStatus int `json:"httpStatus,omitempty"`
	// Errors are the API's field errors, or for a configuration error the
	// offending parameters with the values given.
	Errors []ErrorField `json:"errors,omitempty"`
}

// ErrorField is one item of ErrorInfo.Errors: an API field error
// {field, reason}, or a configuration problem {field: the parameter,
// reason, value: as given}.
type ErrorField struct {
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
	Value  string `json:"value,omitempty"`
}

func errorFields(errs []api.FieldError) []ErrorField {
	if len(errs) == 0 {
		return nil
	}
	out := make([]ErrorField, len(errs))
	for i, e := range errs {
		out[i] = ErrorField{Field: e.Field, Reason: e.Reason}
	}
	return out
}

func problemFields(ps Problems) []ErrorField {
	if len(ps) == 0 {
		return nil
	}
	out := make([]ErrorField, len(ps))
	for i, p := range ps {
		out[i] = ErrorField{Field: p.Param, Reason: p.Reason, Value: p.Value}
	}
	return out
}

// SubmitResult is what UnivapayCheckout.submit() resolves with: the success
// detail plus the id strings integrations read (docs/widget.md,
// "submit()"). Its token, charge and subscription are ids, where the
// success detail has the objects.
type SubmitResult struct {
	SuccessDetail
	// ConnectorID is the loader's id of the checkout instance.
	ConnectorID string `json:"connectorId"`
	// Token and TransactionToken are the token's id.
	Token            string `json:"token,omitempty"`
	TransactionToken string `json:"transactionToken,omitempty"`
	// TokenData is the token, camelCased.
	TokenData    json.RawMessage `json:"tokenData,omitempty" ts:"TransactionToken"`
	Charge       string          `json:"charge,omitempty"`
	Subscription string          `json:"subscription,omitempty"`
}

// SubmitRejection is what UnivapayCheckout.submit() rejects with: the
// loader makes an Error of it (message, then every field).
type SubmitRejection struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Stage   string `json:"stage" ts:"ErrorStage | \"\""`
	// Type is "validation" for the buyer's input errors, else "api".
	Type string `json:"type" ts:"\"validation\" | \"api\""`
	// Data holds the failing fields' messages (type validation).
	Data map[string]string `json:"data,omitempty"`
	// Status and Errors are set when the API refused a request.
	Status int              `json:"status,omitempty"`
	Errors []api.FieldError `json:"errors,omitzero"`
	// Error is ErrorDetail.Error of the univapay:error that reported the
	// failure.
	Error          *ErrorCause     `json:"error,omitempty"`
	TokenID        string          `json:"tokenId,omitempty"`
	ChargeID       string          `json:"chargeId,omitempty"`
	SubscriptionID string          `json:"subscriptionId,omitempty"`
	Response       json.RawMessage `json:"response,omitempty" ts:"TransactionToken | Charge | Subscription"`
}

// ErrorStages are the values of ErrorDetail.Stage; "three_ds" and
// "issuer_token" are the stages of 3-D Secure and of the issuer token of
// the payment methods other than card.
var ErrorStages = []string{StageConfig, StageCheckoutInfo, StageToken, StageCharge, StageSubscription, StagePolling, StageTimeout,
	"three_ds", "issuer_token"}

// LoaderRejectionCodes are the codes of the rejections the loader makes by
// itself, without the iframe (docs/widget.md, "submit()"): they carry code
// and message only.
var LoaderRejectionCodes = []string{"INVALID_IFRAME", "INVALID_DOMAIN", "REMOVED"}

// Typed constructors of the events.

// OpenedEvent is univapay:opened.
func OpenedEvent() Event { return NewEvent(EventOpened, EmptyDetail{}) }

// ClosedEvent is univapay:closed.
func ClosedEvent() Event { return NewEvent(EventClosed, EmptyDetail{}) }

// ValidationErrorEvent is univapay:validation-error with the fields that
// have an error now.
func ValidationErrorEvent(errs FieldErrors) Event {
	if errs == nil {
		errs = FieldErrors{}
	}
	return NewEvent(EventValidationError, errs)
}

// ErrorEvent is univapay:error with a failure's detail.
func ErrorEvent(d *ErrorDetail) Event {
	if d == nil {
		d = &ErrorDetail{}
	}
	return NewEvent(EventError, *d)
}

// SuccessEvent is univapay:success.
func SuccessEvent(d *SuccessDetail) Event {
	if d == nil {
		d = &SuccessDetail{}
	}
	return NewEvent(EventSuccess, *d)
}
