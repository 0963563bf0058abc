package server

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"kessai/api"
	"kessai/server/domain"
)

// Token management beyond create and get (docs/tokens-and-lists.md): the
// token lists, PATCH, DELETE, the SDK's renew and the token's 3-D Secure
// issuer token.

var (
	shortIDRe   = regexp.MustCompile(`^[0-9a-fA-F]{6}$`)
	cardExpRe   = regexp.MustCompile(`^(\d{4})-(0[1-9]|1[0-2])$`)
	lastFourRe  = regexp.MustCompile(`^\d{4}$`)
	phoneKeepRe = regexp.MustCompile(`[\s\-().+]`)
)

// phoneDigits returns a phone-number query parameter as digits ("" when it
// is not a phone number): separators (spaces, -, ., parentheses, +) are
// dropped.
func phoneDigits(v string) (string, bool) {
	d := phoneKeepRe.ReplaceAllString(strings.TrimSpace(v), "")
	if d == "" || !api.AllDigits(d) {
		return "", false
	}
	return d, true
}

// fieldErrors returns the field errors of a validation error made by
// api.ValidationError, or nil.
func fieldErrors(err error) []api.FieldError {
	var ae *api.Error
	if errors.As(err, &ae) {
		return ae.Errors
	}
	return nil
}

// tokenListQuery reads the query of a token list (docs/tokens-and-lists.md,
// "Token list").
func tokenListQuery(q url.Values, p *principal) (domain.TokenQuery, error) {
	page, filters, err := listParams(q)
	errs := fieldErrors(err)
	add := func(field, reason string) { errs = append(errs, api.FieldError{Field: field, Reason: reason}) }
	filters.ToInclusive = true // tokens: "to" is "at or before"
	tq := domain.TokenQuery{Scope: listScope(p), Page: page, Filters: filters}
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	if v := get("id"); v != "" {
		if !validUUID(v) {
			add("id", api.ReasonInvalidFormatUUID)
		}
		tq.ID = v
	}
	if v := get("short_id"); v != "" {
		if !shortIDRe.MatchString(v) {
			add("short_id", api.ReasonInvalidFormat)
		}
		tq.ShortID = v
	}
	switch v := api.TokenType(get("type")); v {
	case "":
	case api.TokenTypeOneTime, api.TokenTypeRecurring, api.TokenTypeSubscription:
		tq.Type = v
	default:
		add("type", api.ReasonInvalidFormat)
	}
	tq.Email = get("email")
	tq.Cardholder = get("cardholder")
	if v := get("card_exp"); v != "" {
		if !cardExpRe.MatchString(v) {
			add("card_exp", api.ReasonInvalidFormat)
		}
		tq.CardExp = v
	}
	if v := get("card_last_four"); v != "" {
		if !lastFourRe.MatchString(v) {
			add("card_last_four", api.ReasonInvalidFormat)
		}
		tq.CardLastFour = v
	}
	if v := get("phone_number"); v != "" {
		d, ok := phoneDigits(v)
		if !ok {
			add("phone_number", api.ReasonInvalidPhoneNumber)
		}
		tq.PhoneNumber = d
	}
	tq.Brand = strings.ToLower(get("brand"))
	if v := get("customer_id"); v != "" {
		if !validUUID(v) {
			add("customer_id", api.ReasonInvalidFormatUUID)
		}
		tq.CustomerID = v
	}
	switch v := api.PaymentType(get("payment_type")); v {
	case "":
	case api.PaymentTypeCard, api.PaymentTypeKonbini, api.PaymentTypeOnline, api.PaymentTypeBankTransfer, api.PaymentTypePaidy:
		tq.PaymentType = v
	default:
		add("payment_type", api.ReasonInvalidFormat)
	}
	if v := get("previous_transaction_token_id"); v != "" {
		if !validUUID(v) {
			add("previous_transaction_token_id", api.ReasonInvalidFormatUUID)
		}
		tq.PreviousID = v
	}
	if len(errs) > 0 {
		return tq, api.ValidationError(errs...)
	}
	return tq, nil
}

