package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// Bank transfers (docs/payment-methods.md, "Bank transfer"): the virtual
// account of a token, deposits matched to its awaiting charges, and the
// ledger of each charge.

// tokenAccount returns the virtual account of a bank-transfer token,
// assigning it at the first awaiting charge: a one-time token's serves its
// one charge, a recurring token's every charge. A deleted token's charge
// gets an account of its own.
func (s *Server) tokenAccount(ctx context.Context, tokenID string) (*domain.VirtualAccount, error) {
	release, err := s.lease(ctx, "token/"+tokenID, settleLeaseTTL)
	if err != nil {
		return nil, err
	}
	defer release()
	tok, err := s.storage.GetToken(ctx, tokenID)
	if errors.Is(err, domain.ErrNotFound) {
		return newVirtualAccount(), nil
	}
	if err != nil {
		return nil, err
	}
	if tok.Account == nil {
		tok.Account = newVirtualAccount()
		if err := s.storage.UpdateToken(ctx, tok); err != nil {
			return nil, err
		}
	}
	a := *tok.Account
	return &a, nil
}

// newVirtualAccount is a sandbox virtual account (the test data of the
// UnivaPay documentation, with a random account number).
func newVirtualAccount() *domain.VirtualAccount {
	return &domain.VirtualAccount{ID: newID(), BranchCode: "123", BranchName: "test branch name",
		AccountNumber: randomDigits(7), HolderName: "test holder name"}
}

// deposit records a transfer of amount on charge c at at; the charge is
// paid (successful, all deposits applied) once they reach its amount.
func deposit(c *domain.Charge, amount int64, at time.Time) {
	p := c.Payment
	p.Deposited += amount
	p.Ledger = append(p.Ledger, domain.LedgerEntry{Type: api.BankLedgerDeposit, Amount: amount, Balance: p.Deposited,
		TransactionID: int64(len(p.Ledger) + 1), At: at})
	if p.Deposited < c.Amount {
		return
	}
	p.Ledger = append(p.Ledger, domain.LedgerEntry{Type: api.BankLedgerPayment, Amount: p.Deposited, Balance: 0,
		TransactionID: int64(len(p.Ledger) + 1), At: at})
	p.PayAt = nil
	c.Status = api.ChargeSuccessful
	c.DueAt = nil
	setCharged(c, p.Deposited)
}

// bankTransferStatus is the result of a bank-transfer charge (how its
// deposits compare with its amount: unpaid, insufficient, exact, exceeded)
// and the date of its latest deposit (Japan time), for the transaction
// history; nil for other charges and before the charge awaits.
func bankTransferStatus(c *domain.Charge) (result, latest *string) {
	p := c.Payment
	if c.PaymentType != api.PaymentTypeBankTransfer || p == nil || p.Account == nil {
		return nil, nil
	}
	r := api.BankTransferExceeded
	switch d := p.Deposited; {
	case d == 0:
		r = api.BankTransferUnpaid
	case d < c.Amount:
		r = api.BankTransferInsufficient
	case d == c.Amount:
		r = api.BankTransferExact
	}
	result = ptr(string(r))
	for _, e := range p.Ledger {
		if e.Type == api.BankLedgerDeposit {
			latest = ptr(e.At.In(jst).Format(time.DateOnly))
		}
	}
	return result, latest
}

func (s *Server) handleSandboxDeposit(r *http.Request, p *principal) (int, any, error) {
	var req struct {
		Amount *api.Amount `json:"amount"`
	}
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	if req.Amount == nil {
		return 0, nil, api.ValidationError(api.FieldError{Field: "amount", Reason: api.ReasonRequiredValue})
	}
	if *req.Amount <= 0 {
		return 0, nil, api.ValidationError(api.FieldError{Field: "amount", Reason: api.ReasonInvalidAmount})
	}
	ctx := r.Context()
	c, err := s.loadCharge(ctx, p, r.PathValue("chargeId"))
	if err != nil {
		return 0, nil, err
	}
	if c.PaymentType != api.PaymentTypeBankTransfer || c.Status != api.ChargeAwaiting {
		return 0, nil, errChargeNotAwaiting
	}
	// The account's awaiting charges, oldest first: a recurring token's
	// account pays them in order.
	targets := []string{c.ID}
	if c.TokenType == api.TokenTypeRecurring {
		if targets, err = s.awaitingAccountCharges(ctx, c); err != nil {
			return 0, nil, err
		}
	}
	left := int64(*req.Amount)
	for i, id := range targets {
		if left <= 0 {
			break
		}
		last := i == len(targets)-1
		var prev domain.Charge
		d, err := s.charges().locked(ctx, id, func(d *domain.Charge, now time.Time) error {
			if d.Status != api.ChargeAwaiting || d.Payment == nil {
				return nil
			}
			prev = *d
			give := left
			if need := d.Amount - d.Payment.Deposited; !last && give > need {
				give = need
			}
			left -= give
			d.UpdatedAt = now
			deposit(d, give, now)
			s.chargeFollowUps(&prev, d)
			return s.storage.UpdateCharge(ctx, d)
		})
		if err != nil {
			return 0, nil, err
		}
		if prev.ID != "" {
			s.chargeChanged(ctx, &prev, d)
		}
	}
	c, err = s.storage.GetCharge(ctx, c.ID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, chargeView(c), nil
}

// awaitingAccountCharges lists the awaiting charges of c's recurring
// token, oldest first.
func (s *Server) awaitingAccountCharges(ctx context.Context, c *domain.Charge) ([]string, error) {
	var ids []string
	q := domain.ChargeQuery{Scope: domain.Scope{MerchantID: c.MerchantID, StoreID: c.StoreID},
		Page: domain.Page{Limit: 100, Asc: true}, TransactionTokenID: c.TokenID}
	for {
		l, err := s.storage.ListCharges(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, d := range l.Items {
			if d.Status == api.ChargeAwaiting && d.PaymentType == api.PaymentTypeBankTransfer {
				ids = append(ids, d.ID)
			}
		}
		if !l.HasMore || len(l.Items) == 0 {
			break
		}
		q.Cursor = l.Items[len(l.Items)-1].ID
	}
	if !slices.Contains(ids, c.ID) {
		ids = append(ids, c.ID)
	}
	return ids, nil
}

// handleBankTransferLedgers serves GET
// /stores/{storeId}/charges/{chargeId}/bank_transfer_ledgers: the
// movements of a bank-transfer charge, newest first; an empty list for
// every other charge.
func (s *Server) handleBankTransferLedgers(r *http.Request, p *principal) (int, any, error) {
	c, err := s.loadStoreCharge(r, p)
	if err != nil {
		return 0, nil, err
	}
	out := api.List[api.BankTransferLedger]{Items: []api.BankTransferLedger{}}
	if c.Payment == nil || c.Payment.Account == nil {
		return http.StatusOK, out, nil
	}
	a := c.Payment.Account
	for _, e := range slices.Backward(c.Payment.Ledger) {
		out.Items = append(out.Items, api.BankTransferLedger{
			BankLedgerType: e.Type, Amount: e.Amount, Balance: e.Balance, TransactionID: ptr(e.TransactionID),
			VirtualBankAccountHolderName: a.HolderName, VirtualBankAccountNumber: a.AccountNumber, VirtualAccountID: a.ID,
			TransactionDate: e.At.In(jst).Format(time.DateOnly), TransactionTimestamp: api.FormatTime(e.At),
			Mode: c.Mode, CreatedOn: api.FormatTime(e.At),
		})
	}
	out.TotalHits = len(out.Items)
	return http.StatusOK, out, nil
}
