package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"kessai/api"
)

// tokenSpec describes a card token to create with the secret.
type tokenSpec struct {
	number, typ, email, holder, month, year string
	phoneCC, phone                          string
	metadata                                string // JSON object, "" for none
}

func (e *testEnv) createTokenSpec(sp tokenSpec) api.TransactionToken {
	e.t.Helper()
	return e.createTokenSpecAs(e.secretAuth(), sp)
}

func (e *testEnv) createTokenSpecAs(auth string, sp tokenSpec) api.TransactionToken {
	e.t.Helper()
	data := map[string]any{"cardholder": sp.holder, "card_number": sp.number, "exp_month": sp.month, "exp_year": sp.year, "cvv": "123"}
	if sp.phone != "" {
		data["phone_number"] = map[string]string{"country_code": sp.phoneCC, "local_number": sp.phone}
	}
	body := map[string]any{"payment_type": "card", "type": sp.typ, "email": sp.email, "data": data}
	if sp.metadata != "" {
		body["metadata"] = json.RawMessage(sp.metadata)
	}
	b, _ := json.Marshal(body)
	return e.postToken(auth, string(b))
}

// otherStore adds a second store to the demo merchant and returns its ID
// and the Authorization header (with secret) of an app token for it.
func (e *testEnv) otherStore(name string) (string, string) {
	e.t.Helper()
	other := e.addStore(e.demoStore().MerchantID, name, "test")
	return other.StoreID, secretAuthOf(other)
}

// listIDs GETs a list and returns the IDs of its items, newest first.
func (e *testEnv) pageIDs(path, auth string) (ids []string, total int) {
	e.t.Helper()
	l := call[api.List[struct {
		ID string `json:"id"`
	}]](e, http.StatusOK, "GET", path, auth, "")
	for _, it := range l.Items {
		ids = append(ids, it.ID)
	}
	return ids, l.TotalHits
}

func tokIDs(toks ...api.TransactionToken) []string {
	var out []string
	for _, t := range toks {
		out = append(out, t.ID)
	}
	return out
}

