package storagetest

import (
	"reflect"
	"testing"

	"kessai/api"
	"kessai/server/domain"
)

// testForms: link forms keep their settings, list per store in creation
// order, change and go; ResetStore keeps them (they are configuration).
func testForms(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	settings := api.DefaultLinkFormSettings()
	settings.PaymentMethods = []string{"card", "konbini"}
	settings.RequirePhoneNumber = true
	settings.Language = "en"
	settings.CustomFields = []api.LinkFormCustomField{{Key: "size", Label: "Size", Type: "select", Required: true, Options: []string{"S", "M"}}}
	settings.SuccessRedirectURL = "https://shop.example/thanks?x=1"
	settings.Theme.Mode, settings.Theme.ButtonColor = "dark", "#ff0066"
	first := &domain.Form{ID: newID(), MerchantID: f.merchant.ID, StoreID: f.store.ID, Name: "Tickets", Settings: settings, CreatedAt: at(0), UpdatedAt: at(0)}
	second := &domain.Form{ID: newID(), MerchantID: f.merchant.ID, StoreID: f.store.ID, Name: "Donations", Settings: api.DefaultLinkFormSettings(), CreatedAt: at(1), UpdatedAt: at(1)}
	other := &domain.Form{ID: newID(), MerchantID: f.merchant.ID, StoreID: f.other.ID, Name: "Other", Settings: api.DefaultLinkFormSettings(), CreatedAt: at(2), UpdatedAt: at(2)}
	for _, fm := range []*domain.Form{first, second, other} {
		must(t, st.CreateForm(ctx, fm))
	}
	got, err := st.GetForm(ctx, first.ID)
	must(t, err)
	if !reflect.DeepEqual(got.Settings, settings) || got.Name != "Tickets" || got.StoreID != f.store.ID || !got.CreatedAt.Equal(at(0)) {
		t.Fatalf("GetForm = %+v, want the stored form %+v", got, first)
	}
	list, err := st.ListForms(ctx, f.store.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != first.ID || list[1].ID != second.ID {
		t.Fatalf("ListForms = %v, want the store's two forms, oldest first", list)
	}

	got.Name, got.Settings.RequireName, got.UpdatedAt = "Tickets 2027", true, at(5)
	must(t, st.UpdateForm(ctx, got))
	again, err := st.GetForm(ctx, first.ID)
	must(t, err)
	if again.Name != "Tickets 2027" || !again.Settings.RequireName || !again.UpdatedAt.Equal(at(5)) {
		t.Fatalf("after UpdateForm: %+v", again)
	}

	_, err = st.ResetStore(ctx, f.store.ID)
	must(t, err)
	if _, err := st.GetForm(ctx, first.ID); err != nil {
		t.Fatalf("ResetStore deleted a link form: %v", err)
	}

	must(t, st.DeleteForm(ctx, second.ID))
	wantNotFound(t, errOf(st.GetForm(ctx, second.ID)), st.DeleteForm(ctx, second.ID),
		st.UpdateForm(ctx, &domain.Form{ID: newID(), StoreID: f.store.ID}), errOf(st.GetForm(ctx, "nope")))
	if list, _ := st.ListForms(ctx, f.store.ID); len(list) != 1 {
		t.Fatalf("ListForms after delete = %d forms, want 1", len(list))
	}
}
