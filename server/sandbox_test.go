package server

import (
	"context"
	"net/http"
	"testing"
	"time"

	"kessai/api"
)

// realNow is the real time under the sandbox clock in these tests:
// 2026-01-31 15:00 UTC, midnight of February 1st in Japan.
var realNow = time.Date(2026, 1, 31, 15, 0, 0, 0, time.UTC)

func (e *testEnv) clock(auth string) SandboxClock {
	e.t.Helper()
	return call[SandboxClock](e, http.StatusOK, "GET", "/sandbox/clock", auth, "")
}

func TestSandboxClockAdvance(t *testing.T) {
	for _, test := range []struct {
		duration string
		want     time.Time
		offset   string
	}{
		{"P1M", time.Date(2026, 2, 28, 15, 0, 0, 0, time.UTC), "PT672H"},
		{"P1Y", time.Date(2027, 1, 31, 15, 0, 0, 0, time.UTC), "PT8760H"},
		{"P1D", realNow.Add(24 * time.Hour), "PT24H"},
		{"P2W", realNow.Add(14 * 24 * time.Hour), "PT336H"},
		{"PT36H", realNow.Add(36 * time.Hour), "PT36H"},
		{"P1DT12H", realNow.Add(36 * time.Hour), "PT36H"},
		{"pt90m", realNow.Add(90 * time.Minute), "PT1H30M"},
		{"1.5s", realNow.Add(1500 * time.Millisecond), "PT2S"},
		{"36h", realNow.Add(36 * time.Hour), "PT36H"},
		{"1h30m15s", realNow.Add(time.Hour + 30*time.Minute + 15*time.Second), "PT1H30M15S"},
		{"0s", realNow, "PT0S"},
	} {
		t.Run(test.duration, func(t *testing.T) {
			e := newEnvAt(t, realNow)
			r := e.do("POST", "/sandbox/clock/advance", e.secretAuth(), `{"duration":"`+test.duration+`"}`)
			if r.code != 200 {
				t.Fatalf("advance: %d %s", r.code, r.body)
			}
			var c SandboxClock
			r.json(t, &c)
			if c.Now != api.FormatTime(test.want) || c.Offset != test.offset {
				t.Fatalf("advance %s = %+v, want now %s offset %s", test.duration, c, api.FormatTime(test.want), test.offset)
			}
			if got := e.clock(e.secretAuth()); got.Now != c.Now || got.Offset != c.Offset {
				t.Errorf("GET /sandbox/clock = %+v, want %+v", got, c)
			}
		})
	}
	// Advancing twice adds up.
	e := newEnvAt(t, realNow)
	e.do("POST", "/sandbox/clock/advance", e.secretAuth(), `{"duration":"P1D"}`)
	e.do("POST", "/sandbox/clock/advance", e.secretAuth(), `{"duration":"PT12H"}`)
	if c := e.clock(e.secretAuth()); c.Offset != "PT36H" || c.Now != api.FormatTime(realNow.Add(36*time.Hour)) {
		t.Errorf("after two advances: %+v", c)
	}
}

