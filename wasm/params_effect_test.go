package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/api"
	"kessai/widget"
)

// Every parameter of the table acts: each row names the code that reads its
// field (Param.ReadBy), and setting the parameter changes that code's output
// (docs/widget-parameters.md).

// effectSample is a value that must change the reader's output, with the
// other parameters it needs to act (address pre-fills need address=true).
type effectSample struct {
	value any
	with  map[string]any
}

func appToken(storeID string) string {
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	return b64(`{"alg":"HS256"}`) + "." + b64(`{"store_id":"`+storeID+`"}`) + ".sig"
}

const effectCustomer = "0b3c2f7e-1111-4d6e-9a3b-3c2d1e0f9a8b"

var effectSamples = map[string]effectSample{
	"header":           {"My Shop", nil},
	"title":            {"Order 7", nil},
	"description":      {"Two items", nil},
	"submitButtonText": {"Buy now", nil},
	"showLogo":         {false, nil},
	"hidePrivacyLink":  {true, nil},
	"locale":           {"en", nil},

	"appId":          {appToken("store-2"), nil},
	"checkout":       {"token", nil},
	"paymentMethods": {"visa", nil},
	"amount":         {2000.0, nil},
	"currency":       {"usd", nil},
	"tokenType":      {"recurring", nil},
	"name":           {"orderField", nil},
	"capture":        {false, nil},
	"captureAt":      {"2099-01-02T10:00:00+09:00", map[string]any{"capture": false}},

	"email":                      {"taro@example.com", nil},
	"address":                    {true, nil},
	"shippingAddressCountryCode": {"US", map[string]any{"address": true}},
	"shippingAddressZip":         {"1000001", map[string]any{"address": true}},
	"shippingAddressState":       {"東京都", map[string]any{"address": true}},
	"shippingAddressCity":        {"千代田区", map[string]any{"address": true}},
	"shippingAddressLine1":       {"1-1", map[string]any{"address": true}},
	"shippingAddressLine2":       {"Room 2", map[string]any{"address": true}},
	"requireName":                {true, nil},
	"requireEmail":               {true, nil},
	"requirePhoneNumber":         {true, nil},
	"phoneNumber":                {"0312345678", map[string]any{"requirePhoneNumber": true}},
	"requireBillingAddress":      {true, nil},
	"cvvAuthorize":               {true, map[string]any{"tokenType": "recurring"}},
	"showCvv":                    {false, nil},
	"univapayReferenceId":        {"ref-1", nil},
	"univapayCustomerId":         {effectCustomer, nil},
	"usageLimit":                 {"monthly", map[string]any{"tokenType": "recurring"}},
	"hideRecurringCheckbox":      {true, map[string]any{"tokenType": "recurring"}},
	"metadata":                   {map[string]any{"order": "A-1"}, nil},

	"subscriptionPeriod":             {"monthly", map[string]any{"tokenType": "subscription"}},
	"subscriptionId":                 {effectCustomer, map[string]any{"checkout": "token"}},
	"subscriptionPlan":               {"fixed_cycles", map[string]any{"tokenType": "subscription", "subscriptionPeriod": "monthly", "subscriptionQty": 3.0}},
	"subscriptionQty":                {3.0, map[string]any{"tokenType": "subscription", "subscriptionPeriod": "monthly", "subscriptionPlan": "fixed_cycles"}},
	"subscriptionInitialAmount":      {500.0, map[string]any{"tokenType": "subscription", "subscriptionPeriod": "monthly"}},
	"subscriptionStart":              {"2099-01-15", map[string]any{"tokenType": "subscription", "subscriptionPeriod": "monthly"}},
	"subscriptionStartIn":            {"P1M", map[string]any{"tokenType": "subscription", "subscriptionPeriod": "monthly"}},
	"subscriptionStartDayOfMonth":    {15.0, map[string]any{"tokenType": "subscription", "subscriptionPeriod": "monthly"}},
	"subscriptionPreserveEndOfMonth": {true, map[string]any{"tokenType": "subscription", "subscriptionPeriod": "monthly"}},
	"subscriptionRetryInterval":      {"P2D", map[string]any{"tokenType": "subscription", "subscriptionPeriod": "monthly"}},

	"allowCardInstallments":  {true, map[string]any{"amount": 30000.0}},
	"cardInstallmentOptions": {"3,6", map[string]any{"amount": 30000.0, "allowCardInstallments": true}},

	"customFieldLabels":   {"Size", nil},
	"customFieldTypes":    {"select", map[string]any{"customFieldLabels": "Size", "customFieldOptions": "S;M"}},
	"customFieldRequired": {"true", map[string]any{"customFieldLabels": "Size"}},
	"customFieldOptions":  {"S;M", map[string]any{"customFieldLabels": "Size", "customFieldTypes": "select"}},
	"customFieldKeys":     {"size", map[string]any{"customFieldLabels": "Size"}},
}

