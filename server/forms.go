package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// Link forms (docs/link-forms.md): a store's hosted payment pages. The
// sandbox control surface creates and edits them with the secret; the page
// itself (/forms/{formId}) is served by package server/web, which reads a
// form with LinkForm.

func (s *Server) formRoutes(m *apiMux) {
	s.handle(m, "GET /sandbox/forms", false, "Sandbox: the store's link forms (docs/link-forms.md).", s.handleListForms)
	s.handle(m, "POST /sandbox/forms", false, "Sandbox: create a link form (a name and its settings).", s.handleCreateForm)
	s.handle(m, "GET /sandbox/forms/{formId}", false, "Sandbox: a link form.", s.handleGetForm)
	s.handle(m, "PATCH /sandbox/forms/{formId}", false, "Sandbox: change some settings of a link form (the others keep their values).", s.handleUpdateForm)
	s.handle(m, "DELETE /sandbox/forms/{formId}", false, "Sandbox: delete a link form.", s.handleDeleteForm)
}

// linkFormPaymentMethods are the paymentMethods values a form may switch
// on: those of the widget's parameter table (a test keeps them equal).
var linkFormPaymentMethods = []string{
	"card", "konbini", "paidy", "pay_pay_online", "we_chat_online", "alipay_online",
	"alipay_plus_online", "d_barai_online", "bank_transfer", "online",
	"visa", "mastercard", "jcb", "american_express", "diners_club", "unionpay", "maestro", "discover",
	"seven_eleven", "family_mart", "lawson", "mini_stop", "seico_mart", "pay_easy",
	"daily_yamazaki", "yamazaki_daily_store", "circle_k", "sunkus",
}

// linkFormLanguages are the locale values of the widget (a test keeps them
// equal).
var linkFormLanguages = []string{"auto", "ja", "ja-jp", "en", "en-us", "zh", "zh-cn", "zh-tw", "ko", "th", "ru"}

// FormURL is a form's page on the widget origin.
func (s *Server) FormURL(id string) string { return s.widgetOrigin + "/forms/" + id }

func (s *Server) formView(f *domain.Form) api.LinkForm {
	st := f.Settings
	if st.PaymentMethods == nil {
		st.PaymentMethods = []string{}
	}
	if st.CustomFields == nil {
		st.CustomFields = []api.LinkFormCustomField{}
	}
	return api.LinkForm{ID: f.ID, StoreID: f.StoreID, Name: f.Name, URL: s.FormURL(f.ID), LinkFormSettings: st,
		CreatedOn: api.FormatTime(f.CreatedAt), UpdatedOn: api.FormatTime(f.UpdatedAt)}
}

// CreateForm creates a link form in a store ("" = the first store, the
// demo store) from the keys of req; absent settings take their defaults.
func (s *Server) CreateForm(ctx context.Context, storeID string, req api.LinkFormRequest) (api.LinkForm, error) {
	shop, err := s.configStore(ctx, storeID)
	if err != nil {
		return api.LinkForm{}, err
	}
	f := &domain.Form{ID: newID(), MerchantID: shop.MerchantID, StoreID: shop.ID, Settings: api.DefaultLinkFormSettings()}
	if err := applyForm(f, req); err != nil {
		return api.LinkForm{}, err
	}
	now := time.Now().UTC()
	f.CreatedAt, f.UpdatedAt = now, now
	if err := s.storage.CreateForm(ctx, f); err != nil {
		return api.LinkForm{}, err
	}
	return s.formView(f), nil
}

// UpdateForm changes the keys req has of a store's link form ("" = the
// first store).
func (s *Server) UpdateForm(ctx context.Context, storeID, formID string, req api.LinkFormRequest) (api.LinkForm, error) {
	shop, err := s.configStore(ctx, storeID)
	if err != nil {
		return api.LinkForm{}, err
	}
	f, err := s.storeForm(ctx, shop.ID, formID)
	if err != nil {
		return api.LinkForm{}, err
	}
	if err := applyForm(f, req); err != nil {
		return api.LinkForm{}, err
	}
	f.UpdatedAt = time.Now().UTC()
	if err := s.storage.UpdateForm(ctx, f); err != nil {
		return api.LinkForm{}, err
	}
	return s.formView(f), nil
}

// LinkForm returns a link form by its ID, for the page /forms/{formId}:
// an error wrapping domain.ErrNotFound when there is none.
func (s *Server) LinkForm(ctx context.Context, formID string) (api.LinkForm, error) {
	f, err := s.storage.GetForm(ctx, formID)
	if err != nil {
		return api.LinkForm{}, err
	}
	return s.formView(f), nil
}

// storeForm is a form of the store; 404 NOT_FOUND for another store's.
func (s *Server) storeForm(ctx context.Context, storeID, formID string) (*domain.Form, error) {
	f, err := s.storage.GetForm(ctx, formID)
	if errors.Is(err, domain.ErrNotFound) || err == nil && f.StoreID != storeID {
		return nil, errNotFound
	}
	return f, err
}

