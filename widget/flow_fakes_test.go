package widget_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"kessai/api"
	"kessai/widget"
)

// The fakes and helpers of the tests of Payment.Run (flow_test.go,
// flow_failures_test.go) and of the Outcome helpers (outcome_test.go), which
// assert on the JSON the loader on the merchant page would receive
// (docs/widget.md, "Events and callbacks" and "submit()").

var (
	flowNow    = time.Date(2025, time.June, 15, 12, 0, 0, 0, time.UTC)
	flowLocale = widget.Locale("en")
	// flowCard is a valid card form: Visa test card, far-future expiry
	// typed as merchants' own tests type it.
	flowCard = widget.CardInput{Cardholder: "TARO YAMADA", CardNumber: "4242 4242 4242 4242", Exp: "12/99", CVV: "123", Email: "taro@example.com"}
)

const (
	flowTokenID  = "tok_0001"
	flowChargeID = "ch_0001"
	flowStoreID  = "store_0001"
)

// ---------------------------------------------------------------- fakes

// flowClient is a widget.Client with function fields; a nil function is an
// unexpected call. Every call is recorded.
type flowClient struct {
	t              *testing.T
	CheckoutInfoFn func(ctx context.Context) (api.CheckoutInfo, error)
	CreateTokenFn  func(ctx context.Context, req api.TokenCreateRequest) (widget.Object[api.TransactionToken], error)
	CreateChargeFn func(ctx context.Context, req api.ChargeCreateRequest) (widget.Object[api.Charge], error)
	GetChargeFn    func(ctx context.Context, storeID, chargeID string, polling bool) (widget.Object[api.Charge], error)
	GetTokenFn     func(ctx context.Context, storeID, tokenID string) (widget.Object[api.TransactionToken], error)
	UpdateTokenFn  func(ctx context.Context, storeID, tokenID string, req api.TokenUpdateRequest) (widget.Object[api.TransactionToken], error)
	SavedCardsFn   func(ctx context.Context, storeID, customerID string) ([]api.TokenListItem, error)
	CreateSubFn    func(ctx context.Context, req api.SubscriptionCreateRequest) (widget.Object[api.Subscription], error)
	GetSubFn       func(ctx context.Context, storeID, id string, polling bool) (widget.Object[api.Subscription], error)
	UpdateSubFn    func(ctx context.Context, storeID, id string, req api.SubscriptionUpdateBody) (widget.Object[api.Subscription], error)

	calls     []string
	tokenReqs []api.TokenCreateRequest
	chargeReq []api.ChargeCreateRequest
	subReqs   []api.SubscriptionCreateRequest
	subPatch  []api.SubscriptionUpdateBody
	tokPatch  []api.TokenUpdateRequest
}

// flowCall records a call and runs fn, or fails the test when fn is nil.
func flowCall[T any](c *flowClient, name string, fn func() (T, error), set bool) (T, error) {
	c.calls = append(c.calls, name)
	if !set {
		c.t.Errorf("unexpected call %s", name)
		var zero T
		return zero, errFlowUnexpected
	}
	return fn()
}

func (c *flowClient) GetToken(ctx context.Context, storeID, tokenID string) (widget.Object[api.TransactionToken], error) {
	return flowCall(c, fmt.Sprintf("GetToken(%s,%s)", storeID, tokenID), func() (widget.Object[api.TransactionToken], error) {
		return c.GetTokenFn(ctx, storeID, tokenID)
	}, c.GetTokenFn != nil)
}

func (c *flowClient) UpdateToken(ctx context.Context, storeID, tokenID string, req api.TokenUpdateRequest) (widget.Object[api.TransactionToken], error) {
	c.tokPatch = append(c.tokPatch, req)
	return flowCall(c, fmt.Sprintf("UpdateToken(%s,%s)", storeID, tokenID), func() (widget.Object[api.TransactionToken], error) {
		return c.UpdateTokenFn(ctx, storeID, tokenID, req)
	}, c.UpdateTokenFn != nil)
}

func (c *flowClient) SavedCards(ctx context.Context, storeID, customerID string) ([]api.TokenListItem, error) {
	return flowCall(c, fmt.Sprintf("SavedCards(%s,%s)", storeID, customerID), func() ([]api.TokenListItem, error) {
		return c.SavedCardsFn(ctx, storeID, customerID)
	}, c.SavedCardsFn != nil)
}

