// Package domain holds Kessai's server-side domain types and the Storage
// interface that persists them (docs/architecture.md). Package server (HTTP
// handlers, auth, the sandbox engine) uses it; package server/sqlite
// implements Storage, and package server/storagetest is the conformance
// suite every implementation passes.
//
// One file per entity: the entity's types, its list query and the slice of
// Storage that persists it.
package domain

import (
	"errors"
	"time"

	"kessai/api"
)

// Errors returned by Storage implementations.
var (
	// ErrNotFound: the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrTokenInactive: CreateCharge was asked to consume a token that is
	// no longer active (already used).
	ErrTokenInactive = errors.New("transaction token inactive")
	// ErrConflict: a uniqueness rule of the storage was violated (for
	// example a webhook URL registered twice).
	ErrConflict = errors.New("conflict")
	// ErrCursor: a list's cursor names no item of that list.
	ErrCursor = errors.New("unknown cursor")
)

// Scope says whose resources a list covers: one store, or every store of
// a merchant when StoreID is empty.
type Scope struct {
	MerchantID string
	StoreID    string
}

// Page selects one page of a list (docs/sandbox-api.md, "Lists"): at most Limit
// items after the item with ID Cursor (exclusive; "" starts at the newest,
// or the oldest with Asc). IDs are time-ordered UUIDs, so ID order is
// creation order.
type Page struct {
	Limit  int
	Cursor string
	Asc    bool
}

// List is one page of results.
type List[T any] struct {
	Items   []T
	HasMore bool
	// TotalHits counts every item that matches the filters.
	TotalHits int
}

// Filters are the filters every list shares.
type Filters struct {
	// From and To bound the creation time; From is inclusive, To is
	// exclusive unless ToInclusive.
	From, To    *time.Time
	ToInclusive bool
	Mode        api.Mode
	// Metadata: each key must have exactly this textual value.
	Metadata map[string]string
}
