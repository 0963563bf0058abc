package domain

import (
	"context"
	"time"

	"kessai/api"
)

// The consequences of a change of a record (a webhook event, a
// subscription following its charge) are stored in the record's own
// document, by the same write as the change (docs/architecture.md,
// "Crashes"): a process that stops after the write leaves them there, and
// the engine of any process does them later. Doing a follow-up twice has
// the effect of doing it once.

// Outbox is embedded in the records whose changes have consequences: the
// follow-ups of their changes not done yet.
type Outbox struct {
	FollowUps []FollowUp `json:"follow_ups,omitempty"`
	// FollowUpMark is the ID of the follow-up added last: ClearFollowUps
	// removes the follow-ups only while it is unchanged, so that one added
	// meanwhile by another write is kept.
	FollowUpMark string `json:"follow_up,omitempty"`
}

// Add adds a follow-up, stored with the record's next write.
func (o *Outbox) Add(f FollowUp) {
	o.FollowUps = append(o.FollowUps, f)
	o.FollowUpMark = f.ID
}

// Clear forgets the follow-ups (once done and cleared in the storage).
func (o *Outbox) Clear() { o.FollowUps, o.FollowUpMark = nil, "" }

// FollowUp is one consequence of a change: a webhook event to record, or
// a subscription to follow its charge.
type FollowUp struct {
	// ID is unique; a webhook event's ID (the payload's id), so that an
	// event recorded again is the same event.
	ID      string `json:"id"`
	StoreID string `json:"store_id"`
	// Event, with Data the JSON of the resource as the API returned it at
	// the change, kept as text so that the payload is the same bytes on
	// every engine; Data is empty for the record's view at the time the
	// event is recorded.
	Event api.WebhookEvent `json:"event,omitempty"`
	Data  string           `json:"data,omitempty"`
	// Charge is set when a subscription follows the change of its charge.
	Charge *ChargeChange `json:"charge,omitempty"`
	// Created is the real time (not a sandbox clock) of the change: the
	// engine leaves recent follow-ups to the process that made them.
	Created time.Time `json:"created"`
}

// ChargeChange is a change of a subscription's charge.
type ChargeChange struct {
	ChargeID string `json:"charge_id"`
	// Status is the charge's status after the change.
	Status api.ChargeStatus `json:"status"`
	// New is true for a charge just created; otherwise PrevStatus and
	// PrevDueAt are what the charge had before the change.
	New        bool             `json:"new,omitempty"`
	PrevStatus api.ChargeStatus `json:"prev_status,omitempty"`
	PrevDueAt  *time.Time       `json:"prev_due_at,omitempty"`
}

// The kinds of records with an Outbox (FollowUpRef.Kind).
const (
	KindCharge       = "charge"
	KindRefund       = "refund"
	KindCancel       = "cancel"
	KindSubscription = "subscription"
	KindToken        = "token"
)

// FollowUpKinds lists the kinds of records with an Outbox.
var FollowUpKinds = []string{KindCharge, KindRefund, KindCancel, KindSubscription, KindToken}

// FollowUpRef names a record with follow-ups.
type FollowUpRef struct {
	Kind string
	ID   string
}

// FollowUpStorage finds and clears the follow-ups kept in records.
type FollowUpStorage interface {
	// PendingFollowUps returns up to limit records (of every kind of
	// FollowUpKinds) that have follow-ups.
	PendingFollowUps(ctx context.Context, limit int) ([]FollowUpRef, error)
	// ClearFollowUps removes the follow-ups of a record if its
	// FollowUpMark is still mark; nil (and nothing removed) otherwise, and
	// for a record that no longer exists.
	ClearFollowUps(ctx context.Context, ref FollowUpRef, mark string) error
}