func TestTokenListFilters(t *testing.T) {
	e := newEnv(t)
	store := "/stores/" + e.demo.StoreID + "/tokens"
	start := e.s.clock.Now(e.demo.StoreID)
	taro := e.createTokenSpec(tokenSpec{number: "4000020000000000", typ: "recurring", email: "Taro@Example.com", holder: "TARO YAMADA",
		month: "12", year: "2099", phoneCC: "81", phone: "090-1234-5678",
		metadata: `{"univapay-customer-id":"c0ffee00-0000-4000-8000-000000000001","order":"A-1"}`})
	e.advance(time.Hour)
	hanako := e.createTokenSpec(tokenSpec{number: "5555555555554444", typ: "one_time", email: "hanako@example.com", holder: "Hanako Suzuki",
		month: "1", year: "2030"})
	e.advance(time.Hour)
	mid := e.s.clock.Now(e.demo.StoreID)
	jiro := e.createTokenSpec(tokenSpec{number: "4242424242424242", typ: "subscription", email: "jiro@example.com", holder: "JIRO YAMADA",
		month: "02", year: "2031", phoneCC: "1", phone: "8029854583"})
	e.advance(time.Hour)

	enc := url.QueryEscape
	all := tokIDs(jiro, hanako, taro)
	for _, tt := range []struct {
		name, query string
		want        []string
	}{
		{"no filter", "", all},
		{"id", "id=" + hanako.ID, tokIDs(hanako)},
		{"short_id", "short_id=" + jiro.ID[len(jiro.ID)-6:], tokIDs(jiro)},
		{"short_id upper case", "short_id=" + strings.ToUpper(jiro.ID[len(jiro.ID)-6:]), tokIDs(jiro)},
		{"type recurring", "type=recurring", tokIDs(taro)},
		{"type subscription", "type=subscription", tokIDs(jiro)},
		{"type one_time", "type=one_time", tokIDs(hanako)},
		{"email any case", "email=" + enc("taro@example.COM"), tokIDs(taro)},
		{"cardholder part any case", "cardholder=yamada", tokIDs(jiro, taro)},
		{"card_exp", "card_exp=2030-01", tokIDs(hanako)},
		{"card_last_four", "card_last_four=4444", tokIDs(hanako)},
		{"phone_number local", "phone_number=09012345678", tokIDs(taro)},
		{"phone_number without the trunk zero", "phone_number=" + enc("+81 90-1234-5678"), nil},
		{"phone_number with country code", "phone_number=" + enc("+1 802 985 4583"), tokIDs(jiro)},
		{"brand", "brand=mastercard", tokIDs(hanako)},
		{"brand any case", "brand=VISA", tokIDs(jiro, taro)},
		{"customer_id", "customer_id=c0ffee00-0000-4000-8000-000000000001", tokIDs(taro)},
		{"payment_type", "payment_type=card", all},
		{"mode test", "mode=test", all},
		{"mode live", "mode=live", nil},
		{"metadata", "metadata=" + enc("order:A-1"), tokIDs(taro)},
		{"from inclusive", "from=" + enc(jiro.CreatedOn), tokIDs(jiro)},
		{"to inclusive", "to=" + enc(hanako.CreatedOn), tokIDs(hanako, taro)},
		{"from and to", "from=" + enc(api.FormatTime(start)) + "&to=" + enc(api.FormatTime(mid)), tokIDs(hanako, taro)},
		{"and", "cardholder=yamada&type=subscription", tokIDs(jiro)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, total := e.pageIDs(store+"?"+tt.query, e.secretAuth())
			if !slices.Equal(got, tt.want) || total != len(tt.want) {
				t.Fatalf("got %v (total %d), want %v", got, total, tt.want)
			}
			// The merchant-wide route filters the same way.
			if got, _ := e.pageIDs("/tokens?"+tt.query, e.secretAuth()); !slices.Equal(got, tt.want) {
				t.Fatalf("GET /tokens: got %v, want %v", got, tt.want)
			}
		})
	}
	// The phone number matches digits of the country code + local number.
	if got, _ := e.pageIDs(store+"?phone_number=8109012345678", e.secretAuth()); !slices.Equal(got, tokIDs(taro)) {
		t.Errorf("phone with country code: %v", got)
	}
}

func TestTokenListErrors(t *testing.T) {
	e := newEnv(t)
	store := "/stores/" + e.demo.StoreID + "/tokens"
	fe := func(field, reason string) api.FieldError { return api.FieldError{Field: field, Reason: reason} }
	for _, tt := range []struct {
		query string
		errs  []api.FieldError
	}{
		{"id=nope", []api.FieldError{fe("id", api.ReasonInvalidFormatUUID)}},
		{"short_id=12345", []api.FieldError{fe("short_id", api.ReasonInvalidFormat)}},
		{"type=monthly", []api.FieldError{fe("type", api.ReasonInvalidFormat)}},
		{"card_exp=2024-13", []api.FieldError{fe("card_exp", api.ReasonInvalidFormat)}},
		{"card_exp=01-2024", []api.FieldError{fe("card_exp", api.ReasonInvalidFormat)}},
		{"card_last_four=12a4", []api.FieldError{fe("card_last_four", api.ReasonInvalidFormat)}},
		{"phone_number=call-me", []api.FieldError{fe("phone_number", api.ReasonInvalidPhoneNumber)}},
		{"customer_id=42", []api.FieldError{fe("customer_id", api.ReasonInvalidFormatUUID)}},
		{"payment_type=cash", []api.FieldError{fe("payment_type", api.ReasonInvalidFormat)}},
		{"previous_transaction_token_id=x", []api.FieldError{fe("previous_transaction_token_id", api.ReasonInvalidFormatUUID)}},
		{"limit=5&type=x&mode=prod", []api.FieldError{fe("limit", "Limit must be between 10 and 100"), fe("mode", api.ReasonInvalidFormat), fe("type", api.ReasonInvalidFormat)}},
		{"cursor=" + newID(), []api.FieldError{fe("cursor", api.ReasonInvalidFormat)}},
	} {
		t.Run(tt.query, func(t *testing.T) {
			wantError(t, e.do("GET", store+"?"+tt.query, e.secretAuth(), ""), 400, api.CodeValidationError, tt.errs...)
		})
	}
}

