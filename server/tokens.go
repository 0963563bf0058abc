package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"kessai/api"
	"kessai/server/domain"
)

// oneTimeTokenTTL is how long one_time and subscription tokens stay usable
// (docs/tokens-and-lists.md).
const oneTimeTokenTTL = 5 * time.Minute

var (
	emailRe    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	currencyRe = regexp.MustCompile(`^[A-Za-z]{3}$`)
	countryRe  = regexp.MustCompile(`^[A-Za-z]{2}$`)
)

func validEmail(s string) bool {
	if !emailRe.MatchString(s) {
		return false
	}
	_, err := mail.ParseAddress(s)
	return err == nil
}

// flatMetadata validates that metadata values are not nested.
func flatMetadata(m api.Metadata, errs *[]api.FieldError) {
	keys := m.NestedKeys()
	slices.Sort(keys)
	for _, k := range keys {
		*errs = append(*errs, api.FieldError{Field: "metadata." + k, Reason: api.ReasonNestedJSONNotAllowed})
	}
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func optString(s string) *string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return &s
}

func (s *Server) handleCreateToken(r *http.Request, p *principal) (int, any, error) {
	var req api.TokenCreateRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	if err := s.cardDataAllowed(r, p, &req); err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	shop, err := s.storage.GetStore(ctx, p.app.StoreID)
	if err != nil {
		return 0, nil, err
	}
	if err := s.liveModeAllowed(ctx, p, shop); err != nil {
		return 0, nil, err
	}
	tok, err := s.buildToken(&req, p, shop)
	if err != nil {
		return 0, nil, err
	}
	if tok.PaymentType == api.PaymentTypeOnline && tok.IPAddress == nil {
		tok.IPAddress = buyerIP(r)
	}
	if err := s.checkCardLock(ctx, tok); err != nil {
		return 0, nil, err
	}
	// One active subscription token per card (docs/subscriptions.md).
	if tok.Type == api.TokenTypeSubscription && tok.Card != nil {
		dup, err := s.storage.ActiveSubscriptionTokenExists(ctx, tok.StoreID, tok.Card.Fingerprint, tok.CreatedAt.Add(-oneTimeTokenTTL))
		if err != nil {
			return 0, nil, err
		}
		if dup {
			return 0, nil, api.NewError(http.StatusConflict, api.CodeNonUniqueActiveToken)
		}
	}
	s.event(&tok.Outbox, tok.StoreID, api.EventTokenCreated, s.tokenView(tok))
	if err := s.storage.CreateToken(ctx, tok); err != nil {
		return 0, nil, err
	}
	s.followUp(ctx, domain.KindToken, tok.ID, &tok.Outbox)
	s.queueCVVAuth(ctx, tok)
	s.queueTokenThreeDS(ctx, tok)
	return http.StatusCreated, s.tokenView(tok), nil
}

