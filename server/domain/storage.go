package domain

import "context"

// Storage persists the domain. Implementations must be safe for concurrent
// use, and pass the conformance suite of package server/storagetest. Get*
// methods return ErrNotFound for unknown IDs. Each embedded interface is
// declared in the file of its entity.
type Storage interface {
	SettingStorage
	MerchantStorage
	StoreStorage
	AppTokenStorage
	TokenStorage
	ChargeStorage
	RefundStorage
	CancelStorage
	SubscriptionStorage
	WebhookStorage
	IdempotencyStorage
	LimitStorage
	ClaimStorage
	RateBucketStorage
	FollowUpStorage

	Close() error
}

// SettingStorage keeps named server settings (the JWT key, sandbox clocks).
type SettingStorage interface {
	// GetSetting returns a named server setting.
	GetSetting(ctx context.Context, key string) ([]byte, error)
	// PutSetting creates or replaces a named server setting.
	PutSetting(ctx context.Context, key string, value []byte) error
}