func TestTokenListPagination(t *testing.T) {
	e := newEnv(t)
	var want []string // newest first
	for i := range 12 {
		tok := e.createToken("4000020000000000", []string{"one_time", "recurring"}[i%2])
		want = append([]string{tok.ID}, want...)
	}
	path := "/stores/" + e.demo.StoreID + "/tokens"
	var got []string
	cursor := ""
	for page := 0; ; page++ {
		q := "?limit=10"
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		r := e.do("GET", path+q, e.secretAuth(), "")
		var l api.List[api.TokenListItem]
		r.json(t, &l)
		if l.TotalHits != 12 {
			t.Fatalf("total_hits = %d", l.TotalHits)
		}
		for _, it := range l.Items {
			got = append(got, it.ID)
		}
		if !l.HasMore {
			break
		}
		if page > 2 {
			t.Fatal("pagination does not end")
		}
		cursor = l.Items[len(l.Items)-1].ID
	}
	if !slices.Equal(got, want) {
		t.Fatalf("pages = %v\nwant %v", got, want)
	}
	asc, _ := e.pageIDs(path+"?limit=100&cursor_direction=asc", e.secretAuth())
	slices.Reverse(asc)
	if !slices.Equal(asc, want) {
		t.Fatalf("ascending = %v", asc)
	}
}

func TestTokenListItemShape(t *testing.T) {
	e := newEnv(t)
	tok := e.createToken("4000020000000000", "recurring")
	it, raw := onlyItem[api.TokenListItem](t, e, "/stores/"+e.demo.StoreID+"/tokens?id="+tok.ID, "token_list_item")
	if it.MerchantName != DemoMerchantName || it.StoreName != DemoStoreName || it.Data != nil ||
		*it.UserData.CardholderName != "taro yamada" || *it.UserData.Brand != "visa" || it.UserData.Email != "taro@example.com" {
		t.Errorf("item = %s", raw)
	}
	g := e.do("GET", "/stores/"+e.demo.StoreID+"/tokens/"+tok.ID, e.secretAuth(), "")
	assertGolden(t, "token_card_recurring", g.body)
}