// effectInfo is a store that lets every parameter act: a logo, a CVV that
// may be left empty, cards kept for ever, installments.
var effectInfo = func() api.CheckoutInfo {
	info := formInfo
	logo := "https://shop.example/logo.png"
	info.Name, info.LogoImage, info.Mode = "Demo Store", &logo, "test"
	info.CardConfiguration.AllowEmptyCVV = true
	return info
}()

// probe runs the code a reader names and returns its output as text.
func probe(t *testing.T, r widget.Reader, o widget.Options) string {
	t.Helper()
	out := func(v ...any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	render := func() string {
		c := &checkout{opts: o, loc: widget.LocaleJA, info: effectInfo, screen: screenForm, touched: map[string]bool{},
			in: widget.Prefill(o), savedCards: []api.TokenListItem{savedVisa}}
		return sortAttrs(app.HTMLString(c.renderHeader()) + app.HTMLString(c.renderForm("")))
	}
	card := widget.CardInput{Cardholder: "TARO YAMADA", CardNumber: "4000020000000000", Exp: "12/99", CVV: "123", Email: "taro@example.com"}
	switch r {
	case widget.ReadScreen:
		return render()
	case widget.ReadForm:
		return render() + out(widget.BuyerFields(o), widget.Prefill(o), o.FormCustomFields(), widget.ShowsCVV(o, effectInfo),
			widget.RecurringBoxOf(o, effectInfo), widget.CardBrandsOffered(o, effectInfo), widget.InstallmentChoices(o, effectInfo, "visa"),
			widget.OffersSavedCards(o, effectInfo))
	case widget.ReadRequest:
		x := widget.RequestExtras{}
		return out(payCalls(o, card), widget.AppTokenStoreID(o.AppID), widget.TokenRequestWith(o, card, x), widget.CreatesSubscription(o, x),
			widget.ChargeRequestWith(o, "tok", "card", x), widget.SubscriptionRequest(o, "tok", x))
	case widget.ReadResult:
		return out(widget.ResultFields(o, "t", "c", ""), widget.ResultFields(o, "t", "", "s"), widget.ResultFieldName(o, widget.PrimaryResultKind(o)))
	case widget.ReadInlineStyle:
		var css []string
		for p := widget.PartItem; p <= widget.PartInput; p++ {
			for _, text := range []bool{false, true} {
				for _, invalid := range []bool{false, true} {
					for _, focused := range []bool{false, true} {
						css = append(css, o.InlineStyles.Style(p, text, invalid, focused))
					}
				}
			}
		}
		return out(css)
	case widget.ReadLocale:
		return string(widget.ResolveLocale(o.Locale, []string{"de-DE"}))
	}
	t.Fatalf("no probe for reader %q", r)
	return ""
}

var (
	startTag = regexp.MustCompile(`<[a-zA-Z][a-zA-Z0-9]*(\s[^>]*)?>`)
	attr     = regexp.MustCompile(`[^\s=]+(="[^"]*")?`)
)

// sortAttrs sorts the attributes of each start tag: go-app writes them in
// no fixed order.
func sortAttrs(html string) string {
	return startTag.ReplaceAllStringFunc(html, func(tag string) string {
		name, rest, _ := strings.Cut(strings.TrimSuffix(tag[1:], ">"), " ")
		attrs := attr.FindAllString(rest, -1)
		sort.Strings(attrs)
		return "<" + strings.Join(append([]string{name}, attrs...), " ") + ">"
	})
}

// callLog is a widget.Client that records the calls a payment makes, with
// their bodies, and stops the payment after the token (a charge or
// subscription is refused).
type callLog struct{ calls []string }

var errStop = errors.New("stop")

func (l *callLog) add(name string, body any) {
	b, _ := json.Marshal(body)
	l.calls = append(l.calls, name+" "+string(b))
}

func (l *callLog) CheckoutInfo(context.Context) (api.CheckoutInfo, error) {
	l.add("CheckoutInfo", nil)
	return effectInfo, nil
}

func (l *callLog) CreateToken(_ context.Context, req api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
	l.add("CreateToken", req)
	raw := `{"id":"tok","store_id":"store-1","payment_type":"card","active":true,"mode":"test","type":"` + string(req.Type) + `",` +
		`"data":{"card":{"cardholder":"TARO YAMADA","exp_month":12,"exp_year":2099,"last_four":"0000","brand":"visa"}}}`
	var v api.TransactionToken
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return widget.Object[api.TransactionToken]{}, err
	}
	return widget.Object[api.TransactionToken]{Value: v, Raw: json.RawMessage(raw)}, nil
}