func (c *flowClient) CreateSubscription(ctx context.Context, req api.SubscriptionCreateRequest) (widget.Object[api.Subscription], error) {
	c.subReqs = append(c.subReqs, req)
	return flowCall(c, "CreateSubscription", func() (widget.Object[api.Subscription], error) {
		return c.CreateSubFn(ctx, req)
	}, c.CreateSubFn != nil)
}

func (c *flowClient) GetSubscription(ctx context.Context, storeID, id string, polling bool) (widget.Object[api.Subscription], error) {
	return flowCall(c, fmt.Sprintf("GetSubscription(%s,%s,polling=%t)", storeID, id, polling), func() (widget.Object[api.Subscription], error) {
		return c.GetSubFn(ctx, storeID, id, polling)
	}, c.GetSubFn != nil)
}

func (c *flowClient) UpdateSubscription(ctx context.Context, storeID, id string, req api.SubscriptionUpdateBody) (widget.Object[api.Subscription], error) {
	c.subPatch = append(c.subPatch, req)
	return flowCall(c, fmt.Sprintf("UpdateSubscription(%s,%s)", storeID, id), func() (widget.Object[api.Subscription], error) {
		return c.UpdateSubFn(ctx, storeID, id, req)
	}, c.UpdateSubFn != nil)
}

var _ widget.Client = (*flowClient)(nil)

var errFlowUnexpected = errors.New("unexpected call")

func (c *flowClient) CheckoutInfo(ctx context.Context) (api.CheckoutInfo, error) {
	c.calls = append(c.calls, "CheckoutInfo")
	if c.CheckoutInfoFn == nil {
		c.t.Errorf("unexpected call CheckoutInfo")
		return api.CheckoutInfo{}, errFlowUnexpected
	}
	return c.CheckoutInfoFn(ctx)
}

func (c *flowClient) CreateToken(ctx context.Context, req api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
	c.calls = append(c.calls, "CreateToken")
	c.tokenReqs = append(c.tokenReqs, req)
	if c.CreateTokenFn == nil {
		c.t.Errorf("unexpected call CreateToken")
		return widget.Object[api.TransactionToken]{}, errFlowUnexpected
	}
	return c.CreateTokenFn(ctx, req)
}

func (c *flowClient) CreateCharge(ctx context.Context, req api.ChargeCreateRequest) (widget.Object[api.Charge], error) {
	c.calls = append(c.calls, "CreateCharge")
	c.chargeReq = append(c.chargeReq, req)
	if c.CreateChargeFn == nil {
		c.t.Errorf("unexpected call CreateCharge")
		return widget.Object[api.Charge]{}, errFlowUnexpected
	}
	return c.CreateChargeFn(ctx, req)
}

func (c *flowClient) GetCharge(ctx context.Context, storeID, chargeID string, polling bool) (widget.Object[api.Charge], error) {
	c.calls = append(c.calls, fmt.Sprintf("GetCharge(%s,%s,polling=%t)", storeID, chargeID, polling))
	if c.GetChargeFn == nil {
		c.t.Errorf("unexpected call GetCharge")
		return widget.Object[api.Charge]{}, errFlowUnexpected
	}
	return c.GetChargeFn(ctx, storeID, chargeID, polling)
}

// flowStep is one answer of a fake call.
type flowStep struct {
	status string // charge status returned, when err is nil
	errObj string // the charge's "error" JSON; "" = null
	err    error
}

func flowPoll(t *testing.T, steps ...flowStep) func(context.Context, string, string, bool) (widget.Object[api.Charge], error) {
	i := 0
	return func(context.Context, string, string, bool) (widget.Object[api.Charge], error) {
		if i >= len(steps) {
			t.Errorf("GetCharge called %d times, only %d answers scripted", i+1, len(steps))
			return widget.Object[api.Charge]{}, errFlowUnexpected
		}
		s := steps[i]
		i++
		if s.err != nil {
			return widget.Object[api.Charge]{}, s.err
		}
		return flowCharge(t, s.status, s.errObj), nil
	}
}