// Without the secret a browser may list only a customer's recurring
// tokens, masked; everything else of the list needs the secret.
func TestTokenListAccess(t *testing.T) {
	e := newEnv(t)
	customer := "c0ffee00-0000-4000-8000-000000000002"
	saved := e.createTokenSpec(tokenSpec{number: "4000020000000000", typ: "recurring", email: "taro@example.com", holder: "TARO YAMADA",
		month: "12", year: "2099", metadata: `{"univapay-customer-id":"` + customer + `","secret_note":"x"}`})
	e.createTokenSpec(tokenSpec{number: "5555555555554444", typ: "one_time", email: "taro@example.com", holder: "TARO YAMADA",
		month: "12", year: "2099", metadata: `{"univapay-customer-id":"` + customer + `"}`})
	replaced := e.createTokenSpec(tokenSpec{number: "4242424242424242", typ: "recurring", email: "taro@example.com", holder: "TARO YAMADA",
		month: "12", year: "2099", metadata: `{"univapay-customer-id":"` + customer + `"}`})
	if r := e.do("POST", "/stores/"+e.demo.StoreID+"/tokens/"+replaced.ID+"/renew", e.secretAuth(),
		`{"data":{"cardholder":"TARO YAMADA","exp_month":1,"exp_year":2098}}`); r.code != 201 {
		t.Fatalf("renew: %d %s", r.code, r.body)
	}
	store := "/stores/" + e.demo.StoreID + "/tokens"
	for _, tt := range []struct{ name, path string }{
		{"no filter", store},
		{"customer only", store + "?customer_id=" + customer},
		{"one_time", store + "?customer_id=" + customer + "&type=one_time"},
		{"recurring without customer", store + "?type=recurring"},
		{"merchant-wide", "/tokens?customer_id=" + customer + "&type=recurring"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, e.do("GET", tt.path, e.publicAuth(), ""), 403, api.CodeInvalidPermissions)
		})
	}
	// From a browser on a registered domain: the active recurring tokens of
	// the customer, masked.
	r := e.do("GET", store+"?customer_id="+customer+"&type=recurring", e.publicAuth(), "", "Origin", "http://localhost:3000")
	if r.code != 200 || r.header.Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
		t.Fatalf("public list: %d %s %v", r.code, r.body, r.header)
	}
	var l struct {
		Items []map[string]any `json:"items"`
	}
	r.json(t, &l)
	if len(l.Items) != 2 { // saved and the renewal of replaced; not the replaced token, not the one_time
		t.Fatalf("items = %s", r.body)
	}
	it := l.Items[1]
	if it["id"] != saved.ID || it["email"] != "t***@example.com" || len(it["metadata"].(map[string]any)) != 0 {
		t.Errorf("masked item = %v", it)
	}
	card := it["data"].(map[string]any)["card"].(map[string]any)
	if got := keysOf(card); !slices.Equal(got, []string{"brand", "cardholder", "exp_month", "exp_year", "last_four"}) || card["last_four"] != "0000" {
		t.Errorf("masked card = %v", card)
	}
	if strings.Contains(string(r.body), "400002") || strings.Contains(string(r.body), "taro@example.com") || strings.Contains(string(r.body), "secret_note") {
		t.Errorf("public list leaks data: %s", r.body)
	}
	// A registered-domain check still applies.
	wantError(t, e.do("GET", store+"?customer_id="+customer+"&type=recurring", e.publicAuth(), "", "Origin", "https://evil.example"), 401, api.CodeInvalidDomain)

	// Another store's lists: its own tokens only; this store's path is 404.
	otherID, otherAuth := e.otherStore("other")
	wantError(t, e.do("GET", store, otherAuth, ""), 404, api.CodeNotFound)
	if ids, _ := e.pageIDs("/tokens", otherAuth); len(ids) != 0 {
		t.Errorf("other store sees %v", ids)
	}
	if ids, _ := e.pageIDs("/stores/"+otherID+"/tokens", otherAuth); len(ids) != 0 {
		t.Errorf("other store sees %v", ids)
	}
}

func TestTokenUpdate(t *testing.T) {
	e := newEnv(t)
	tok := e.createToken("4000020000000000", "recurring")
	path := "/stores/" + e.demo.StoreID + "/tokens/" + tok.ID
	patch := func(body string) api.TransactionToken {
		t.Helper()
		r := e.do("PATCH", path, e.secretAuth(), body)
		if r.code != 200 {
			t.Fatalf("PATCH %s: %d %s", body, r.code, r.body)
		}
		var got api.TransactionToken
		r.json(t, &got)
		return got
	}
	e.advance(time.Minute)
	got := patch(`{"email":" new@example.com ","cardholder":"HANAKO YAMADA","metadata":{"note":null,"added":"y","order_id":1}}`)
	if got.Email != "new@example.com" || got.Data.Card.Cardholder != "HANAKO YAMADA" || got.UpdatedOn == tok.UpdatedOn {
		t.Errorf("updated = %+v", got)
	}
	if m, _ := json.Marshal(got.Metadata); string(m) != `{"added":"y","order_id":1}` {
		t.Errorf("metadata = %s", m)
	}
	// data.cardholder, billing, and the unchangeable card fields repeated.
	got = patch(`{"data":{"cardholder":"JIRO YAMADA","card_number":"4000 0200 0000 0000","exp_month":"12","exp_year":"99",
		"line1":"1-2-3 Chiyoda","line2":"","city":"Tokyo","country":"jp","zip":"100-0001","phone_number":{"country_code":"81","local_number":"0312345678"}}}`)
	b := got.Data.Billing
	if got.Data.Card.Cardholder != "JIRO YAMADA" || *b.Line1 != "1-2-3 Chiyoda" || b.Line2 != nil || *b.City != "Tokyo" || *b.Country != "JP" ||
		*b.Zip != "100-0001" || *b.PhoneNumber.CountryCode != 81 || *b.PhoneNumber.LocalNumber != "0312345678" {
		t.Errorf("billing = %+v card %+v", b, got.Data.Card)
	}
	if got.Data.Card.LastFour != "0000" || got.Data.Card.ExpYear != 2099 {
		t.Errorf("card changed: %+v", got.Data.Card)
	}
	// Nothing to change: updated_on stays.
	e.advance(time.Minute)
	same := patch(`{"email":"new@example.com"}`)
	if same.UpdatedOn != got.UpdatedOn {
		t.Errorf("no-op update moved updated_on: %s → %s", got.UpdatedOn, same.UpdatedOn)
	}
	// GET returns the update.
	var again api.TransactionToken
	e.do("GET", path, e.secretAuth(), "").json(t, &again)
	if again.Email != "new@example.com" || again.Data.Card.Cardholder != "JIRO YAMADA" {
		t.Errorf("GET after PATCH = %+v", again)
	}
}

