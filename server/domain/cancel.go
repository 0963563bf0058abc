package domain

// CancelStorage persists cancels. (Filled in by its issue.)
type CancelStorage interface{}
