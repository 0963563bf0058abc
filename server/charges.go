package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"kessai/api"
	"kessai/server/domain"
)

// maxAmounts are the sandbox maximum charge amounts (docs/sandbox.md).
var maxAmounts = map[string]int64{"JPY": 9_999_999, "USD": 99_999_999}

func (s *Server) handleCreateCharge(r *http.Request, p *principal) (int, any, error) {
	var req api.ChargeCreateRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	var errs []api.FieldError
	add := func(field, reason string) { errs = append(errs, api.FieldError{Field: field, Reason: reason}) }
	tokenID := strings.TrimSpace(req.TransactionTokenID)
	if tokenID == "" {
		add("transaction_token_id", api.ReasonRequiredValue)
	} else if _, err := uuid.Parse(tokenID); err != nil {
		add("transaction_token_id", api.ReasonInvalidFormatUUID)
	}
	if req.Amount <= 0 {
		add("amount", api.ReasonInvalidAmount)
	}
	currency := checkCurrency(req.Currency, add)
	var captureAt *time.Time
	if req.CaptureAt != "" {
		t, err := api.ParseTime(req.CaptureAt)
		switch {
		case err != nil:
			add("capture_at", api.ReasonInvalidFormatDate)
		case !t.After(s.clock.Now(p.app.StoreID)):
			add("capture_at", api.ReasonMustBeFutureTime)
		default:
			t = t.UTC()
			captureAt = &t
		}
	}
	var redirect *string
	if req.Redirect != nil && req.Redirect.Endpoint != "" {
		if u, err := url.Parse(req.Redirect.Endpoint); err != nil || u.Scheme == "" || u.Host == "" {
			add("redirect.endpoint", api.ReasonInvalidFormatURL)
		} else {
			redirect = &req.Redirect.Endpoint
		}
	}
	threeDS := chargeThreeDSRequest(req.ThreeDS, add)
	flatMetadata(req.Metadata, &errs)
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}
	if max, ok := maxAmounts[currency]; ok && int64(req.Amount) > max {
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeChargeAmountTooHigh)
	}
	store, err := s.storage.GetStore(ctx, p.app.StoreID)
	if err != nil {
		return 0, nil, err
	}
	if err := checkChargeCurrency(currency, req.OnlyDirectCurrency.Bool(false) || store.Config.OnlyDirectCurrency); err != nil {
		return 0, nil, err
	}

	tok, err := s.loadToken(r, tokenID, p)
	if err != nil {
		return 0, nil, err
	}
	if tok.Type == api.TokenTypeSubscription {
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeNonSubscriptionPayment)
	}
	if tok.Mode != p.app.Mode {
		return 0, nil, api.ValidationError(api.FieldError{Field: "transaction_token_id", Reason: api.ReasonProcessingModeMismatch})
	}
	c := &domain.Charge{
		Amount:                int64(req.Amount),
		Currency:              currency,
		Capture:               req.Capture.Bool(true),
		CaptureAt:             captureAt,
		OnlyDirectCurrency:    req.OnlyDirectCurrency.Bool(false),
		MerchantTransactionID: optString(req.MerchantTransactionID),
		Descriptor:            optString(req.Descriptor),
		Metadata:              req.Metadata,
		RedirectEndpoint:      redirect,
		ThreeDS:               threeDS,
	}
	if redirect != nil {
		c.RedirectID = ptr(newID())
	}
	if err := s.startCharge(ctx, tok, c); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, chargeView(c), nil
}

// checkAmountCurrency validates the required amount and currency of a
// capture or a refund (docs/sandbox-api.md, "Amounts and currencies") and
// returns the currency upper-cased.
func checkAmountCurrency(amount *api.Amount, currency string, add func(field, reason string)) string {
	switch {
	case amount == nil:
		add("amount", api.ReasonRequiredValue)
	case *amount <= 0:
		add("amount", api.ReasonInvalidAmount)
	}
	return checkCurrency(currency, add)
}

