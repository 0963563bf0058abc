package server

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"kessai/api"
)

// Konbini, bank transfer, online and Paidy (docs/payment-methods.md), as
// a merchant sees them through the API, the sandbox controls and the
// clock.

// enableMethods turns on every payment method of the demo store.
func (e *testEnv) enableMethods(extra ...string) {
	e.t.Helper()
	body := `{"konbini_enabled":true,"bank_transfer_enabled":true,"online_enabled":true,"paidy_enabled":true` + strings.Join(extra, "") + `}`
	if r := e.do("PATCH", "/sandbox/store_configuration", e.secretAuth(), body); r.code != http.StatusOK {
		e.t.Fatalf("configure: %d %s", r.code, r.body)
	}
}

func konbiniBody(store, phone, extraData string) string {
	return `{"payment_type":"konbini","type":"one_time","email":"hanako@example.com","metadata":{"order":"A-1"},
	 "data":{"customer_name":"山田花子","convenience_store":"` + store + `","phone_number":{"country_code":"81","local_number":"` + phone + `"}` + extraData + `}}`
}

func bankBody(typ, extraData string) string {
	return `{"payment_type":"bank_transfer","type":"` + typ + `","email":"hanako@example.com","data":{"brand":"aozora_bank"` + extraData + `}}`
}

func onlineBody(brand, extraData string) string {
	return `{"payment_type":"online","type":"one_time","data":{"brand":"` + brand + `"` + extraData + `}}`
}

// awaiting creates a charge of amount yen on a new token of body and
// moves the clock past the processing delay: the charge awaits payment.
func (e *testEnv) awaiting(body string, amount int, extra string) (api.TransactionToken, api.Charge) {
	e.t.Helper()
	tok := e.postToken(e.secretAuth(), body)
	c := e.postCharge(`{"transaction_token_id":"` + tok.ID + `","amount":` + strconv.Itoa(amount) + `,"currency":"JPY"` + extra + `}`)
	if c.Status != api.ChargePending {
		e.t.Fatalf("created %s, want pending", c.Status)
	}
	e.settleAll()
	c = e.getCharge(c.ID)
	if c.Status != api.ChargeAwaiting {
		e.t.Fatalf("after the processing delay %s (%+v), want awaiting", c.Status, c.Error)
	}
	return tok, c
}

func (e *testEnv) getToken(id string) api.TransactionToken {
	e.t.Helper()
	return call[api.TransactionToken](e, http.StatusOK, "GET", "/stores/"+e.demo.StoreID+"/tokens/"+id, e.secretAuth(), "")
}

func wantStatus(t *testing.T, c api.Charge, st api.ChargeStatus, errCode int) {
	t.Helper()
	if c.Status != st {
		t.Fatalf("charge %s (error %+v), want %s", c.Status, c.Error, st)
	}
	switch {
	case errCode == 0 && c.Error != nil:
		t.Errorf("error %+v, want none", c.Error)
	case errCode != 0 && (c.Error == nil || c.Error.Code != errCode):
		t.Errorf("error %+v, want code %d", c.Error, errCode)
	}
}

var paymentNumberRe = regexp.MustCompile(`^\d{5}-\d{12}$`)