// handleListTokens serves GET /stores/{storeId}/tokens and GET /tokens.
// Without the secret only a customer's recurring tokens may be listed
// (customer_id and type=recurring; the widget's saved cards): active tokens
// of the app token's mode, masked.
func (s *Server) handleListTokens(r *http.Request, p *principal) (int, any, error) {
	if storeID := r.PathValue("storeId"); storeID != "" {
		if err := storeScoped(p, storeID); err != nil {
			return 0, nil, err
		}
	}
	q := r.URL.Query()
	if !p.withSecret && (strings.TrimSpace(q.Get("customer_id")) == "" || q.Get("type") != string(api.TokenTypeRecurring)) {
		return 0, nil, errPermissions
	}
	tq, err := tokenListQuery(q, p)
	if err != nil {
		return 0, nil, err
	}
	masked := !p.withSecret
	if masked {
		tq.Mode = p.app.Mode
		tq.ActiveOnly = true
	}
	ctx := r.Context()
	list, err := s.storage.ListTokens(ctx, tq)
	if err != nil {
		return 0, nil, listError(err)
	}
	names := s.storeNames(ctx)
	out, err := listViewErr(list, func(t *domain.TxToken) (api.TokenListItem, error) {
		n, err := names.of(t.StoreID)
		return s.tokenListItem(t, n, masked), err
	})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, out, nil
}

// tokenListItem renders a token as a list item (docs/tokens-and-lists.md,
// "Token list"); masked items carry the card a buyer recognises instead of
// the e-mail address and metadata.
func (s *Server) tokenListItem(t *domain.TxToken, names api.StoreNames, masked bool) api.TokenListItem {
	v := s.tokenView(t)
	it := api.TokenListItem{
		TokenFields: v.TokenFields,
		StoreNames:  names,
		UserData:    api.TokenUserData{Email: v.Email},
	}
	if c := t.Card; c != nil {
		it.UserData.CardholderName = ptr(strings.ToLower(c.Cardholder))
		it.UserData.Brand = ptr(c.Brand)
	}
	if b := v.Data.ConvenienceStore + v.Data.Brand; b != "" { // konbini, online, bank transfer
		it.UserData.Brand = &b
	}
	if masked {
		it.Email = maskEmail(it.Email)
		it.UserData.Email = it.Email
		it.Metadata = api.Metadata{}
		if c := t.Card; c != nil {
			it.Data = &api.TokenMaskedData{Card: &api.TokenMaskedCard{
				Cardholder: c.Cardholder, Brand: c.Brand, LastFour: c.LastFour, ExpMonth: c.ExpMonth, ExpYear: c.ExpYear,
			}}
		}
	}
	return it
}

// maskEmail keeps the first character of the local part and the domain:
// "taro@example.com" → "t***@example.com".
func maskEmail(e string) string {
	local, domainPart, ok := strings.Cut(e, "@")
	if !ok || local == "" {
		return "***"
	}
	r := []rune(local)
	return string(r[0]) + "***@" + domainPart
}

// loadOwnToken loads the token of a /stores/{storeId}/tokens/{id} route
// for a change: 404 unless it is the caller's, and of the caller's mode.
func (s *Server) loadOwnToken(r *http.Request, p *principal) (*domain.TxToken, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return nil, err
	}
	tok, err := s.loadToken(r, r.PathValue("id"), p)
	if err != nil {
		return nil, err
	}
	if tok.Mode != p.app.Mode {
		return nil, api.ValidationError(api.FieldError{Field: "id", Reason: api.ReasonProcessingModeMismatch})
	}
	return tok, nil
}

// cvvOnly reports whether an update carries nothing but data.cvv, the one
// change allowed without the secret.
func cvvOnly(req *api.TokenUpdateRequest) bool {
	d := req.Data
	return req.Email == nil && req.Cardholder == nil && req.Metadata == nil && d != nil && d.CVV != nil &&
		*d == api.TokenUpdateData{CVV: d.CVV}
}

// parseExpiry parses a card expiry month and year (2-digit years are
// 20YY); ok is false when either is malformed.
func parseExpiry(ms, ys string) (month, year int, mok, yok bool) {
	ms, ys = strings.TrimSpace(ms), strings.TrimSpace(ys)
	if m, err := strconv.Atoi(ms); err == nil && api.AllDigits(ms) && m >= 1 && m <= 12 {
		month, mok = m, true
	}
	if y, err := strconv.Atoi(ys); err == nil && api.AllDigits(ys) && (len(ys) == 2 || len(ys) == 4) {
		if len(ys) == 2 {
			y += 2000
		}
		year, yok = y, true
	}
	return
}