func (l *callLog) GetToken(_ context.Context, storeID, tokenID string) (widget.Object[api.TransactionToken], error) {
	l.add("GetToken", storeID+"/"+tokenID)
	return widget.Object[api.TransactionToken]{}, errStop
}

func (l *callLog) UpdateToken(_ context.Context, storeID, tokenID string, req api.TokenUpdateRequest) (widget.Object[api.TransactionToken], error) {
	l.add("UpdateToken", req)
	return widget.Object[api.TransactionToken]{}, errStop
}

func (l *callLog) SavedCards(_ context.Context, storeID, customerID string) ([]api.TokenListItem, error) {
	l.add("SavedCards", customerID)
	return nil, nil
}

func (l *callLog) CreateCharge(_ context.Context, req api.ChargeCreateRequest) (widget.Object[api.Charge], error) {
	l.add("CreateCharge", req)
	return widget.Object[api.Charge]{}, errStop
}

func (l *callLog) GetCharge(_ context.Context, storeID, chargeID string, polling bool) (widget.Object[api.Charge], error) {
	l.add("GetCharge", chargeID)
	return widget.Object[api.Charge]{}, errStop
}

func (l *callLog) CreateSubscription(_ context.Context, req api.SubscriptionCreateRequest) (widget.Object[api.Subscription], error) {
	l.add("CreateSubscription", req)
	return widget.Object[api.Subscription]{}, errStop
}

func (l *callLog) GetSubscription(_ context.Context, storeID, id string, polling bool) (widget.Object[api.Subscription], error) {
	l.add("GetSubscription", id)
	return widget.Object[api.Subscription]{}, errStop
}

func (l *callLog) UpdateSubscription(_ context.Context, storeID, id string, req api.SubscriptionUpdateBody) (widget.Object[api.Subscription], error) {
	l.add("UpdateSubscription", id+" "+fmt.Sprint(req))
	return widget.Object[api.Subscription]{}, errStop
}

// payCalls runs a payment with the options and returns the API calls it
// made.
func payCalls(o widget.Options, in widget.CardInput) []string {
	log := &callLog{}
	p := &widget.Payment{Options: o, Locale: widget.LocaleJA, Client: log, Emit: func(any) {},
		Now: func() time.Time { return time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC) }, MaxPolls: 1,
		RetryWait: time.Millisecond, TokenPollWait: time.Millisecond, StoreID: "store-1"}
	p.Run(context.Background(), in)
	return log.calls
}

func effectOptions(t *testing.T, raw map[string]any) widget.Options {
	t.Helper()
	all := map[string]any{"appId": appToken("store-1"), "amount": 1000.0}
	for k, v := range raw {
		all[k] = v
	}
	o, ps := widget.ParseOptions(widget.SourceJS, all)
	if ps.HasErrors() {
		t.Fatalf("%v: %v", all, ps)
	}
	return o
}

var pageDefine = regexp.MustCompile(`(?s)\{\{define "([^"]+)"\}\}(.*?)\{\{end\}\}`)

