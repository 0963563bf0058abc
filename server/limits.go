package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// The charge limits (docs/limits.md): the card lock, the charge frequency
// (the same card and amount, and bounded recurring tokens), and the daily
// number of test charges. They count stored charges (LimitStorage), so
// they hold for every process sharing the storage, and are set per store
// (domain.LimitsConfig). Config.LimitsOff switches them all off.

// notCharged are the statuses of charges that took no money: they do not
// count for the charge frequency.
var notCharged = []api.ChargeStatus{api.ChargeFailed, api.ChargeError}

var (
	errChargeTooQuick = api.NewError(http.StatusBadRequest, api.CodeChargeTooQuick)
	errCardLocked     = api.NewError(http.StatusForbidden, api.CodeCardLocked)
)

// storeLimits returns the effective limits of a store. A store whose
// stored limits are invalid gets the defaults (logged).
func (s *Server) storeLimits(ctx context.Context, storeID string) (domain.Limits, error) {
	st, err := s.storage.GetStore(ctx, storeID)
	if err != nil {
		return domain.Limits{}, err
	}
	l, err := st.Config.Limits.Resolve()
	if err != nil {
		s.log.Warn("invalid store limits; using the defaults", "store_id", storeID, "err", err)
	}
	return l, nil
}

// chargeLimits applies the limits on creating charge c with tok
// (docs/limits.md). The card lock, which looks at past failures, is checked
// here; the counted limits (the charge frequency limit, a bounded token's
// period, the daily test-charge limit) are returned as guards that the
// storage checks atomically with the insert, so that charges arriving at
// once cannot pass them together. c has its store, mode, card fingerprint,
// amount and creation time.
func (s *Server) chargeLimits(ctx context.Context, tok *domain.TxToken, c *domain.Charge) ([]domain.ChargeGuard, error) {
	if s.limitsOff {
		return nil, nil
	}
	l, err := s.storeLimits(ctx, c.StoreID)
	if err != nil {
		return nil, err
	}
	now := c.CreatedAt
	var guards []domain.ChargeGuard
	if c.CardFingerprint != "" {
		if err := s.cardLock(ctx, l, c.StoreID, c.CardFingerprint, now); err != nil {
			return nil, err
		}
		if l.ChargeCooldown > 0 {
			guards = append(guards, domain.ChargeGuard{Max: 1, Err: errChargeTooQuick,
				Count: domain.ChargeCount{StoreID: c.StoreID, CardFingerprint: c.CardFingerprint,
					Amount: &c.Amount, Currency: c.Currency, ExceptStatuses: notCharged,
					// Within the cooldown: a charge exactly ChargeCooldown ago
					// no longer counts (times are stored in microseconds).
					CreatedFrom: now.Add(-l.ChargeCooldown + time.Microsecond)}})
		}
	}
	if tok.Type == api.TokenTypeRecurring && tok.UsageLimit != nil {
		guards = append(guards, domain.ChargeGuard{Max: 1, Err: errChargeTooQuick,
			Count: domain.ChargeCount{TokenID: tok.ID, ExceptStatuses: notCharged,
				CreatedFrom: periodStart(now, *tok.UsageLimit)}})
	}
	if c.Mode == api.ModeTest && l.DailyTestCharges > 0 {
		day := periodStart(now, api.UsageLimitDaily)
		guards = append(guards, domain.ChargeGuard{Max: l.DailyTestCharges,
			Err: api.NewError(http.StatusBadRequest, api.CodeResourceLimitReached,
				api.FieldError{Reason: fmt.Sprintf("Test charges must not exceed %d per day", l.DailyTestCharges)}),
			Count: domain.ChargeCount{StoreID: c.StoreID, Mode: api.ModeTest,
				CreatedFrom: day, CreatedTo: day.AddDate(0, 0, 1)}})
	}
	return guards, nil
}

// checkCardLock refuses a new card token for a locked card.
func (s *Server) checkCardLock(ctx context.Context, tok *domain.TxToken) error {
	if s.limitsOff || tok.Card == nil || tok.Card.Fingerprint == "" {
		return nil
	}
	l, err := s.storeLimits(ctx, tok.StoreID)
	if err != nil {
		return err
	}
	return s.cardLock(ctx, l, tok.StoreID, tok.Card.Fingerprint, tok.CreatedAt)
}

// cardLock returns CARD_LOCKED when, at now, the card is within
// CardLockDuration of a moment that ended CardLockFailures failed charges
// in CardLockWindow (docs/limits.md, "Card lock").
func (s *Server) cardLock(ctx context.Context, l domain.Limits, storeID, fingerprint string, now time.Time) error {
	if l.CardLockFailures <= 0 {
		return nil
	}
	failed, err := s.storage.ChargeTimes(ctx, domain.ChargeCount{StoreID: storeID, CardFingerprint: fingerprint,
		Statuses: []api.ChargeStatus{api.ChargeFailed}, CreatedFrom: now.Add(-l.CardLockWindow - l.CardLockDuration)})
	if err != nil {
		return err
	}
	n := l.CardLockFailures
	for i := n - 1; i < len(failed); i++ {
		if failed[i].Sub(failed[i-n+1]) <= l.CardLockWindow && now.Before(failed[i].Add(l.CardLockDuration)) {
			return errCardLocked
		}
	}
	return nil
}

// periodStart returns the start of the calendar period of a usage limit
// (day, week from Monday, month, year in Japan) that contains t.
func periodStart(t time.Time, period api.UsageLimit) time.Time {
	t = t.In(jst)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, jst)
	switch period {
	case api.UsageLimitWeekly:
		return day.AddDate(0, 0, -(int(day.Weekday())+6)%7)
	case api.UsageLimitMonthly:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, jst)
	case api.UsageLimitAnnually:
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, jst)
	}
	return day
}
