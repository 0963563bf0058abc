package widget_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"kessai/api"
	"kessai/widget"
)

// Tests of the subscription, CVV-authorization, saved-card and card-change
// paths of Payment.Run (docs/widget.md, "Payment flows"), over the fake
// client of flow_test.go.

const flowSubID = "sub_0001"

// flowTokenAs is flowToken with another type and, when cvv is not "", an
// enabled CVV authorization in that status.
func flowTokenAs(t *testing.T, typ, cvv string) widget.Object[api.TransactionToken] {
	t.Helper()
	raw := string(flowToken(t).Raw)
	raw = strings.Replace(raw, `"type":"one_time"`, `"type":"`+typ+`"`, 1)
	if cvv != "" {
		raw = strings.Replace(raw, `"cvv_authorize":{"enabled":false,"status":null`, `"cvv_authorize":{"enabled":true,"status":"`+cvv+`"`, 1)
	}
	var v api.TransactionToken
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("token fixture: %v", err)
	}
	return widget.Object[api.TransactionToken]{Value: v, Raw: json.RawMessage(raw)}
}

// flowSubscription is a subscription as the API returns it.
func flowSubscription(t *testing.T, status string) widget.Object[api.Subscription] {
	t.Helper()
	raw := `{"id":"` + flowSubID + `","store_id":"` + flowStoreID + `","transaction_token_id":"` + flowTokenID + `",` +
		`"amount":1000,"currency":"JPY","amount_formatted":1000,"initial_amount":null,"initial_amount_formatted":null,` +
		`"subsequent_cycles_start":null,"schedule_settings":{"start_on":null,"zone_id":"Asia/Tokyo","preserve_end_of_month":null,` +
		`"retry_interval":null,"termination_mode":"immediate"},"only_direct_currency":false,"first_charge_capture_after":null,` +
		`"first_charge_authorization_only":false,"status":"` + status + `","metadata":{"order_id":"A-1"},"mode":"test",` +
		`"created_on":"2025-06-15T12:00:01Z","period":"monthly","next_payment":{"id":"pay_1","due_date":"2025-07-15",` +
		`"zone_id":"Asia/Tokyo","amount":1000,"currency":"JPY","amount_formatted":1000,"is_paid":false,"is_last_payment":false,` +
		`"created_on":"2025-06-15T12:00:01Z","updated_on":"2025-06-15T12:00:01Z","retry_date":null}}`
	var v api.Subscription
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("subscription fixture: %v", err)
	}
	return widget.Object[api.Subscription]{Value: v, Raw: json.RawMessage(raw)}
}

// flowSubs answers the subscription reads with these statuses in turn.
func flowSubs(t *testing.T, statuses ...string) func(context.Context, string, string, bool) (widget.Object[api.Subscription], error) {
	i := 0
	return func(context.Context, string, string, bool) (widget.Object[api.Subscription], error) {
		if i >= len(statuses) {
			t.Errorf("GetSubscription called %d times, only %d answers scripted", i+1, len(statuses))
			return widget.Object[api.Subscription]{}, errFlowUnexpected
		}
		i++
		return flowSubscription(t, statuses[i-1]), nil
	}
}

// flowTokens answers the token reads with these CVV-authorization statuses
// in turn.
func flowTokens(t *testing.T, typ string, cvv ...string) func(context.Context, string, string) (widget.Object[api.TransactionToken], error) {
	i := 0
	return func(context.Context, string, string) (widget.Object[api.TransactionToken], error) {
		if i >= len(cvv) {
			t.Errorf("GetToken called %d times, only %d answers scripted", i+1, len(cvv))
			return widget.Object[api.TransactionToken]{}, errFlowUnexpected
		}
		i++
		return flowTokenAs(t, typ, cvv[i-1]), nil
	}
}

func flowSubPolls(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "GetSubscription(" + flowStoreID + "," + flowSubID + ",polling=true)"
	}
	return out
}

const (
	evTC  = "event " + widget.EventTokenCreated
	evCC  = "event " + widget.EventChargeCreated
	evSC  = "event " + widget.EventSubscriptionCreated
	evSuc = "event " + widget.EventSuccess
	evErr = "event " + widget.EventError
	evVE  = "event " + widget.EventValidationError
)