func TestTokenUpdateErrors(t *testing.T) {
	e := newEnv(t)
	tok := e.createToken("4000020000000000", "recurring")
	path := "/stores/" + e.demo.StoreID + "/tokens/" + tok.ID
	_, otherAuth := e.otherStore("other")
	live, err := e.s.CreateAppToken(context.Background(), AppTokenInput{StoreID: e.demo.StoreID, Mode: "live"})
	if err != nil {
		t.Fatal(err)
	}
	liveAuth := "Bearer " + live.Secret + "." + live.JWT
	fe := func(field, reason string) api.FieldError { return api.FieldError{Field: field, Reason: reason} }
	for _, tt := range []struct {
		name, path, auth, body string
		status                 int
		code                   string
		errs                   []api.FieldError
	}{
		{"bad email", path, e.secretAuth(), `{"email":"nope"}`, 400, api.CodeValidationError, []api.FieldError{fe("email", api.ReasonInvalidFormatEmail)}},
		{"empty email", path, e.secretAuth(), `{"email":" "}`, 400, api.CodeValidationError, []api.FieldError{fe("email", api.ReasonRequiredValue)}},
		{"empty cardholder", path, e.secretAuth(), `{"cardholder":""}`, 400, api.CodeValidationError, []api.FieldError{fe("cardholder", api.ReasonRequiredValue)}},
		{"nested metadata", path, e.secretAuth(), `{"metadata":{"a":[1]}}`, 400, api.CodeValidationError, []api.FieldError{fe("metadata.a", api.ReasonNestedJSONNotAllowed)}},
		{"bad cvv", path, e.secretAuth(), `{"data":{"cvv":"12a"}}`, 400, api.CodeValidationError, []api.FieldError{fe("data.cvv", api.ReasonInvalidCVV)}},
		{"other card number", path, e.secretAuth(), `{"data":{"card_number":"4242424242424242"}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("data.card_number", api.ReasonForbiddenParameter)}},
		{"other expiry", path, e.secretAuth(), `{"data":{"exp_month":"11","exp_year":"2098"}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("data.exp_month", api.ReasonForbiddenParameter), fe("data.exp_year", api.ReasonForbiddenParameter)}},
		{"bad country and phone", path, e.secretAuth(), `{"data":{"country":"JPN","phone_number":{"country_code":"x"}}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("data.country", api.ReasonInvalidFormatCountry), fe("data.phone_number.country_code", api.ReasonInvalidPhoneNumber)}},
		{"wrong type", path, e.secretAuth(), `{"email":5}`, 400, api.CodeValidationError, []api.FieldError{fe("email", api.ReasonInvalidFormat)}},
		{"malformed", path, e.secretAuth(), `{`, 400, api.CodeValidationError, []api.FieldError{{Reason: api.ReasonInvalidFormat}}},
		{"without secret: e-mail", path, e.publicAuth(), `{"email":"a@example.com"}`, 403, api.CodeInvalidPermissions, nil},
		{"without secret: CVV and metadata", path, e.publicAuth(), `{"data":{"cvv":"123"},"metadata":{"a":"b"}}`, 403, api.CodeInvalidPermissions, nil},
		{"without secret: CVV and billing", path, e.publicAuth(), `{"data":{"cvv":"123","zip":"1"}}`, 403, api.CodeInvalidPermissions, nil},
		{"without secret: nothing", path, e.publicAuth(), `{}`, 403, api.CodeInvalidPermissions, nil},
		{"unknown token", "/stores/" + e.demo.StoreID + "/tokens/" + newID(), e.secretAuth(), `{"email":"a@example.com"}`, 404, api.CodeNotFound, nil},
		{"not a uuid", "/stores/" + e.demo.StoreID + "/tokens/x", e.secretAuth(), `{"email":"a@example.com"}`, 404, api.CodeNotFound, nil},
		{"other store's app token", path, otherAuth, `{"email":"a@example.com"}`, 404, api.CodeNotFound, nil},
		{"live app token, test token", path, liveAuth, `{"email":"a@example.com"}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("id", api.ReasonProcessingModeMismatch)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, e.do("PATCH", tt.path, tt.auth, tt.body), tt.status, tt.code, tt.errs...)
		})
	}
	// Nothing was changed by the failed requests.
	var got api.TransactionToken
	e.do("GET", path, e.secretAuth(), "").json(t, &got)
	if got.Email != tok.Email || got.UpdatedOn != tok.UpdatedOn {
		t.Errorf("token changed: %+v", got)
	}
}

