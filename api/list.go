package api

// List is the body of every list response (docs/sandbox-api.md, "Lists"):
// one page of items, newest first unless cursor_direction=asc.
type List[T any] struct {
	Items   []T  `json:"items"`
	HasMore bool `json:"has_more"`
	// TotalHits is the number of items matching the filters.
	TotalHits int `json:"total_hits"`
}

// StoreNames are the names of the merchant and the store that the items
// of the charge, refund, token and subscription lists carry.
type StoreNames struct {
	MerchantName string `json:"merchant_name"`
	StoreName    string `json:"store_name"`
}

// List query parameters.
const (
	ListLimitDefault = 10
	ListLimitMin     = 10
	ListLimitMax     = 100
)