func TestSandboxClockErrors(t *testing.T) {
	e := newEnvAt(t, realNow)
	for _, test := range []struct {
		path, body string
		want       api.FieldError
	}{
		{"/sandbox/clock/advance", `{}`, api.FieldError{Field: "duration", Reason: api.ReasonRequiredValue}},
		{"/sandbox/clock/advance", `{"duration":""}`, api.FieldError{Field: "duration", Reason: api.ReasonRequiredValue}},
		{"/sandbox/clock/advance", `{"duration":"tomorrow"}`, api.FieldError{Field: "duration", Reason: api.ReasonInvalidFormat}},
		{"/sandbox/clock/advance", `{"duration":"-1h"}`, api.FieldError{Field: "duration", Reason: api.ReasonInvalidFormat}},
		{"/sandbox/clock/advance", `{"duration":"P"}`, api.FieldError{Field: "duration", Reason: api.ReasonInvalidFormat}},
		{"/sandbox/clock/advance", `{"duration":"P1.5M"}`, api.FieldError{Field: "duration", Reason: api.ReasonInvalidFormat}},
		{"/sandbox/clock/advance", `{"duration":"PT-1H"}`, api.FieldError{Field: "duration", Reason: api.ReasonInvalidFormat}},
		{"/sandbox/clock/advance", `{"duration":3600}`, api.FieldError{Field: "duration", Reason: api.ReasonInvalidFormat}},
		{"/sandbox/clock/set", `{}`, api.FieldError{Field: "time", Reason: api.ReasonRequiredValue}},
		{"/sandbox/clock/set", `{"time":"2030-01-01"}`, api.FieldError{Field: "time", Reason: api.ReasonInvalidFormatDate}},
		{"/sandbox/clock/set", `{"time":"2026-01-31T14:59:59Z"}`, api.FieldError{Field: "time", Reason: api.ReasonMustBeFutureTime}},
	} {
		t.Run(test.path+" "+test.body, func(t *testing.T) {
			wantError(t, e.do("POST", test.path, e.secretAuth(), test.body), 400, api.CodeValidationError, test.want)
		})
	}
	wantError(t, e.do("POST", "/sandbox/clock/advance", e.secretAuth(), ""), 400, api.CodeValidationError, api.FieldError{Reason: api.ReasonRequiredValue})
	if c := e.clock(e.secretAuth()); c.Offset != "PT0S" {
		t.Errorf("a refused request moved the clock: %+v", c)
	}
}

func TestSandboxClockSet(t *testing.T) {
	e := newEnvAt(t, realNow)
	r := e.do("POST", "/sandbox/clock/set", e.secretAuth(), `{"time":"2026-03-01T09:00:00+09:00"}`)
	var c SandboxClock
	r.json(t, &c)
	if r.code != 200 || c.Now != "2026-03-01T00:00:00.000000Z" || c.Offset != "PT681H" {
		t.Fatalf("set = %d %s", r.code, r.body)
	}
	// Setting the current time again is allowed; earlier is not.
	if r := e.do("POST", "/sandbox/clock/set", e.secretAuth(), `{"time":"2026-03-01T00:00:00Z"}`); r.code != 200 {
		t.Errorf("set to now: %d %s", r.code, r.body)
	}
	wantError(t, e.do("POST", "/sandbox/clock/set", e.secretAuth(), `{"time":"2026-02-28T23:59:59Z"}`), 400, api.CodeValidationError,
		api.FieldError{Field: "time", Reason: api.ReasonMustBeFutureTime})
	// Advance continues from the set time.
	e.do("POST", "/sandbox/clock/advance", e.secretAuth(), `{"duration":"P1M"}`).json(t, &c)
	if c.Now != "2026-04-01T00:00:00.000000Z" {
		t.Errorf("advance after set: %+v", c)
	}
}

