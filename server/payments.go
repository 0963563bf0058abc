package server

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// Charges that await the buyer's payment: konbini, bank transfer and
// online (docs/payment-methods.md, "Statuses"). A charge is created
// pending, becomes awaiting after the processing delay, and ends
// successful when paid (by the sandbox buyer, a deposit or a sandbox
// control), failed when its deadline passes, or canceled.

const (
	// testPaymentDelay is when the sandbox buyer pays: a konbini charge
	// this long after it began awaiting, a bank transfer this long after
	// its account was shown (the issuer token's first read).
	testPaymentDelay = 10 * time.Minute
	// onlineTimeout is how long an online charge awaits the buyer.
	onlineTimeout = 15 * time.Minute
)

// paidLater reports whether the buyer of a payment type pays after the
// charge is made (konbini, bank transfer, online): such tokens pay one
// charge at a time, never a subscription.
func paidLater(pt api.PaymentType) bool {
	return pt == api.PaymentTypeKonbini || pt == api.PaymentTypeBankTransfer || pt == api.PaymentTypeOnline
}

// prepareCharge applies the payment type's rules to a new charge c on tok
// (created at c.CreatedAt): 3-D Secure for cards, the live-mode refusal of
// Paidy, and for the methods the buyer pays later the capture, currency
// and deadline rules.
func (s *Server) prepareCharge(ctx context.Context, tok *domain.TxToken, c *domain.Charge) error {
	switch tok.PaymentType {
	case api.PaymentTypeCard:
		return s.chargeThreeDS(ctx, tok, c)
	case api.PaymentTypePaidy:
		c.ThreeDS = nil
		if tok.Mode == api.ModeLive {
			// Paidy has no sandbox to send live payments to.
			return api.NewError(http.StatusBadRequest, api.CodeNoGatewaysAvailable)
		}
		return nil
	}
	c.ThreeDS = nil
	if !c.Capture {
		return api.NewError(http.StatusBadRequest, api.CodeAuthNotSupported)
	}
	if c.Currency != "JPY" {
		return api.ValidationError(api.FieldError{Field: "currency", Reason: api.ReasonUnsupportedCurrency})
	}
	p := &domain.Payment{}
	c.Payment = p
	switch tok.PaymentType {
	case api.PaymentTypeOnline:
		p.OnlineBrand, p.CallMethod = tok.Online.Brand, tok.Online.CallMethod
		c.CaptureAt = nil
		return nil
	case api.PaymentTypeKonbini:
		p.KonbiniStore = tok.Konbini.Store
		// The test outcome follows the phone number's last four digits.
		if n := tok.Konbini.PhoneLocalNumber; len(n) >= 4 {
			c.LastFour = n[len(n)-4:]
		}
	}
	if c.CaptureAt != nil && c.CaptureAt.After(c.CreatedAt.Add(maxExpirationPeriod)) {
		return api.ValidationError(api.FieldError{Field: "capture_at", Reason: api.ReasonDeadlineTooFar})
	}
	shop, err := s.storage.GetStore(ctx, tok.StoreID)
	if err != nil {
		return err
	}
	rule := deadlineRule{Created: c.CreatedAt, CaptureAt: c.CaptureAt, DefaultPeriod: shop.Config.BankTransferExpiration}
	if tok.PaymentType == api.PaymentTypeKonbini {
		rule.DefaultPeriod = shop.Config.KonbiniExpiration
		rule.NoTimeOfDay = api.KonbiniIgnoresTimeOfDay(p.KonbiniStore)
	}
	if e := tok.Expiration; e != nil {
		rule.Period, rule.TimeShift = e.Period, e.TimeShift
	}
	d := rule.deadline()
	c.CaptureAt = &d
	return nil
}

// paymentDeadline is the deadline of an awaiting konbini, bank-transfer
// or online charge.
func paymentDeadline(c *domain.Charge) *time.Time {
	if c.PaymentType == api.PaymentTypeOnline {
		return c.Payment.Deadline
	}
	return c.CaptureAt
}

// paymentDue sets the charge's next due time: the sandbox buyer's payment
// or the deadline, whichever comes first.
func paymentDue(c *domain.Charge) {
	c.DueAt = paymentDeadline(c)
	if at := c.Payment.PayAt; at != nil && (c.DueAt == nil || at.Before(*c.DueAt)) {
		c.DueAt = at
	}
}

