package widget_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"kessai/api"
	"kessai/widget"
)

// Tests of Payment.Run and the Outcome helpers, asserting on the JSON the
// loader on the merchant page would receive (docs/widget.md,
// "Events and callbacks" and "submit()").

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

// ---------------------------------------------------------------- success

func TestPaymentRunSuccess(t *testing.T) {
	const (
		tc  = "event " + widget.EventTokenCreated
		cc  = "event " + widget.EventChargeCreated
		in  = "inputs"
		suc = "event " + widget.EventSuccess
	)
	cases := []struct {
		name       string
		attrs      map[string]any
		created    string   // status of POST /charges ("" for checkout=token)
		polls      []string // statuses returned by the polling GETs
		wantKinds  []string
		wantInputs map[string]string
		wantStatus string
	}{
		{
			name:       "pending twice then successful",
			created:    "pending",
			polls:      []string{"pending", "pending", "successful"},
			wantKinds:  []string{tc, cc, in, suc},
			wantInputs: map[string]string{"univapayTokenId": flowTokenID, "univapayChargeId": flowChargeID},
			wantStatus: "successful",
		},
		{
			name:       "successful at creation: no polling",
			created:    "successful",
			wantKinds:  []string{tc, cc, in, suc},
			wantInputs: map[string]string{"univapayTokenId": flowTokenID, "univapayChargeId": flowChargeID},
			wantStatus: "successful",
		},
		{
			name:       "authorization only ends authorized",
			attrs:      map[string]any{"data-capture": "false"},
			created:    "pending",
			polls:      []string{"authorized"},
			wantKinds:  []string{tc, cc, in, suc},
			wantInputs: map[string]string{"univapayTokenId": flowTokenID, "univapayChargeId": flowChargeID},
			wantStatus: "authorized",
		},
		{
			name:       "data-name renames only the charge field",
			attrs:      map[string]any{"data-name": "paymentRef"},
			created:    "pending",
			polls:      []string{"successful"},
			wantKinds:  []string{tc, cc, in, suc},
			wantInputs: map[string]string{"univapayTokenId": flowTokenID, "paymentRef": flowChargeID},
			wantStatus: "successful",
		},
		{
			name:       "checkout=token: token only",
			attrs:      map[string]any{"data-checkout": "token"},
			wantKinds:  []string{tc, in, suc},
			wantInputs: map[string]string{"univapayTokenId": flowTokenID},
		},
		{
			name:       "checkout=token with data-name renames the token field",
			attrs:      map[string]any{"data-checkout": "token", "data-name": "cardToken"},
			wantKinds:  []string{tc, in, suc},
			wantInputs: map[string]string{"cardToken": flowTokenID},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			payment := c.created != ""
			cl := &flowClient{t: t, CreateTokenFn: flowTokenOK(t)}
			if payment {
				cl.CreateChargeFn = flowChargeAs(t, flowStep{status: c.created})
				steps := make([]flowStep, len(c.polls))
				for i, s := range c.polls {
					steps[i] = flowStep{status: s}
				}
				cl.GetChargeFn = flowPoll(t, steps...)
			}
			out, rec := flowRun(t, context.Background(), flowOptions(t, c.attrs), cl, flowCard, 0)

			if got := rec.kinds(); !reflect.DeepEqual(got, c.wantKinds) {
				t.Fatalf("messages = %v, want %v", got, c.wantKinds)
			}
			if want := flowCalls(payment, len(c.polls)); !reflect.DeepEqual(cl.calls, want) {
				t.Errorf("client calls = %v, want %v", cl.calls, want)
			}

			// The requests built from options and input.
			if len(cl.tokenReqs) == 1 {
				r := cl.tokenReqs[0]
				if r.PaymentType != api.PaymentTypeCard || r.Data.CardNumber != "4242424242424242" || r.Email != "taro@example.com" ||
					r.Data.ExpMonth != "12" || r.Data.ExpYear != "2099" {
					t.Errorf("token request = %+v", r)
				}
			}
			if payment && len(cl.chargeReq) == 1 {
				r := cl.chargeReq[0]
				if r.TransactionTokenID != flowTokenID || r.Amount != 1000 || r.Currency != "JPY" {
					t.Errorf("charge request = %+v", r)
				}
			}

			// Outcome.
			if !out.OK || out.Retry || out.Code != "" || out.Stage != "" {
				t.Errorf("outcome OK=%t Retry=%t Stage=%q Code=%q, want OK only", out.OK, out.Retry, out.Stage, out.Code)
			}
			if !reflect.DeepEqual(out.Inputs, c.wantInputs) {
				t.Errorf("Outcome.Inputs = %v, want %v", out.Inputs, c.wantInputs)
			}
			if out.Token == nil || out.Token.Value.ID != flowTokenID {
				t.Errorf("Outcome.Token = %+v", out.Token)
			}
			if payment != (out.Charge != nil) {
				t.Errorf("Outcome.Charge = %+v, payment %t", out.Charge, payment)
			}

			// token-created.
			ev := rec.event(widget.EventTokenCreated)
			flowWant(t, "token-created", ev, "callback", "onTokenCreated")
			d := rec.detail(widget.EventTokenCreated)
			flowWant(t, "token-created", d, "tokenId", flowTokenID)
			flowWant(t, "token-created", d, "response.id", flowTokenID)
			flowWant(t, "token-created", d, "response.paymentType", "card")
			flowWant(t, "token-created", d, "response.data.card.lastFour", "4242")
			flowAbsent(t, "token-created", d, "response.payment_type")
			flowAbsent(t, "token-created", d, "response.data.card.card_number")

			// charge-created.
			if payment {
				ev := rec.event(widget.EventChargeCreated)
				flowWant(t, "charge-created", ev, "callback", "onChargeCreated")
				d := rec.detail(widget.EventChargeCreated)
				flowWant(t, "charge-created", d, "chargeId", flowChargeID)
				flowWant(t, "charge-created", d, "tokenId", flowTokenID)
				flowWant(t, "charge-created", d, "response.id", flowChargeID)
				flowWant(t, "charge-created", d, "response.status", c.created)
				flowWant(t, "charge-created", d, "response.transactionTokenId", flowTokenID)
			}

			// inputs, before success.
			var inputs map[string]any
			for _, m := range rec.msgs {
				if m["type"] == string(widget.MsgInputs) {
					inputs, _ = m["fields"].(map[string]any)
				}
			}
			wantInputs := map[string]any{}
			for k, v := range c.wantInputs {
				wantInputs[k] = v
			}
			if !reflect.DeepEqual(inputs, wantInputs) {
				t.Errorf("inputs fields = %v, want %v", inputs, wantInputs)
			}

			// success.
			ev = rec.event(widget.EventSuccess)
			flowWant(t, "success", ev, "callback", "onSuccess")
			d = rec.detail(widget.EventSuccess)
			flowWant(t, "success", d, "tokenId", flowTokenID)
			flowWant(t, "success", d, "paymentType", "card")
			flowWant(t, "success", d, "brand", "visa")
			flowWant(t, "success", d, "token.id", flowTokenID)
			flowWant(t, "success", d, "token.data.card.lastFour", "4242")
			flowAbsent(t, "success", d, "token.data.card.last_four")
			if payment {
				flowWant(t, "success", d, "resourceType", "charge")
				flowWant(t, "success", d, "chargeId", flowChargeID)
				flowWant(t, "success", d, "status", c.wantStatus)
				// response: the charge, camelCased (result.response.id).
				flowWant(t, "success", d, "response.id", flowChargeID)
				flowWant(t, "success", d, "response.status", c.wantStatus)
				// Integrations read result.response.paymentType
				// (docs/widget.md, "Success detail"), although the API's
				// charge object has no payment_type.
				flowWant(t, "success", d, "response.paymentType", "card")
				flowWant(t, "success", d, "response.requestedAmount", 1000)
				flowWant(t, "success", d, "response.requestedCurrency", "JPY")
				flowWant(t, "success", d, "response.storeId", flowStoreID)
				flowAbsent(t, "success", d, "response.requested_amount")
				flowAbsent(t, "success", d, "response.store_id")
				// metadata keys are the merchant's, untouched.
				flowWant(t, "success", d, "response.metadata.order_id", "A-1")
				flowWant(t, "success", d, "response.metadata.univapay-reference-id", "ref_1")
				flowAbsent(t, "success", d, "response.metadata.orderId")
				flowWant(t, "success", d, "charge.id", flowChargeID)
			} else {
				flowWant(t, "success", d, "resourceType", "token")
				flowAbsent(t, "success", d, "chargeId")
				flowAbsent(t, "success", d, "charge")
				// response: the token, camelCased (result.response.paymentType).
				flowWant(t, "success", d, "response.id", flowTokenID)
				flowWant(t, "success", d, "response.paymentType", "card")
				flowWant(t, "success", d, "response.storeId", flowStoreID)
				flowAbsent(t, "success", d, "response.payment_type")
				flowWant(t, "success", d, "response.metadata.order_id", "A-1")
				flowAbsent(t, "success", d, "response.metadata.orderId")
			}
		})
	}
}

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
	if out.OK || out.Stage != widget.StagePolling || out.Code == "" || out.Message == "" {
		t.Errorf("outcome OK=%t Stage=%q Code=%q Message=%q", out.OK, out.Stage, out.Code, out.Message)
	}
	d := rec.detail(widget.EventError)
	flowWant(t, "error", d, "stage", widget.StagePolling)
	flowWant(t, "error", d, "code", out.Code)
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

