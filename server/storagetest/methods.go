package storagetest

import (
	"encoding/json"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// testPaymentMethods: the parts of tokens and charges of the payment
// methods other than cards and of 3-D Secure survive a round trip, an
// awaiting charge is due at its DueAt, and a recurring token's charges
// list oldest first (the order a deposit pays them in).
func testPaymentMethods(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	same := func(what string, got, want any) {
		t.Helper()
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("%s = %s, want %s", what, g, w)
		}
	}
	due := at(60)
	konbini := f.token(t, st, f.store, 0, api.TokenTypeOneTime, func(tok *domain.TxToken) {
		tok.PaymentType, tok.Card = api.PaymentTypeKonbini, nil
		tok.Konbini = &domain.KonbiniData{CustomerName: "山田花子", PhoneCountryCode: 81, PhoneLocalNumber: "09012345678", Store: api.KonbiniSevenEleven}
		tok.Expiration = &domain.Expiration{Period: "P7D", TimeShift: "09:00:00+09:00"}
	})
	got, err := st.GetToken(ctx, konbini.ID)
	must(t, err)
	same("konbini", got.Konbini, konbini.Konbini)
	same("expiration", got.Expiration, konbini.Expiration)

	bank := f.token(t, st, f.store, 1, api.TokenTypeRecurring, func(tok *domain.TxToken) {
		tok.PaymentType, tok.Card, tok.BankTransferBrand = api.PaymentTypeBankTransfer, nil, api.BankTransferAozora
	})
	bank.Account = &domain.VirtualAccount{ID: newID(), BranchCode: "123", BranchName: "test branch name", AccountNumber: "1234567", HolderName: "test holder name"}
	must(t, st.UpdateToken(ctx, bank))
	got, err = st.GetToken(ctx, bank.ID)
	must(t, err)
	if got.BankTransferBrand != api.BankTransferAozora {
		t.Errorf("brand %q", got.BankTransferBrand)
	}
	same("account", got.Account, bank.Account)

	card := f.token(t, st, f.store, 2, api.TokenTypeRecurring, func(tok *domain.TxToken) {
		tok.ThreeDS = true
		tok.ThreeDSStep = &domain.ThreeDS{Mode: api.ThreeDSForce, Status: ptr(api.ThreeDSAwaiting), RedirectEndpoint: ptr("https://shop.example/3ds"),
			RedirectID: ptr(newID()), DueAt: &due}
	})
	got, err = st.GetToken(ctx, card.ID)
	must(t, err)
	same("token three_ds", got.ThreeDSStep, card.ThreeDSStep)

	// Two awaiting charges of the recurring account, then its ledger.
	first := f.charge(t, st, bank, 3, 5000, awaitingPayment(bank, due))
	second := f.charge(t, st, bank, 4, 10000, awaitingPayment(bank, due.Add(time.Hour)))
	first.Payment.Deposited = 5000
	first.Payment.Ledger = []domain.LedgerEntry{
		{Type: api.BankLedgerDeposit, Amount: 5000, Balance: 5000, TransactionID: 1, At: at(10)},
		{Type: api.BankLedgerPayment, Amount: 5000, Balance: 0, TransactionID: 2, At: at(10)},
	}
	first.Status, first.DueAt = api.ChargeSuccessful, nil
	must(t, st.UpdateCharge(ctx, first))
	gc, err := st.GetCharge(ctx, first.ID)
	must(t, err)
	same("payment", gc.Payment, first.Payment)
	list, err := st.ListCharges(ctx, domain.ChargeQuery{Scope: domain.Scope{MerchantID: f.merchant.ID, StoreID: f.store.ID},
		Page: domain.Page{Limit: 10, Asc: true}, TransactionTokenID: bank.ID})
	must(t, err)
	if len(list.Items) != 2 || list.Items[0].ID != first.ID || list.Items[1].ID != second.ID {
		t.Errorf("charges of the account: %v", list.Items)
	}
	dueList, err := st.ListDueCharges(ctx, f.store.ID, due.Add(time.Hour))
	must(t, err)
	if len(dueList) != 1 || dueList[0].ID != second.ID || dueList[0].Payment.Account.AccountNumber != "1234567" {
		t.Errorf("due awaiting charges: %v", dueList)
	}

	// A charge awaiting its 3-D Secure challenge.
	c := f.charge(t, st, card, 5, 1000, func(c *domain.Charge) {
		c.Status, c.DueAt = api.ChargeAwaiting, &due
		c.ThreeDS = &domain.ThreeDS{Mode: api.ThreeDSNormal, Status: ptr(api.ThreeDSAwaiting), DueAt: &due}
	})
	gc, err = st.GetCharge(ctx, c.ID)
	must(t, err)
	same("charge three_ds", gc.ThreeDS, c.ThreeDS)
	if !gc.ThreeDS.Awaiting() {
		t.Error("the stored challenge is not awaiting")
	}
}

// awaitingPayment makes a charge a bank transfer awaiting its deposit
// until deadline.
func awaitingPayment(tok *domain.TxToken, deadline time.Time) func(*domain.Charge) {
	return func(c *domain.Charge) {
		since := c.CreatedAt
		acct := *tok.Account
		c.Status, c.DueAt, c.CaptureAt = api.ChargeAwaiting, &deadline, &deadline
		c.Payment = &domain.Payment{AwaitingSince: &since, Account: &acct}
	}
}

func ptr[T any](v T) *T { return &v }