// awaitPayment makes the application of a pending charge: it awaits the
// buyer, with a konbini payment number, a bank account, or an online
// issuer token.
func (s *Server) awaitPayment(ctx context.Context, c *domain.Charge, now time.Time) error {
	p := c.Payment
	c.Status = api.ChargeAwaiting
	p.AwaitingSince = &now
	switch c.PaymentType {
	case api.PaymentTypeKonbini:
		c.Metadata = c.Metadata.Merge(api.Metadata{}) // a copy
		c.Metadata.SetString(api.MetadataKonbiniPaymentNumber, konbiniPaymentNumber())
		if p.KonbiniStore == api.KonbiniSevenEleven {
			c.Metadata.SetString(api.MetadataKonbiniPaymentURL, s.widgetOrigin+"/sandbox/konbini/"+s.threeDSSession("k", c.ID))
		}
		at := now.Add(testPaymentDelay)
		p.PayAt = &at
	case api.PaymentTypeBankTransfer:
		acct, err := s.tokenAccount(ctx, c.TokenID)
		if err != nil {
			return err
		}
		p.Account = acct
	case api.PaymentTypeOnline:
		at := now.Add(onlineTimeout)
		p.Deadline = &at
	}
	paymentDue(c)
	return nil
}

// dueAwaiting runs what is due on an awaiting charge: its challenge's
// time-out, the sandbox buyer's payment, or its deadline.
func (s *Server) dueAwaiting(c *domain.Charge, now time.Time) {
	if c.ThreeDS.Awaiting() {
		if due := c.ThreeDS.DueAt; due == nil || !now.Before(*due) {
			answerChargeThreeDS(c, threeDSTimeOut, now)
		} else {
			c.DueAt = due
		}
		return
	}
	p := c.Payment
	if p == nil {
		return
	}
	deadline := paymentDeadline(c)
	switch {
	case p.PayAt != nil && !now.Before(*p.PayAt) && (deadline == nil || !p.PayAt.After(*deadline)):
		payInFull(c, *p.PayAt)
	case deadline != nil && !now.Before(*deadline):
		failAwaiting(c, api.PaymentErrorDeadlinePassed, api.DeadlinePassedMessage)
	default:
		paymentDue(c)
	}
}

// payInFull has the buyer pay an awaiting charge at at: a bank transfer
// receives the missing amount.
func payInFull(c *domain.Charge, at time.Time) {
	p := c.Payment
	p.PayAt = nil
	if c.PaymentType == api.PaymentTypeBankTransfer {
		deposit(c, c.Amount-p.Deposited, at)
		return
	}
	c.Status = api.ChargeSuccessful
	c.DueAt = nil
	setCharged(c, c.Amount)
}

// failAwaiting ends an awaiting charge failed; a bank transfer keeps what
// was deposited as its charged amount (the merchant returns it).
func failAwaiting(c *domain.Charge, code int, message string) {
	c.Status = api.ChargeFailed
	c.Error = paymentError(code, message)
	c.DueAt = nil
	if p := c.Payment; p != nil {
		p.PayAt = nil
		if p.Deposited > 0 {
			setCharged(c, p.Deposited)
		}
	}
}

// randomDigits returns n random decimal digits.
func randomDigits(n int) string {
	var b strings.Builder
	for range n {
		d, _ := rand.Int(rand.Reader, big.NewInt(10))
		b.WriteByte(byte('0' + d.Int64()))
	}
	return b.String()
}

// konbiniPaymentNumber is a sandbox payment number, "NNNNN-NNNNNNNNNNNN".
func konbiniPaymentNumber() string { return randomDigits(5) + "-" + randomDigits(12) }