// billingUpdate are the billing fields of an update or a renewal.
type billingUpdate struct {
	line1, line2, state, city, country, zip *string
	phone                                   *api.PhoneNumberRequest
}

// validate adds the field errors of b.
func (b billingUpdate) validate(add func(field, reason string)) {
	if b.country != nil && *b.country != "" && !countryRe.MatchString(strings.TrimSpace(*b.country)) {
		add("data.country", api.ReasonInvalidFormatCountry)
	}
	if b.phone != nil && b.phone.CountryCode != "" {
		if cc, err := strconv.Atoi(strings.TrimPrefix(string(b.phone.CountryCode), "+")); err != nil || cc <= 0 {
			add("data.phone_number.country_code", api.ReasonInvalidPhoneNumber)
		}
	}
}

// apply sets the given fields of dst; an empty string clears a field.
func (b billingUpdate) apply(dst *domain.Billing) {
	set := func(f **string, v *string) {
		if v != nil {
			*f = optString(*v)
		}
	}
	set(&dst.Line1, b.line1)
	set(&dst.Line2, b.line2)
	set(&dst.State, b.state)
	set(&dst.City, b.city)
	set(&dst.Zip, b.zip)
	if b.country != nil {
		dst.Country = optString(strings.ToUpper(*b.country))
	}
	if b.phone != nil {
		dst.PhoneLocalNumber = optString(string(b.phone.LocalNumber))
		dst.PhoneCountryCode = nil
		if cc, err := strconv.Atoi(strings.TrimPrefix(string(b.phone.CountryCode), "+")); err == nil && cc > 0 {
			dst.PhoneCountryCode = &cc
		}
	}
}

// handleUpdateToken serves PATCH /stores/{storeId}/tokens/{id}
// (docs/tokens-and-lists.md, "Updating a token").
func (s *Server) handleUpdateToken(r *http.Request, p *principal) (int, any, error) {
	var req api.TokenUpdateRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	if !p.withSecret && !cvvOnly(&req) {
		return 0, nil, errPermissions
	}
	tok, err := s.loadOwnToken(r, p)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	if err := s.settleCVVAuth(ctx, tok); err != nil {
		return 0, nil, err
	}

	var errs []api.FieldError
	add := func(field, reason string) { errs = append(errs, api.FieldError{Field: field, Reason: reason}) }
	d := req.Data
	if d == nil {
		d = &api.TokenUpdateData{}
	}
	var email *string
	if req.Email != nil {
		e := strings.TrimSpace(*req.Email)
		switch {
		case e == "":
			add("email", api.ReasonRequiredValue)
		case !validEmail(e):
			add("email", api.ReasonInvalidFormatEmail)
		}
		email = &e
	}
	holderField, holder := "cardholder", req.Cardholder
	if d.Cardholder != nil {
		holderField, holder = "data.cardholder", d.Cardholder
	}
	card := tok.Card
	if holder != nil {
		switch {
		case card == nil:
			add(holderField, api.ReasonForbiddenParameter)
		case strings.TrimSpace(*holder) == "":
			add(holderField, api.ReasonRequiredValue)
		}
	}
	flatMetadata(req.Metadata, &errs)
	var cvv string
	if d.CVV != nil {
		cvv = strings.TrimSpace(string(*d.CVV))
		switch {
		case card == nil:
			add("data.cvv", api.ReasonForbiddenParameter)
		case !api.AllDigits(cvv) || len(cvv) < 3 || len(cvv) > 4:
			add("data.cvv", api.ReasonInvalidCVV)
		}
	}
	// The card number and expiry cannot change: repeating them is allowed.
	if d.CardNumber != nil && (card == nil || s.cardFingerprint(api.CardNumberDigits(*d.CardNumber)) != card.Fingerprint) {
		add("data.card_number", api.ReasonForbiddenParameter)
	}
	if d.ExpMonth != nil || d.ExpYear != nil {
		var ms, ys string
		if d.ExpMonth != nil {
			ms = string(*d.ExpMonth)
		}
		if d.ExpYear != nil {
			ys = string(*d.ExpYear)
		}
		month, year, _, _ := parseExpiry(ms, ys)
		if d.ExpMonth != nil && (card == nil || month != card.ExpMonth) {
			add("data.exp_month", api.ReasonForbiddenParameter)
		}
		if d.ExpYear != nil && (card == nil || year != card.ExpYear) {
			add("data.exp_year", api.ReasonForbiddenParameter)
		}
	}
	bill := billingUpdate{d.Line1, d.Line2, d.State, d.City, d.Country, d.Zip, d.PhoneNumber}
	if card == nil && bill != (billingUpdate{}) {
		add("data", api.ReasonForbiddenParameter)
	}
	bill.validate(add)
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}

	before := mustJSON(tok)
	cvvStatus := func() api.CVVAuthorizeStatus {
		if tok.CVVAuth.Status == nil {
			return ""
		}
		return *tok.CVVAuth.Status
	}
	prevCVV := cvvStatus()
	now := s.clock.Now(tok.StoreID)
	if email != nil {
		tok.Email = *email
	}
	if holder != nil {
		c := *card
		c.Cardholder = strings.TrimSpace(*holder)
		tok.Card = &c
	}
	if req.Metadata != nil {
		tok.Metadata = tok.Metadata.Merge(req.Metadata)
	}
	if card != nil && bill != (billingUpdate{}) {
		b := domain.Billing{}
		if tok.Billing != nil {
			b = *tok.Billing
		}
		bill.apply(&b)
		tok.Billing = &b
	}
	if cvv != "" {
		// A new CVV opens the CVV window and re-runs a failed or
		// inactive CVV authorization.
		tok.CVVProvidedAt = &now
		if ca := &tok.CVVAuth; ca.Enabled && ca.Status != nil && (*ca.Status == api.CVVAuthFailed || *ca.Status == api.CVVAuthInactive) {
			at := now.Add(s.delay)
			ca.Status = ptr(api.CVVAuthPending)
			ca.ProcessAt = &at
		}
	}
	if string(before) == string(mustJSON(tok)) {
		return http.StatusOK, s.tokenView(tok), nil
	}
	tok.UpdatedAt = now
	view := s.tokenView(tok)
	s.event(&tok.Outbox, tok.StoreID, api.EventTokenUpdated, view)
	cvvChanged := prevCVV != cvvStatus()
	if cvvChanged {
		s.event(&tok.Outbox, tok.StoreID, api.EventTokenCVVAuthUpdated, view)
	}
	if err := s.storage.UpdateToken(ctx, tok); err != nil {
		return 0, nil, err
	}
	s.followUp(ctx, domain.KindToken, tok.ID, &tok.Outbox)
	if cvvChanged {
		s.queueCVVAuth(ctx, tok)
	}
	return http.StatusOK, view, nil
}