func TestSandboxClockRunsTheEngine(t *testing.T) {
	e := newEnvAt(t, realNow)
	ch := e.createCharge(e.createToken("4000020000000000", "one_time").ID, "")
	authorized := e.createCharge(e.createToken("4000020000000000", "one_time").ID, `,"capture":false`)
	if ch.Status != api.ChargePending {
		t.Fatalf("charge = %s", ch.Status)
	}
	// Real time stands still: the charge is settled by the clock only,
	// within the advance request.
	e.do("POST", "/sandbox/clock/advance", e.secretAuth(), `{"duration":"PT1S"}`)
	got, err := e.s.storage.GetCharge(context.Background(), ch.ID)
	if err != nil || got.Status != api.ChargeSuccessful {
		t.Fatalf("after advance: %+v, %v", got, err)
	}
	if got, _ := e.s.storage.GetCharge(context.Background(), authorized.ID); got.Status != api.ChargeAuthorized {
		t.Fatalf("authorization after advance: %s", got.Status)
	}
	// The same with set.
	ch = e.createCharge(e.createToken("4000020000000000", "one_time").ID, "")
	e.do("POST", "/sandbox/clock/set", e.secretAuth(), `{"time":"2030-01-01T00:00:00Z"}`)
	if got, _ := e.s.storage.GetCharge(context.Background(), ch.ID); got.Status != api.ChargeSuccessful {
		t.Fatalf("after set: %s", got.Status)
	}
	// Tokens follow the store's clock: a one-time token expires after
	// five minutes of sandbox time.
	tok := e.createToken("4000020000000000", "one_time")
	e.do("POST", "/sandbox/clock/advance", e.secretAuth(), `{"duration":"PT6M"}`)
	wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`),
		400, api.CodeTransactionTokenExpired)
}

func TestSandboxClocksArePerStore(t *testing.T) {
	e := newEnvAt(t, realNow)
	other := e.addStore(e.demoStore().MerchantID, "Other", "test")
	e.do("POST", "/sandbox/clock/advance", secretAuthOf(other), `{"duration":"P1D"}`)
	if c := e.clock(e.secretAuth()); c.Offset != "PT0S" {
		t.Errorf("the demo store's clock moved with another store's: %+v", c)
	}
	if c := e.clock(secretAuthOf(other)); c.Offset != "PT24H" {
		t.Errorf("other store's clock = %+v", c)
	}
}

func TestSandboxReset(t *testing.T) {
	e := newEnvAt(t, realNow)
	other := e.addStore(e.demoStore().MerchantID, "Other", "test")
	otherTok := e.do("POST", "/tokens", secretAuthOf(other), cardTokenBody("4000020000000000", "recurring"))
	if otherTok.code != 201 {
		t.Fatalf("other store token: %d %s", otherTok.code, otherTok.body)
	}
	var kept api.TransactionToken
	otherTok.json(t, &kept)

	rec := e.createToken("4000020000000000", "recurring")
	c1 := e.createCharge(rec.ID, "")
	c2 := e.createCharge(e.createToken("4000020000000000", "one_time").ID, "")
	e.configure(`{"card_brands":["visa"],"name":"Reset shop"}`, false)
	e.advance(24 * time.Hour)
	if c := e.clock(e.secretAuth()); c.Offset != "PT24H" {
		t.Fatalf("clock before reset = %+v", c)
	}

	r := e.do("POST", "/sandbox/reset", e.secretAuth(), "")
	if r.code != 200 {
		t.Fatalf("reset: %d %s", r.code, r.body)
	}
	var sum SandboxReset
	r.json(t, &sum)
	if sum.StoreID != e.demo.StoreID || sum.Deleted["tokens"] != 2 || sum.Deleted["charges"] != 2 || sum.Clock.Offset != "PT0S" ||
		sum.Clock.Now != api.FormatTime(realNow) {
		t.Fatalf("reset summary = %s", r.body)
	}
	for _, path := range []string{"/tokens/" + rec.ID, "/charges/" + c1.ID, "/charges/" + c2.ID} {
		wantError(t, e.do("GET", "/stores/"+e.demo.StoreID+path, e.secretAuth(), ""), 404, api.CodeNotFound)
	}
	// The store, its configuration and app tokens stay; so does another
	// store's data.
	if cfg := e.configure(`{}`, false); cfg.Name != "Reset shop" || len(cfg.CardBrands) != 1 {
		t.Errorf("configuration after reset = %+v", cfg)
	}
	if r := e.do("GET", "/stores/"+other.StoreID+"/tokens/"+kept.ID, secretAuthOf(other), ""); r.code != 200 {
		t.Errorf("the other store's token after reset: %d %s", r.code, r.body)
	}
	e.createCharge(e.createToken("4000020000000000", "one_time").ID, "")
	// Nothing left the second time but what was made since.
	e.do("POST", "/sandbox/reset", e.secretAuth(), "").json(t, &sum)
	if sum.Deleted["tokens"] != 1 || sum.Deleted["charges"] != 1 {
		t.Errorf("second reset = %+v", sum)
	}
}

func TestSandboxAccess(t *testing.T) {
	e := newEnv(t)
	for _, rt := range []struct{ method, path, body string }{
		{"GET", "/sandbox/clock", ""},
		{"POST", "/sandbox/clock/advance", `{"duration":"PT1H"}`},
		{"POST", "/sandbox/clock/set", `{"time":"2099-01-01T00:00:00Z"}`},
		{"POST", "/sandbox/reset", ""},
		{"GET", "/sandbox/store_configuration", ""},
		{"PATCH", "/sandbox/store_configuration", `{}`},
		{"PUT", "/sandbox/store_configuration", `{}`},
	} {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			wantError(t, e.do(rt.method, rt.path, "", rt.body), 401, api.CodeAuthHeaderMissing)
			wantError(t, e.do(rt.method, rt.path, e.publicAuth(), rt.body), 403, api.CodeInvalidPermissions)
			wantError(t, e.do(rt.method, rt.path, "Bearer wrong."+e.demo.JWT, rt.body), 401, api.CodeInvalidCredentials)
		})
	}
	wantError(t, e.do("DELETE", "/sandbox/clock", e.secretAuth(), ""), http.StatusMethodNotAllowed, api.CodeNotAllowed)
	wantError(t, e.do("GET", "/sandbox/nothing", e.secretAuth(), ""), 404, api.CodeNotFound)

	// Each store's secret configures that store only.
	other := e.addStore(e.demoStore().MerchantID, "Other", "test")
	if r := e.do("PATCH", "/sandbox/store_configuration", secretAuthOf(other), `{"konbini_enabled":true}`); r.code != 200 {
		t.Fatalf("other store PATCH: %d %s", r.code, r.body)
	}
	if e.demoStore().Config.KonbiniEnabled {
		t.Error("another store's PATCH changed the demo store")
	}
	var doc StoreSettings
	e.do("GET", "/sandbox/store_configuration", secretAuthOf(other), "").json(t, &doc)
	if doc.Name != "Other" || !doc.KonbiniEnabled {
		t.Errorf("other store's configuration = %+v", doc)
	}
}

// TestSandboxClockNext: GET /sandbox/clock names the next scheduled event,
// POST /sandbox/clock/next moves the clock to it and lists what it ran.
func TestSandboxClockNext(t *testing.T) {
	e := newEnvAt(t, realNow)
	e.advance(time.Minute) // nothing pending
	if c := e.clock(e.secretAuth()); c.NextEvent != nil {
		t.Fatalf("next event with nothing scheduled: %+v", c.NextEvent)
	}
	wantError(t, e.do("POST", "/sandbox/clock/next", e.secretAuth(), ""), http.StatusConflict, api.CodeNothingScheduled)

	at := e.storeNow().Add(3 * time.Hour).Truncate(time.Second)
	held := e.createCharge(e.createToken("4000020000000000", "one_time").ID, `,"capture":false,"capture_at":"`+api.FormatTime(at)+`"`)
	e.advance(time.Minute) // authorized
	c := e.clock(e.secretAuth())
	if c.NextEvent == nil || c.NextEvent.Type != "charge" || c.NextEvent.ID != held.ID || c.NextEvent.On != api.FormatTime(at) {
		t.Fatalf("next event %+v, want the capture of %s at %s", c.NextEvent, held.ID, api.FormatTime(at))
	}
	r := e.do("POST", "/sandbox/clock/next", e.secretAuth(), "")
	if r.code != http.StatusOK {
		t.Fatalf("next: %d %s", r.code, r.body)
	}
	var moved SandboxClock
	r.json(t, &moved)
	if moved.Now != api.FormatTime(at) {
		t.Errorf("the clock moved to %s, want %s", moved.Now, api.FormatTime(at))
	}
	if len(moved.Ran) != 1 || moved.Ran[0].ID != held.ID || moved.Ran[0].From == nil || *moved.Ran[0].From != "authorized" || moved.Ran[0].To != "successful" {
		t.Errorf("ran %s, want the capture", mustJSON(moved.Ran))
	}
	// A plain advance lists what it ran too, and nothing when nothing ran.
	e.createCharge(e.createToken("4000020000000000", "one_time").ID, "")
	var adv SandboxClock
	e.do("POST", "/sandbox/clock/advance", e.secretAuth(), `{"duration":"PT1H"}`).json(t, &adv)
	if len(adv.Ran) != 1 || adv.Ran[0].To != "successful" {
		t.Errorf("advance ran %s, want a charge settled", mustJSON(adv.Ran))
	}
	var idle SandboxClock
	e.do("POST", "/sandbox/clock/advance", e.secretAuth(), `{"duration":"PT1H"}`).json(t, &idle)
	if len(idle.Ran) != 0 {
		t.Errorf("an idle advance ran %s", mustJSON(idle.Ran))
	}
}