// checkCurrency validates a required currency and returns it upper-cased.
func checkCurrency(currency string, add func(field, reason string)) string {
	currency = strings.ToUpper(strings.TrimSpace(currency))
	switch {
	case currency == "":
		add("currency", api.ReasonRequiredValue)
	case !currencyRe.MatchString(currency):
		add("currency", api.ReasonInvalidFormatCurrency)
	}
	return currency
}

// tokenUsable returns the error of paying with tok now (a charge, or a
// subscription's start): used up, expired (deactivating it), disabled.
func (s *Server) tokenUsable(ctx context.Context, tok *domain.TxToken) error {
	switch {
	case !tok.Active && tok.LastUsedAt != nil && tok.Type != api.TokenTypeRecurring:
		return api.NewError(http.StatusBadRequest, api.CodeTransactionAlreadyProcessed)
	case s.tokenExpired(tok):
		if tok.Active {
			tok.Active = false
			tok.UpdatedAt = s.clock.Now(tok.StoreID)
			if err := s.storage.UpdateToken(ctx, tok); err != nil {
				return err
			}
		}
		return api.NewError(http.StatusBadRequest, api.CodeTransactionTokenExpired)
	case !tok.Active && tok.Type == api.TokenTypeRecurring:
		return api.NewError(http.StatusBadRequest, api.CodeRecurringTokenDisabled)
	case !tok.Active:
		return api.NewError(http.StatusBadRequest, api.CodeTransactionAlreadyProcessed)
	}
	return nil
}

// startCharge checks that tok can pay c now, fills in what the charge takes
// from its token, stores it pending (consuming a one-time token) and
// schedules its settlement. c carries what the caller decided: amount,
// currency, capture, metadata, a subscription ID, … The schedule engine
// also sets its ID and CreatedAt, the time of the payment's attempt
// (docs/subscriptions.md, "Catching up"); by default they are new and now.
func (s *Server) startCharge(ctx context.Context, tok *domain.TxToken, c *domain.Charge) error {
	// A subscription token belongs to the subscription that consumed it
	// (docs/subscriptions.md): its charges use it for the subscription's life.
	owned := c.SubscriptionID != nil && tok.Type == api.TokenTypeSubscription
	if !owned {
		if err := s.tokenUsable(ctx, tok); err != nil {
			return err
		}
	}
	if tok.Card != nil && !c.Capture && !brandSupportsAuth(tok.Card.Brand) {
		return api.NewError(http.StatusBadRequest, api.CodeAuthNotSupported)
	}
	if err := s.settleCVVAuth(ctx, tok); err != nil {
		return err
	}
	if tok.CVVAuth.Enabled && (tok.CVVAuth.Status == nil || *tok.CVVAuth.Status != api.CVVAuthCurrent) {
		return api.NewError(http.StatusBadRequest, api.CodeCVVAuthorizationNotCompleted)
	}

	now := s.clock.Now(tok.StoreID)
	if !c.CreatedAt.IsZero() {
		now = c.CreatedAt
	}
	processAt := now.Add(s.delay)
	if c.ID == "" {
		c.ID = newID()
	}
	c.StoreID = tok.StoreID
	c.MerchantID = tok.MerchantID
	c.TokenID = tok.ID
	c.TokenType = tok.Type
	c.PaymentType = tok.PaymentType
	c.Mode = tok.Mode
	c.Status = api.ChargePending
	c.DueAt = &processAt
	c.CreatedAt = now
	c.UpdatedAt = now
	if c.Metadata == nil {
		c.Metadata = api.Metadata{}
	}
	if tok.Card != nil {
		c.LastFour = tok.Card.LastFour
		c.CardFingerprint = tok.Card.Fingerprint
	}
	if err := s.prepareCharge(ctx, tok, c); err != nil {
		return err
	}
	if err := s.checkRecurringCVV(ctx, tok, c); err != nil {
		return err
	}
	guards, err := s.chargeLimits(ctx, tok, c)
	if err != nil {
		return err
	}
	consume := tok.Type != api.TokenTypeRecurring && !owned
	s.chargeFollowUps(nil, c)
	if err := s.storage.CreateCharge(ctx, c, tok.ID, consume, guards...); err != nil {
		if errors.Is(err, domain.ErrTokenInactive) {
			return api.NewError(http.StatusBadRequest, api.CodeTransactionAlreadyProcessed)
		}
		return err
	}
	s.chargeChanged(ctx, nil, c)
	return nil
}