// buildToken validates a POST /tokens request (docs/tokens-and-lists.md,
// docs/payment-methods.md) and returns the token to store: the fields
// every payment type shares here, the type's own in its builder
// (tokenBuilders).
func (s *Server) buildToken(req *api.TokenCreateRequest, p *principal, shop *domain.Store) (*domain.TxToken, error) {
	if req.PaymentType == api.PaymentTypeCard && p.withSecret && !shop.Config.AllowDirectTokenCreation {
		return nil, api.NewError(http.StatusUnauthorized, api.CodeDirectCardTokenCreationDisabled)
	}
	var errs []api.FieldError
	add := func(field, reason string) { errs = append(errs, api.FieldError{Field: field, Reason: reason}) }

	build, known := tokenBuilders[req.PaymentType]
	switch {
	case req.PaymentType == "":
		add("payment_type", api.ReasonRequiredValue)
	case !known:
		add("payment_type", api.ReasonInvalidFormat)
	case req.PaymentType == api.PaymentTypePaidy && p.withSecret:
		// Paidy has no API integration: only the widget creates its tokens.
		add("payment_type", api.ReasonUnsupportedPaymentType)
	}
	switch req.Type {
	case "":
		add("type", api.ReasonRequiredValue)
	case api.TokenTypeOneTime, api.TokenTypeRecurring, api.TokenTypeSubscription:
	default:
		add("type", api.ReasonInvalidFormat)
	}
	if req.UsageLimit != nil {
		switch *req.UsageLimit {
		case api.UsageLimitDaily, api.UsageLimitWeekly, api.UsageLimitMonthly, api.UsageLimitAnnually:
		default:
			add("usage_limit", api.ReasonInvalidFormat)
		}
	}
	email := strings.TrimSpace(req.Email)
	switch {
	case email == "" && req.PaymentType != api.PaymentTypeOnline:
		add("email", api.ReasonRequiredValue)
	case email != "" && !validEmail(email):
		add("email", api.ReasonInvalidFormatEmail)
	}
	flatMetadata(req.Metadata, &errs)

	now := s.clock.Now(p.app.StoreID)
	tok := &domain.TxToken{
		ID:          newID(),
		StoreID:     p.app.StoreID,
		MerchantID:  p.app.MerchantID,
		AppTokenID:  p.app.ID,
		Email:       email,
		IPAddress:   optString(req.IPAddress),
		PaymentType: req.PaymentType,
		Type:        req.Type,
		UsageLimit:  req.UsageLimit,
		Active:      true,
		Mode:        p.app.Mode,
		Metadata:    req.Metadata,
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	if tok.Metadata == nil {
		tok.Metadata = api.Metadata{}
	}
	var check func() error
	if known {
		check = build.build(s, req, p, shop, tok, add)
	}
	if len(errs) > 0 {
		return nil, api.ValidationError(errs...)
	}

	// Business rules after field validation.
	if req.UsageLimit != nil && req.Type != api.TokenTypeRecurring {
		return nil, api.NewError(http.StatusBadRequest, api.CodeUsageLimitNotApplicable)
	}
	if !slices.Contains(build.types, req.Type) {
		return nil, api.NewError(http.StatusBadRequest, api.CodeInvalidTokenType)
	}
	if req.Type == api.TokenTypeRecurring {
		switch shop.Config.RecurringTokenPrivilege {
		case api.RecurringInfinite:
		case api.RecurringBounded:
			if req.UsageLimit == nil {
				return nil, api.NewError(http.StatusBadRequest, api.CodeRecurringUsageLimitRequired)
			}
		default:
			return nil, api.NewError(http.StatusBadRequest, api.CodeRecurringTokenDisabled)
		}
	}
	if req.Type == api.TokenTypeSubscription && !shop.Config.SubscriptionsEnabled {
		return nil, api.NewError(http.StatusBadRequest, api.CodeInvalidTokenType)
	}
	if err := check(); err != nil {
		return nil, err
	}
	return tok, nil
}

func (s *Server) handleGetToken(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	tok, err := s.loadToken(r, r.PathValue("id"), p)
	if err != nil {
		return 0, nil, err
	}
	if err := s.settleCVVAuth(r.Context(), tok); err != nil {
		return 0, nil, err
	}
	if err := s.settleTokenThreeDS(r.Context(), tok); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.tokenView(tok), nil
}

// loadToken returns a token of the caller's store, 404 otherwise.
func (s *Server) loadToken(r *http.Request, id string, p *principal) (*domain.TxToken, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, errNotFound
	}
	tok, err := s.storage.GetToken(r.Context(), id)
	if err != nil {
		if err == domain.ErrNotFound {
			return nil, errNotFound
		}
		return nil, err
	}
	if tok.StoreID != p.app.StoreID {
		return nil, errNotFound
	}
	return tok, nil
}

// cvvAuthWork is the kind of due work (domain.ClaimStorage) of pending
// CVV authorizations: the engine settles each at its processing time, so
// that token_cvv_auth_updated fires then (docs/webhooks.md, "Events"), not
// at the token's next read. The queue is stored, so it survives a restart
// and is shared by the processes of one database.
const cvvAuthWork = "cvv_auth"

// queueCVVAuth has the engine settle tok's pending CVV authorization when
// its processing time comes. A failure is logged: the authorization then
// settles at the token's next read (GET, PATCH, a charge or a subscription
// with it).
func (s *Server) queueCVVAuth(ctx context.Context, tok *domain.TxToken) {
	at := tok.CVVAuth.ProcessAt
	if !cvvAuthPending(tok) || at == nil {
		return
	}
	if err := s.storage.ScheduleWork(context.WithoutCancel(ctx), cvvAuthWork, tok.ID, tok.StoreID, *at); err != nil {
		s.log.Error("queue CVV authorization", "token_id", tok.ID, "err", err)
		return
	}
	s.schedule(tok.StoreID, *at)
}