func TestKonbiniCharge(t *testing.T) {
	e := newClockEnv(t)
	e.enableMethods()
	tok := e.postToken(e.secretAuth(), konbiniBody("seven_eleven", "090-1234-5678", ""))
	d := tok.Data
	if tok.PaymentType != api.PaymentTypeKonbini || d.CustomerName != "山田花子" || d.ConvenienceStore != "seven_eleven" ||
		d.PhoneNumber == nil || *d.PhoneNumber.CountryCode != 81 || *d.PhoneNumber.LocalNumber != "09012345678" || d.Card != nil {
		t.Fatalf("token %+v", tok)
	}
	created := e.storeNow()
	c := e.postCharge(`{"transaction_token_id":"` + tok.ID + `","amount":1500,"currency":"JPY"}`)
	// The store's default window (30 days) ends at 23:59:59 Japan time.
	if want := endOfDayInJapan(created.Add(720 * time.Hour)); c.CaptureAt == nil || *c.CaptureAt != api.FormatTime(want) {
		t.Errorf("capture_at %v, want %s", c.CaptureAt, api.FormatTime(want))
	}
	if _, ok := c.Metadata[api.MetadataKonbiniPaymentNumber]; ok {
		t.Errorf("payment number before the application: %v", c.Metadata)
	}
	e.settleAll()
	c = e.getCharge(c.ID)
	wantStatus(t, c, api.ChargeAwaiting, 0)
	num, _ := c.Metadata.String(api.MetadataKonbiniPaymentNumber)
	slip, _ := c.Metadata.String(api.MetadataKonbiniPaymentURL)
	if !paymentNumberRe.MatchString(num) || !strings.Contains(slip, "/sandbox/konbini/") {
		t.Fatalf("metadata %v", c.Metadata)
	}
	if order, _ := c.Metadata.String("order"); order != "" {
		t.Errorf("the token's metadata leaked into the charge: %v", c.Metadata)
	}
	// The slip page shows the number; no app token needed.
	u := slip[strings.Index(slip, "/sandbox/"):]
	page := e.do("GET", u, "", "")
	if page.code != http.StatusOK || !strings.Contains(string(page.body), num) || !strings.Contains(string(page.body), "1,500") && !strings.Contains(string(page.body), "1500") {
		t.Errorf("slip page %d %s", page.code, page.body)
	}
	if r := e.do("GET", u+"x", "", ""); r.code != http.StatusNotFound {
		t.Errorf("tampered slip page: %d", r.code)
	}
	wantError(t, e.do("GET", e.chargePath(c.ID)+"/issuer_token", e.secretAuth(), ""), 400, api.CodeValidationError, api.FieldError{Reason: api.ReasonInvalidChargeStatus})

	e.advance(9 * time.Minute)
	wantStatus(t, e.getCharge(c.ID), api.ChargeAwaiting, 0)
	e.advance(time.Minute)
	c = e.getCharge(c.ID)
	wantStatus(t, c, api.ChargeSuccessful, 0)
	if c.ChargedAmount == nil || *c.ChargedAmount != 1500 {
		t.Errorf("charged %v", c.ChargedAmount)
	}
}

func TestKonbiniTestPhoneNumbers(t *testing.T) {
	e := newClockEnv(t)
	e.enableMethods()
	// …1111: the application fails.
	tok := e.postToken(e.secretAuth(), konbiniBody("lawson", "09000001111", ""))
	c := e.chargeYen(tok.ID, 1000)
	e.settleAll()
	wantStatus(t, e.getCharge(c.ID), api.ChargeFailed, api.PaymentErrorGeneral)

	// …1881: a cancel of the awaiting charge fails; the charge still awaits.
	_, c = e.awaiting(konbiniBody("lawson", "09000001881", ""), 1001, "")
	cn := e.cancel(c.ID, "")
	e.settleAll()
	if got, _ := e.getCancel(c.ID, cn.ID, ""); got.Status != api.CancelFailed {
		t.Errorf("cancel %s, want failed", got.Status)
	}
	wantStatus(t, e.getCharge(c.ID), api.ChargeAwaiting, 0)

	// Another number: the merchant cancels the application.
	_, c = e.awaiting(konbiniBody("lawson", "09000002222", ""), 1002, "")
	e.cancel(c.ID, "")
	e.settleAll()
	wantStatus(t, e.getCharge(c.ID), api.ChargeCanceled, 0)
	e.advance(time.Hour) // nothing completes a canceled application
	wantStatus(t, e.getCharge(c.ID), api.ChargeCanceled, 0)

	// …4242: paid, then its refund fails.
	_, c = e.awaiting(konbiniBody("lawson", "09000004242", ""), 1003, "")
	e.advance(10 * time.Minute)
	wantStatus(t, e.getCharge(c.ID), api.ChargeSuccessful, 0)
	ref := e.refund(c.ID, `{"amount":1003,"currency":"JPY","reason":"customer_request"}`)
	e.settleAll()
	if got, _ := e.getRefund(c.ID, ref.ID, ""); got.Status != api.RefundFailed {
		t.Errorf("refund %s, want failed", got.Status)
	}
}