// charges describes charges for the code they share with refunds and
// cancels (resource.go).
func (s *Server) charges() *resource[domain.Charge] {
	return &resource[domain.Charge]{
		s: s, name: "charge", param: "chargeId",
		get: s.storage.GetCharge, update: s.storage.UpdateCharge, settle: s.settle, listDue: s.storage.ListDueCharges,
		state: func(c *domain.Charge) resourceState {
			return resourceState{ID: c.ID, ChargeID: c.ID,
				pollState: pollState{Status: string(c.Status), Final: c.Status.Final(), StoreID: c.StoreID, Due: c.DueAt}}
		},
		metadata: func(c *domain.Charge) (*api.Metadata, *time.Time) { return &c.Metadata, &c.UpdatedAt },
		outbox:   func(c *domain.Charge) *domain.Outbox { return &c.Outbox },
	}
}

// loadCharge returns a charge of the caller's store (404 otherwise), after
// running what is due on it.
func (s *Server) loadCharge(ctx context.Context, p *principal, id string) (*domain.Charge, error) {
	return s.charges().load(ctx, p, "", id)
}

// chargeView renders a charge as the API object (docs/charges.md).
func chargeView(c *domain.Charge) *api.Charge {
	v := &api.Charge{
		ID:                       c.ID,
		StoreID:                  c.StoreID,
		TransactionTokenID:       c.TokenID,
		TransactionTokenType:     c.TokenType,
		SubscriptionID:           c.SubscriptionID,
		MerchantTransactionID:    c.MerchantTransactionID,
		RequestedAmount:          c.Amount,
		RequestedCurrency:        c.Currency,
		RequestedAmountFormatted: api.FormatAmount(c.Amount, c.Currency),
		ChargedAmount:            c.ChargedAmount,
		ChargedCurrency:          c.ChargedCurrency,
		OnlyDirectCurrency:       c.OnlyDirectCurrency,
		Descriptor:               c.Descriptor,
		Status:                   c.Status,
		Error:                    c.Error,
		Metadata:                 c.Metadata,
		Mode:                     c.Mode,
		CreatedOn:                api.FormatTime(c.CreatedAt),
	}
	if v.Metadata == nil {
		v.Metadata = api.Metadata{}
	}
	if c.ChargedAmount != nil && c.ChargedCurrency != nil {
		v.ChargedAmountFormatted = ptr(api.FormatAmount(*c.ChargedAmount, *c.ChargedCurrency))
	}
	if c.Status == api.ChargePending {
		// Nothing is charged yet; a capture in progress keeps its amount in
		// ChargedAmount (capture.go).
		v.ChargedAmount, v.ChargedCurrency, v.ChargedAmountFormatted = nil, nil, nil
	}
	if c.CaptureAt != nil {
		v.CaptureAt = ptr(api.FormatTime(*c.CaptureAt))
	}
	v.ThreeDS = chargeThreeDSView(c.ThreeDS)
	if c.RedirectEndpoint != nil {
		v.Redirect.Endpoint = *c.RedirectEndpoint
		if c.RedirectID != nil {
			v.Redirect.RedirectID = *c.RedirectID
		}
	}
	return v
}

// changes returns a channel closed at the next charge change.
func (s *Server) changes() <-chan struct{} {
	s.changeMu.Lock()
	defer s.changeMu.Unlock()
	return s.changed
}

func (s *Server) notifyChange() {
	s.changeMu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.changeMu.Unlock()
}

