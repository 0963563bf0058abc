package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"kessai/api"
	"kessai/server/domain"
)

// Charge reads and updates beyond create and get
// (docs/tokens-and-lists.md): the charge lists, PATCH of the metadata, the
// issuer tokens and the bank-transfer ledgers.

// chargeListQuery reads the query of a charge list
// (docs/tokens-and-lists.md, "Charge list").
func chargeListQuery(q url.Values, p *principal) (domain.ChargeQuery, error) {
	page, filters, err := listParams(q)
	errs := fieldErrors(err)
	add := func(field, reason string) { errs = append(errs, api.FieldError{Field: field, Reason: reason}) }
	cq := domain.ChargeQuery{Scope: listScope(p), Page: page, Filters: filters}
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }

	// The card filters identify one card: all four or none.
	card := map[string]string{"last_four": get("last_four"), "name": get("name"), "exp_month": get("exp_month"), "exp_year": get("exp_year")}
	cardFields := []string{"last_four", "name", "exp_month", "exp_year"}
	given := 0
	for _, k := range cardFields {
		if card[k] != "" {
			given++
		}
	}
	if given > 0 && given < len(cardFields) {
		for _, k := range cardFields {
			if card[k] == "" {
				add(k, api.ReasonRequiredValue)
			}
		}
	}
	if v := card["last_four"]; v != "" {
		if !lastFourRe.MatchString(v) {
			add("last_four", api.ReasonInvalidFormat)
		}
		cq.LastFour = v
	}
	cq.Name = card["name"]
	if card["exp_month"] != "" || card["exp_year"] != "" {
		month, year, mok, yok := parseExpiry(card["exp_month"], card["exp_year"])
		if card["exp_month"] != "" && !mok {
			add("exp_month", api.ReasonInvalidFormat)
		}
		if card["exp_year"] != "" && !yok {
			add("exp_year", api.ReasonInvalidFormat)
		}
		cq.ExpMonth, cq.ExpYear = month, year
	}
	cq.Email = get("email")
	if v := get("phone"); v != "" {
		d, ok := phoneDigits(v)
		if !ok {
			add("phone", api.ReasonInvalidPhoneNumber)
		}
		cq.Phone = d
	}
	for _, k := range []string{"amount_from", "amount_to"} {
		v := get(k)
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			add(k, api.ReasonInvalidFormat)
			continue
		}
		if k == "amount_from" {
			cq.AmountFrom = &n
		} else {
			cq.AmountTo = &n
		}
	}
	if v := get("currency"); v != "" {
		if !currencyRe.MatchString(v) {
			add("currency", api.ReasonInvalidFormatCurrency)
		}
		cq.Currency = strings.ToUpper(v)
	}
	if v := get("transaction_token_id"); v != "" {
		if !validUUID(v) {
			add("transaction_token_id", api.ReasonInvalidFormatUUID)
		}
		cq.TransactionTokenID = v
	}
	if len(errs) > 0 {
		return cq, api.ValidationError(errs...)
	}
	return cq, nil
}

// handleListCharges serves GET /stores/{storeId}/charges and GET /charges.
func (s *Server) handleListCharges(r *http.Request, p *principal) (int, any, error) {
	if storeID := r.PathValue("storeId"); storeID != "" {
		if err := storeScoped(p, storeID); err != nil {
			return 0, nil, err
		}
	}
	cq, err := chargeListQuery(r.URL.Query(), p)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	list, err := s.storage.ListCharges(ctx, cq)
	if err != nil {
		return 0, nil, listError(err)
	}
	names := s.storeNames(ctx)
	out, err := listViewErr(list, func(c *domain.Charge) (api.ChargeListItem, error) {
		n, err := names.of(c.StoreID)
		return api.ChargeListItem{Charge: *chargeView(c), StoreNames: n}, err
	})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, out, nil
}