func TestKonbiniDeadlines(t *testing.T) {
	e := newClockEnv(t)
	e.enableMethods()
	now := e.storeNow()
	in := func(d time.Duration) string { return api.FormatTime(now.Add(d).Truncate(time.Second)) }

	// capture_at is the deadline; FamilyMart keeps its time of day.
	_, c := e.awaiting(konbiniBody("family_mart", "09012345678", ""), 1000, `,"capture_at":"`+in(5*time.Minute)+`"`)
	if *c.CaptureAt != in(5*time.Minute) {
		t.Errorf("capture_at %s, want %s", *c.CaptureAt, in(5*time.Minute))
	}
	// The deadline passes before the test buyer pays (10 minutes).
	e.advance(6 * time.Minute)
	c = e.getCharge(c.ID)
	wantStatus(t, c, api.ChargeFailed, api.PaymentErrorDeadlinePassed)

	// Seven-Eleven takes no time of day: 23:59:59 Japan time of that day.
	tok := e.postToken(e.secretAuth(), konbiniBody("seven_eleven", "09012345678", ""))
	c = e.createCharge(tok.ID, `,"capture_at":"`+in(48*time.Hour)+`"`)
	if want := api.FormatTime(endOfDayInJapan(now.Add(48 * time.Hour))); *c.CaptureAt != want {
		t.Errorf("Seven-Eleven capture_at %s, want %s", *c.CaptureAt, want)
	}
	// The token's period and time shift.
	tok = e.postToken(e.secretAuth(), konbiniBody("lawson", "09012345678", `,"expiration_period":"P3D","expiration_time_shift":"09:00:00+09:00"`))
	if tok.Data.ExpirationPeriod == nil || *tok.Data.ExpirationPeriod != "P3D" || *tok.Data.ExpirationTimeShift != "09:00:00+09:00" {
		t.Errorf("token expiration %v %v", tok.Data.ExpirationPeriod, tok.Data.ExpirationTimeShift)
	}
	c = e.chargeYen(tok.ID, 1001)
	day := e.storeNow().Add(72 * time.Hour).In(jst)
	if want := api.FormatTime(time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, jst)); *c.CaptureAt != want {
		t.Errorf("period + time shift capture_at %s, want %s", *c.CaptureAt, want)
	}
}

func TestBankTransfer(t *testing.T) {
	e := newClockEnv(t)
	e.enableMethods()
	tok := e.postToken(e.secretAuth(), bankBody("one_time", `,"expiration_period":"P7D"`))
	if tok.Data.Brand != "aozora_bank" || tok.Data.AccountNumber != nil || tok.Data.BankCode != nil {
		t.Fatalf("token data before the application %+v", tok.Data)
	}
	c := e.chargeYen(tok.ID, 12000)
	if c.CaptureAt == nil {
		t.Fatal("no deadline")
	}
	e.settleAll()
	wantStatus(t, e.getCharge(c.ID), api.ChargeAwaiting, 0)
	d := e.getToken(tok.ID).Data
	if d.BankCode == nil || *d.BankCode != "0310" || *d.BankName != "GMOあおぞらネット銀行" || d.AccountNumber == nil ||
		len(*d.AccountNumber) != 7 || *d.AccountHolderName != "test holder name" || *d.BranchCode != "123" {
		t.Fatalf("token data once awaiting %+v", d)
	}
	var it api.IssuerToken
	e.do("GET", e.chargePath(c.ID)+"/issuer_token", e.publicAuth(), "").json(t, &it)
	if it.PaymentType != api.PaymentTypeBankTransfer || it.AccountNumber != *d.AccountNumber || it.BranchName != "test branch name" ||
		it.AccountID != *d.AccountID || it.BankCode != "0310" || it.IssuerToken != "" {
		t.Fatalf("issuer token %+v", it)
	}
	var ledgers api.List[api.BankTransferLedger]
	e.do("GET", e.chargePath(c.ID)+"/bank_transfer_ledgers", e.secretAuth(), "").json(t, &ledgers)
	if len(ledgers.Items) != 0 {
		t.Fatalf("ledgers before a deposit %+v", ledgers)
	}
	// The test buyer transfers the exact amount ten minutes after seeing
	// the account.
	e.advance(9 * time.Minute)
	wantStatus(t, e.getCharge(c.ID), api.ChargeAwaiting, 0)
	e.advance(time.Minute)
	c = e.getCharge(c.ID)
	wantStatus(t, c, api.ChargeSuccessful, 0)
	if *c.ChargedAmount != 12000 {
		t.Errorf("charged %d", *c.ChargedAmount)
	}
	e.do("GET", e.chargePath(c.ID)+"/bank_transfer_ledgers", e.secretAuth(), "").json(t, &ledgers)
	if len(ledgers.Items) != 2 || ledgers.TotalHits != 2 {
		t.Fatalf("ledgers %+v", ledgers)
	}
	pay, dep := ledgers.Items[0], ledgers.Items[1]
	if pay.BankLedgerType != api.BankLedgerPayment || pay.Amount != 12000 || pay.Balance != 0 ||
		dep.BankLedgerType != api.BankLedgerDeposit || dep.Amount != 12000 || dep.Balance != 12000 ||
		dep.VirtualBankAccountNumber != *d.AccountNumber || dep.Mode != api.ModeTest || dep.TransactionDate == "" {
		t.Errorf("ledgers %+v", ledgers.Items)
	}
	// A bank transfer cannot be refunded.
	if r := e.do("POST", e.refundsPath(c.ID), e.secretAuth(), `{"amount":100,"currency":"JPY","reason":"customer_request"}`); r.code != 400 {
		t.Errorf("refund of a bank transfer: %d %s", r.code, r.body)
	}
}

