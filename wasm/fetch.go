package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/api"
	"kessai/widget"
)

// fetchClient is widget.Client over the browser's fetch. It never uses
// net/http's client, which would double the size of the wasm.
type fetchClient struct {
	base   string // API base URL (the widget origin)
	jwt    string // the app token, sent as Bearer {jwt} (no secret, ever)
	origin string // the merchant origin, forwarded as ?origin= for the domain check
	// form is the link form of a link form page, sent as ?form= instead of
	// the origin (docs/link-forms.md, "Authorisation").
	form string
}

var _ widget.Client = (*fetchClient)(nil)

func (c *fetchClient) CheckoutInfo(ctx context.Context) (api.CheckoutInfo, error) {
	var info api.CheckoutInfo
	_, err := c.do(ctx, "GET", "/checkout_info", nil, "", &info)
	return info, err
}

func (c *fetchClient) CreateToken(ctx context.Context, req api.TokenCreateRequest) (widget.Object[api.TransactionToken], error) {
	return send[api.TransactionToken](ctx, c, "POST", "/tokens", req)
}

func (c *fetchClient) GetToken(ctx context.Context, storeID, tokenID string) (widget.Object[api.TransactionToken], error) {
	return send[api.TransactionToken](ctx, c, "GET", storePath(storeID, "tokens", tokenID), nil)
}

func (c *fetchClient) UpdateToken(ctx context.Context, storeID, tokenID string, req api.TokenUpdateRequest) (widget.Object[api.TransactionToken], error) {
	return send[api.TransactionToken](ctx, c, "PATCH", storePath(storeID, "tokens", tokenID), req)
}

func (c *fetchClient) SavedCards(ctx context.Context, storeID, customerID string) ([]api.TokenListItem, error) {
	q := url.Values{"customer_id": {customerID}, "type": {string(api.TokenTypeRecurring)}, "limit": {"20"}}
	list, err := send[api.List[api.TokenListItem]](ctx, c, "GET", "/stores/"+url.PathEscape(storeID)+"/tokens?"+q.Encode(), nil)
	return list.Value.Items, err
}

func (c *fetchClient) CreateCharge(ctx context.Context, req api.ChargeCreateRequest) (widget.Object[api.Charge], error) {
	return send[api.Charge](ctx, c, "POST", "/charges", req)
}

func (c *fetchClient) GetCharge(ctx context.Context, storeID, chargeID string, polling bool) (widget.Object[api.Charge], error) {
	return send[api.Charge](ctx, c, "GET", storePath(storeID, "charges", chargeID)+pollingQuery(polling), nil)
}

func (c *fetchClient) CreateSubscription(ctx context.Context, req api.SubscriptionCreateRequest) (widget.Object[api.Subscription], error) {
	return send[api.Subscription](ctx, c, "POST", "/subscriptions", req)
}

func (c *fetchClient) GetSubscription(ctx context.Context, storeID, id string, polling bool) (widget.Object[api.Subscription], error) {
	return send[api.Subscription](ctx, c, "GET", storePath(storeID, "subscriptions", id)+pollingQuery(polling), nil)
}

func (c *fetchClient) UpdateSubscription(ctx context.Context, storeID, id string, req api.SubscriptionUpdateBody) (widget.Object[api.Subscription], error) {
	return send[api.Subscription](ctx, c, "PATCH", storePath(storeID, "subscriptions", id), req)
}

func (c *fetchClient) IssuerToken(ctx context.Context, storeID, chargeID string) (widget.Object[api.IssuerToken], error) {
	return send[api.IssuerToken](ctx, c, "GET", storePath(storeID, "charges", chargeID)+"/issuer_token", nil)
}

func (c *fetchClient) ChargeThreeDSIssuerToken(ctx context.Context, storeID, chargeID string) (widget.Object[api.ThreeDSIssuerToken], error) {
	return send[api.ThreeDSIssuerToken](ctx, c, "GET", storePath(storeID, "charges", chargeID)+"/three_ds/issuer_token", nil)
}

func (c *fetchClient) TokenThreeDSIssuerToken(ctx context.Context, storeID, tokenID string) (widget.Object[api.ThreeDSIssuerToken], error) {
	return send[api.ThreeDSIssuerToken](ctx, c, "GET", storePath(storeID, "tokens", tokenID)+"/three_ds/issuer_token", nil)
}

