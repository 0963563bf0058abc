package storagetest

import (
	"slices"
	"testing"

	"kessai/api"
	"kessai/server/domain"
)

// testFollowUps: the follow-ups stored in a record are found until they
// are cleared with the mark of the last one.
func testFollowUps(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	tok := f.token(t, st, f.store, 0, api.TokenTypeOneTime)
	c := f.charge(t, st, tok, 1, 1000)
	pending := func() []domain.FollowUpRef {
		t.Helper()
		refs, err := st.PendingFollowUps(ctx, 100)
		must(t, err)
		return refs
	}
	if refs := pending(); len(refs) != 0 {
		t.Fatalf("pending before any follow-up: %v", refs)
	}
	c.Status = api.ChargeSuccessful
	c.Outbox.Add(domain.FollowUp{ID: newID(), StoreID: c.StoreID, Event: api.EventChargeFinished, Data: `{"id": "x", "a": 1}`, Created: base})
	first := c.FollowUpMark
	must(t, st.UpdateCharge(ctx, c))
	tok.Outbox.Add(domain.FollowUp{ID: newID(), StoreID: tok.StoreID, Event: api.EventTokenUpdated, Created: base})
	must(t, st.UpdateToken(ctx, tok))
	want := []domain.FollowUpRef{{Kind: domain.KindCharge, ID: c.ID}, {Kind: domain.KindToken, ID: tok.ID}}
	if refs := pending(); !slices.Equal(refs, want) {
		t.Fatalf("pending = %v, want %v", refs, want)
	}
	if refs, _ := st.PendingFollowUps(ctx, 1); len(refs) != 1 {
		t.Fatalf("limit 1: %v", refs)
	}
	got, err := st.GetCharge(ctx, c.ID)
	must(t, err)
	if len(got.FollowUps) != 1 || got.FollowUps[0].Event != api.EventChargeFinished || got.FollowUps[0].Data != `{"id": "x", "a": 1}` {
		t.Fatalf("stored follow-ups = %+v", got.FollowUps)
	}
	// Another follow-up added meanwhile: clearing with the old mark keeps it.
	c.Outbox.Add(domain.FollowUp{ID: newID(), StoreID: c.StoreID, Event: api.EventChargeUpdated, Created: base})
	must(t, st.UpdateCharge(ctx, c))
	must(t, st.ClearFollowUps(ctx, want[0], first))
	if got, _ := st.GetCharge(ctx, c.ID); len(got.FollowUps) != 2 {
		t.Fatalf("cleared with an old mark: %+v", got.FollowUps)
	}
	must(t, st.ClearFollowUps(ctx, want[0], c.FollowUpMark))
	must(t, st.ClearFollowUps(ctx, want[1], tok.FollowUpMark))
	must(t, st.ClearFollowUps(ctx, domain.FollowUpRef{Kind: domain.KindRefund, ID: newID()}, "nope"))
	if refs := pending(); len(refs) != 0 {
		t.Fatalf("pending after clearing: %v", refs)
	}
	got, err = st.GetCharge(ctx, c.ID)
	must(t, err)
	if len(got.FollowUps) != 0 || got.FollowUpMark != "" || got.Status != api.ChargeSuccessful || got.Amount != 1000 {
		t.Fatalf("charge after clearing: %+v", got)
	}
}
