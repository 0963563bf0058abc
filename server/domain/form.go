package domain

import (
	"context"
	"time"

	"kessai/api"
)

// Form is a store's link form (docs/link-forms.md): a name and the settings
// of the hosted payment page /forms/{id}.
type Form struct {
	ID         string               `json:"id"`
	MerchantID string               `json:"merchant_id"`
	StoreID    string               `json:"store_id"`
	Name       string               `json:"name"`
	Settings   api.LinkFormSettings `json:"settings"`
	CreatedAt  time.Time            `json:"created_at"`
	UpdatedAt  time.Time            `json:"updated_at"`
}

// FormStorage persists link forms.
type FormStorage interface {
	CreateForm(ctx context.Context, f *Form) error
	// GetForm returns a form by ID, ErrNotFound when there is none.
	GetForm(ctx context.Context, id string) (*Form, error)
	// UpdateForm replaces a form; ErrNotFound when there is none.
	UpdateForm(ctx context.Context, f *Form) error
	// DeleteForm removes a form; ErrNotFound when there is none.
	DeleteForm(ctx context.Context, id string) error
	// ListForms returns the forms of a store, oldest first.
	ListForms(ctx context.Context, storeID string) ([]*Form, error)
}