func flowTokenOK(t *testing.T) func(context.Context, api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
	return func(context.Context, api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
		return flowToken(t), nil
	}
}

func flowTokenErr(err error) func(context.Context, api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
	return func(context.Context, api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
		return widget.Object[api.TransactionToken]{}, err
	}
}

func flowChargeAs(t *testing.T, s flowStep) func(context.Context, api.ChargeCreateRequest) (widget.Object[api.Charge], error) {
	return func(context.Context, api.ChargeCreateRequest) (widget.Object[api.Charge], error) {
		if s.err != nil {
			return widget.Object[api.Charge]{}, s.err
		}
		return flowCharge(t, s.status, s.errObj), nil
	}
}

// flowToken is a card token as POST /tokens returns it (snake_case).
func flowToken(t *testing.T) widget.Object[api.TransactionToken] {
	t.Helper()
	raw := `{"id":"` + flowTokenID + `","store_id":"` + flowStoreID + `","email":"taro@example.com","payment_type":"card","active":true,` +
		`"mode":"test","type":"one_time","usage_limit":null,"confirmed":null,"metadata":{"order_id":"A-1","univapay-reference-id":"ref_1"},` +
		`"created_on":"2025-06-15T12:00:00Z","updated_on":"2025-06-15T12:00:00Z","last_used_on":null,` +
		`"data":{"card":{"cardholder":"TARO YAMADA","exp_month":12,"exp_year":2099,"card_bin":"424242","last_four":"4242","brand":"visa",` +
		`"card_type":"credit","country":"JP","category":null,"issuer":null,"sub_brand":"none"},` +
		`"billing":{"line1":null,"line2":null,"state":null,"city":null,"country":null,"zip":null,"phone_number":null},` +
		`"cvv_authorize":{"enabled":false,"status":null,"charge_id":null,"credentials_id":null,"currency":null},` +
		`"cvv_authorize_check":{"status":null,"charge_id":null,"date":null},` +
		`"three_ds":{"enabled":false,"status":null,"redirect_endpoint":null,"redirect_id":null}}}`
	var v api.TransactionToken
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("token fixture: %v", err)
	}
	return widget.Object[api.TransactionToken]{Value: v, Raw: json.RawMessage(raw)}
}

// flowCharge is a charge as the API returns it, with status and error
// (JSON, "" = null).
func flowCharge(t *testing.T, status, errObj string) widget.Object[api.Charge] {
	t.Helper()
	if errObj == "" {
		errObj = "null"
	}
	raw := `{"id":"` + flowChargeID + `","store_id":"` + flowStoreID + `","transaction_token_id":"` + flowTokenID + `",` +
		`"transaction_token_type":"one_time","subscription_id":null,"merchant_transaction_id":null,` +
		`"requested_amount":1000,"requested_currency":"JPY","requested_amount_formatted":1000,` +
		`"charged_amount":null,"charged_currency":null,"charged_amount_formatted":null,` +
		`"fee_amount":null,"fee_currency":null,"fee_amount_formatted":null,"only_direct_currency":false,` +
		`"capture_at":null,"descriptor":null,"descriptor_phone_number":null,"status":"` + status + `","error":` + errObj + `,` +
		`"metadata":{"order_id":"A-1","univapay-reference-id":"ref_1"},"mode":"test","created_on":"2025-06-15T12:00:01Z","redirect":{}}`
	var v api.Charge
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("charge fixture: %v", err)
	}
	return widget.Object[api.Charge]{Value: v, Raw: json.RawMessage(raw)}
}

const flowErr309 = `{"code":309,"message":"Test charge failed purposely","detail":"Test charge failed purposely","details":"Test charge failed purposely"}`

// flowRecorder is Payment.Emit: it keeps every message as the JSON object
// the loader would JSON.parse.
type flowRecorder struct {
	t    *testing.T
	msgs []map[string]any
}

func (r *flowRecorder) emit(msg any) {
	r.t.Helper()
	r.msgs = append(r.msgs, flowDecode(r.t, msg))
}

