// Package storagetest is the conformance suite of domain.Storage: one set
// of tests that every implementation (SQLite today) must pass. An
// implementation's own test calls Run with a function that opens an empty
// storage. One file per entity, like the domain package.
package storagetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"kessai/api"
	"kessai/server/domain"
)

// Open returns a new, empty storage; the suite closes it.
type Open func(t *testing.T) domain.Storage

// Run runs the whole suite against the storages open returns.
func Run(t *testing.T, open Open) {
	for _, c := range []struct {
		name string
		test func(t *testing.T, st domain.Storage)
	}{
		{"Settings", testSettings},
		{"Stores", testStores},
		{"AppTokens", testAppTokens},
		{"Tokens", testTokens},
		{"TokenLists", testTokenLists},
		{"TokenFilters", testTokenFilters},
		{"Charges", testCharges},
		{"ChargeLists", testChargeLists},
		{"ChargeFilters", testChargeFilters},
		{"Idempotency", testIdempotency},
		{"Refunds", testRefunds},
		{"Cancels", testCancels},
		{"Subscriptions", testSubscriptions},
		{"Webhooks", testWebhooks},
		{"Limits", testLimits},
		{"ChargeGuards", testChargeGuards},
		{"Claims", testClaims},
		{"RateBuckets", testRateBuckets},
		{"PaymentMethods", testPaymentMethods},
		{"FollowUps", testFollowUps},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() { st.Close() })
			c.test(t, st)
		})
	}
}

var ctx = context.Background()

// base is a fixed creation time; records made by the fixtures are spaced
// one second apart after it.
var base = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// at is base+n seconds.
func at(n int) time.Time { return base.Add(time.Duration(n) * time.Second) }

// newID returns a time-ordered UUID, as the server makes them.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// errOf is the error of a Get.
func errOf[T any](_ T, err error) error { return err }

// wantNotFound checks that each call (an unknown ID, a deleted record)
// returned ErrNotFound.
func wantNotFound(t *testing.T, errs ...error) {
	t.Helper()
	for i, err := range errs {
		if !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("call %d: want ErrNotFound, got %v", i+1, err)
		}
	}
}

// fixture is a merchant with two stores.
type fixture struct {
	merchant *domain.Merchant
	store    *domain.Store
	other    *domain.Store
}

func newFixture(t *testing.T, st domain.Storage) fixture {
	t.Helper()
	m := &domain.Merchant{ID: newID(), Name: "M", Verified: true, CreatedAt: base}
	must(t, st.CreateMerchant(ctx, m))
	a := &domain.Store{ID: newID(), MerchantID: m.ID, Name: "A", CreatedAt: base}
	b := &domain.Store{ID: newID(), MerchantID: m.ID, Name: "B", CreatedAt: base.Add(time.Second)}
	must(t, st.CreateStore(ctx, a))
	must(t, st.CreateStore(ctx, b))
	return fixture{merchant: m, store: a, other: b}
}

// token stores a card token of store s created at base+n seconds, changed
// by edits first.
func (f fixture) token(t *testing.T, st domain.Storage, s *domain.Store, n int, typ api.TokenType, edits ...func(*domain.TxToken)) *domain.TxToken {
	t.Helper()
	tok := &domain.TxToken{ID: newID(), StoreID: s.ID, MerchantID: s.MerchantID, Email: fmt.Sprintf("buyer%d@example.com", n),
		PaymentType: api.PaymentTypeCard, Type: typ, Active: true, Mode: api.ModeTest, Metadata: api.Metadata{},
		Card:      &domain.Card{Cardholder: "TARO YAMADA", ExpMonth: 12, ExpYear: 2099, BIN: "400002", LastFour: "0000", Brand: "visa", Fingerprint: "fp"},
		CreatedAt: at(n), UpdatedAt: at(n)}
	for _, edit := range edits {
		edit(tok)
	}
	must(t, st.CreateToken(ctx, tok))
	return tok
}

// charge stores a pending charge on tok, with its card, created at base+n
// seconds and changed by edits first; it consumes tok unless tok is
// recurring.
func (f fixture) charge(t *testing.T, st domain.Storage, tok *domain.TxToken, n int, amount int64, edits ...func(*domain.Charge)) *domain.Charge {
	t.Helper()
	c := &domain.Charge{ID: newID(), StoreID: tok.StoreID, MerchantID: tok.MerchantID, TokenID: tok.ID, TokenType: tok.Type,
		Amount: amount, Currency: "JPY", Capture: true, Status: api.ChargePending, Metadata: api.Metadata{}, Mode: tok.Mode,
		PaymentType: tok.PaymentType, CreatedAt: at(n), UpdatedAt: at(n)}
	if tok.Card != nil {
		c.LastFour, c.CardFingerprint = tok.Card.LastFour, tok.Card.Fingerprint
	}
	for _, edit := range edits {
		edit(c)
	}
	must(t, st.CreateCharge(ctx, c, tok.ID, tok.Type != api.TokenTypeRecurring))
	return c
}

// succeeded makes a charge successful with its full amount charged.
func succeeded(c *domain.Charge) {
	c.Status = api.ChargeSuccessful
	c.ChargedAmount = &c.Amount
	c.ChargedCurrency = &c.Currency
}

// status gives a charge this status.
func status(s api.ChargeStatus) func(*domain.Charge) {
	return func(c *domain.Charge) { c.Status = s }
}
