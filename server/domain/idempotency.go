package domain

import (
	"context"
	"time"
)

// IdempotentResponse is a response stored under an Idempotency-Key (docs/limits.md, "Idempotency").
type IdempotentResponse struct {
	Scope     string    `json:"scope"` // merchant ID + mode
	Key       string    `json:"key"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Status    int       `json:"status"`
	Body      []byte    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// IdempotencyStorage keeps the responses stored under Idempotency-Keys.
type IdempotencyStorage interface {
	// GetIdempotentResponse returns the response stored under scope+key.
	GetIdempotentResponse(ctx context.Context, scope, key string) (*IdempotentResponse, error)
	// PutIdempotentResponse creates or replaces a stored response.
	PutIdempotentResponse(ctx context.Context, r *IdempotentResponse) error
}
