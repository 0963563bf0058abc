package api

// CancelStatus is the status of a cancel (docs/charges.md, "Cancels").
type CancelStatus string

// Cancel statuses.
const (
	CancelPending    CancelStatus = "pending"
	CancelSuccessful CancelStatus = "successful"
	CancelFailed     CancelStatus = "failed"
	CancelError      CancelStatus = "error"
)

// Final reports whether s is a final cancel status (polling stops there).
func (s CancelStatus) Final() bool { return s != CancelPending }

// Cancel is the cancel object, returned by POST, GET and PATCH of
// /stores/{storeId}/charges/{chargeId}/cancels[/{id}]. The field order is
// the UnivaPay documentation's.
type Cancel struct {
	ID       string       `json:"id"`
	ChargeID string       `json:"charge_id"`
	StoreID  string       `json:"store_id"`
	Status   CancelStatus `json:"status"`
	// Error is set when Status is failed or error.
	Error     *PaymentError `json:"error"`
	Metadata  Metadata      `json:"metadata"`
	Mode      Mode          `json:"mode"`
	CreatedOn string        `json:"created_on"`
}

// CancelCreateRequest is the body of POST
// /stores/{storeId}/charges/{chargeId}/cancels (the body may be empty).
type CancelCreateRequest struct {
	Metadata Metadata `json:"metadata,omitempty"`
}