// chargeIssuerToken is the issuer token of an awaiting online or
// bank-transfer charge; reading it is, in the sandbox, the buyer going to
// pay (docs/payment-methods.md, "Issuer tokens").
func (s *Server) chargeIssuerToken(ctx context.Context, id string) (*api.IssuerToken, error) {
	var prev domain.Charge
	var out *api.IssuerToken
	c, err := s.charges().locked(ctx, id, func(c *domain.Charge, now time.Time) error {
		p := c.Payment
		if c.Status != api.ChargeAwaiting || p == nil || c.PaymentType == api.PaymentTypeKonbini {
			return errChargeNotAwaiting
		}
		prev = *c
		switch c.PaymentType {
		case api.PaymentTypeOnline:
			out = &api.IssuerToken{PaymentType: api.PaymentTypeOnline, IssuerToken: api.TestIssuerToken, CallMethod: p.CallMethod, Payload: map[string]string{}}
			p.IssuerTokenRead = true
			c.UpdatedAt = now
			payInFull(c, now)
		case api.PaymentTypeBankTransfer:
			a := p.Account
			out = &api.IssuerToken{PaymentType: api.PaymentTypeBankTransfer, AccountID: a.ID, BankCode: api.AozoraBankCode,
				BankName: api.AozoraBankName, BranchCode: a.BranchCode, BranchName: a.BranchName, AccountType: api.AccountTypeOrdinary,
				AccountHolderName: a.HolderName, AccountNumber: a.AccountNumber}
			if p.IssuerTokenRead {
				return nil
			}
			p.IssuerTokenRead = true
			at := now.Add(testPaymentDelay)
			p.PayAt = &at
			c.UpdatedAt = now
			paymentDue(c)
		}
		s.chargeFollowUps(&prev, c)
		return s.storage.UpdateCharge(ctx, c)
	})
	if err != nil {
		return nil, err
	}
	if prev.ID != "" {
		s.chargeChanged(ctx, &prev, c)
	}
	return out, nil
}

// sandboxPaymentRoutes registers the sandbox controls of awaiting charges.
func (s *Server) sandboxPaymentRoutes(m *apiMux) {
	s.handle(m, "POST /sandbox/charges/{chargeId}/complete", false, "Sandbox: the buyer pays an awaiting charge (bank transfer: the missing amount arrives; 3-D Secure: authenticated).", s.sandboxChargeControl(sandboxComplete))
	s.handle(m, "POST /sandbox/charges/{chargeId}/fail", false, "Sandbox: an awaiting charge fails (3-D Secure: authentication failed).", s.sandboxChargeControl(sandboxFail))
	s.handle(m, "POST /sandbox/charges/{chargeId}/expire", false, "Sandbox: the deadline of an awaiting charge passes now (3-D Secure: timed out).", s.sandboxChargeControl(sandboxExpire))
	s.handle(m, "POST /sandbox/charges/{chargeId}/deposit", false, `Sandbox: a bank transfer of any amount ({"amount":5000}) reaches an awaiting charge's virtual account.`, s.handleSandboxDeposit)
}

type sandboxAction int

const (
	sandboxComplete sandboxAction = iota
	sandboxFail
	sandboxExpire
)

// sandboxChargeControl is the handler of a control that ends an awaiting
// charge.
func (s *Server) sandboxChargeControl(a sandboxAction) handlerFunc {
	return func(r *http.Request, p *principal) (int, any, error) {
		ctx := r.Context()
		c, err := s.loadCharge(ctx, p, r.PathValue("chargeId"))
		if err != nil {
			return 0, nil, err
		}
		if c.ThreeDS.Awaiting() {
			o := map[sandboxAction]threeDSOutcome{sandboxComplete: threeDSAuthenticate, sandboxFail: threeDSFail, sandboxExpire: threeDSTimeOut}[a]
			c, err = s.finishChargeThreeDS(ctx, c.ID, o)
			if errors.Is(err, errNotAwaiting) {
				err = errChargeNotAwaiting
			}
			if err != nil {
				return 0, nil, err
			}
			return http.StatusOK, chargeView(c), nil
		}
		var prev domain.Charge
		c, err = s.charges().locked(ctx, c.ID, func(c *domain.Charge, now time.Time) error {
			if c.Status != api.ChargeAwaiting || c.Payment == nil {
				return errChargeNotAwaiting
			}
			prev = *c
			c.UpdatedAt = now
			switch a {
			case sandboxComplete:
				payInFull(c, now)
			case sandboxFail:
				failAwaiting(c, api.PaymentErrorGeneral, api.SandboxPaymentFailedMessage)
			case sandboxExpire:
				failAwaiting(c, api.PaymentErrorDeadlinePassed, api.DeadlinePassedMessage)
			}
			s.chargeFollowUps(&prev, c)
			return s.storage.UpdateCharge(ctx, c)
		})
		if err != nil {
			return 0, nil, err
		}
		s.chargeChanged(ctx, &prev, c)
		return http.StatusOK, chargeView(c), nil
	}
}