// handleDeleteToken serves DELETE /stores/{storeId}/tokens/{id}: 204, and
// the token is gone (404 afterwards); charges keep its ID.
func (s *Server) handleDeleteToken(r *http.Request, p *principal) (int, any, error) {
	tok, err := s.loadOwnToken(r, p)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	view := s.tokenView(tok)
	if err := s.storage.DeleteToken(ctx, tok.ID); err != nil {
		if errors.Is(err, domain.ErrNotFound) {
			return 0, nil, errNotFound
		}
		return 0, nil, err
	}
	if tok.Type == api.TokenTypeRecurring {
		s.emit(ctx, tok.StoreID, api.EventRecurringTokenDeleted, view)
	}
	return http.StatusNoContent, nil, nil
}

// handleRenewToken serves POST /stores/{storeId}/tokens/{id}/renew, the
// official SDK's transactionTokens.renew: a recurring card token gets a new
// cardholder name and expiry. The card stays the same; the result is a new
// token whose previous_id names the old one, which becomes inactive
// (docs/tokens-and-lists.md, "Renewing a recurring token").
func (s *Server) handleRenewToken(r *http.Request, p *principal) (int, any, error) {
	var req api.TokenRenewRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	old, err := s.loadOwnToken(r, p)
	if err != nil {
		return 0, nil, err
	}
	if old.Type != api.TokenTypeRecurring || old.Card == nil {
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeInvalidTokenType)
	}
	if !old.Active {
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeRecurringTokenDisabled)
	}
	var errs []api.FieldError
	add := func(field, reason string) { errs = append(errs, api.FieldError{Field: field, Reason: reason}) }
	d := req.Data
	email := old.Email
	if d.Email != nil {
		email = strings.TrimSpace(*d.Email)
		if !validEmail(email) {
			add("data.email", api.ReasonInvalidFormatEmail)
		}
	}
	holder := strings.TrimSpace(d.Cardholder)
	if holder == "" {
		add("data.cardholder", api.ReasonRequiredValue)
	}
	now := s.clock.Now(old.StoreID)
	month, year, mok, yok := parseExpiry(string(d.ExpMonth), string(d.ExpYear))
	switch {
	case strings.TrimSpace(string(d.ExpMonth)) == "":
		add("data.exp_month", api.ReasonRequiredValue)
	case !mok:
		add("data.exp_month", api.ReasonInvalidCardExpiration)
	}
	switch {
	case strings.TrimSpace(string(d.ExpYear)) == "":
		add("data.exp_year", api.ReasonRequiredValue)
	case !yok || year < now.Year():
		add("data.exp_year", api.ReasonInvalidCardExpiration)
	case mok && year == now.Year() && month < int(now.Month()):
		add("data.exp_month", api.ReasonInvalidCardExpiration)
	}
	bill := billingUpdate{d.Line1, d.Line2, d.State, d.City, d.Country, d.Zip, d.PhoneNumber}
	bill.validate(add)
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}

	tok := *old
	tok.ID = newID()
	tok.Outbox = domain.Outbox{} // the old token's follow-ups stay its own
	tok.AppTokenID = p.app.ID
	tok.Email = email
	tok.Active = true
	tok.Metadata = maps.Clone(old.Metadata)
	card := *old.Card
	card.Cardholder, card.ExpMonth, card.ExpYear = holder, month, year
	tok.Card = &card
	b := domain.Billing{}
	if old.Billing != nil {
		b = *old.Billing
	}
	bill.apply(&b)
	tok.Billing = &b
	tok.PreviousID = &old.ID
	tok.CreatedAt, tok.UpdatedAt = now, now
	tok.LastUsedAt, tok.CVVProvidedAt = nil, nil
	ctx := r.Context()
	view := s.tokenView(&tok)
	s.event(&tok.Outbox, tok.StoreID, api.EventTokenReplaced, view)
	if err := s.storage.CreateToken(ctx, &tok); err != nil {
		return 0, nil, err
	}
	old.Active = false
	old.UpdatedAt = now
	if err := s.storage.UpdateToken(ctx, old); err != nil {
		return 0, nil, err
	}
	s.followUp(ctx, domain.KindToken, tok.ID, &tok.Outbox)
	s.queueCVVAuth(ctx, &tok) // a pending CVV authorization carried over
	return http.StatusCreated, view, nil
}