func TestPaymentRunSubscription(t *testing.T) {
	cases := []struct {
		name       string
		attrs      map[string]any
		tokenType  string
		created    string
		polls      []string
		wantInputs map[string]string
		wantStatus string
	}{
		{
			name:       "monthly subscription: unverified, then current",
			attrs:      map[string]any{"data-token-type": "subscription", "data-subscription-period": "monthly"},
			tokenType:  "subscription",
			created:    "unverified",
			polls:      []string{"unverified", "current"},
			wantInputs: map[string]string{"univapayTokenId": flowTokenID, "univapaySubscriptionId": flowSubID},
			wantStatus: "current",
		},
		{
			name:       "data-name renames the subscription field",
			attrs:      map[string]any{"data-token-type": "subscription", "data-subscription-period": "P2W", "data-name": "subRef"},
			tokenType:  "subscription",
			created:    "unverified",
			polls:      []string{"current"},
			wantInputs: map[string]string{"univapayTokenId": flowTokenID, "subRef": flowSubID},
			wantStatus: "current",
		},
		{
			name:       "recurring token with a period",
			attrs:      map[string]any{"data-token-type": "recurring", "data-subscription-period": "weekly"},
			tokenType:  "recurring",
			created:    "unverified",
			polls:      []string{"current"},
			wantInputs: map[string]string{"univapayTokenId": flowTokenID, "univapaySubscriptionId": flowSubID},
			wantStatus: "current",
		},
		{
			name:       "an installment payment ends completed",
			attrs:      map[string]any{"data-token-type": "subscription", "data-subscription-period": "monthly", "data-subscription-plan": "fixed_cycles", "data-subscription-qty": "1"},
			tokenType:  "subscription",
			created:    "unverified",
			polls:      []string{"completed"},
			wantInputs: map[string]string{"univapayTokenId": flowTokenID, "univapaySubscriptionId": flowSubID},
			wantStatus: "completed",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := &flowClient{t: t,
				CreateTokenFn: func(context.Context, api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
					return flowTokenAs(t, c.tokenType, ""), nil
				},
				CreateSubFn: func(context.Context, api.SubscriptionCreateRequest) (widget.Object[api.Subscription], error) {
					return flowSubscription(t, c.created), nil
				},
				GetSubFn: flowSubs(t, c.polls...),
			}
			out, rec := flowRun(t, context.Background(), flowOptions(t, c.attrs), cl, flowCard, 0)

			if got, want := rec.kinds(), []string{evTC, evSC, "inputs", evSuc}; !reflect.DeepEqual(got, want) {
				t.Fatalf("messages = %v, want %v", got, want)
			}
			if want := append([]string{"CreateToken", "CreateSubscription"}, flowSubPolls(len(c.polls))...); !reflect.DeepEqual(cl.calls, want) {
				t.Errorf("client calls = %v, want %v", cl.calls, want)
			}
			if got := string(cl.tokenReqs[0].Type); got != c.tokenType {
				t.Errorf("token type %s, want %s", got, c.tokenType)
			}
			if r := cl.subReqs[0]; r.TransactionTokenID != flowTokenID || r.Amount == nil || *r.Amount != 1000 || r.Currency != "JPY" {
				t.Errorf("subscription request = %+v", r)
			}
			if !out.OK || out.Subscription == nil || out.Charge != nil {
				t.Fatalf("outcome = %+v", out)
			}
			if !reflect.DeepEqual(out.Inputs, c.wantInputs) {
				t.Errorf("inputs = %v, want %v", out.Inputs, c.wantInputs)
			}

			d := rec.detail(widget.EventSubscriptionCreated)
			flowWant(t, "subscription-created", rec.event(widget.EventSubscriptionCreated), "callback", "onSubscriptionCreated")
			flowWant(t, "subscription-created", d, "subscriptionId", flowSubID)
			flowWant(t, "subscription-created", d, "tokenId", flowTokenID)
			flowWant(t, "subscription-created", d, "response.id", flowSubID)
			flowWant(t, "subscription-created", d, "response.status", c.created)
			flowWant(t, "subscription-created", d, "response.transactionTokenId", flowTokenID)

			d = rec.detail(widget.EventSuccess)
			flowWant(t, "success", d, "resourceType", "subscription")
			flowWant(t, "success", d, "subscriptionId", flowSubID)
			flowWant(t, "success", d, "tokenId", flowTokenID)
			flowWant(t, "success", d, "status", c.wantStatus)
			flowWant(t, "success", d, "paymentType", "card")
			// onSuccess reads result.response.id and .paymentType
			// (docs/widget.md, "Success detail").
			flowWant(t, "success", d, "response.id", flowSubID)
			flowWant(t, "success", d, "response.paymentType", "card")
			flowWant(t, "success", d, "response.nextPayment.dueDate", "2025-07-15")
			flowWant(t, "success", d, "subscription.id", flowSubID)
			flowAbsent(t, "success", d, "chargeId")

			v := flowDecode(t, widget.Result{Type: widget.MsgResult, OK: true, Value: out.SubmitValue("c1")})["value"]
			flowWant(t, "submit", v, "subscription", flowSubID)
			flowWant(t, "submit", v, "token", flowTokenID)
			flowWant(t, "submit", v, "response.id", flowSubID)
			flowAbsent(t, "submit", v, "charge")
		})
	}
}