// flowDecode encodes msg as posted to the loader and decodes it generically.
func flowDecode(t *testing.T, msg any) map[string]any {
	t.Helper()
	s, err := widget.Encode(msg)
	if err != nil {
		t.Fatalf("Encode(%T): %v", msg, err)
	}
	if _, ok := widget.PeekType(s); !ok {
		t.Errorf("message without a type: %s", s)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return m
}

// kinds names the messages: "event <name>" or the message type.
func (r *flowRecorder) kinds() []string {
	out := make([]string, len(r.msgs))
	for i, m := range r.msgs {
		if m["type"] == string(widget.MsgEvent) {
			out[i] = "event " + fmt.Sprint(m["name"])
		} else {
			out[i] = fmt.Sprint(m["type"])
		}
	}
	return out
}

// event returns the first event message of that name.
func (r *flowRecorder) event(name string) map[string]any {
	r.t.Helper()
	for _, m := range r.msgs {
		if m["type"] == string(widget.MsgEvent) && m["name"] == name {
			return m
		}
	}
	r.t.Fatalf("no %s event in %v", name, r.kinds())
	return nil
}

// detail returns the detail of the first event of that name.
func (r *flowRecorder) detail(name string) map[string]any {
	r.t.Helper()
	d, ok := r.event(name)["detail"].(map[string]any)
	if !ok {
		r.t.Fatalf("%s detail is not an object: %#v", name, r.event(name)["detail"])
	}
	return d
}

// ---------------------------------------------------------------- JSON helpers

// flowAt walks a dotted path through decoded JSON objects.
func flowAt(v any, path string) (any, bool) {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

// flowWant checks that path holds want (compared as fmt.Sprint, so JSON
// numbers compare with ints).
func flowWant(t *testing.T, what string, v any, path string, want any) {
	t.Helper()
	got, ok := flowAt(v, path)
	if !ok {
		t.Errorf("%s: %s missing (have keys %v)", what, path, flowKeys(v, path))
		return
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: %s = %#v, want %#v", what, path, got, want)
	}
}

// flowWantString checks that path holds a non-empty string.
func flowWantString(t *testing.T, what string, v any, path string) string {
	t.Helper()
	got, ok := flowAt(v, path)
	s, isStr := got.(string)
	if !ok || !isStr || s == "" {
		t.Errorf("%s: %s = %#v (present %t), want a non-empty string", what, path, got, ok)
	}
	return s
}

func flowAbsent(t *testing.T, what string, v any, path string) {
	t.Helper()
	if got, ok := flowAt(v, path); ok {
		t.Errorf("%s: %s = %#v, want absent", what, path, got)
	}
}

// flowKeys lists the keys of the object holding the last element of path.
func flowKeys(v any, path string) []string {
	parent := path
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		parent = path[:i]
		v, _ = flowAt(v, parent)
	}
	m, _ := v.(map[string]any)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func flowOptions(t *testing.T, attrs map[string]any) widget.Options {
	t.Helper()
	raw := map[string]any{"data-app-id": "app-jwt", "data-amount": "1000", "data-currency": "jpy"}
	for k, v := range attrs {
		raw[k] = v
	}
	o, ps := widget.ParseOptions(widget.SourceHTML, raw)
	if ps.HasErrors() {
		t.Fatalf("ParseOptions(%v): %v", raw, ps)
	}
	return o
}

// flowRun runs a payment and returns its outcome with the messages emitted.
func flowRun(t *testing.T, ctx context.Context, opts widget.Options, c *flowClient, in widget.CardInput, maxPolls int) (widget.Outcome, *flowRecorder) {
	t.Helper()
	rec := &flowRecorder{t: t}
	p := &widget.Payment{
		Options:       opts,
		Locale:        flowLocale,
		Client:        c,
		Emit:          rec.emit,
		Now:           func() time.Time { return flowNow },
		MaxPolls:      maxPolls,
		RetryWait:     time.Millisecond,
		TokenPollWait: time.Millisecond,
	}
	return p.Run(ctx, in), rec
}

func flowPolls(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "GetCharge(" + flowStoreID + "," + flowChargeID + ",polling=true)"
	}
	return out
}

func flowCalls(payment bool, polls int) []string {
	calls := []string{"CreateToken"}
	if payment {
		calls = append(calls, "CreateCharge")
	}
	return append(calls, flowPolls(polls)...)
}
