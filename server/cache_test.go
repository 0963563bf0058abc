package server

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// checkoutName is the store name checkout_info shows.
func (e *testEnv) checkoutName() string {
	e.t.Helper()
	return call[api.CheckoutInfo](e, http.StatusOK, "GET", "/checkout_info", e.publicAuth(), "").Name
}

// A store changed by this process shows at once in checkout_info; one
// changed by another process (the storage written directly, under the
// cache) within docCacheTTL.
func TestCheckoutInfoFollowsStoreChanges(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	now := time.Now()
	e.s.docs.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	ctx := context.Background()
	rename := func(st domain.Storage, name string) {
		shop, err := st.GetStore(ctx, e.demo.StoreID)
		if err != nil {
			t.Fatal(err)
		}
		shop.Name = name
		if err := st.UpdateStore(ctx, shop); err != nil {
			t.Fatal(err)
		}
	}
	first := e.checkoutName()
	rename(e.s.storage, "Renamed here")
	if got := e.checkoutName(); got != "Renamed here" {
		t.Fatalf("after a change in this process: %q (was %q)", got, first)
	}
	other := e.s.storage.(cachingStorage).Storage // what another process writes
	rename(other, "Renamed elsewhere")
	if got := e.checkoutName(); got != "Renamed here" {
		t.Fatalf("the cached store was read again before its time: %q", got)
	}
	mu.Lock()
	now = now.Add(docCacheTTL)
	mu.Unlock()
	if got := e.checkoutName(); got != "Renamed elsewhere" {
		t.Fatalf("a change by another process after docCacheTTL: %q", got)
	}
}

// An app token deactivated elsewhere is refused within docCacheTTL.
func TestDeactivatedAppTokenRefusedWithinTTL(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	now := time.Now()
	e.s.docs.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	ctx := context.Background()
	if r := e.do("GET", "/checkout_info", e.publicAuth(), ""); r.code != 200 {
		t.Fatalf("checkout_info: %d", r.code)
	}
	other := e.s.storage.(cachingStorage).Storage // what another process writes
	apps, err := other.ListAppTokens(ctx, e.demo.StoreID)
	if err != nil || len(apps) != 1 {
		t.Fatalf("app tokens: %d, %v", len(apps), err)
	}
	app := apps[0]
	app.Active = false
	if err := other.UpdateAppToken(ctx, app); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(docCacheTTL)
	mu.Unlock()
	wantError(t, e.do("GET", "/checkout_info", e.publicAuth(), ""), 401, api.CodeInvalidAppToken)
}