func TestPaymentRunSubscriptionFailures(t *testing.T) {
	attrs := map[string]any{"data-token-type": "subscription", "data-subscription-period": "monthly"}
	t.Run("first payment fails: unconfirmed", func(t *testing.T) {
		cl := &flowClient{t: t, CreateTokenFn: flowTokenOK(t),
			CreateSubFn: func(context.Context, api.SubscriptionCreateRequest) (widget.Object[api.Subscription], error) {
				return flowSubscription(t, "unverified"), nil
			},
			GetSubFn: flowSubs(t, "unconfirmed")}
		out, rec := flowRun(t, context.Background(), flowOptions(t, attrs), cl, flowCard, 0)
		if got, want := rec.kinds(), []string{evTC, evSC, evErr}; !reflect.DeepEqual(got, want) {
			t.Fatalf("messages = %v, want %v", got, want)
		}
		if out.OK || !out.Retry || out.Stage != widget.StageSubscription || out.Code != widget.CodeSubscriptionUnconfirmed ||
			out.Message != flowLocale.T("error.subscriptionFailed") || out.Inputs != nil {
			t.Errorf("outcome = %+v", out)
		}
		d := rec.detail(widget.EventError)
		flowWant(t, "error", d, "stage", "subscription")
		flowWant(t, "error", d, "code", widget.CodeSubscriptionUnconfirmed)
		flowWant(t, "error", d, "subscriptionId", flowSubID)
		flowWant(t, "error", d, "tokenId", flowTokenID)
		flowWant(t, "error", d, "response.status", "unconfirmed")
		flowWant(t, "error", d, "error.error.message", out.Message) // e.error.error.message
		e := flowDecode(t, widget.Result{Type: widget.MsgResult, Error: out.SubmitError(flowLocale)})["error"]
		flowWant(t, "submit error", e, "message", out.Message)
		flowWant(t, "submit error", e, "subscriptionId", flowSubID)
	})
	t.Run("POST /subscriptions refused", func(t *testing.T) {
		cl := &flowClient{t: t, CreateTokenFn: flowTokenOK(t),
			CreateSubFn: func(context.Context, api.SubscriptionCreateRequest) (widget.Object[api.Subscription], error) {
				return widget.Object[api.Subscription]{}, api.NewError(409, api.CodeNonUniqueActiveToken)
			}}
		out, rec := flowRun(t, context.Background(), flowOptions(t, attrs), cl, flowCard, 0)
		if got, want := rec.kinds(), []string{evTC, evErr}; !reflect.DeepEqual(got, want) {
			t.Fatalf("messages = %v, want %v", got, want)
		}
		if out.Stage != widget.StageSubscription || out.Code != api.CodeNonUniqueActiveToken || !out.Retry {
			t.Errorf("outcome = %+v", out)
		}
		flowWant(t, "error", rec.detail(widget.EventError), "error.error.httpStatus", 409)
	})
	t.Run("still unverified when the polls run out", func(t *testing.T) {
		cl := &flowClient{t: t, CreateTokenFn: flowTokenOK(t),
			CreateSubFn: func(context.Context, api.SubscriptionCreateRequest) (widget.Object[api.Subscription], error) {
				return flowSubscription(t, "unverified"), nil
			},
			GetSubFn: flowSubs(t, "unverified", "unverified")}
		out, rec := flowRun(t, context.Background(), flowOptions(t, attrs), cl, flowCard, 2)
		if out.OK || out.Stage != widget.StagePolling || out.Code != "POLLING_TIMEOUT" {
			t.Errorf("outcome = %+v", out)
		}
		flowWant(t, "error", rec.detail(widget.EventError), "subscriptionId", flowSubID)
	})
}

