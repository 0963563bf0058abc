package domain

// RefundStorage persists refunds. (Filled in by its issue.)
type RefundStorage interface{}