// A CVV-only update needs no secret; it opens the 5-minute CVV window that
// the next charge uses up.
func TestTokenCVVUpdate(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok := e.createToken("4000020000000000", "recurring")
	path := "/stores/" + e.demo.StoreID + "/tokens/" + tok.ID
	window := func() bool {
		stored, err := e.s.storage.GetToken(ctx, tok.ID)
		if err != nil {
			t.Fatal(err)
		}
		return e.s.cvvWindowOpen(stored)
	}
	if window() {
		t.Fatal("CVV window open before any CVV update")
	}
	r := e.do("PATCH", path+"?origin=http://localhost:3000", e.publicAuth(), `{"data":{"cvv":123}}`, "Origin", testPublicURL)
	if r.code != 200 || strings.Contains(string(r.body), "123\"") {
		t.Fatalf("CVV update: %d %s", r.code, r.body)
	}
	if !window() {
		t.Fatal("CVV window closed after the update")
	}
	e.advance(5*time.Minute - time.Second)
	if !window() {
		t.Fatal("CVV window closed before 5 minutes")
	}
	e.advance(time.Second)
	if window() {
		t.Fatal("CVV window open after 5 minutes")
	}
	// A charge uses the CVV up.
	mustStatus(t, e.do("PATCH", path, e.publicAuth(), `{"data":{"cvv":"4567"}}`), 200)
	e.chargeYen(tok.ID, 1001)
	if window() {
		t.Fatal("CVV window open after a charge")
	}
}

// A CVV update re-runs a failed or inactive CVV authorization.
func TestTokenCVVReauthorization(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	create := func(number string) api.TransactionToken {
		body := strings.Replace(cardTokenBody(number, "recurring"), `"cvv":"123"`, `"cvv":"123","cvv_authorize":{"enabled":true}`, 1)
		r := e.do("POST", "/tokens", e.secretAuth(), body)
		var tok api.TransactionToken
		r.json(t, &tok)
		return tok
	}
	status := func(id string) api.CVVAuthorizeStatus {
		var tok api.TransactionToken
		e.do("GET", "/stores/"+e.demo.StoreID+"/tokens/"+id, e.secretAuth(), "").json(t, &tok)
		return *tok.Data.CVVAuthorize.Status
	}
	patchCVV := func(id string) api.CVVAuthorizeStatus {
		r := e.do("PATCH", "/stores/"+e.demo.StoreID+"/tokens/"+id, e.publicAuth(), `{"data":{"cvv":"123"}}`)
		var tok api.TransactionToken
		r.json(t, &tok)
		return *tok.Data.CVVAuthorize.Status
	}
	ok := create("4000020000000000")
	e.advance(time.Second)
	if st := status(ok.ID); st != api.CVVAuthCurrent {
		t.Fatalf("status %s", st)
	}
	// current: a CVV update does not re-run it.
	if st := patchCVV(ok.ID); st != api.CVVAuthCurrent {
		t.Fatalf("current after CVV update: %s", st)
	}
	// inactive (gateway credentials gone) → pending → current.
	stored, _ := e.s.storage.GetToken(ctx, ok.ID)
	stored.CVVAuth.Status = ptr(api.CVVAuthInactive)
	if err := e.s.storage.UpdateToken(ctx, stored); err != nil {
		t.Fatal(err)
	}
	if st := patchCVV(ok.ID); st != api.CVVAuthPending {
		t.Fatalf("inactive after CVV update: %s", st)
	}
	e.advance(time.Second)
	if st := status(ok.ID); st != api.CVVAuthCurrent {
		t.Fatalf("re-authorization: %s", st)
	}
	// failed → pending → failed again (cards ending 1111 fail).
	bad := create("4111111111111111")
	e.advance(time.Second)
	if st := status(bad.ID); st != api.CVVAuthFailed {
		t.Fatalf("status %s", st)
	}
	if st := patchCVV(bad.ID); st != api.CVVAuthPending {
		t.Fatalf("failed after CVV update: %s", st)
	}
	e.advance(time.Second)
	if st := status(bad.ID); st != api.CVVAuthFailed {
		t.Fatalf("re-authorization of a failing card: %s", st)
	}
}

