package server

import (
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// The state machine of a charge awaiting the buyer (docs/payment-methods.md,
// "Statuses"), table-driven: each row starts from an awaiting charge, runs
// one event, and names the status, error code, charged amount and next due
// time it must leave.
func TestAwaitingTransitions(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	min := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	tp := func(n int) *time.Time { v := min(n); return &v }
	awaiting := func(pt api.PaymentType, deadline, payAt *time.Time, deposited int64) *domain.Charge {
		c := &domain.Charge{ID: "c", Amount: 1000, Currency: "JPY", Status: api.ChargeAwaiting, PaymentType: pt,
			Payment: &domain.Payment{AwaitingSince: tp(0), PayAt: payAt, Deposited: deposited}}
		if pt == api.PaymentTypeOnline {
			c.Payment.Deadline = deadline
		} else {
			c.CaptureAt = deadline
		}
		if pt == api.PaymentTypeBankTransfer {
			c.Payment.Account = &domain.VirtualAccount{AccountNumber: "1234567"}
		}
		paymentDue(c)
		return c
	}
	challenge := func(due int) *domain.Charge {
		return &domain.Charge{ID: "c", Amount: 1000, Currency: "JPY", Status: api.ChargeAwaiting, PaymentType: api.PaymentTypeCard,
			ThreeDS: &domain.ThreeDS{Status: ptr(api.ThreeDSAwaiting), DueAt: tp(due)}, DueAt: tp(due)}
	}
	s := &Server{}
	// due is the engine's settlement at minute at: it clears DueAt and
	// decides.
	due := func(at int) func(c *domain.Charge) {
		return func(c *domain.Charge) { c.DueAt = nil; s.dueAwaiting(c, min(at)) }
	}
	dep := func(amounts ...int64) func(c *domain.Charge) {
		return func(c *domain.Charge) {
			for _, a := range amounts {
				deposit(c, a, min(1))
			}
		}
	}
	tests := []struct {
		name    string
		c       *domain.Charge
		event   func(c *domain.Charge)
		status  api.ChargeStatus
		errCode int
		charged int64 // 0: none
		dueAt   *time.Time
	}{
		{"konbini before the test payment", awaiting(api.PaymentTypeKonbini, tp(600), tp(10), 0), due(5), api.ChargeAwaiting, 0, 0, tp(10)},
		{"konbini paid by the test buyer", awaiting(api.PaymentTypeKonbini, tp(600), tp(10), 0), due(10), api.ChargeSuccessful, 0, 1000, nil},
		{"konbini paid before a deadline reached later", awaiting(api.PaymentTypeKonbini, tp(600), tp(10), 0), due(900), api.ChargeSuccessful, 0, 1000, nil},
		{"konbini deadline before the test payment", awaiting(api.PaymentTypeKonbini, tp(5), tp(10), 0), due(12), api.ChargeFailed, 327, 0, nil},
		{"konbini deadline, nobody pays", awaiting(api.PaymentTypeKonbini, tp(60), nil, 0), due(60), api.ChargeFailed, 327, 0, nil},
		{"konbini waits for its deadline", awaiting(api.PaymentTypeKonbini, tp(60), nil, 0), due(59), api.ChargeAwaiting, 0, 0, tp(60)},
		{"bank transfer: the test buyer pays the rest", awaiting(api.PaymentTypeBankTransfer, tp(600), tp(10), 300), due(10), api.ChargeSuccessful, 0, 1000, nil},
		{"bank transfer: deadline with a partial deposit", awaiting(api.PaymentTypeBankTransfer, tp(60), nil, 300), due(60), api.ChargeFailed, 327, 300, nil},
		{"bank transfer: deadline, nothing deposited", awaiting(api.PaymentTypeBankTransfer, tp(60), nil, 0), due(61), api.ChargeFailed, 327, 0, nil},
		{"bank transfer: insufficient deposit", awaiting(api.PaymentTypeBankTransfer, tp(60), nil, 0), dep(400), api.ChargeAwaiting, 0, 0, tp(60)},
		{"bank transfer: exact in two deposits", awaiting(api.PaymentTypeBankTransfer, tp(60), nil, 0), dep(400, 600), api.ChargeSuccessful, 0, 1000, nil},
		{"bank transfer: exceeded", awaiting(api.PaymentTypeBankTransfer, tp(60), nil, 0), dep(1200), api.ChargeSuccessful, 0, 1200, nil},
		{"online: unpaid at its deadline", awaiting(api.PaymentTypeOnline, tp(15), nil, 0), due(15), api.ChargeFailed, 327, 0, nil},
		{"online: still awaiting", awaiting(api.PaymentTypeOnline, tp(15), nil, 0), due(14), api.ChargeAwaiting, 0, 0, tp(15)},
		{"online: paid at the issuer token", awaiting(api.PaymentTypeOnline, tp(15), nil, 0), func(c *domain.Charge) { payInFull(c, min(3)) }, api.ChargeSuccessful, 0, 1000, nil},
		{"control: complete a konbini charge", awaiting(api.PaymentTypeKonbini, tp(60), tp(10), 0), func(c *domain.Charge) { payInFull(c, min(3)) }, api.ChargeSuccessful, 0, 1000, nil},
		{"control: fail", awaiting(api.PaymentTypeKonbini, tp(60), tp(10), 0), func(c *domain.Charge) { failAwaiting(c, 309, "x") }, api.ChargeFailed, 309, 0, nil},
		{"3-D Secure: awaiting the buyer", challenge(15), due(14), api.ChargeAwaiting, 0, 0, tp(15)},
		{"3-D Secure: timed out by the clock", challenge(15), due(15), api.ChargeError, 327, 0, nil},
		{"3-D Secure: authenticated", challenge(15), func(c *domain.Charge) { answerChargeThreeDS(c, threeDSAuthenticate, min(2)) }, api.ChargePending, 0, 0, tp(2)},
		{"3-D Secure: failed", challenge(15), func(c *domain.Charge) { answerChargeThreeDS(c, threeDSFail, min(2)) }, api.ChargeFailed, 306, 0, nil},
		{"3-D Secure: timed out on the page", challenge(15), func(c *domain.Charge) { answerChargeThreeDS(c, threeDSTimeOut, min(2)) }, api.ChargeError, 327, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			tt.event(c)
			if c.Status != tt.status {
				t.Errorf("status %s, want %s", c.Status, tt.status)
			}
			switch {
			case tt.errCode == 0 && c.Error != nil:
				t.Errorf("error %+v, want none", c.Error)
			case tt.errCode != 0 && (c.Error == nil || c.Error.Code != tt.errCode):
				t.Errorf("error %+v, want %d", c.Error, tt.errCode)
			}
			switch {
			case tt.charged == 0 && c.ChargedAmount != nil:
				t.Errorf("charged %d, want none", *c.ChargedAmount)
			case tt.charged != 0 && (c.ChargedAmount == nil || *c.ChargedAmount != tt.charged):
				t.Errorf("charged %v, want %d", c.ChargedAmount, tt.charged)
			}
			if (c.DueAt == nil) != (tt.dueAt == nil) || (c.DueAt != nil && !c.DueAt.Equal(*tt.dueAt)) {
				t.Errorf("due at %v, want %v", c.DueAt, tt.dueAt)
			}
		})
	}
}