// ---------------------------------------------------------------- input validation

func TestPaymentRunInputValidation(t *testing.T) {
	cases := []struct {
		name  string
		in    func(widget.CardInput) widget.CardInput
		rules widget.CardRules
		want  widget.FieldErrors
	}{
		{"bad Luhn", func(in widget.CardInput) widget.CardInput { in.CardNumber = "4242 4242 4242 4241"; return in }, widget.CardRules{},
			widget.FieldErrors{widget.FieldCardNumber: widget.ErrCodeInvalidCardNumber}},
		{"expired last month", func(in widget.CardInput) widget.CardInput { in.Exp = "05/25"; return in }, widget.CardRules{},
			widget.FieldErrors{widget.FieldExp: widget.ErrCodeExpired}},
		{"empty email and bad cvv", func(in widget.CardInput) widget.CardInput { in.Email = ""; in.CVV = "12"; return in }, widget.CardRules{},
			widget.FieldErrors{widget.FieldEmail: widget.ErrCodeRequired, widget.FieldCVV: widget.ErrCodeInvalidCVV}},
		{"brand not allowed", func(in widget.CardInput) widget.CardInput { return in }, widget.CardRules{AllowedBrands: []string{widget.BrandJCB}},
			widget.FieldErrors{widget.FieldCardNumber: widget.ErrCodeUnsupportedBrand}},
		{"cvv required", func(in widget.CardInput) widget.CardInput { in.CVV = ""; return in }, widget.CardRules{RequireCVV: true},
			widget.FieldErrors{widget.FieldCVV: widget.ErrCodeRequired}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := &flowClient{t: t} // every call is unexpected
			rec := &flowRecorder{t: t}
			p := &widget.Payment{Options: flowOptions(t, nil), Locale: flowLocale, Client: cl, Emit: rec.emit, Rules: c.rules,
				Now: func() time.Time { return flowNow }}
			out := p.Run(context.Background(), c.in(flowCard))

			if len(cl.calls) != 0 {
				t.Errorf("client calls = %v, want none", cl.calls)
			}
			if got, want := rec.kinds(), []string{"event " + widget.EventValidationError}; !reflect.DeepEqual(got, want) {
				t.Fatalf("messages = %v, want %v", got, want)
			}
			flowWant(t, "validation-error", rec.event(widget.EventValidationError), "callback", "onValidationError")
			want := map[string]any{}
			for f, code := range c.want {
				want[f] = code
			}
			if got := rec.detail(widget.EventValidationError); !reflect.DeepEqual(got, want) {
				t.Errorf("validation-error detail = %v, want %v", got, want)
			}
			if out.OK || out.Stage != widget.StageToken || out.Code != widget.CodeValidation || !out.Retry ||
				out.Message != flowLocale.T("error.validation") || out.Message == "error.validation" {
				t.Errorf("outcome OK=%t Stage=%q Code=%q Retry=%t Message=%q", out.OK, out.Stage, out.Code, out.Retry, out.Message)
			}
			if !reflect.DeepEqual(out.Fields, c.want) {
				t.Errorf("Outcome.Fields = %v, want %v", out.Fields, c.want)
			}
			if out.Token != nil || out.Charge != nil || out.Inputs != nil {
				t.Errorf("outcome has resources: %+v", out)
			}
		})
	}
}

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
	ev := flowDecode(t, widget.ErrorEvent(out.Failure))
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
			ev := flowDecode(t, widget.ErrorEvent(out.Failure))
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