// runDueCVVAuths is the engine job of CVV authorizations.
func (s *Server) runDueCVVAuths(ctx context.Context, storeID string, now time.Time) {
	ids, err := s.storage.DueWork(ctx, cvvAuthWork, storeID, now)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("list due CVV authorizations", "err", err)
		}
		return
	}
	for _, id := range ids {
		tok, err := s.storage.GetToken(ctx, id)
		if err == nil {
			err = s.settleCVVAuth(ctx, tok)
		}
		if err == nil || errors.Is(err, domain.ErrNotFound) {
			// Settled (here, in another process or at a read) or gone.
			err = s.storage.DeleteWork(ctx, cvvAuthWork, id)
		}
		if err != nil && ctx.Err() == nil {
			s.log.Error("settle CVV authorization", "token_id", id, "err", err)
		}
	}
}

func cvvAuthPending(tok *domain.TxToken) bool {
	ca := tok.CVVAuth
	return ca.Enabled && ca.Status != nil && *ca.Status == api.CVVAuthPending
}

// cvvAuthDue reports whether tok's CVV authorization is pending and its
// processing time has passed.
func (s *Server) cvvAuthDue(tok *domain.TxToken) bool {
	at := tok.CVVAuth.ProcessAt
	return cvvAuthPending(tok) && at != nil && !s.clock.Now(tok.StoreID).Before(*at)
}

// settleCVVAuth finishes a pending sandbox CVV authorization once its
// processing time has passed: failed for cards ending 1111, else current;
// token_cvv_auth_updated fires. tok is brought up to date.
func (s *Server) settleCVVAuth(ctx context.Context, tok *domain.TxToken) error {
	if !s.cvvAuthDue(tok) {
		return nil
	}
	// The token's lease makes concurrent readers, in every process,
	// settle it (and fire its event) once.
	release, err := s.lease(ctx, "token/"+tok.ID, settleLeaseTTL)
	if err != nil {
		return err
	}
	cur, err := s.storage.GetToken(ctx, tok.ID)
	settled := err == nil && s.cvvAuthDue(cur)
	if settled {
		st := api.CVVAuthCurrent
		if cur.Card != nil && chargeFails(cur.Card.LastFour) {
			st = api.CVVAuthFailed
		}
		cur.CVVAuth.Status = &st
		cur.CVVAuth.ProcessAt = nil
		cur.UpdatedAt = s.clock.Now(cur.StoreID)
		s.event(&cur.Outbox, cur.StoreID, api.EventTokenCVVAuthUpdated, s.tokenView(cur))
		if err = s.storage.UpdateToken(ctx, cur); err == nil {
			s.followUp(ctx, domain.KindToken, cur.ID, &cur.Outbox)
		}
	}
	release()
	if err != nil {
		return err
	}
	*tok = *cur
	return nil
}

// tokenExpired reports whether a one_time/subscription token is past its
// 5-minute validity.
func (s *Server) tokenExpired(tok *domain.TxToken) bool {
	return tok.Type != api.TokenTypeRecurring && s.clock.Now(tok.StoreID).Sub(tok.CreatedAt) > oneTimeTokenTTL
}

// tokenView renders a token as the API object (docs/tokens-and-lists.md).
func (s *Server) tokenView(t *domain.TxToken) *api.TransactionToken {
	v := &api.TransactionToken{TokenFields: api.TokenFields{
		ID:          t.ID,
		StoreID:     t.StoreID,
		Email:       t.Email,
		IPAddress:   t.IPAddress,
		PaymentType: t.PaymentType,
		Active:      t.Active && !s.tokenExpired(t),
		Mode:        t.Mode,
		Type:        t.Type,
		UsageLimit:  t.UsageLimit,
		Metadata:    t.Metadata,
		CreatedOn:   api.FormatTime(t.CreatedAt),
		UpdatedOn:   api.FormatTime(t.UpdatedAt),
		PreviousID:  t.PreviousID,
	}}
	if v.Metadata == nil {
		v.Metadata = api.Metadata{}
	}
	if t.LastUsedAt != nil {
		v.LastUsedOn = ptr(api.FormatTime(*t.LastUsedAt))
	}
	if c := t.Card; c != nil {
		v.Data.Card = &api.TokenCard{
			Cardholder: c.Cardholder, ExpMonth: c.ExpMonth, ExpYear: c.ExpYear,
			CardBIN: c.BIN, LastFour: c.LastFour, Brand: c.Brand, CardType: "credit",
			Country: c.Country, SubBrand: "none",
		}
		b := t.Billing
		if b == nil {
			b = &domain.Billing{}
		}
		v.Data.Billing = &api.TokenBilling{
			Line1: b.Line1, Line2: b.Line2, State: b.State, City: b.City, Country: b.Country, Zip: b.Zip,
			PhoneNumber: &api.TokenPhoneNumber{CountryCode: b.PhoneCountryCode, LocalNumber: b.PhoneLocalNumber},
		}
		v.Data.CVVAuthorize = &api.TokenCVVAuthorize{Enabled: t.CVVAuth.Enabled, Status: t.CVVAuth.Status, Currency: t.CVVAuth.Currency}
		v.Data.CVVAuthorizeCheck = &api.TokenCVVAuthorizeCheck{}
		v.Data.ThreeDS = tokenThreeDSView(t)
	}
	methodTokenData(t, &v.Data)
	return v
}

