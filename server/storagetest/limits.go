package storagetest

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

func testLimits(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	rec := f.token(t, st, f.store, 0, api.TokenTypeRecurring)
	f.charge(t, st, rec, 1, 1000) // the fixtures' card: fingerprint "fp"
	f.charge(t, st, rec, 2, 2000, status(api.ChargeFailed))
	f.charge(t, st, rec, 3, 1000, status(api.ChargeSuccessful))
	// Another token of the same card, another card, a live charge, another
	// store's charge.
	other := f.token(t, st, f.store, 4, api.TokenTypeOneTime)
	f.charge(t, st, other, 5, 1000)
	f.charge(t, st, rec, 6, 1000, status(api.ChargeFailed), func(c *domain.Charge) { c.CardFingerprint = "fp2" })
	f.charge(t, st, rec, 7, 1000, func(c *domain.Charge) { c.Mode, c.Currency = api.ModeLive, "USD" })
	elsewhere := f.token(t, st, f.other, 8, api.TokenTypeRecurring)
	f.charge(t, st, elsewhere, 9, 1000)

	for _, tc := range []struct {
		name string
		q    domain.ChargeCount
		want []time.Time
	}{
		{"store", domain.ChargeCount{StoreID: f.store.ID}, []time.Time{at(1), at(2), at(3), at(5), at(6), at(7)}},
		{"other store", domain.ChargeCount{StoreID: f.other.ID}, []time.Time{at(9)}},
		{"test mode", domain.ChargeCount{StoreID: f.store.ID, Mode: api.ModeTest}, []time.Time{at(1), at(2), at(3), at(5), at(6)}},
		{"live mode", domain.ChargeCount{StoreID: f.store.ID, Mode: api.ModeLive}, []time.Time{at(7)}},
		{"token", domain.ChargeCount{TokenID: other.ID}, []time.Time{at(5)}},
		{"card", domain.ChargeCount{StoreID: f.store.ID, CardFingerprint: "fp"}, []time.Time{at(1), at(2), at(3), at(5), at(7)}},
		{"card and amount", domain.ChargeCount{StoreID: f.store.ID, CardFingerprint: "fp", Amount: new(int64(1000)), Currency: "JPY"}, []time.Time{at(1), at(3), at(5)}},
		{"amount in another currency", domain.ChargeCount{StoreID: f.store.ID, Amount: new(int64(1000)), Currency: "USD"}, []time.Time{at(7)}},
		{"failed", domain.ChargeCount{StoreID: f.store.ID, Statuses: []api.ChargeStatus{api.ChargeFailed}}, []time.Time{at(2), at(6)}},
		{"failed of a card", domain.ChargeCount{StoreID: f.store.ID, CardFingerprint: "fp2", Statuses: []api.ChargeStatus{api.ChargeFailed, api.ChargeError}}, []time.Time{at(6)}},
		{"not failed", domain.ChargeCount{StoreID: f.store.ID, ExceptStatuses: []api.ChargeStatus{api.ChargeFailed, api.ChargeError}}, []time.Time{at(1), at(3), at(5), at(7)}},
		{"created from (inclusive)", domain.ChargeCount{StoreID: f.store.ID, CreatedFrom: at(3)}, []time.Time{at(3), at(5), at(6), at(7)}},
		{"created to (exclusive)", domain.ChargeCount{StoreID: f.store.ID, CreatedTo: at(3)}, []time.Time{at(1), at(2)}},
		{"window", domain.ChargeCount{StoreID: f.store.ID, CreatedFrom: at(2), CreatedTo: at(6)}, []time.Time{at(2), at(3), at(5)}},
		{"nothing", domain.ChargeCount{StoreID: f.store.ID, CardFingerprint: "none"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := st.CountCharges(ctx, tc.q)
			if err != nil || n != len(tc.want) {
				t.Errorf("CountCharges = %d, %v; want %d", n, err, len(tc.want))
			}
			times, err := st.ChargeTimes(ctx, tc.q)
			if err != nil || !slices.EqualFunc(times, tc.want, time.Time.Equal) {
				t.Errorf("ChargeTimes = %v, %v; want %v", times, err, tc.want)
			}
		})
	}
}

// Guards of CreateCharge: a guard whose count is reached refuses the charge
// and leaves the token as it was; charges created at once never pass a
// guard together.
func testChargeGuards(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	errFull := errors.New("full")
	store := domain.ChargeCount{StoreID: f.store.ID}
	guard := func(max int) domain.ChargeGuard { return domain.ChargeGuard{Count: store, Max: max, Err: errFull} }
	rec := f.token(t, st, f.store, 0, api.TokenTypeRecurring)
	f.charge(t, st, rec, 1, 1000)

	once := f.token(t, st, f.store, 2, api.TokenTypeOneTime)
	c := &domain.Charge{ID: newID(), StoreID: f.store.ID, MerchantID: f.store.MerchantID, TokenID: once.ID, TokenType: once.Type,
		Amount: 500, Currency: "JPY", Status: api.ChargePending, Mode: api.ModeTest, PaymentType: api.PaymentTypeCard,
		Metadata: api.Metadata{}, CreatedAt: at(3), UpdatedAt: at(3)}
	if err := st.CreateCharge(ctx, c, once.ID, true, guard(5), guard(1)); !errors.Is(err, errFull) {
		t.Fatalf("CreateCharge past a guard = %v, want its error", err)
	}
	if _, err := st.GetCharge(ctx, c.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("the refused charge was stored: %v", err)
	}
	if tok, err := st.GetToken(ctx, once.ID); err != nil || !tok.Active || tok.LastUsedAt != nil {
		t.Errorf("the refused charge used its token: %+v, %v", tok, err)
	}
	must(t, st.CreateCharge(ctx, c, once.ID, true, guard(2)))

	// Ten creations at once under a guard of 5 (two are stored already).
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &domain.Charge{ID: newID(), StoreID: f.store.ID, MerchantID: f.store.MerchantID, TokenID: rec.ID, TokenType: rec.Type,
				Amount: int64(100 + i), Currency: "JPY", Status: api.ChargePending, Mode: api.ModeTest, PaymentType: api.PaymentTypeCard,
				Metadata: api.Metadata{}, CreatedAt: at(10 + i), UpdatedAt: at(10 + i)}
			err := st.CreateCharge(ctx, c, rec.ID, false, guard(5))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				created++
			case !errors.Is(err, errFull):
				t.Errorf("CreateCharge: %v", err)
			}
		}()
	}
	wg.Wait()
	if n, err := st.CountCharges(ctx, store); created != 3 || n != 5 || err != nil {
		t.Errorf("created %d at once under a guard of 5 with 2 stored: %d stored (%v)", created, n, err)
	}
}