func TestBankTransferDeposits(t *testing.T) {
	e := newClockEnv(t)
	e.enableMethods()
	deposit := func(id string, amount int) api.Charge {
		t.Helper()
		return call[api.Charge](e, 200, "POST", "/sandbox/charges/"+id+"/deposit", e.secretAuth(), `{"amount":`+strconv.Itoa(amount)+`}`)
	}
	// Insufficient, then more than requested.
	_, c := e.awaiting(bankBody("one_time", ""), 1000, "")
	wantStatus(t, deposit(c.ID, 400), api.ChargeAwaiting, 0)
	c = deposit(c.ID, 700)
	wantStatus(t, c, api.ChargeSuccessful, 0)
	if *c.ChargedAmount != 1100 {
		t.Errorf("charged %d, want what was deposited", *c.ChargedAmount)
	}
	var l api.List[api.BankTransferLedger]
	e.do("GET", e.chargePath(c.ID)+"/bank_transfer_ledgers", e.secretAuth(), "").json(t, &l)
	if len(l.Items) != 3 || l.Items[2].Balance != 400 || l.Items[1].Balance != 1100 || l.Items[0].Amount != 1100 {
		t.Errorf("ledgers %+v", l.Items)
	}
	wantError(t, e.do("POST", "/sandbox/charges/"+c.ID+"/deposit", e.secretAuth(), `{"amount":1}`), 400, api.CodeValidationError,
		api.FieldError{Reason: api.ReasonInvalidChargeStatus})
	// The transaction history tells how the deposits compare.
	history := func(id string) (string, string) {
		t.Helper()
		l := call[api.List[api.Transaction]](e, 200, "GET", "/stores/"+e.demo.StoreID+"/transaction_history?search="+id, e.secretAuth(), "")
		if len(l.Items) != 1 || l.Items[0].BankTransferPaymentStatus == nil {
			t.Fatalf("history of %s: %+v", id, l.Items)
		}
		date := ""
		if d := l.Items[0].BankTransferLatestDepositDate; d != nil {
			date = *d
		}
		return *l.Items[0].BankTransferPaymentStatus, date
	}
	if st, date := history(c.ID); st != "exceeded" || date != e.storeNow().In(jst).Format(time.DateOnly) {
		t.Errorf("history: %s %s", st, date)
	}

	// Partly paid at the deadline: failed, keeping what arrived.
	_, c = e.awaiting(bankBody("one_time", ""), 2000, "")
	deposit(c.ID, 500)
	c = call[api.Charge](e, 200, "POST", "/sandbox/charges/"+c.ID+"/expire", e.secretAuth(), "")
	wantStatus(t, c, api.ChargeFailed, api.PaymentErrorDeadlinePassed)
	if c.ChargedAmount == nil || *c.ChargedAmount != 500 {
		t.Errorf("charged %v", c.ChargedAmount)
	}
	if st, _ := history(c.ID); st != "insufficient" {
		t.Errorf("history: %s", st)
	}

	// A recurring token's account: the oldest awaiting charge is paid
	// first, the rest goes to the next.
	tok := e.postToken(e.secretAuth(), bankBody("recurring", ""))
	first := e.chargeYen(tok.ID, 5000)
	second := e.chargeYen(tok.ID, 10000)
	e.settleAll()
	acct := *e.getToken(tok.ID).Data.AccountNumber
	deposit(second.ID, 10000)
	wantStatus(t, e.getCharge(first.ID), api.ChargeSuccessful, 0)
	second = e.getCharge(second.ID)
	wantStatus(t, second, api.ChargeAwaiting, 0)
	var l1 api.List[api.BankTransferLedger]
	e.do("GET", e.chargePath(first.ID)+"/bank_transfer_ledgers", e.secretAuth(), "").json(t, &l1)
	e.do("GET", e.chargePath(second.ID)+"/bank_transfer_ledgers", e.secretAuth(), "").json(t, &l)
	if len(l1.Items) != 2 || l1.Items[1].Amount != 5000 || len(l.Items) != 1 || l.Items[0].Amount != 5000 {
		t.Errorf("ledgers: first %+v, second %+v", l1.Items, l.Items)
	}
	if l1.Items[0].VirtualBankAccountNumber != acct || l.Items[0].VirtualBankAccountNumber != acct {
		t.Errorf("accounts %s %s, want the token's %s for both", l1.Items[0].VirtualBankAccountNumber, l.Items[0].VirtualBankAccountNumber, acct)
	}
	// Its deadline (the store's 7 days, end of day) passes: failed.
	e.advance(8 * 24 * time.Hour)
	wantStatus(t, e.getCharge(second.ID), api.ChargeFailed, api.PaymentErrorDeadlinePassed)
}