// handleTokenThreeDSIssuerToken serves GET
// /stores/{storeId}/tokens/{tokenId}/three_ds/issuer_token: only while the
// token's 3-D Secure step awaits the buyer.
func (s *Server) handleTokenThreeDSIssuerToken(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	tok, err := s.loadToken(r, r.PathValue("tokenId"), p)
	if err != nil {
		return 0, nil, err
	}
	if err := s.settleTokenThreeDS(r.Context(), tok); err != nil {
		return 0, nil, err
	}
	if !tok.ThreeDSStep.Awaiting() {
		return 0, nil, api.ValidationError(api.FieldError{Reason: api.ReasonInvalidThreeDSStatus})
	}
	return http.StatusOK, s.sandboxACS(r, "t", tok.ID), nil
}

// tokenManagementRoutes registers the routes of this file.
func (s *Server) tokenManagementRoutes(m *apiMux) {
	s.handle(m, "GET /stores/{storeId}/tokens", true, "List the store's transaction tokens; without the secret only a customer's recurring tokens (customer_id, type=recurring), masked.", s.handleListTokens)
	s.handle(m, "GET /tokens", false, "List the transaction tokens of every store the app token may see.", s.handleListTokens)
	s.handle(m, "PATCH /stores/{storeId}/tokens/{id}", true, "Update a token's e-mail, cardholder, billing details, metadata or CVV (CVV only without the secret).", s.handleUpdateToken)
	s.handle(m, "DELETE /stores/{storeId}/tokens/{id}", false, "Delete a transaction token.", s.handleDeleteToken)
	s.handle(m, "POST /stores/{storeId}/tokens/{id}/renew", false, "Renew a recurring card token with a new cardholder and expiry (a new token replaces it).", s.handleRenewToken)
	s.handle(m, "GET /stores/{storeId}/tokens/{tokenId}/three_ds/issuer_token", true, "Get the 3-D Secure issuer token of a token awaiting 3-D Secure.", s.handleTokenThreeDSIssuerToken)
}