// cvvAuthorize: the token's CVV authorization is followed to current before
// anything is charged or reported (rows 3 and 13 of docs/widget.md,
// "The tokenType × checkout matrix").
func TestPaymentRunCVVAuthorization(t *testing.T) {
	sub0 := map[string]any{"data-token-type": "subscription", "data-subscription-period": "monthly",
		"data-subscription-initial-amount": "0", "data-cvv-authorize": "true"}
	card := map[string]any{"data-checkout": "token", "data-token-type": "recurring", "data-cvv-authorize": "true"}
	tokGet := "GetToken(" + flowStoreID + "," + flowTokenID + ")"

	t.Run("initial amount 0: pending, current, then the subscription", func(t *testing.T) {
		cl := &flowClient{t: t,
			CreateTokenFn: func(context.Context, api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
				return flowTokenAs(t, "subscription", "pending"), nil
			},
			GetTokenFn: flowTokens(t, "subscription", "pending", "current"),
			CreateSubFn: func(context.Context, api.SubscriptionCreateRequest) (widget.Object[api.Subscription], error) {
				return flowSubscription(t, "current"), nil
			}}
		out, rec := flowRun(t, context.Background(), flowOptions(t, sub0), cl, flowCard, 0)
		if want := []string{"CreateToken", tokGet, tokGet, "CreateSubscription"}; !reflect.DeepEqual(cl.calls, want) {
			t.Fatalf("calls = %v, want %v", cl.calls, want)
		}
		if got, want := rec.kinds(), []string{evTC, evSC, "inputs", evSuc}; !reflect.DeepEqual(got, want) {
			t.Fatalf("messages = %v, want %v", got, want)
		}
		if a := cl.tokenReqs[0].Data.CVVAuthorize; a == nil || !bool(a.Enabled) || a.Currency != "JPY" {
			t.Errorf("token request cvv_authorize = %+v", a)
		}
		if ia := cl.subReqs[0].InitialAmount; ia == nil || *ia != 0 {
			t.Errorf("initial_amount = %v, want 0", ia)
		}
		if !out.OK {
			t.Errorf("outcome = %+v", out)
		}
	})
	t.Run("failed: an error before any charge", func(t *testing.T) {
		cl := &flowClient{t: t,
			CreateTokenFn: func(context.Context, api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
				return flowTokenAs(t, "subscription", "pending"), nil
			},
			GetTokenFn: flowTokens(t, "subscription", "failed")}
		out, rec := flowRun(t, context.Background(), flowOptions(t, sub0), cl, flowCard, 0)
		if want := []string{"CreateToken", tokGet}; !reflect.DeepEqual(cl.calls, want) {
			t.Fatalf("calls = %v, want %v", cl.calls, want)
		}
		if got, want := rec.kinds(), []string{evTC, evErr}; !reflect.DeepEqual(got, want) {
			t.Fatalf("messages = %v, want %v", got, want)
		}
		if out.OK || !out.Retry || out.Stage != widget.StageToken || out.Code != api.CodeCVVAuthorizationNotCompleted ||
			out.Message != flowLocale.APIError(api.CodeCVVAuthorizationNotCompleted) {
			t.Errorf("outcome = %+v", out)
		}
		d := rec.detail(widget.EventError)
		flowWant(t, "error", d, "tokenId", flowTokenID)
		flowWant(t, "error", d, "error.error.message", out.Message)
		flowWant(t, "error", d, "response.data.cvvAuthorize.status", "failed")
	})
	t.Run("card registration: success at current", func(t *testing.T) {
		cl := &flowClient{t: t,
			CreateTokenFn: func(context.Context, api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
				return flowTokenAs(t, "recurring", "pending"), nil
			},
			GetTokenFn: flowTokens(t, "recurring", "current")}
		out, rec := flowRun(t, context.Background(), flowOptions(t, card), cl, flowCard, 0)
		if got, want := rec.kinds(), []string{evTC, "inputs", evSuc}; !reflect.DeepEqual(got, want) {
			t.Fatalf("messages = %v, want %v", got, want)
		}
		if !out.OK || out.Inputs["univapayTokenId"] != flowTokenID {
			t.Errorf("outcome = %+v", out)
		}
		flowWant(t, "success", rec.detail(widget.EventSuccess), "status", "current")
		flowWant(t, "success", rec.detail(widget.EventSuccess), "response.data.cvvAuthorize.status", "current")
	})
	t.Run("a charge waits for current too", func(t *testing.T) {
		cl := &flowClient{t: t,
			CreateTokenFn: func(context.Context, api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
				return flowTokenAs(t, "recurring", "pending"), nil
			},
			GetTokenFn:     flowTokens(t, "recurring", "current"),
			CreateChargeFn: flowChargeAs(t, flowStep{status: "successful"})}
		out, _ := flowRun(t, context.Background(), flowOptions(t, map[string]any{"data-token-type": "recurring", "data-cvv-authorize": "true"}), cl, flowCard, 0)
		if want := []string{"CreateToken", tokGet, "CreateCharge"}; !reflect.DeepEqual(cl.calls, want) || !out.OK {
			t.Fatalf("calls = %v (want %v), outcome %+v", cl.calls, want, out)
		}
	})
}