// applyForm applies a request to a form and checks the result.
func applyForm(f *domain.Form, req api.LinkFormRequest) error {
	if req.Name != nil {
		f.Name = strings.TrimSpace(*req.Name)
	}
	req.LinkFormSettingsPatch.Apply(&f.Settings)
	st := &f.Settings
	st.Language = strings.ToLower(strings.TrimSpace(st.Language))
	st.Theme.Mode = strings.ToLower(strings.TrimSpace(st.Theme.Mode))
	if st.Theme.Mode == "" {
		st.Theme.Mode = "light"
	}
	for i, m := range st.PaymentMethods {
		st.PaymentMethods[i] = strings.ToLower(strings.TrimSpace(m))
	}
	if errs := checkForm(f); len(errs) > 0 {
		return api.ValidationError(errs...)
	}
	return nil
}

// checkForm lists what is wrong with a form's name and settings.
func checkForm(f *domain.Form) []api.FieldError {
	var errs []api.FieldError
	bad := func(field, reason string) { errs = append(errs, api.FieldError{Field: field, Reason: reason}) }
	switch {
	case f.Name == "":
		bad("name", api.ReasonRequiredValue)
	case len(f.Name) > 255:
		bad("name", "Name must not exceed 255 characters")
	}
	st := f.Settings
	for _, m := range st.PaymentMethods {
		if !slices.Contains(linkFormPaymentMethods, m) {
			bad("payment_methods", api.ReasonInvalidFormat)
			break
		}
	}
	if st.Language != "" && !slices.Contains(linkFormLanguages, st.Language) {
		bad("language", api.ReasonInvalidFormat)
	}
	keys := map[string]bool{}
	for _, cf := range st.CustomFields {
		switch {
		case strings.TrimSpace(cf.Label) == "":
			bad("custom_fields.label", api.ReasonRequiredValue)
		case cf.Type != "string" && cf.Type != "select":
			bad("custom_fields.type", api.ReasonInvalidFormat)
		case cf.Type == "select" && len(cf.Options) == 0:
			bad("custom_fields.options", api.ReasonRequiredValue)
		case keys[cf.Key]:
			bad("custom_fields.key", "Keys must be unique")
		}
		keys[cf.Key] = true
		for _, o := range append([]string{cf.Key, cf.Label}, cf.Options...) {
			// The URL's lists are comma-separated and options ";"-separated.
			if strings.ContainsAny(o, ",;") {
				bad("custom_fields", "Keys, labels and options must not contain , or ;")
			}
		}
	}
	for field, u := range map[string]string{"success_redirect_url": st.SuccessRedirectURL,
		"pending_redirect_url": st.PendingRedirectURL, "failure_redirect_url": st.FailureRedirectURL} {
		if u != "" && !isHTTPURL(u) {
			bad(field, api.ReasonInvalidFormatURL)
		}
	}
	if st.Theme.Mode != "light" && st.Theme.Mode != "dark" {
		bad("theme.mode", api.ReasonInvalidFormat)
	}
	for field, c := range map[string]string{"theme.header_color": st.Theme.HeaderColor, "theme.button_color": st.Theme.ButtonColor,
		"theme.background_color": st.Theme.BackgroundColor, "theme.content_color": st.Theme.ContentColor} {
		if c != "" && !isHexColor(c) {
			bad(field, api.ReasonInvalidFormat)
		}
	}
	slices.SortFunc(errs, func(a, b api.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return errs
}

// isHTTPURL accepts an absolute http or https URL.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// isHexColor accepts #rgb and #rrggbb.
func isHexColor(s string) bool {
	if len(s) != 4 && len(s) != 7 || s[0] != '#' {
		return false
	}
	for _, r := range s[1:] {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
			return false
		}
	}
	return true
}

// FormList is the body of GET /sandbox/forms.
type FormList struct {
	Items []api.LinkForm `json:"items"`
}

// ListForms returns the link forms of a store ("" = the first store).
func (s *Server) ListForms(ctx context.Context, storeID string) ([]api.LinkForm, error) {
	shop, err := s.configStore(ctx, storeID)
	if err != nil {
		return nil, err
	}
	forms, err := s.storage.ListForms(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	out := make([]api.LinkForm, 0, len(forms))
	for _, f := range forms {
		out = append(out, s.formView(f))
	}
	return out, nil
}

func (s *Server) handleListForms(r *http.Request, p *principal) (int, any, error) {
	forms, err := s.ListForms(r.Context(), p.app.StoreID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, FormList{Items: forms}, nil
}

func (s *Server) handleCreateForm(r *http.Request, p *principal) (int, any, error) {
	var req api.LinkFormRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	f, err := s.CreateForm(r.Context(), p.app.StoreID, req)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, f, nil
}

func (s *Server) handleGetForm(r *http.Request, p *principal) (int, any, error) {
	f, err := s.storeForm(r.Context(), p.app.StoreID, r.PathValue("formId"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.formView(f), nil
}

func (s *Server) handleUpdateForm(r *http.Request, p *principal) (int, any, error) {
	var req api.LinkFormRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	f, err := s.UpdateForm(r.Context(), p.app.StoreID, r.PathValue("formId"), req)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, f, nil
}

func (s *Server) handleDeleteForm(r *http.Request, p *principal) (int, any, error) {
	ctx := r.Context()
	f, err := s.storeForm(ctx, p.app.StoreID, r.PathValue("formId"))
	if err != nil {
		return 0, nil, err
	}
	if err := s.storage.DeleteForm(ctx, f.ID); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