func TestOnlineCharge(t *testing.T) {
	e := newClockEnv(t)
	e.enableMethods()
	tok, c := e.awaiting(onlineBody("pay_pay_online", ""), 1000, `,"redirect":{"endpoint":"https://shop.example/done"}`)
	if tok.Data.Brand != "pay_pay_online" || tok.Data.CallMethod != api.CallHTTPPost || tok.Email != "" || tok.IPAddress == nil {
		t.Errorf("token %+v", tok)
	}
	if c.CaptureAt != nil {
		t.Errorf("online capture_at %v", *c.CaptureAt)
	}
	r := e.do("GET", e.chargePath(c.ID)+"/issuerToken", e.publicAuth(), "")
	if r.code != 200 || !strings.Contains(string(r.body), `"issuer_token":"test","call_method":"http_post"`) || !strings.Contains(string(r.body), `"payment_type":"online"`) {
		t.Fatalf("issuer token %d %s", r.code, r.body)
	}
	// Reading it is the test buyer paying.
	wantStatus(t, e.getCharge(c.ID), api.ChargeSuccessful, 0)

	// Unpaid for 15 minutes: failed.
	_, c = e.awaiting(onlineBody("alipay_online", `,"call_method":"http_get_mobile"`), 1001, "")
	e.advance(14 * time.Minute)
	wantStatus(t, e.getCharge(c.ID), api.ChargeAwaiting, 0)
	e.advance(time.Minute)
	wantStatus(t, e.getCharge(c.ID), api.ChargeFailed, api.PaymentErrorDeadlinePassed)
}

