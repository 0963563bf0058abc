package load

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Kessai is a Kessai server under load: its base URL and an app token.
type Kessai struct {
	URL     string
	JWT     string
	Secret  string
	StoreID string
	// Origin is sent as the Origin header of secret-less requests (the
	// merchant page's origin; one of the token's domains).
	Origin string
}

const kessaiTokenBody = `{"payment_type":"card","type":"one_time","email":"taro@example.com",` +
	`"data":{"cardholder":"TARO YAMADA","card_number":"4000020000000000","exp_month":"12","exp_year":"2099","cvv":"123"}}`

// TokenThenCharge is the widget's payment, as the merchant's back end and
// the widget send it: POST /tokens, then POST /charges with the token, each
// with its own Idempotency-Key (a new one per flow).
func (k Kessai) TokenThenCharge(run string) Flow {
	auth := "Bearer " + k.Secret + "." + k.JWT
	return func(ctx context.Context, c *Client) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, k.URL+"/tokens", strings.NewReader(kessaiTokenBody))
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", c.Key(run, "token"))
		body, err := c.Do(req, http.StatusCreated)
		if err != nil {
			return err
		}
		var tok struct{ ID string }
		if err := json.Unmarshal(body, &tok); err != nil || tok.ID == "" {
			return fmt.Errorf("token: no id in %.200s", body)
		}
		req, _ = http.NewRequestWithContext(ctx, http.MethodPost, k.URL+"/charges",
			strings.NewReader(`{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`))
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", c.Key(run, "charge"))
		_, err = c.Do(req, http.StatusCreated)
		return err
	}
}

// CheckoutInfo is what the widget asks first when it opens: GET
// /checkout_info with the app token's JWT only, from the merchant's origin.
func (k Kessai) CheckoutInfo() Flow {
	auth := "Bearer " + k.JWT
	return func(ctx context.Context, c *Client) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, k.URL+"/checkout_info", nil)
		req.Header.Set("Authorization", auth)
		if k.Origin != "" {
			req.Header.Set("Origin", k.Origin)
		}
		_, err := c.Do(req, http.StatusOK)
		return err
	}
}

// StripeMock is a stripe-mock server (github.com/stripe/stripe-mock).
type StripeMock struct{ URL string }

const stripeKey = "Bearer sk_test_123"

func (s StripeMock) post(ctx context.Context, c *Client, path string, form url.Values, key string) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Authorization", stripeKey)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Idempotency-Key", key)
	return c.Do(req, http.StatusOK)
}

// TokenThenCharge is stripe-mock's equivalent of Kessai's flow: POST
// /v1/tokens with a card, then POST /v1/charges with the token as source,
// each with its own Idempotency-Key.
func (s StripeMock) TokenThenCharge(run string) Flow {
	card := url.Values{"card[number]": {"4242424242424242"}, "card[exp_month]": {"12"}, "card[exp_year]": {"2099"}, "card[cvc]": {"123"}}
	return func(ctx context.Context, c *Client) error {
		body, err := s.post(ctx, c, "/v1/tokens", card, c.Key(run, "token"))
		if err != nil {
			return err
		}
		var tok struct{ ID string }
		if err := json.Unmarshal(body, &tok); err != nil || tok.ID == "" {
			return fmt.Errorf("token: no id in %.200s", body)
		}
		_, err = s.post(ctx, c, "/v1/charges", url.Values{"amount": {"1000"}, "currency": {"jpy"}, "source": {tok.ID}}, c.Key(run, "charge"))
		return err
	}
}

// GetCharge is GET /v1/charges/{id}.
func (s StripeMock) GetCharge(id string) Flow {
	return func(ctx context.Context, c *Client) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/v1/charges/"+id, nil)
		req.Header.Set("Authorization", stripeKey)
		_, err := c.Do(req, http.StatusOK)
		return err
	}
}