// subscriptionId: a new token for a running subscription (docs/widget.md,
// "Card change").
func TestPaymentRunCardChange(t *testing.T) {
	opts := flowOptions(t, map[string]any{"data-checkout": "token", "data-subscription-id": flowSubID, "data-amount": nil})
	cl := &flowClient{t: t,
		CreateTokenFn: func(context.Context, api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
			return flowTokenAs(t, "subscription", ""), nil
		},
		UpdateSubFn: func(context.Context, string, string, api.SubscriptionUpdateBody) (widget.Object[api.Subscription], error) {
			return flowSubscription(t, "current"), nil
		}}
	out, rec := flowRun(t, context.Background(), opts, cl, flowCard, 0)
	if want := []string{"CreateToken", "UpdateSubscription(" + flowStoreID + "," + flowSubID + ")"}; !reflect.DeepEqual(cl.calls, want) {
		t.Fatalf("calls = %v, want %v", cl.calls, want)
	}
	if cl.tokenReqs[0].Type != api.TokenTypeSubscription {
		t.Errorf("token type %s", cl.tokenReqs[0].Type)
	}
	if b := cl.subPatch[0]; b.TransactionTokenID == nil || *b.TransactionTokenID != flowTokenID || b.Amount != nil || b.Metadata != nil || b.Status != nil {
		t.Errorf("PATCH body = %+v, want the token only", b)
	}
	if got, want := rec.kinds(), []string{evTC, "inputs", evSuc}; !reflect.DeepEqual(got, want) {
		t.Fatalf("messages = %v, want %v", got, want)
	}
	if want := map[string]string{"univapayTokenId": flowTokenID, "univapaySubscriptionId": flowSubID}; !reflect.DeepEqual(out.Inputs, want) {
		t.Errorf("inputs = %v, want %v", out.Inputs, want)
	}
	d := rec.detail(widget.EventSuccess)
	flowWant(t, "success", d, "resourceType", "subscription")
	flowWant(t, "success", d, "subscriptionId", flowSubID)
	flowWant(t, "success", d, "response.id", flowSubID)
}

// A saved card: no token is created (and no token-created), the saved
// recurring token is read, or given its fresh CVV, then charged.
func TestPaymentRunSavedCard(t *testing.T) {
	const saved = "tok_saved"
	opts := flowOptions(t, map[string]any{"data-univapay-customer-id": "0b3c2f7e-1111-4d6e-9a3b-3c2d1e0f9a8b"})
	for _, cvv := range []bool{false, true} {
		t.Run(map[bool]string{false: "read", true: "with its CVV"}[cvv], func(t *testing.T) {
			recurring := func(context.Context, string, string) (widget.Object[api.TransactionToken], error) {
				return flowTokenAs(t, "recurring", ""), nil
			}
			cl := &flowClient{t: t, CreateChargeFn: flowChargeAs(t, flowStep{status: "successful"})}
			want := []string{"GetToken(" + flowStoreID + "," + saved + ")", "CreateCharge"}
			if cvv {
				cl.UpdateTokenFn = func(ctx context.Context, s, id string, _ api.TokenUpdateRequest) (widget.Object[api.TransactionToken], error) {
					return recurring(ctx, s, id)
				}
				want[0] = "UpdateToken(" + flowStoreID + "," + saved + ")"
			} else {
				cl.GetTokenFn = recurring
			}
			rec := &flowRecorder{t: t}
			p := &widget.Payment{Options: opts, Locale: flowLocale, Client: cl, Emit: rec.emit, Now: func() time.Time { return flowNow },
				SavedCard: saved, StoreID: flowStoreID, SavedCardCVV: cvv}
			out := p.Run(context.Background(), widget.CardInput{CVV: "４５６"})
			if !reflect.DeepEqual(cl.calls, want) {
				t.Fatalf("calls = %v, want %v", cl.calls, want)
			}
			if got, want := rec.kinds(), []string{evCC, "inputs", evSuc}; !reflect.DeepEqual(got, want) {
				t.Fatalf("messages = %v, want %v", got, want)
			}
			if cvv {
				if d := cl.tokPatch[0].Data; d == nil || d.CVV == nil || *d.CVV != "456" || d.Cardholder != nil || cl.tokPatch[0].Metadata != nil {
					t.Errorf("token PATCH = %+v, want the CVV only", cl.tokPatch[0])
				}
			}
			if !out.OK || cl.chargeReq[0].TransactionTokenID != flowTokenID {
				t.Errorf("outcome %+v, charge request %+v", out, cl.chargeReq[0])
			}
		})
	}
	t.Run("a missing CVV is an input error", func(t *testing.T) {
		cl := &flowClient{t: t}
		rec := &flowRecorder{t: t}
		p := &widget.Payment{Options: opts, Locale: flowLocale, Client: cl, Emit: rec.emit, SavedCard: saved, StoreID: flowStoreID, SavedCardCVV: true}
		out := p.Run(context.Background(), widget.CardInput{})
		if len(cl.calls) != 0 || out.Code != widget.CodeValidation || out.Fields[widget.FieldCVV] != widget.ErrCodeRequired {
			t.Errorf("calls %v, outcome %+v", cl.calls, out)
		}
	})
}