func TestPaidy(t *testing.T) {
	e := newClockEnv(t)
	e.enableMethods()
	body := `{"payment_type":"paidy","type":"one_time","email":"hanako@example.com",
	 "data":{"paidy_token":"pay_test_1","phone_number":{"country_code":"81","local_number":"08012345678"},"shipping_address":{"line1":"1-1","city":"渋谷区","state":"東京都","zip":"150-0001"}}}`
	wantError(t, e.do("POST", "/tokens", e.secretAuth(), body), 400, api.CodeValidationError,
		api.FieldError{Field: "payment_type", Reason: api.ReasonUnsupportedPaymentType})
	tok := e.postToken(e.publicAuth(), body)
	if tok.Data.ShippingAddress == nil || tok.Data.ShippingAddress.City != "渋谷区" || *tok.Data.PhoneNumber.LocalNumber != "08012345678" {
		t.Errorf("token data %+v", tok.Data)
	}
	c := e.chargeYen(tok.ID, 3000)
	e.settleAll()
	wantStatus(t, e.getCharge(c.ID), api.ChargeSuccessful, 0)

	tok = e.postToken(e.publicAuth(), body)
	c = e.createCharge(tok.ID, `,"capture":false`)
	e.settleAll()
	wantStatus(t, e.getCharge(c.ID), api.ChargeAuthorized, 0)

	// Paidy has no sandbox for live payments.
	live, err := e.s.CreateAppToken(context.Background(), AppTokenInput{StoreID: e.demo.StoreID, Mode: "live"})
	if err != nil {
		t.Fatal(err)
	}
	tok = e.postToken("Bearer "+live.JWT, body)
	wantError(t, e.do("POST", "/charges", "Bearer "+live.Secret+"."+live.JWT, `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`),
		400, api.CodeNoGatewaysAvailable)
}