// cardDataAllowed keeps card numbers off merchant pages (docs/architecture.md,
// the PCI note of docs/sandbox-api.md, "Authentication and access"): a
// browser may send card data with a secret-less app token only from the
// widget's own iframe. Requests with the secret, or
// with no Origin at all (a server), are not browser requests.
func (s *Server) cardDataAllowed(r *http.Request, p *principal, req *api.TokenCreateRequest) error {
	if p.withSecret || req.PaymentType != api.PaymentTypeCard {
		return nil
	}
	hdr := r.Header.Get("Origin")
	if hdr == "" {
		return nil
	}
	if o, err := originOf(hdr); err == nil && o == s.widgetOrigin {
		return nil
	}
	return api.NewError(http.StatusForbidden, api.CodeInvalidPermissions,
		api.FieldError{Field: "payment_type", Reason: "CARD_DATA_ONLY_FROM_WIDGET"})
}

// cardFingerprint identifies a card number without revealing it: an HMAC
// under the server key, so it cannot be reversed from a copy of the
// database alone.
func (s *Server) cardFingerprint(number string) string {
	m := hmac.New(sha256.New, s.jwtKey)
	m.Write([]byte("card:" + number))
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Server) tokenRoutes(m *apiMux) {
	s.handle(m, "POST /tokens", true, "Create a transaction token (card data only from the widget or with the secret).", s.handleCreateToken)
	s.handle(m, "GET /stores/{storeId}/tokens/{id}", true, "Get a transaction token.", s.handleGetToken)
	s.tokenManagementRoutes(m)
}

// cvvWindow is how long a CVV sent with PATCH /stores/{storeId}/tokens/{id}
// stays usable (docs/tokens-and-lists.md, "The CVV window").
const cvvWindow = 5 * time.Minute

// cvvWindowOpen reports whether tok holds a CVV for its next charge: one
// sent within the last 5 minutes and not yet used by a charge. The
// recurring CVV confirmation (RECURRING_USAGE_REQUIRES_CVV) accepts a
// charge while it is open.
func (s *Server) cvvWindowOpen(tok *domain.TxToken) bool {
	at := tok.CVVProvidedAt
	if at == nil || (tok.LastUsedAt != nil && tok.LastUsedAt.After(*at)) {
		return false
	}
	return s.clock.Now(tok.StoreID).Before(at.Add(cvvWindow))
}

// checkRecurringCVV applies the store's CVV confirmation to charge c on
// tok (docs/subscriptions.md, "Recurring tokens"): with
// cvv_confirmation_enabled, a charge on a recurring card token for more
// than the threshold of its currency needs a fresh CVV: one sent within
// the last 5 minutes (cvvWindowOpen), or the token's own while it is less
// than 5 minutes old and unused; else 400 RECURRING_USAGE_REQUIRES_CVV.
// A subscription's payments are not asked for one.
func (s *Server) checkRecurringCVV(ctx context.Context, tok *domain.TxToken, c *domain.Charge) error {
	if tok.Type != api.TokenTypeRecurring || tok.Card == nil || c.SubscriptionID != nil {
		return nil
	}
	st, err := s.storage.GetStore(ctx, tok.StoreID)
	if err != nil {
		return err
	}
	if !st.Config.CVVConfirmationEnabled {
		return nil
	}
	above := false
	for _, m := range st.Config.CVVConfirmationThreshold {
		above = above || (strings.EqualFold(m.Currency, c.Currency) && c.Amount > m.Amount)
	}
	fresh := tok.LastUsedAt == nil && c.CreatedAt.Before(tok.CreatedAt.Add(cvvWindow))
	if !above || fresh || s.cvvWindowOpen(tok) {
		return nil
	}
	return api.NewError(http.StatusBadRequest, api.CodeRecurringUsageRequiresCVV)
}
