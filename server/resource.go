package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// Charges, refunds and cancels share a life (docs/charges.md, "Timing:
// everything runs on the store's sandbox clock"): created with a due time
// on their store's clock, settled by the engine (or by the first read)
// once that time has come, read with polling, their metadata merged by
// PATCH; refunds and cancels are children of a charge, listed per charge.
// resource describes one such kind for the code they share; the rules of
// each kind (what settling decides) stay beside it.

// resource describes a kind of resource the sandbox settles when it is
// due. S is the domain type.
type resource[S any] struct {
	s *Server
	// name ("charge", "refund", "cancel") names the kind in log messages.
	name string
	// param is the path value of the resource's ID.
	param  string
	get    func(context.Context, string) (*S, error)
	update func(context.Context, *S) error
	// settle runs what is due on the resource and returns its current
	// state; it is idempotent.
	settle func(context.Context, string) (*S, error)
	// listDue returns the resources of a store due at or before now.
	listDue func(ctx context.Context, storeID string, now time.Time) ([]*S, error)
	// list lists the resources of a charge (nil for charges).
	list  func(context.Context, childQuery) (domain.List[*S], error)
	state func(*S) resourceState
	// metadata returns where the resource keeps its metadata and the time
	// of its last change.
	metadata func(*S) (*api.Metadata, *time.Time)
	// outbox returns the follow-ups of the resource's changes
	// (followups.go); the resource's name is their kind.
	outbox func(*S) *domain.Outbox
}

// viewed is the handler of a resource operation (resource.read,
// resource.updateMetadata): 200 with the resource's API view.
func viewed[S, V any](op func(*http.Request, *principal) (*S, error), view func(*S) V) handlerFunc {
	return func(r *http.Request, p *principal) (int, any, error) {
		v, err := op(r, p)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, view(v), nil
	}
}

// resourceState is what the shared code reads of a resource.
type resourceState struct {
	pollState
	ID string
	// ChargeID is the charge the resource belongs to: a charge's own ID.
	ChargeID string
}

// childQuery is the query of a charge's refunds or cancels
// (domain.RefundQuery and domain.CancelQuery have its fields).
type childQuery struct {
	domain.Scope
	domain.Page
	domain.Filters
	ChargeID string
}

// due reports whether v's due time has come at now.
func (k *resource[S]) due(v *S, now time.Time) bool {
	st := k.state(v)
	return st.Due != nil && !now.Before(*st.Due)
}

// load returns a resource of the caller's store and, unless chargeID is
// "", of that charge (404 otherwise), after settling it if it is due.
func (k *resource[S]) load(ctx context.Context, p *principal, chargeID, id string) (*S, error) {
	if !validUUID(id) || (chargeID != "" && !validUUID(chargeID)) {
		return nil, errNotFound
	}
	v, err := k.get(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	if st := k.state(v); st.StoreID != p.app.StoreID || (chargeID != "" && st.ChargeID != chargeID) {
		return nil, errNotFound
	}
	if k.due(v, k.s.clock.Now(k.state(v).StoreID)) {
		return k.settle(ctx, id)
	}
	return v, nil
}

// read serves the GET of one resource: a resource of the path's store and
// charge; ?polling=true waits for it to leave its status
// (docs/sandbox-api.md, "Polling").
func (k *resource[S]) read(r *http.Request, p *principal) (*S, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return nil, err
	}
	polling, err := pollParam(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	chargeID, id := r.PathValue("chargeId"), r.PathValue(k.param)
	return poll(ctx, k.s, polling, func() (*S, pollState, error) {
		v, err := k.load(ctx, p, chargeID, id)
		if err != nil {
			return nil, pollState{}, err
		}
		return v, k.state(v).pollState, nil
	})
}

// listOfCharge serves the list of a charge's children: the list
// parameters (docs/sandbox-api.md, "Lists") on the path's charge.
func (k *resource[S]) listOfCharge(r *http.Request, p *principal) (domain.List[*S], error) {
	storeID := r.PathValue("storeId")
	if err := storeScoped(p, storeID); err != nil {
		return domain.List[*S]{}, err
	}
	page, filters, err := listParams(r.URL.Query())
	if err != nil {
		return domain.List[*S]{}, err
	}
	ctx := r.Context()
	c, err := k.s.loadCharge(ctx, p, r.PathValue("chargeId"))
	if err != nil {
		return domain.List[*S]{}, err
	}
	list, err := k.list(ctx, childQuery{Scope: domain.Scope{MerchantID: c.MerchantID, StoreID: storeID},
		Page: page, Filters: filters, ChargeID: c.ID})
	if err != nil {
		return domain.List[*S]{}, listError(err)
	}
	return list, nil
}

// updateMetadata serves the PATCH of a charge's child: its metadata is
// merged into the stored metadata (docs/sandbox-api.md, "Metadata").
func (k *resource[S]) updateMetadata(r *http.Request, p *principal) (*S, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return nil, err
	}
	var req api.MetadataUpdateRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var errs []api.FieldError
	flatMetadata(req.Metadata, &errs)
	if len(errs) > 0 {
		return nil, api.ValidationError(errs...)
	}
	ctx := r.Context()
	v, err := k.load(ctx, p, r.PathValue("chargeId"), r.PathValue(k.param))
	if err != nil {
		return nil, err
	}
	_, v, err = k.mergeMetadata(ctx, k.state(v).ID, req.Metadata)
	return v, err
}

