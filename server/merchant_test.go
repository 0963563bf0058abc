package server

import (
	"net/url"
	"slices"
	"testing"

	"github.com/google/uuid"

	"kessai/api"
	"kessai/server/domain"
)

func TestMe(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/me", e.secretAuth(), "")
	if r.code != 200 {
		t.Fatalf("GET /me: %d %s", r.code, r.body)
	}
	assertGolden(t, "me", r.body)
	var m api.Merchant
	r.json(t, &m)
	if m.Name != DemoMerchantName || m.Email != DemoMerchantEmail || !m.Verified || m.Configuration.TransferSchedule == nil {
		t.Errorf("merchant = %+v", m)
	}
	// The configuration is the first store's.
	e.configure(`{"logo_image":"https://shop.example/logo.png","recurring_token_privilege":"bounded","konbini_enabled":true,"descriptor":"KESSAI SHOP"}`, false)
	e.do("GET", "/me", e.secretAuth(), "").json(t, &m)
	c := m.Configuration
	if c.LogoURL == nil || *c.LogoURL != "https://shop.example/logo.png" || c.RecurringTokenConfiguration.RecurringType != api.RecurringBounded ||
		!c.ConvenienceConfiguration.Enabled || c.DescriptorProvidedConfiguration == nil || c.DescriptorProvidedConfiguration.Descriptor != "KESSAI SHOP" {
		t.Errorf("configuration = %+v", c)
	}
	wantError(t, e.do("GET", "/me", e.publicAuth(), ""), 403, api.CodeInvalidPermissions)
	wantError(t, e.do("GET", "/me", "", ""), 401, api.CodeAuthHeaderMissing)
}

func TestGetStore(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/stores/"+e.demo.StoreID, e.secretAuth(), "")
	if r.code != 200 {
		t.Fatalf("GET store: %d %s", r.code, r.body)
	}
	assertGolden(t, "store", r.body)
	var st api.Store
	r.json(t, &st)
	if st.ID != e.demo.StoreID || st.Name != DemoStoreName || st.Configuration.TransferSchedule != nil ||
		!slices.Equal(st.Configuration.InstallmentsConfiguration.SupportedPaymentTypes, []string{"card", "konbini", "apple_pay", "paidy", "bank_transfer"}) {
		t.Errorf("store = %+v", st)
	}
	e.configure(`{"card_enabled":false,"country":"US","allow_empty_cvv":true}`, false)
	e.do("GET", "/stores/"+e.demo.StoreID, e.secretAuth(), "").json(t, &st)
	if cc := st.Configuration.CardConfiguration; cc.Enabled || !cc.AllowEmptyCVV || *st.Configuration.Country != "US" {
		t.Errorf("configuration after a change = %+v", st.Configuration)
	}

	other := e.addStore(e.demoStore().MerchantID, "Other", "test")
	wantError(t, e.do("GET", "/stores/"+other.StoreID, e.secretAuth(), ""), 404, api.CodeNotFound)
	wantError(t, e.do("GET", "/stores/"+e.demo.StoreID, secretAuthOf(other), ""), 404, api.CodeNotFound)
	wantError(t, e.do("GET", "/stores/not-a-store", e.secretAuth(), ""), 404, api.CodeNotFound)
	wantError(t, e.do("GET", "/stores/"+e.demo.StoreID, e.publicAuth(), ""), 403, api.CodeInvalidPermissions)
}

func TestListStores(t *testing.T) {
	e := newEnv(t)
	merchant := e.demoStore().MerchantID
	other := e.addStore(merchant, "Second shop", "test")
	list := func(auth, query string) api.List[api.StoreListItem] {
		t.Helper()
		r := e.do("GET", "/stores"+query, auth, "")
		if r.code != 200 {
			t.Fatalf("GET /stores%s: %d %s", query, r.code, r.body)
		}
		var l api.List[api.StoreListItem]
		r.json(t, &l)
		return l
	}
	ids := func(l api.List[api.StoreListItem]) []string {
		var out []string
		for _, it := range l.Items {
			out = append(out, it.ID)
		}
		return out
	}
	// A store app token sees its own store only.
	l := list(e.secretAuth(), "")
	if !slices.Equal(ids(l), []string{e.demo.StoreID}) || l.HasMore || l.TotalHits != 1 ||
		l.Items[0].Name != DemoStoreName || l.Items[0].MerchantName != DemoMerchantName || l.Items[0].CreatedOn == "" {
		t.Fatalf("list = %+v", l)
	}
	if got := ids(list(secretAuthOf(other), "")); !slices.Equal(got, []string{other.StoreID}) {
		t.Errorf("other store's list = %v", got)
	}
	for _, test := range []struct {
		search string
		found  bool
	}{
		{"デモ", true}, {"kessai", true}, {"KESSAI", true}, {e.demo.StoreID[:8], true}, {"Second", false}, {"nothing", false},
	} {
		got := ids(list(e.secretAuth(), "?search="+url.QueryEscape(test.search)))
		if (len(got) == 1) != test.found {
			t.Errorf("search %q = %v, want found=%v", test.search, got, test.found)
		}
	}
	wantError(t, e.do("GET", "/stores?limit=5", e.secretAuth(), ""), 400, api.CodeValidationError,
		api.FieldError{Field: "limit", Reason: "Limit must be between 10 and 100"})
	wantError(t, e.do("GET", "/stores?cursor="+newID(), e.secretAuth(), ""), 400, api.CodeValidationError,
		api.FieldError{Field: "cursor", Reason: api.ReasonInvalidFormat})
	wantError(t, e.do("GET", "/stores", e.publicAuth(), ""), 403, api.CodeInvalidPermissions)
}