// settle runs the scheduled step of a charge whose DueAt has come (the
// sandbox outcome of docs/sandbox-api.md, "Test cards") and returns its
// current state. It is idempotent: a charge with nothing due is returned
// unchanged.
func (s *Server) settle(ctx context.Context, id string) (*domain.Charge, error) {
	c, _, err := s.charges().settleDue(ctx, id, func(c *domain.Charge, now time.Time) error {
		prev := *c
		c.DueAt = nil
		c.UpdatedAt = now
		switch c.Status {
		case api.ChargePending:
			switch {
			case c.ChargedAmount != nil: // a capture in progress (capture.go)
				finishCapture(c, *c.ChargedAmount, now)
			case chargeThreeDSPending(c): // 3-D Secure first (threeds.go)
				awaitThreeDS(c, now)
			case chargeFails(c.LastFour):
				c.Status = api.ChargeFailed
				c.Error = paymentError(api.PaymentErrorGeneral, api.TestChargeFailedMessage)
			case c.Payment != nil: // konbini, bank transfer, online (payments.go)
				if err := s.awaitPayment(ctx, c, now); err != nil {
					return err
				}
			case !c.Capture:
				c.Status = api.ChargeAuthorized
				c.DueAt = c.CaptureAt // automatic capture (dueAuthorized)
			default:
				c.Status = api.ChargeSuccessful
				setCharged(c, c.Amount)
			}
		case api.ChargeAuthorized:
			s.dueAuthorized(c, now)
		case api.ChargeAwaiting:
			s.dueAwaiting(c, now)
		}
		return s.saveCharge(ctx, &prev, c)
	})
	return c, err
}

// saveCharge stores a change of charge c (from prev) with its follow-ups
// (chargeFollowUps), then runs chargeChanged.
func (s *Server) saveCharge(ctx context.Context, prev, c *domain.Charge) error {
	s.chargeFollowUps(prev, c)
	if err := s.storage.UpdateCharge(ctx, c); err != nil {
		return err
	}
	s.chargeChanged(ctx, prev, c)
	return nil
}

// chargeFollowUps adds to c's Outbox the consequences of its change from
// prev (nil for a new charge), before the write that stores the change
// (followups.go): the charge webhooks (charge_updated on authorized or
// awaiting, charge_finished on a final status) and, for a subscription's
// charge, the subscription following it.
func (s *Server) chargeFollowUps(prev, c *domain.Charge) {
	if prev != nil && prev.Status == c.Status {
		return
	}
	switch {
	case c.Status == api.ChargeAuthorized || c.Status == api.ChargeAwaiting:
		s.event(&c.Outbox, c.StoreID, api.EventChargeUpdated, chargeView(c))
	case c.Status.Final():
		s.event(&c.Outbox, c.StoreID, api.EventChargeFinished, chargeView(c))
	}
	if c.SubscriptionID != nil {
		ch := &domain.ChargeChange{ChargeID: c.ID, Status: c.Status, New: prev == nil}
		if prev != nil {
			ch.PrevStatus, ch.PrevDueAt = prev.Status, prev.DueAt
		}
		c.Outbox.Add(domain.FollowUp{ID: newID(), StoreID: c.StoreID, Charge: ch, Created: time.Now()})
	}
}

// chargeChanged is called after every change of a stored charge, stored
// with the follow-ups chargeFollowUps added (saveCharge does both): it
// schedules what became due, does the follow-ups and wakes pollers.
func (s *Server) chargeChanged(ctx context.Context, prev, c *domain.Charge) {
	s.log.Debug("charge changed", "charge_id", c.ID, "status", c.Status)
	if c.DueAt != nil {
		s.schedule(c.StoreID, *c.DueAt)
	}
	s.followUp(ctx, domain.KindCharge, c.ID, &c.Outbox)
	s.notifyChange()
}

func (s *Server) chargeRoutes(m *apiMux) {
	s.handle(m, "POST /charges", true, "Create a charge with a one_time or recurring token.", s.handleCreateCharge)
	s.handle(m, "GET /stores/{storeId}/charges/{chargeId}", true, "Get a charge; ?polling=true waits up to 3 s for it to leave pending.", viewed(s.charges().read, chargeView))
	s.chargeReadRoutes(m)
}
