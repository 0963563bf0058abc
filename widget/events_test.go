package widget_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"kessai/api"
	"kessai/widget"
)

// The merchant-facing contract as JSON: for each kind of payment, every
// message the loader receives (events with their details, hidden inputs) and
// what submit() settles with, compared with golden files in
// testdata/contract (`go test ./widget -run TestContractGolden -update`
// rewrites them). A change in what a merchant page receives shows up as a
// diff of those files.

func init() {
	// Shared with the other golden tests of the package: whichever file
	// declares -update first.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// contractGolden compares v, as indented JSON, with testdata/contract/name.json.
func contractGolden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "contract", name+".json")
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v (run with -update to create it)", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the widget sends now (-update rewrites it):\n%s", path, got)
	}
}

// contractRecorder keeps the messages as the values Payment emitted, and
// checks that every event carries the detail type of the event table.
type contractRecorder struct {
	t    *testing.T
	msgs []json.RawMessage
}

func (r *contractRecorder) emit(msg any) {
	r.t.Helper()
	if ev, ok := msg.(widget.Event); ok {
		checkDetailType(r.t, ev)
	}
	s, err := widget.Encode(msg)
	if err != nil {
		r.t.Fatal(err)
	}
	r.msgs = append(r.msgs, json.RawMessage(s))
}

// checkDetailType fails when an event's detail is not of the type the event
// table declares (the type the TypeScript declarations describe).
func checkDetailType(t *testing.T, ev widget.Event) {
	t.Helper()
	for _, spec := range widget.Events() {
		if spec.Name != ev.Name {
			continue
		}
		if got, want := reflect.TypeOf(ev.Detail), reflect.TypeOf(spec.Detail); got != want {
			t.Errorf("%s: detail is %v, the event table declares %v", ev.Name, got, want)
		}
		if ev.Callback != spec.Callback {
			t.Errorf("%s: callback %q, the event table declares %q", ev.Name, ev.Callback, spec.Callback)
		}
		return
	}
	t.Errorf("event %q is not in the event table", ev.Name)
}

type contractCase struct {
	name   string
	attrs  map[string]any
	client func(t *testing.T) *flowClient
	input  *widget.CardInput
	// products, when set, are applied from this checkout_info.
	products *api.CheckoutInfo
}