func TestPaymentMethodErrors(t *testing.T) {
	e := newClockEnv(t)
	fe := func(f, r string) api.FieldError { return api.FieldError{Field: f, Reason: r} }
	e.wantErrors(t, "POST", []errorCase{
		{"konbini disabled", "/tokens", "", konbiniBody("lawson", "09012345678", ""), 400, api.CodeConvenienceProcessingDisabled, nil},
		{"online disabled", "/tokens", "", onlineBody("pay_pay_online", ""), 400, api.CodeQRProcessingDisabled, nil},
		{"bank transfer disabled", "/tokens", "", bankBody("one_time", ""), 400, api.CodeNoGatewaysAvailable, nil},
	})
	e.enableMethods(`,"konbini_brands":["lawson"],"online_brands":["pay_pay_online","we_chat_online","alipay_plus_online"]`)
	e.wantErrors(t, "POST", []errorCase{
		{"konbini brand not enabled", "/tokens", "", konbiniBody("seven_eleven", "09012345678", ""), 400, api.CodeValidationError,
			[]api.FieldError{fe("data.convenience_store", api.ReasonUnsupportedBrand)}},
		{"konbini unknown store", "/tokens", "", konbiniBody("am_pm", "09012345678", ""), 400, api.CodeValidationError,
			[]api.FieldError{fe("data.convenience_store", api.ReasonInvalidFormat)}},
		{"konbini foreign phone", "/tokens", "", strings.Replace(konbiniBody("lawson", "2025550123", ""), `"81"`, `"1"`, 1), 400, api.CodeValidationError,
			[]api.FieldError{fe("data.phone_number.country_code", api.ReasonOnlyJapanesePhoneNumber)}},
		{"konbini short phone", "/tokens", "", konbiniBody("lawson", "0901", ""), 400, api.CodeValidationError,
			[]api.FieldError{fe("data.phone_number.local_number", api.ReasonInvalidPhoneNumber)}},
		{"konbini period too short", "/tokens", "", konbiniBody("lawson", "09012345678", `,"expiration_period":"PT10M"`), 400, api.CodeValidationError,
			[]api.FieldError{fe("data.expiration_period", api.ReasonInvalidExpirationPeriod)}},
		{"konbini time shift on a short period", "/tokens", "", konbiniBody("lawson", "09012345678", `,"expiration_period":"PT12H","expiration_time_shift":"09:00:00+09:00"`), 400, api.CodeValidationError,
			[]api.FieldError{fe("data.expiration_time_shift", api.ReasonTimeShiftNeedsPeriod)}},
		{"konbini subscription token", "/tokens", "", strings.Replace(konbiniBody("lawson", "09012345678", ""), "one_time", "subscription", 1), 400, api.CodeInvalidTokenType, nil},
		{"konbini without e-mail", "/tokens", "", strings.Replace(konbiniBody("lawson", "09012345678", ""), `"email":"hanako@example.com",`, "", 1), 400, api.CodeValidationError,
			[]api.FieldError{fe("email", api.ReasonRequiredValue)}},
		{"bank brand", "/tokens", "", `{"payment_type":"bank_transfer","type":"one_time","email":"a@example.com","data":{"brand":"mizuho"}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("data.brand", api.ReasonUnsupportedBrand)}},
		{"online recurring", "/tokens", "", strings.Replace(onlineBody("pay_pay_online", ""), "one_time", "recurring", 1), 400, api.CodeInvalidTokenType, nil},
		{"online brand not enabled", "/tokens", "", onlineBody("d_barai_online", ""), 400, api.CodeValidationError,
			[]api.FieldError{fe("data.brand", api.ReasonUnsupportedBrand)}},
		{"online call method", "/tokens", "", onlineBody("pay_pay_online", `,"call_method":"http_get"`), 400, api.CodeValidationError,
			[]api.FieldError{fe("data.call_method", api.ReasonUnsupportedCallMethod)}},
		{"we chat sdk without user", "/tokens", "", onlineBody("we_chat_online", `,"call_method":"sdk"`), 400, api.CodeValidationError,
			[]api.FieldError{fe("data.user_identifier", api.ReasonRequiredValue)}},
		{"alipay+ app without os", "/tokens", "", onlineBody("alipay_plus_online", `,"call_method":"app"`), 400, api.CodeValidationError,
			[]api.FieldError{fe("data.os_type", api.ReasonRequiredValue)}},
		{"online no brand", "/tokens", "", `{"payment_type":"online","type":"one_time","data":{}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("data.brand", api.ReasonRequiredValue)}},
	})
	// The SDK's deprecated gateway names the brand.
	if tok := e.postToken(e.secretAuth(), `{"payment_type":"online","type":"one_time","data":{"gateway":"pay_pay_online"}}`); tok.Data.Brand != "pay_pay_online" {
		t.Errorf("gateway: %+v", tok.Data)
	}
	charge := func(body, extra string) string {
		tok := e.postToken(e.secretAuth(), body)
		return `{"transaction_token_id":"` + tok.ID + `","amount":1000,"currency":"JPY"` + extra + `}`
	}
	far := api.FormatTime(e.storeNow().Add(61 * 24 * time.Hour))
	recurringKonbini := e.postToken(e.secretAuth(), strings.Replace(konbiniBody("lawson", "09012345678", ""), "one_time", "recurring", 1))
	e.wantErrors(t, "POST", []errorCase{
		{"konbini authorization", "/charges", "", charge(konbiniBody("lawson", "09012345678", ""), `,"capture":false`), 400, api.CodeAuthNotSupported, nil},
		{"bank transfer in dollars", "/charges", "", strings.Replace(charge(bankBody("one_time", ""), ""), "JPY", "USD", 1), 400, api.CodeValidationError,
			[]api.FieldError{fe("currency", api.ReasonUnsupportedCurrency)}},
		{"konbini deadline too far", "/charges", "", charge(konbiniBody("lawson", "09012345678", ""), `,"capture_at":"`+far+`"`), 400, api.CodeValidationError,
			[]api.FieldError{fe("capture_at", api.ReasonDeadlineTooFar)}},
		{"konbini subscription", "/subscriptions", "", `{"transaction_token_id":"` + recurringKonbini.ID + `","amount":1000,"currency":"JPY","period":"monthly"}`,
			400, api.CodeNotSubscriptionToken, nil},
	})
}