// loadStoreCharge loads the charge of a /stores/{storeId}/charges/{chargeId}
// route: 404 unless it is the caller's.
func (s *Server) loadStoreCharge(r *http.Request, p *principal) (*domain.Charge, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return nil, err
	}
	return s.loadCharge(r.Context(), p, r.PathValue("chargeId"))
}

// handleUpdateCharge serves PATCH /stores/{storeId}/charges/{chargeId}: the
// metadata is merged into the charge's (a null value deletes a key); no
// other field changes and no webhook is sent.
func (s *Server) handleUpdateCharge(r *http.Request, p *principal) (int, any, error) {
	var req api.ChargeUpdateRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	c, err := s.loadStoreCharge(r, p)
	if err != nil {
		return 0, nil, err
	}
	var errs []api.FieldError
	if req.Metadata == nil {
		errs = append(errs, api.FieldError{Field: "metadata", Reason: api.ReasonRequiredValue})
	}
	flatMetadata(req.Metadata, &errs)
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}
	ctx := r.Context()
	prev, c, err := s.charges().mergeMetadata(ctx, c.ID, req.Metadata)
	if err != nil {
		return 0, nil, err
	}
	s.chargeChanged(ctx, &prev, c)
	return http.StatusOK, chargeView(c), nil
}

var errChargeNotAwaiting = api.ValidationError(api.FieldError{Reason: api.ReasonInvalidChargeStatus})

// handleChargeIssuerToken serves GET
// /stores/{storeId}/charges/{chargeId}/issuer_token (and the legacy
// /issuerToken): what the buyer needs to pay an online or bank-transfer
// charge awaiting payment (payments.go).
func (s *Server) handleChargeIssuerToken(r *http.Request, p *principal) (int, any, error) {
	c, err := s.loadStoreCharge(r, p)
	if err != nil {
		return 0, nil, err
	}
	it, err := s.chargeIssuerToken(r.Context(), c.ID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, it, nil
}

// handleChargeThreeDSIssuerToken serves GET
// /stores/{storeId}/charges/{chargeId}/three_ds/issuer_token: only while the
// charge's 3-D Secure step awaits the buyer.
func (s *Server) handleChargeThreeDSIssuerToken(r *http.Request, p *principal) (int, any, error) {
	c, err := s.loadStoreCharge(r, p)
	if err != nil {
		return 0, nil, err
	}
	if c.Status != api.ChargeAwaiting || !c.ThreeDS.Awaiting() {
		return 0, nil, api.ValidationError(api.FieldError{Reason: api.ReasonInvalidThreeDSStatus})
	}
	return http.StatusOK, s.sandboxACS(r, "c", c.ID), nil
}

// chargeReadRoutes registers the routes of this file.
func (s *Server) chargeReadRoutes(m *apiMux) {
	s.handle(m, "GET /stores/{storeId}/charges", false, "List the store's charges (filters: card, e-mail, phone, amount, currency, token, …).", s.handleListCharges)
	s.handle(m, "GET /charges", false, "List the charges of every store the app token may see.", s.handleListCharges)
	s.handle(m, "PATCH /stores/{storeId}/charges/{chargeId}", false, "Update a charge's metadata (merged).", s.handleUpdateCharge)
	s.handle(m, "GET /stores/{storeId}/charges/{chargeId}/issuer_token", true, "Get the issuer token of an online or bank-transfer charge awaiting payment.", s.handleChargeIssuerToken)
	s.handle(m, "GET /stores/{storeId}/charges/{chargeId}/issuerToken", true, "Legacy spelling of issuer_token.", s.handleChargeIssuerToken)
	s.handle(m, "GET /stores/{storeId}/charges/{chargeId}/three_ds/issuer_token", true, "Get the 3-D Secure issuer token of a charge awaiting 3-D Secure.", s.handleChargeThreeDSIssuerToken)
	s.handle(m, "GET /stores/{storeId}/charges/{chargeId}/bank_transfer_ledgers", false, "List the bank-transfer deposits of a charge (empty for other payment types).", s.handleBankTransferLedgers)
}