func TestContractGolden(t *testing.T) {
	cases := []contractCase{
		{name: "charge_successful", client: func(t *testing.T) *flowClient {
			return &flowClient{t: t, CreateTokenFn: flowTokenOK(t), CreateChargeFn: flowChargeAs(t, flowStep{status: "pending"}),
				GetChargeFn: flowPoll(t, flowStep{status: "successful"})}
		}},
		{name: "charge_declined", client: func(t *testing.T) *flowClient {
			return &flowClient{t: t, CreateTokenFn: flowTokenOK(t), CreateChargeFn: flowChargeAs(t, flowStep{status: "pending"}),
				GetChargeFn: flowPoll(t, flowStep{status: "failed", errObj: flowErr309})}
		}},
		{name: "token_only", attrs: map[string]any{"data-checkout": "token"}, client: func(t *testing.T) *flowClient {
			return &flowClient{t: t, CreateTokenFn: flowTokenOK(t)}
		}},
		{name: "subscription_current", attrs: map[string]any{"data-token-type": "subscription", "data-subscription-period": "monthly"},
			client: func(t *testing.T) *flowClient {
				return &flowClient{t: t, CreateTokenFn: flowTokenOK(t),
					CreateSubFn: func(context.Context, api.SubscriptionCreateRequest) (widget.Object[api.Subscription], error) {
						return flowSubscription(t, "unverified"), nil
					},
					GetSubFn: flowSubs(t, "current")}
			}},
		{name: "token_api_validation_error", client: func(t *testing.T) *flowClient {
			return &flowClient{t: t, CreateTokenFn: flowTokenErr(api.NewError(400, api.CodeValidationError,
				api.FieldError{Field: "data.card_number", Reason: api.ReasonInvalidCardNumber}))}
		}},
		{name: "charge_network_error", client: func(t *testing.T) *flowClient {
			return &flowClient{t: t, CreateTokenFn: flowTokenOK(t), CreateChargeFn: flowChargeAs(t, flowStep{err: context.DeadlineExceeded})}
		}},
		{name: "form_validation_error", input: &widget.CardInput{CardNumber: "4242 4242 4242 4241", Exp: "01/20", Email: "x"},
			client: func(t *testing.T) *flowClient { return &flowClient{t: t} }},
		{name: "products", attrs: map[string]any{"data-amount": nil, "data-product-codes": "tshirt,mug", "data-product-code-quantities": "2,1"},
			products: &api.CheckoutInfo{CheckoutConfiguration: api.CheckoutConfiguration{ECProducts: api.EnabledFlag{Enabled: true}},
				Products: []api.Product{{Code: "mug", Name: "Mug", Amount: 1200, Currency: "jpy"}, {Code: "tshirt", Name: "T-shirt", Amount: 2500, Currency: "JPY"}}},
			client: func(t *testing.T) *flowClient {
				return &flowClient{t: t, CreateTokenFn: flowTokenOK(t), CreateChargeFn: flowChargeAs(t, flowStep{status: "successful"})}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			attrs := map[string]any{}
			for k, v := range c.attrs {
				if v != nil {
					attrs[k] = v
				}
			}
			opts := flowOptions(t, attrs)
			if _, unset := c.attrs["data-amount"]; unset {
				opts.Amount, opts.AmountSet = 0, false
			}
			rec := &contractRecorder{t: t}
			client := c.client(t)
			p := &widget.Payment{Options: opts, Locale: flowLocale, Client: client, Emit: rec.emit,
				Now: func() time.Time { return flowNow }, MaxPolls: 3, RetryWait: time.Millisecond, TokenPollWait: time.Millisecond}
			if c.products != nil {
				var lines []widget.ProductLine
				var ps widget.Problems
				p.Options, lines, ps = opts.ApplyProducts(*c.products)
				if ps.HasErrors() {
					t.Fatalf("ApplyProducts: %v", ps)
				}
				p.Products = lines
				p.Extras.Reserved = widget.ProductsReserved(lines)
			}
			in := flowCard
			if c.input != nil {
				in = *c.input
			}
			out := p.Run(context.Background(), in)
			doc := map[string]any{"messages": rec.msgs}
			if out.OK {
				doc["submitResolves"] = out.SubmitValue("conn-1")
			} else {
				doc["submitRejects"] = out.SubmitError(flowLocale)
			}
			if len(client.chargeReq) > 0 {
				doc["chargeRequest"] = client.chargeReq[0]
			}
			contractGolden(t, c.name, doc)
		})
	}
}

// The failures the iframe reports outside a payment: a configuration error,
// checkout_info refused, the merchant's timeout, and the loader's own for a
// blocked frame.
func TestContractGoldenFailures(t *testing.T) {
	_, ps := widget.ParseAndValidate(widget.SourceHTML, map[string]any{"data-app-id": "jwt", "data-amount": "-1", "data-currency": "yen"})
	ids := map[string]string{}
	widget.CreatedIDs(widget.NewEvent(widget.EventTokenCreated, widget.TokenCreatedDetail{TokenID: flowTokenID}), ids)
	outcomes := map[string]widget.Outcome{
		"config_error":  widget.ConfigError(flowLocale, ps.Errors()),
		"checkout_info": widget.APIFailure(flowLocale, widget.StageCheckoutInfo, api.NewError(401, api.CodeInvalidDomain)),
		"timeout":       widget.TimeoutError(flowLocale, ids),
		"blocked_frame": widget.BlockedFrame(flowLocale),
	}
	doc := map[string]any{}
	for name, o := range outcomes {
		ev := widget.ErrorEvent(o.Failure)
		checkDetailType(t, ev)
		doc[name] = map[string]any{"event": ev, "submitRejects": o.SubmitError(flowLocale)}
	}
	contractGolden(t, "failures", doc)
}

// Every event of the table has a callback, and Callbacks (what the loader is
// told to call) agrees with it.
func TestEventTable(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range widget.Events() {
		if e.Callback == "" || e.Detail == nil || e.When == "" {
			t.Errorf("%s: incomplete entry %+v", e.Name, e)
		}
		if seen[e.Callback] {
			t.Errorf("callback %s twice", e.Callback)
		}
		seen[e.Callback] = true
		if widget.Callbacks[e.Name] != e.Callback {
			t.Errorf("Callbacks[%s] = %q, want %q", e.Name, widget.Callbacks[e.Name], e.Callback)
		}
	}
	if len(widget.Callbacks) != len(widget.Events()) {
		t.Errorf("Callbacks has %d entries, the table %d", len(widget.Callbacks), len(widget.Events()))
	}
}
