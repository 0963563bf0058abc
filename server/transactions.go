package server

import (
	"errors"
	"net/http"
	"strings"

	"kessai/api"
	"kessai/server/domain"
)

func (s *Server) transactionRoutes(m *apiMux) {
	s.handle(m, "GET /stores/{storeId}/transaction_history", false,
		"List a store's charges and refunds together, newest first.", s.handleListTransactions)
	s.handle(m, "GET /transaction_history", false,
		"List the charges and refunds of every store the app token may see.", s.handleListTransactions)
}

// transactionStatuses are the values of the status filter: every charge
// and refund status, and errored for error.
var transactionStatuses = map[string]string{
	string(api.ChargePending): string(api.ChargePending), string(api.ChargeAwaiting): string(api.ChargeAwaiting),
	string(api.ChargeAuthorized): string(api.ChargeAuthorized), string(api.ChargeSuccessful): string(api.ChargeSuccessful),
	string(api.ChargeFailed): string(api.ChargeFailed), string(api.ChargeError): string(api.ChargeError),
	string(api.ChargeCanceled): string(api.ChargeCanceled), api.TransactionStatusErrored: string(api.ChargeError),
}

// handleListTransactions lists the transaction history (docs/charges.md,
// "Transaction history"): the list parameters and type, status, search.
// Unlike most lists its "to" is inclusive.
func (s *Server) handleListTransactions(r *http.Request, p *principal) (int, any, error) {
	scope := listScope(p)
	if storeID := r.PathValue("storeId"); storeID != "" {
		if err := storeScoped(p, storeID); err != nil {
			return 0, nil, err
		}
		scope.StoreID = storeID
	}
	query := r.URL.Query()
	page, filters, err := listParams(query)
	var errs []api.FieldError
	if err != nil {
		var ae *api.Error
		if !errors.As(err, &ae) {
			return 0, nil, err
		}
		errs = ae.Errors
	}
	q := domain.TransactionQuery{Scope: scope, Page: page, Filters: filters, Search: strings.TrimSpace(query.Get("search"))}
	q.ToInclusive = true
	switch t := api.TransactionType(strings.ToLower(query.Get("type"))); t {
	case "", api.TransactionCharge, api.TransactionRefund:
		q.Type = t
	default:
		errs = append(errs, api.FieldError{Field: "type", Reason: api.ReasonInvalidFormat})
	}
	if v := strings.ToLower(query.Get("status")); v != "" {
		st, ok := transactionStatuses[v]
		if !ok {
			errs = append(errs, api.FieldError{Field: "status", Reason: api.ReasonInvalidFormat})
		}
		q.Status = st
	}
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}
	ctx := r.Context()
	list, err := s.storage.ListTransactions(ctx, q)
	if err != nil {
		return 0, nil, listError(err)
	}
	names := s.storeNames(ctx)
	return http.StatusOK, listView(list, func(t *domain.Transaction) *api.Transaction {
		n, _ := names.of(t.Charge.StoreID) // a name that cannot be read stays empty
		return transactionView(t, n)
	}), nil
}

// transactionView renders a transaction-history item with the names of its
// merchant and store.
func transactionView(t *domain.Transaction, names api.StoreNames) *api.Transaction {
	c := t.Charge
	v := &api.Transaction{
		MerchantID:  c.MerchantID,
		StoreID:     c.StoreID,
		Type:        t.Type,
		PaymentType: c.PaymentType,
		UserData:    api.TransactionUserData{Type: t.Type, Gateway: "test", ServiceProvider: "test", Refunds: []string{}},
	}
	v.MerchantName, v.StoreName = names.MerchantName, names.StoreName
	if r := t.Refund; t.Type == api.TransactionRefund && r != nil {
		v.ResourceID = r.ID
		v.ChargeID = &c.ID
		v.Amount, v.Currency = r.Amount, r.Currency
		v.Status = string(r.Status)
		v.Mode = r.Mode
		v.Metadata = r.Metadata
		v.CreatedOn = api.FormatTime(r.CreatedAt)
	} else {
		v.ResourceID = c.ID
		v.Amount, v.Currency = c.Amount, c.Currency
		if c.Status != api.ChargePending {
			v.Amount, v.Currency = charged(c)
		}
		v.Status = string(c.Status)
		v.Mode = c.Mode
		v.Metadata = c.Metadata
		v.CreatedOn = api.FormatTime(c.CreatedAt)
		v.BankTransferPaymentStatus, v.BankTransferLatestDepositDate = bankTransferStatus(c)
	}
	v.AmountFormatted = api.FormatAmount(v.Amount, v.Currency)
	if v.Metadata == nil {
		v.Metadata = api.Metadata{}
	}
	if tok := t.Token; tok != nil {
		if tok.Email != "" {
			v.UserData.CardholderEmailAddress = &tok.Email
		}
		if tok.Card != nil {
			v.UserData.CardholderName = &tok.Card.Cardholder
			v.UserData.Brand = &tok.Card.Brand
		}
	}
	return v
}