// The buyer's extras reach the API: the save-card box makes the token
// recurring, an installment count makes a subscription token and POST
// /subscriptions with installment_plan (rows 8 and 15 of docs/widget.md,
// "The tokenType × checkout matrix").
func TestPaymentRunExtras(t *testing.T) {
	t.Run("save card", func(t *testing.T) {
		opts := flowOptions(t, map[string]any{"data-univapay-customer-id": "0b3c2f7e-1111-4d6e-9a3b-3c2d1e0f9a8b", "data-usage-limit": "monthly"})
		cl := &flowClient{t: t, CreateTokenFn: flowTokenOK(t), CreateChargeFn: flowChargeAs(t, flowStep{status: "successful"})}
		rec := &flowRecorder{t: t}
		p := &widget.Payment{Options: opts, Locale: flowLocale, Client: cl, Emit: rec.emit, Now: func() time.Time { return flowNow },
			Extras: widget.RequestExtras{SaveCard: true}}
		if out := p.Run(context.Background(), flowCard); !out.OK {
			t.Fatalf("outcome %+v", out)
		}
		r := cl.tokenReqs[0]
		if r.Type != api.TokenTypeRecurring || r.UsageLimit == nil || *r.UsageLimit != "monthly" ||
			string(r.Metadata["univapay-customer-id"]) != `"0b3c2f7e-1111-4d6e-9a3b-3c2d1e0f9a8b"` {
			t.Errorf("token request = %+v", r)
		}
	})
	t.Run("installments", func(t *testing.T) {
		opts := flowOptions(t, map[string]any{"data-allow-card-installments": "true", "data-amount": "12000"})
		cl := &flowClient{t: t,
			CreateTokenFn: func(context.Context, api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
				return flowTokenAs(t, "subscription", ""), nil
			},
			CreateSubFn: func(context.Context, api.SubscriptionCreateRequest) (widget.Object[api.Subscription], error) {
				return flowSubscription(t, "unverified"), nil
			},
			GetSubFn: flowSubs(t, "completed")}
		rec := &flowRecorder{t: t}
		p := &widget.Payment{Options: opts, Locale: flowLocale, Client: cl, Emit: rec.emit, Now: func() time.Time { return flowNow },
			Extras: widget.RequestExtras{Installments: "6"}}
		out := p.Run(context.Background(), flowCard)
		if !out.OK || out.Inputs["univapaySubscriptionId"] != flowSubID {
			t.Fatalf("outcome %+v", out)
		}
		if cl.tokenReqs[0].Type != api.TokenTypeSubscription {
			t.Errorf("token type %s", cl.tokenReqs[0].Type)
		}
		r := cl.subReqs[0]
		if r.Period != "monthly" || r.InstallmentPlan == nil || r.InstallmentPlan.PlanType != "fixed_cycles" || *r.InstallmentPlan.FixedCycles != 6 || *r.Amount != 12000 {
			t.Errorf("subscription request = %+v", r)
		}
	})
}