func TestTokenDelete(t *testing.T) {
	e := newEnv(t)
	tok := e.createToken("4000020000000000", "recurring")
	c := e.chargeYen(tok.ID, 1234)
	path := "/stores/" + e.demo.StoreID + "/tokens/" + tok.ID
	_, otherAuth := e.otherStore("other")
	wantError(t, e.do("DELETE", path, e.publicAuth(), ""), 403, api.CodeInvalidPermissions)
	wantError(t, e.do("DELETE", path, otherAuth, ""), 404, api.CodeNotFound)
	r := e.do("DELETE", path, e.secretAuth(), "")
	if r.code != 204 || len(r.body) != 0 {
		t.Fatalf("DELETE: %d %q", r.code, r.body)
	}
	wantError(t, e.do("GET", path, e.secretAuth(), ""), 404, api.CodeNotFound)
	wantError(t, e.do("DELETE", path, e.secretAuth(), ""), 404, api.CodeNotFound)
	wantError(t, e.do("PATCH", path, e.secretAuth(), `{"email":"a@example.com"}`), 404, api.CodeNotFound)
	wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`), 404, api.CodeNotFound)
	// The charge keeps its token ID and is still found by it.
	if got := e.pollCharge(c.ID); got.TransactionTokenID != tok.ID || got.Status != api.ChargeSuccessful {
		t.Errorf("charge after token delete: %+v", got)
	}
	if ids, _ := e.pageIDs("/stores/"+e.demo.StoreID+"/charges?transaction_token_id="+tok.ID, e.secretAuth()); !slices.Equal(ids, []string{c.ID}) {
		t.Errorf("charges of the deleted token: %v", ids)
	}
	if ids, _ := e.pageIDs("/stores/"+e.demo.StoreID+"/tokens", e.secretAuth()); len(ids) != 0 {
		t.Errorf("deleted token listed: %v", ids)
	}
}

func TestTokenRenew(t *testing.T) {
	e := newEnv(t)
	old := e.createToken("4000020000000000", "recurring")
	base := "/stores/" + e.demo.StoreID + "/tokens/"
	e.advance(time.Minute)
	r := e.do("POST", base+old.ID+"/renew", e.secretAuth(), `{"data":{"cardholder":"TARO SUZUKI","exp_month":"3","exp_year":"2100","city":"Osaka"}}`)
	if r.code != 201 {
		t.Fatalf("renew: %d %s", r.code, r.body)
	}
	var renewed api.TransactionToken
	r.json(t, &renewed)
	c := renewed.Data.Card
	if renewed.ID == old.ID || renewed.PreviousID == nil || *renewed.PreviousID != old.ID || !renewed.Active || renewed.Type != api.TokenTypeRecurring ||
		c.Cardholder != "TARO SUZUKI" || c.ExpMonth != 3 || c.ExpYear != 2100 || c.LastFour != "0000" || c.CardBIN != "400002" ||
		*renewed.Data.Billing.City != "Osaka" || *renewed.Data.Billing.Line1 != "123 abc st" || renewed.Email != old.Email || renewed.CreatedOn == old.CreatedOn {
		t.Fatalf("renewed = %s", r.body)
	}
	if !strings.Contains(string(r.body), `"order_id":12345678901234567890`) {
		t.Errorf("metadata not carried over: %s", r.body)
	}
	var was api.TransactionToken
	e.do("GET", base+old.ID, e.secretAuth(), "").json(t, &was)
	if was.Active {
		t.Error("the replaced token is still active")
	}
	wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+old.ID+`","amount":1000,"currency":"JPY"}`), 400, api.CodeRecurringTokenDisabled)
	if got := e.pollCharge(e.chargeYen(renewed.ID, 2000).ID); got.Status != api.ChargeSuccessful {
		t.Errorf("charge on the renewed token: %s", got.Status)
	}
	if ids, _ := e.pageIDs("/stores/"+e.demo.StoreID+"/tokens?previous_transaction_token_id="+old.ID, e.secretAuth()); !slices.Equal(ids, []string{renewed.ID}) {
		t.Errorf("previous_transaction_token_id filter: %v", ids)
	}

	oneTime := e.createToken("4000020000000000", "one_time")
	fe := func(field, reason string) api.FieldError { return api.FieldError{Field: field, Reason: reason} }
	year := e.s.clock.Now(e.demo.StoreID).Year()
	for _, tt := range []struct {
		name, id, auth, body string
		status               int
		code                 string
		errs                 []api.FieldError
	}{
		{"replaced token", old.ID, e.secretAuth(), `{"data":{"cardholder":"A B","exp_month":1,"exp_year":2099}}`, 400, api.CodeRecurringTokenDisabled, nil},
		{"one_time token", oneTime.ID, e.secretAuth(), `{"data":{"cardholder":"A B","exp_month":1,"exp_year":2099}}`, 400, api.CodeInvalidTokenType, nil},
		{"missing fields", renewed.ID, e.secretAuth(), `{"data":{}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("data.cardholder", api.ReasonRequiredValue), fe("data.exp_month", api.ReasonRequiredValue), fe("data.exp_year", api.ReasonRequiredValue)}},
		{"expired", renewed.ID, e.secretAuth(), `{"data":{"cardholder":"A B","exp_month":1,"exp_year":` + strconv.Itoa(year-1) + `}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("data.exp_year", api.ReasonInvalidCardExpiration)}},
		{"bad month and e-mail", renewed.ID, e.secretAuth(), `{"data":{"email":"x","cardholder":"A B","exp_month":13,"exp_year":2099}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("data.email", api.ReasonInvalidFormatEmail), fe("data.exp_month", api.ReasonInvalidCardExpiration)}},
		{"without secret", renewed.ID, e.publicAuth(), `{"data":{"cardholder":"A B","exp_month":1,"exp_year":2099}}`, 403, api.CodeInvalidPermissions, nil},
		{"unknown", newID(), e.secretAuth(), `{"data":{"cardholder":"A B","exp_month":1,"exp_year":2099}}`, 404, api.CodeNotFound, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, e.do("POST", base+tt.id+"/renew", tt.auth, tt.body), tt.status, tt.code, tt.errs...)
		})
	}
}

func TestTokenThreeDSIssuerToken(t *testing.T) {
	e := newEnv(t)
	tok := e.createToken("4000020000000000", "recurring")
	path := "/stores/" + e.demo.StoreID + "/tokens/" + tok.ID + "/three_ds/issuer_token"
	for _, auth := range []string{e.secretAuth(), e.publicAuth()} {
		wantError(t, e.do("GET", path, auth, ""), 400, api.CodeValidationError, api.FieldError{Reason: api.ReasonInvalidThreeDSStatus})
	}
	wantError(t, e.do("GET", "/stores/"+e.demo.StoreID+"/tokens/"+newID()+"/three_ds/issuer_token", e.secretAuth(), ""), 404, api.CodeNotFound)
	_, otherAuth := e.otherStore("other")
	wantError(t, e.do("GET", path, otherAuth, ""), 404, api.CodeNotFound)

	// A step awaiting the buyer: threeds_test.go.
}

func mustStatus(t *testing.T, r resp, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("status %d, want %d: %s", r.code, code, r.body)
	}
}
