package domain

// LimitStorage persists limitss. (Filled in by its issue.)
type LimitStorage interface{}