// storePath is /stores/{storeID}/{kind}/{id}.
func storePath(storeID, kind, id string) string {
	return "/stores/" + url.PathEscape(storeID) + "/" + kind + "/" + url.PathEscape(id)
}

func pollingQuery(polling bool) string {
	if polling {
		return "?polling=true"
	}
	return ""
}

// send sends one request and decodes the resource it answers with. Every
// POST and PATCH carries a fresh Idempotency-Key (docs/widget.md,
// "API calls").
func send[T any](ctx context.Context, c *fetchClient, method, path string, body any) (widget.Object[T], error) {
	var o widget.Object[T]
	key := ""
	if method != "GET" {
		key = newIdempotencyKey()
	}
	raw, err := c.do(ctx, method, path, body, key, &o.Value)
	o.Raw = raw
	return o, err
}

// do sends one request and decodes a 2xx body into out. Error bodies become
// *api.Error; a failed fetch is a plain error.
func (c *fetchClient) do(ctx context.Context, method, path string, body any, idemKey string, out any) (json.RawMessage, error) {
	u := c.base + path
	sep := "?"
	if containsQuery(path) {
		sep = "&"
	}
	if c.form != "" {
		u += sep + "form=" + url.QueryEscape(c.form)
	} else {
		u += sep + "origin=" + url.QueryEscape(c.origin)
	}

	headers := map[string]any{"Authorization": "Bearer " + c.jwt, "Accept": "application/json"}
	init := map[string]any{"method": method, "credentials": "omit", "headers": headers}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		headers["Content-Type"] = "application/json"
		init["body"] = string(b)
	}
	if idemKey != "" {
		headers["Idempotency-Key"] = idemKey
	}

	// A POST that failed on the network is sent again with the same
	// Idempotency-Key, so the server never processes it twice: up to 3
	// attempts (docs/widget.md, "API calls").
	attempts := 1
	if idemKey != "" {
		attempts = 3
	}
	var resp app.Value
	var err error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(i) * 500 * time.Millisecond):
			}
		}
		if resp, err = await(ctx, app.Window().Call("fetch", u, init)); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	status := resp.Get("status").Int()
	text, err := await(ctx, resp.Call("text"))
	if err != nil {
		return nil, fmt.Errorf("%s %s: read body: %w", method, path, err)
	}
	raw := json.RawMessage(text.String())
	if status < 200 || status > 299 {
		e := &api.Error{Status: status}
		var eb api.ErrorBody
		if json.Unmarshal(raw, &eb) == nil && eb.Code != "" {
			e.Code, e.Errors = eb.Code, eb.Errors
		} else {
			e.Code = fmt.Sprintf("HTTP_%d", status)
		}
		return raw, e
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return raw, fmt.Errorf("%s %s: decode: %w", method, path, err)
		}
	}
	return raw, nil
}

func containsQuery(p string) bool {
	for i := 0; i < len(p); i++ {
		if p[i] == '?' {
			return true
		}
	}
	return false
}

// await waits for a JS Promise. It must run outside JS callbacks (in a
// goroutine started with ctx.Async), since it blocks.
func await(ctx context.Context, promise app.Value) (app.Value, error) {
	type result struct {
		v   app.Value
		err error
	}
	ch := make(chan result, 1)
	var onOK, onErr app.Func
	onOK = app.FuncOf(func(this app.Value, args []app.Value) any {
		ch <- result{v: args[0]}
		return nil
	})
	onErr = app.FuncOf(func(this app.Value, args []app.Value) any {
		msg := "request failed"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	promise.Call("then", onOK, onErr)
	select {
	case r := <-ch:
		onOK.Release()
		onErr.Release()
		return r.v, r.err
	case <-ctx.Done():
		// The promise may still settle: its callbacks must stay alive (they
		// write to the buffered channel, which nobody reads any more).
		return nil, ctx.Err()
	}
}

// newIdempotencyKey returns a random (version 4) UUID. crypto/rand reads
// the browser's crypto.getRandomValues, which, unlike crypto.randomUUID,
// also works on plain-http origins.
func newIdempotencyKey() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return ""
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