// locked runs fn on the stored resource id holding its lease (leases.go),
// with its store's time: serialised with settlement in every process, so
// that a status change made meanwhile is not overwritten. fn stores what
// it changes. It returns the resource's state after fn.
func (k *resource[S]) locked(ctx context.Context, id string, fn func(v *S, now time.Time) error) (*S, error) {
	k.s.settleMu.RLock() // POST /sandbox/reset waits for it
	defer k.s.settleMu.RUnlock()
	release, err := k.s.lease(ctx, "resource/"+id, settleLeaseTTL)
	if err != nil {
		return nil, err
	}
	defer release()
	v, err := k.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := fn(v, k.s.clock.Now(k.state(v).StoreID)); err != nil {
		return nil, err
	}
	return v, nil
}

// mergeMetadata merges md into the stored metadata of a resource (locked)
// and returns the resource before and after.
func (k *resource[S]) mergeMetadata(ctx context.Context, id string, md api.Metadata) (S, *S, error) {
	var prev S
	v, err := k.locked(ctx, id, func(v *S, now time.Time) error {
		prev = *v
		meta, updated := k.metadata(v)
		*meta = meta.Merge(md)
		*updated = now
		return k.update(ctx, v)
	})
	return prev, v, err
}

// settleDue runs decide on the resource id if it is due (locked); decide
// sets the outcome and stores it. It returns the resource's current state
// and whether decide ran.
func (k *resource[S]) settleDue(ctx context.Context, id string, decide func(v *S, now time.Time) error) (*S, bool, error) {
	ran := false
	v, err := k.locked(ctx, id, func(v *S, now time.Time) error {
		if !k.due(v, now) {
			return nil
		}
		ran = true
		return decide(v, now)
	})
	if err != nil {
		return nil, false, err
	}
	return v, ran, nil
}

// settleChild settles a charge's child with decide (settleDue), which
// adds the event of its outcome to its Outbox before storing it, and, when
// it changed, does its follow-ups and wakes pollers.
func (k *resource[S]) settleChild(ctx context.Context, id string, decide func(v *S, now time.Time) error) (*S, error) {
	v, changed, err := k.settleDue(ctx, id, decide)
	if err != nil {
		return nil, err
	}
	if changed {
		k.s.followUp(ctx, k.name, k.state(v).ID, k.outbox(v))
		k.s.notifyChange()
	}
	return v, nil
}

// runDue is the engine job of a kind: it settles what is due in a store.
func (k *resource[S]) runDue(ctx context.Context, storeID string, now time.Time) {
	due, err := k.listDue(ctx, storeID, now)
	if err != nil {
		if ctx.Err() == nil {
			k.s.log.Error("list due "+k.name+"s", "err", err)
		}
		return
	}
	for _, v := range due {
		id := k.state(v).ID
		if _, err := k.settle(ctx, id); err != nil && ctx.Err() == nil {
			k.s.log.Error("settle "+k.name, k.name+"_id", id, "err", err)
		}
	}
}
