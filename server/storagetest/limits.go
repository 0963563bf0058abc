package storagetest

import (
	"slices"
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
