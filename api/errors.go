package api

import (
	"fmt"
	"strings"
)

// ErrorStatus is the value of ErrorBody.Status: always "error".
const ErrorStatus = "error"

// ErrorBody is the JSON body of every error response (docs/sandbox-api.md, "Errors"):
//
//	{"status":"error","code":"VALIDATION_ERROR","errors":[{"field":"data.card_number","reason":"INVALID_CARD_NUMBER"}]}
type ErrorBody struct {
	Status string       `json:"status"`
	Code   string       `json:"code"`
	Errors []FieldError `json:"errors"`
}

// FieldError is one nested error detail. Field is a lower_snake_case dotted
// path (e.g. "data.card_number") and may be empty; Reason is an UPPER_SNAKE
// reason (Reason* constants) or an English sentence giving a bound.
type FieldError struct {
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

// Error is an API request error: HTTP status, error code and details. It
// implements error; the server renders it as an ErrorBody, and clients can
// rebuild it from a response with ErrorBody.Err.
type Error struct {
	Status int
	Code   string
	Errors []FieldError
}

// NewError returns an *Error with the given HTTP status, code and details.
func NewError(status int, code string, errs ...FieldError) *Error {
	return &Error{Status: status, Code: code, Errors: errs}
}

// ValidationError returns a 400 VALIDATION_ERROR with the given details.
func ValidationError(errs ...FieldError) *Error {
	return NewError(400, CodeValidationError, errs...)
}

// Error implements error, e.g. "401 INVALID_DOMAIN" or
// "400 VALIDATION_ERROR [data.card_number: INVALID_CARD_NUMBER]".
func (e *Error) Error() string {
	s := fmt.Sprintf("%d %s", e.Status, e.Code)
	if len(e.Errors) > 0 {
		parts := make([]string, len(e.Errors))
		for i, fe := range e.Errors {
			if fe.Field != "" {
				parts[i] = fe.Field + ": " + fe.Reason
			} else {
				parts[i] = fe.Reason
			}
		}
		s += " [" + strings.Join(parts, ", ") + "]"
	}
	return s
}

// Body returns the JSON body for e; Errors is never nil.
func (e *Error) Body() ErrorBody {
	errs := e.Errors
	if errs == nil {
		errs = []FieldError{}
	}
	return ErrorBody{Status: ErrorStatus, Code: e.Code, Errors: errs}
}

// Err converts a decoded error body received with HTTP status httpStatus
// back into an *Error.
func (b ErrorBody) Err(httpStatus int) *Error {
	return &Error{Status: httpStatus, Code: b.Code, Errors: b.Errors}
}

// Error codes (docs/sandbox-api.md, "Errors", plus sandbox NOT_FOUND / NOT_ALLOWED / INTERNAL_ERROR).
const (
	// 400
	CodeValidationError                  = "VALIDATION_ERROR"
	CodeAlreadyCaptured                  = "ALREADY_CAPTURED"
	CodeCancelNotAllowed                 = "CANCEL_NOT_ALLOWED"
	CodeCannotChangeCanceledSub          = "CANNOT_CHANGE_CANCELED_SUBSCRIPTION"
	CodeCannotChangeToken                = "CANNOT_CHANGE_TOKEN"
	CodeCannotRefundUnsuccessful         = "CANNOT_REFUND_UNSUCCESSFUL_CHARGE"
	CodeCaptureAmountTooLarge            = "CAPTURE_AMOUNT_TOO_LARGE"
	CodeCurrencyMustMatchCharge          = "CURRENCY_MUST_MATCH_CHARGE"
	CodeInstallmentMaxPayoutExceeded     = "INSTALLMENT_MAX_PAYOUT_PERIOD_EXCEEDED"
	CodeInstallmentPaymentTypeNotAllowed = "INSTALLMENT_PAYMENT_TYPE_NOT_ALLOWED_FOR_PLAN"
	CodeInstallmentInvalidCyclesCount    = "INSTALLMENT_INVALID_CYCLES_COUNT"
	CodeInstallmentInvalidPlan           = "INSTALLMENT_INVALID_PLAN"
	CodePartialCaptureNotSupported       = "PARTIAL_CAPTURE_NOT_SUPPORTED"
	CodePaymentExpirationExceedsPeriod   = "PAYMENT_EXPIRATION_EXCEEDS_PERIOD"
	CodeRefundExceedsChargeAmount        = "REFUND_EXCEEDS_CHARGE_AMOUNT"
	CodeRefundNotAllowed                 = "REFUND_NOT_ALLOWED"
	CodeRefundExceedsSales               = "REFUND_EXCEEDS_SALES"
	CodeRefundNotWithinBounds            = "REFUND_NOT_WITHIN_BOUNDS"
	CodeSubscriptionAlreadyEnded         = "SUBSCRIPTION_ALREADY_ENDED"
	CodeTokenForWrongStore               = "TOKEN_FOR_WRONG_STORE"
	CodeAuthNotSupported                 = "AUTH_NOT_SUPPORTED"
	CodeCardBrandNotSupported            = "CARD_BRAND_NOT_SUPPORTED"
	CodeCardCountryNotSupported          = "CARD_COUNTRY_NOT_SUPPORTED"
	CodeCardProcessingDisabled           = "CARD_PROCESSING_DISABLED"
	CodeChargeTooQuick                   = "CHARGE_TOO_QUICK"
	CodeChargeAmountTooLow               = "CHARGE_AMOUNT_TOO_LOW"
	CodeChargeAmountTooHigh              = "CHARGE_AMOUNT_TOO_HIGH"
	CodeConvenienceProcessingDisabled    = "CONVENIENCE_PROCESSING_DISABLED"
	CodeCVVRequired                      = "CVV_REQUIRED"
	CodeCVVAuthorizationNotCompleted     = "CVV_AUTHORIZATION_NOT_COMPLETED"
	CodeForbiddenIP                      = "FORBIDDEN_IP"
	CodeInvalidTokenType                 = "INVALID_TOKEN_TYPE"
	CodeLastNameRequired                 = "LAST_NAME_REQUIRED"
	CodeLiveModeNotEnabled               = "LIVE_MODE_NOT_ENABLED_WHEN_UNVERIFIED"
	CodeNoDirectCurrencyGateway          = "NO_DIRECT_CURRENCY_GATEWAY"
	CodeNoGatewaysAvailable              = "NO_GATEWAYS_AVAILABLE"
	CodeNoTestCardInLiveMode             = "NO_TEST_CARD_IN_LIVE_MODE"
	CodeNonSubscriptionPayment           = "NON_SUBSCRIPTION_PAYMENT"
	CodeNotOneTimeToken                  = "NOT_ONE_TIME_TOKEN"
	CodeNotSubscriptionToken             = "NOT_SUBSCRIPTION_TOKEN"
	CodeQRProcessingDisabled             = "QR_PROCESSING_DISABLED"
	CodeRecurringTokenDisabled           = "RECURRING_TOKEN_DISABLED"
	CodeRecurringUsageLimitRequired      = "RECURRING_USAGE_LIMIT_REQUIRED"
	CodeRecurringUsageRequiresCVV        = "RECURRING_USAGE_REQUIRES_CVV"
	CodeResourceLimitReached             = "RESOURCE_LIMIT_REACHED"
	CodeTransactionAlreadyProcessed      = "TRANSACTION_ALREADY_PROCESSED"
	CodeTransactionTokenExpired          = "TRANSACTION_TOKEN_EXPIRED"
	CodeUsageLimitNotApplicable          = "USAGE_LIMIT_NOT_APPLICABLE"
	// 401
	CodeAuthHeaderMissing               = "AUTH_HEADER_MISSING"
	CodeInvalidAppToken                 = "INVALID_APP_TOKEN"
	CodeInvalidCredentials              = "INVALID_CREDENTIALS"
	CodeInvalidDomain                   = "INVALID_DOMAIN"
	CodeDirectCardTokenCreationDisabled = "DIRECT_CARD_TOKEN_CREATION_DISABLED"
	// 403
	CodeCardLocked                                     = "CARD_LOCKED"
	CodeInvalidPermissions                             = "INVALID_PERMISSIONS"
	CodeOutdatedAppToken                               = "OUTDATED_APP_TOKEN"
	CodeInstallmentProcessorInitialAmountsNotSupported = "INSTALLMENT_PROCESSOR_INITIAL_AMOUNTS_NOT_SUPPORTED"
	// 404 / 405 (sandbox)
	CodeNotFound   = "NOT_FOUND"
	CodeNotAllowed = "NOT_ALLOWED"
	// 409
	CodeIdempotencyKeyConflict = "IDEMPOTENCY_KEY_CONFLICT"
	CodeNonUniqueActiveToken   = "NON_UNIQUE_ACTIVE_TOKEN"
	CodeWebhookURLExists       = "WEBHOOK_URL_EXISTS"
	// 429
	CodeServiceRestricted = "SERVICE_RESTRICTED"
	// 500
	CodeInternalError               = "INTERNAL_ERROR"
	CodeDBError                     = "DB_ERROR"
	CodeUnableToGetIdempotentResult = "UNABLE_TO_GET_IDEMPOTENT_RESULT"
	CodeUnknownError                = "UNKNOWN_ERROR"
	CodeTimeout                     = "TIMEOUT"
	// 503
	CodeServiceUnavailable = "SERVICE_UNAVAILABLE_TRY_AGAIN"
)

// Validation reasons for FieldError.Reason (docs/sandbox-api.md, "Errors").
const (
	ReasonRequiredValue           = "REQUIRED_VALUE"
	ReasonInvalidFormat           = "INVALID_FORMAT"
	ReasonInvalidFormatEmail      = "INVALID_FORMAT_EMAIL"
	ReasonInvalidFormatCurrency   = "INVALID_FORMAT_CURRENCY"
	ReasonInvalidFormatUUID       = "INVALID_FORMAT_UUID"
	ReasonInvalidFormatDate       = "INVALID_FORMAT_DATE"
	ReasonInvalidFormatURL        = "INVALID_FORMAT_URL"
	ReasonInvalidFormatCountry    = "INVALID_FORMAT_COUNTRY"
	ReasonInvalidPhoneNumber      = "INVALID_PHONE_NUMBER"
	ReasonOnlyJapanesePhoneNumber = "ONLY_JAPANESE_PHONE_NUMBER_ALLOWED"
	ReasonInvalidCardNumber       = "INVALID_CARD_NUMBER"
	ReasonInvalidCardExpiration   = "INVALID_CARD_EXPIRATION"
	ReasonInvalidCVV              = "INVALID_CVV"
	ReasonInvalidAmount           = "INVALID_AMOUNT"
	ReasonNestedJSONNotAllowed    = "NESTED_JSON_NOT_ALLOWED"
	ReasonMustBeFutureTime        = "MUST_BE_FUTURE_TIME"
	ReasonForbiddenParameter      = "FORBIDDEN_PARAMETER"
	ReasonProcessingModeMismatch  = "PROCESSING_MODE_MISMATCH"
	ReasonUnsupportedPaymentType  = "UNSUPPORTED_PAYMENT_TYPE"
	ReasonUnsupportedCurrency     = "UNSUPPORTED_CURRENCY"
	// ReasonInvalidChargeStatus: the charge is not in the status the
	// request needs (an issuer token exists only while it is awaiting).
	ReasonInvalidChargeStatus = "INVALID_CHARGE_STATUS"
	// ReasonInvalidThreeDSStatus: a 3-D Secure issuer token was requested
	// while the 3-D Secure step is not awaiting the buyer.
	ReasonInvalidThreeDSStatus = "INVALID_THREE_DS_STATUS"
	ReasonBodyTooLarge         = "Request body must not exceed 256KB"
	// ReasonUnsupportedBrand: the brand (convenience store, online or
	// bank-transfer brand) is unknown or not enabled for the store.
	ReasonUnsupportedBrand = "UNSUPPORTED_BRAND"
	// ReasonUnsupportedCallMethod: the online brand does not support the
	// call method (api.OnlineCallMethods).
	ReasonUnsupportedCallMethod = "UNSUPPORTED_CALL_METHOD"
	// ReasonInvalidExpirationPeriod: an expiration_period outside 30
	// minutes to 60 days.
	ReasonInvalidExpirationPeriod = "INVALID_EXPIRATION_PERIOD"
	// ReasonTimeShiftNeedsPeriod: an expiration_time_shift with an
	// expiration_period shorter than one day.
	ReasonTimeShiftNeedsPeriod = "EXPIRATION_TIME_SHIFT_REQUIRES_PERIOD_OF_ONE_DAY"
	// ReasonDeadlineTooFar: a konbini or bank-transfer capture_at (the
	// payment deadline) more than 60 days ahead.
	ReasonDeadlineTooFar = "DEADLINE_TOO_FAR"
)

// PaymentError is the error object of a charge that ended failed or error
// (docs/charges.md). Detail and Details carry the same text: the UnivaPay documentation spells it both ways.
type PaymentError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Detail  string `json:"detail"`
	Details string `json:"details"`
}

// Payment error codes used by the sandbox (docs/charges.md).
const (
	PaymentErrorGeneral      = 309 // test charges fail with 309
	PaymentErrorCancelFailed = 312
	PaymentErrorRefundFailed = 329
	TestChargeFailedMessage  = "Test charge failed purposely"
	// PaymentErrorDeclined: the 3-D Secure authentication failed.
	PaymentErrorDeclined = 306
	// PaymentErrorDeadlinePassed: a konbini, bank-transfer or online
	// charge was not paid by its deadline, or a 3-D Secure challenge was
	// not completed in time.
	PaymentErrorDeadlinePassed = 327
	// DeadlinePassedMessage is the message of PaymentErrorDeadlinePassed.
	DeadlinePassedMessage = "Payment deadline passed"
)

// SandboxPaymentFailedMessage is the message of an awaiting charge failed
// with the sandbox control POST /sandbox/charges/{chargeId}/fail.
const SandboxPaymentFailedMessage = "Payment failed by the sandbox control"