func TestPageOf(t *testing.T) {
	var items []string
	for range 25 {
		items = append(items, newID())
	}
	id := func(s string) string { return s }
	p, err := pageOf(items, domain.Page{Limit: 10}, id)
	if err != nil || len(p.Items) != 10 || !p.HasMore || p.TotalHits != 25 || p.Items[0] != items[24] {
		t.Fatalf("first page = %+v, %v", p, err)
	}
	p, _ = pageOf(items, domain.Page{Limit: 10, Cursor: p.Items[9]}, id)
	if len(p.Items) != 10 || p.Items[0] != items[14] || !p.HasMore {
		t.Fatalf("second page = %+v", p)
	}
	p, _ = pageOf(items, domain.Page{Limit: 10, Cursor: p.Items[9]}, id)
	if len(p.Items) != 5 || p.HasMore || p.Items[4] != items[0] {
		t.Fatalf("last page = %+v", p)
	}
	p, _ = pageOf(items, domain.Page{Limit: 20, Asc: true}, id)
	if len(p.Items) != 20 || p.Items[0] != items[0] || !p.HasMore {
		t.Fatalf("ascending = %+v", p)
	}
}

func TestCreateCustomerID(t *testing.T) {
	e := newEnv(t)
	path := "/stores/" + e.demo.StoreID + "/create_customer_id"
	get := func(auth, path, body string) string {
		t.Helper()
		r := e.do("POST", path, auth, body)
		if r.code != 200 {
			t.Fatalf("POST %s: %d %s", path, r.code, r.body)
		}
		var c api.CustomerID
		r.json(t, &c)
		return c.CustomerID
	}
	a := get(e.secretAuth(), path, `{"customer_id":"1234abcd"}`)
	u, err := uuid.Parse(a)
	if err != nil || u.Version() != 5 {
		t.Fatalf("customer_id %q is not a UUIDv5 (%v)", a, err)
	}
	if b := get(e.secretAuth(), path+"?customer_id=1234abcd", ""); b != a {
		t.Errorf("query parameter gives %s, body %s", b, a)
	}
	if b := get(e.secretAuth(), path, `{"customer_id":"1234abcd"}`); b != a {
		t.Errorf("not deterministic: %s then %s", a, b)
	}
	if b := get(e.secretAuth(), path, `{"customer_id":"1234abce"}`); b == a {
		t.Error("two customers share a UUID")
	}
	other := e.addStore(e.demoStore().MerchantID, "Other", "test")
	if b := get(secretAuthOf(other), "/stores/"+other.StoreID+"/create_customer_id", `{"customer_id":"1234abcd"}`); b == a {
		t.Error("two stores give the same UUID")
	}
	// Nothing is stored: the UUID depends on the store and the ID only,
	// the same in every version of the sandbox.
	if got := customerUUID("11edf541-c42d-653c-8c3d-dfe0a55f95c0", "1234abcd"); got != "09ccd809-8209-53b5-aac9-ba53786c10b5" {
		t.Errorf("customerUUID = %s", got)
	}

	wantError(t, e.do("POST", path, e.secretAuth(), ""), 400, api.CodeValidationError,
		api.FieldError{Field: "customer_id", Reason: api.ReasonRequiredValue})
	wantError(t, e.do("POST", path, e.secretAuth(), `{"customer_id":"  "}`), 400, api.CodeValidationError,
		api.FieldError{Field: "customer_id", Reason: api.ReasonRequiredValue})
	wantError(t, e.do("POST", path, e.secretAuth(), `{"customer_id":12}`), 400, api.CodeValidationError,
		api.FieldError{Field: "customer_id", Reason: api.ReasonInvalidFormat})
	wantError(t, e.do("POST", "/stores/"+other.StoreID+"/create_customer_id", e.secretAuth(), `{"customer_id":"x"}`), 404, api.CodeNotFound)
	wantError(t, e.do("POST", path, e.publicAuth(), `{"customer_id":"x"}`), 403, api.CodeInvalidPermissions)
}