func TestSandboxPaymentControls(t *testing.T) {
	e := newClockEnv(t)
	e.enableMethods()
	control := func(id, action string) resp {
		return e.do("POST", "/sandbox/charges/"+id+"/"+action, e.secretAuth(), "")
	}

	_, c := e.awaiting(konbiniBody("lawson", "09012345678", ""), 1000, "")
	var got api.Charge
	control(c.ID, "complete").json(t, &got)
	wantStatus(t, got, api.ChargeSuccessful, 0)
	wantStatus(t, e.getCharge(c.ID), api.ChargeSuccessful, 0)

	_, c = e.awaiting(konbiniBody("lawson", "09012345678", ""), 1001, "")
	control(c.ID, "fail").json(t, &got)
	wantStatus(t, got, api.ChargeFailed, api.PaymentErrorGeneral)

	_, c = e.awaiting(bankBody("one_time", ""), 1002, "")
	control(c.ID, "complete").json(t, &got)
	wantStatus(t, got, api.ChargeSuccessful, 0)
	if *got.ChargedAmount != 1002 {
		t.Errorf("charged %d", *got.ChargedAmount)
	}

	_, c = e.awaiting(onlineBody("pay_pay_online", ""), 1003, "")
	control(c.ID, "expire").json(t, &got)
	wantStatus(t, got, api.ChargeFailed, api.PaymentErrorDeadlinePassed)

	card := e.pollCharge(e.chargeYen(e.createToken("4000020000000000", "one_time").ID, 1004).ID)
	notAwaiting := api.FieldError{Reason: api.ReasonInvalidChargeStatus}
	for _, action := range []string{"complete", "fail", "expire"} {
		wantError(t, control(card.ID, action), 400, api.CodeValidationError, notAwaiting)
		wantError(t, control(c.ID, action), 400, api.CodeValidationError, notAwaiting)
	}
	_, k := e.awaiting(konbiniBody("lawson", "09012345678", ""), 1005, "")
	wantError(t, e.do("POST", "/sandbox/charges/"+k.ID+"/deposit", e.secretAuth(), `{"amount":10}`), 400, api.CodeValidationError, notAwaiting)
	wantError(t, e.do("POST", "/sandbox/charges/"+k.ID+"/deposit", e.secretAuth(), `{}`), 400, api.CodeValidationError,
		api.FieldError{Field: "amount", Reason: api.ReasonRequiredValue})
	wantError(t, e.do("POST", "/sandbox/charges/"+k.ID+"/complete", e.publicAuth(), ""), 403, api.CodeInvalidPermissions)
	wantError(t, e.do("POST", "/sandbox/charges/"+newID()+"/complete", e.secretAuth(), ""), 404, api.CodeNotFound)
	_, otherAuth := e.otherStore("other")
	wantError(t, e.do("POST", "/sandbox/charges/"+k.ID+"/complete", otherAuth, ""), 404, api.CodeNotFound)
}

func TestPaymentMethodTokenLists(t *testing.T) {
	e := newClockEnv(t)
	e.enableMethods()
	k := e.postToken(e.secretAuth(), konbiniBody("seven_eleven", "09012345678", ""))
	o := e.postToken(e.secretAuth(), onlineBody("we_chat_online", ""))
	b := e.postToken(e.secretAuth(), bankBody("recurring", ""))
	e.createToken("4000020000000000", "recurring")
	for brand, want := range map[string]string{"seven_eleven": k.ID, "we_chat_online": o.ID, "aozora_bank": b.ID} {
		l := call[api.List[api.TokenListItem]](e, 200, "GET", "/stores/"+e.demo.StoreID+"/tokens?brand="+brand, e.secretAuth(), "")
		if len(l.Items) != 1 || l.Items[0].ID != want || l.Items[0].UserData.Brand == nil || *l.Items[0].UserData.Brand != brand {
			t.Errorf("brand=%s: %+v", brand, l.Items)
		}
	}
	if l := call[api.List[api.TokenListItem]](e, 200, "GET", "/stores/"+e.demo.StoreID+"/tokens?brand=visa", e.secretAuth(), ""); len(l.Items) != 1 {
		t.Errorf("brand=visa: %d items", len(l.Items))
	}
	// The konbini phone number finds the token and its charges.
	for _, phone := range []string{"090-1234-5678", "09012345678"} {
		l := call[api.List[api.TokenListItem]](e, 200, "GET", "/stores/"+e.demo.StoreID+"/tokens?phone_number="+phone, e.secretAuth(), "")
		if len(l.Items) != 1 || l.Items[0].ID != k.ID {
			t.Errorf("phone_number=%s: %+v", phone, l.Items)
		}
	}
	c := e.chargeYen(k.ID, 1000)
	if l := call[api.List[api.ChargeListItem]](e, 200, "GET", "/stores/"+e.demo.StoreID+"/charges?phone=09012345678", e.secretAuth(), ""); len(l.Items) != 1 || l.Items[0].ID != c.ID {
		t.Errorf("charges phone: %+v", l.Items)
	}
}