// e2eTests reads the end-to-end tests: each test's source with the merchant
// pages it opens (the pages of e2e/*_test.go and examples/pages), by test
// name.
func e2eTests(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../e2e/*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no end-to-end tests found: %v", err)
	}
	pages := map[string]string{}
	examples, _ := filepath.Glob("../examples/pages/*.html")
	for _, f := range examples {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages[strings.TrimSuffix(filepath.Base(f), ".html")] = string(src)
	}
	var funcs []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range pageDefine.FindAllStringSubmatch(string(src), -1) {
			pages[m[1]] += m[2]
		}
		funcs = append(funcs, strings.Split(string(src), "\nfunc ")[1:]...)
	}
	tests := map[string]string{}
	for _, fn := range funcs {
		name, _, _ := strings.Cut(fn, "(")
		body := fn
		for page, html := range pages {
			if strings.Contains(fn, "/"+page+".html") {
				body += html
			}
		}
		tests[name] = body
	}
	return tests
}

// TestEveryParameterActs fails when a parameter of the table has no
// effect: for a Go reader, the reader's output must change when the
// parameter is set (and stay the same when it is set to its documented
// default); a parameter read by the loader or the popup's timers must be set
// by the end-to-end test the row names; a callback must be one of the
// message contract's; a parameter that does not act yet must be listed in
// docs/widget.md, "What does not work yet".
func TestEveryParameterActs(t *testing.T) {
	doc, err := os.ReadFile("../docs/widget.md")
	if err != nil {
		t.Fatal(err)
	}
	_, notYet, _ := strings.Cut(string(doc), "## What does not work yet")
	e2e := e2eTests(t)
	callbacks := map[string]bool{}
	for _, cb := range widget.Callbacks {
		callbacks[cb] = true
	}
	used := map[string]bool{}
	for _, q := range widget.Params() {
		t.Run(q.Name, func(t *testing.T) {
			switch q.ReadBy {
			case widget.ReadNone:
				if !q.Deprecated && !strings.Contains(notYet, "`"+q.Name+"`") {
					t.Errorf("does not act, and docs/widget.md, \"What does not work yet\", does not say so")
				}
				return
			case widget.ReadLoader, widget.ReadLifecycle:
				if q.Kind == widget.KindCallback {
					if !callbacks[q.Name] {
						t.Errorf("the loader calls no callback %s", q.Name)
					}
					return
				}
				body, ok := e2e[q.E2E]
				if q.E2E == "" || !ok {
					t.Fatalf("read outside Go, but names no end-to-end test that exists (E2E %q)", q.E2E)
				}
				for _, n := range append(q.Attrs(), q.OptionNames()...) {
					if strings.Contains(body, n+"=") || strings.Contains(body, n+":") {
						return
					}
				}
				t.Errorf("%s does not set the parameter, nor do the pages it opens", q.E2E)
				return
			}
			s, ok := effectSamples[q.Name]
			if !ok && q.ReadBy == widget.ReadInlineStyle {
				s, ok = effectSample{"color:red", nil}, true
			}
			if !ok {
				t.Fatalf("no sample value in effectSamples")
			}
			used[q.Name] = true
			base := effectOptions(t, s.with)
			with := map[string]any{q.Name: s.value}
			for k, v := range s.with {
				with[k] = v
			}
			set := effectOptions(t, with)
			if a, b := probe(t, q.ReadBy, base), probe(t, q.ReadBy, set); a == b {
				t.Errorf("%s=%v changes nothing the %s reader gives:\n%s", q.Name, s.value, q.ReadBy, a)
			}
			if q.Default != "" {
				with[q.Name] = q.Default
				if a, b := probe(t, q.ReadBy, base), probe(t, q.ReadBy, effectOptions(t, with)); a != b {
					t.Errorf("%s=%q, its documented default, differs from leaving it out:\n%s\n%s", q.Name, q.Default, a, b)
				}
			}
		})
	}
	for name := range effectSamples {
		if _, ok := widget.LookupParam(name); !ok {
			t.Errorf("effectSamples has %q, which is no parameter", name)
		}
	}
	if len(used) < 50 {
		t.Errorf("only %d parameters probed", len(used))
	}
}
