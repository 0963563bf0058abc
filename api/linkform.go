package api

// LinkForm is a store's link form (docs/link-forms.md): the hosted payment
// page at /forms/{id}, with the settings UnivaPay's management screen
// keeps for it. It is the body of the sandbox's /sandbox/forms routes.
type LinkForm struct {
	ID      string `json:"id"`
	StoreID string `json:"store_id"`
	Name    string `json:"name"`
	// URL is the form's page, /forms/{id} on the widget origin, without
	// query parameters (the merchant adds appId, amount, …).
	URL string `json:"url"`
	LinkFormSettings
	CreatedOn string `json:"created_on"`
	UpdatedOn string `json:"updated_on"`
}

// LinkFormSettings are the settings of a link form (docs/link-forms.md,
// "Settings"). Methods, language, custom fields and redirect URLs are
// defaults the page's URL may replace; the required customer fields always
// apply; the theme cannot be changed by the URL.
type LinkFormSettings struct {
	// PaymentMethods are the methods switched on (paymentMethods values:
	// card, konbini, bank_transfer, paidy, online, pay_pay_online, …);
	// empty means every method the store offers.
	PaymentMethods []string `json:"payment_methods"`
	// The customer fields the form requires, whatever the URL says.
	RequireName        bool `json:"require_name"`
	RequireNameKana    bool `json:"require_name_kana"`
	RequireEmail       bool `json:"require_email"`
	RequirePhoneNumber bool `json:"require_phone_number"`
	RequireAddress     bool `json:"require_address"`
	// Language is a locale value ("ja", "en", …); "" or "auto" follows the
	// buyer's browser.
	Language     string                `json:"language"`
	CustomFields []LinkFormCustomField `json:"custom_fields"`
	// Where the buyer goes after the payment: succeeded, still pending
	// when the page stops waiting, failed. "" means no redirect.
	SuccessRedirectURL string        `json:"success_redirect_url"`
	PendingRedirectURL string        `json:"pending_redirect_url"`
	FailureRedirectURL string        `json:"failure_redirect_url"`
	Theme              LinkFormTheme `json:"theme"`
}

// LinkFormCustomField is an input the form adds (its value goes into the
// metadata under Key).
type LinkFormCustomField struct {
	Key      string   `json:"key"`
	Label    string   `json:"label"`
	Type     string   `json:"type"` // "string" or "select"
	Required bool     `json:"required"`
	Options  []string `json:"options,omitempty"`
}

// LinkFormTheme is a link form's look: the title (store name, logo), light
// or dark, and four colours (#rgb or #rrggbb; "" keeps the default).
type LinkFormTheme struct {
	ShowStoreName bool   `json:"show_store_name"`
	ShowLogo      bool   `json:"show_logo"`
	Mode          string `json:"mode"` // "light" or "dark"
	HeaderColor   string `json:"header_color"`
	ButtonColor   string `json:"button_color"`
	// BackgroundColor is the page's; ContentColor the column's inside.
	BackgroundColor string `json:"background_color"`
	ContentColor    string `json:"content_color"`
}

// LinkFormRequest is the body that creates (POST) or changes (PATCH) a link
// form: in a PATCH, absent keys keep their values.
type LinkFormRequest struct {
	Name *string `json:"name,omitempty"`
	LinkFormSettingsPatch
}

// LinkFormSettingsPatch is LinkFormSettings with every key optional.
type LinkFormSettingsPatch struct {
	PaymentMethods     *[]string              `json:"payment_methods,omitempty"`
	RequireName        *bool                  `json:"require_name,omitempty"`
	RequireNameKana    *bool                  `json:"require_name_kana,omitempty"`
	RequireEmail       *bool                  `json:"require_email,omitempty"`
	RequirePhoneNumber *bool                  `json:"require_phone_number,omitempty"`
	RequireAddress     *bool                  `json:"require_address,omitempty"`
	Language           *string                `json:"language,omitempty"`
	CustomFields       *[]LinkFormCustomField `json:"custom_fields,omitempty"`
	SuccessRedirectURL *string                `json:"success_redirect_url,omitempty"`
	PendingRedirectURL *string                `json:"pending_redirect_url,omitempty"`
	FailureRedirectURL *string                `json:"failure_redirect_url,omitempty"`
	Theme              *LinkFormThemePatch    `json:"theme,omitempty"`
}

// LinkFormThemePatch is LinkFormTheme with every key optional.
type LinkFormThemePatch struct {
	ShowStoreName   *bool   `json:"show_store_name,omitempty"`
	ShowLogo        *bool   `json:"show_logo,omitempty"`
	Mode            *string `json:"mode,omitempty"`
	HeaderColor     *string `json:"header_color,omitempty"`
	ButtonColor     *string `json:"button_color,omitempty"`
	BackgroundColor *string `json:"background_color,omitempty"`
	ContentColor    *string `json:"content_color,omitempty"`
}

// Apply changes s by the keys p has.
func (p LinkFormSettingsPatch) Apply(s *LinkFormSettings) {
	set := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	if p.PaymentMethods != nil {
		s.PaymentMethods = append([]string(nil), (*p.PaymentMethods)...)
	}
	set(&s.RequireName, p.RequireName)
	set(&s.RequireNameKana, p.RequireNameKana)
	set(&s.RequireEmail, p.RequireEmail)
	set(&s.RequirePhoneNumber, p.RequirePhoneNumber)
	set(&s.RequireAddress, p.RequireAddress)
	str(&s.Language, p.Language)
	if p.CustomFields != nil {
		s.CustomFields = append([]LinkFormCustomField(nil), (*p.CustomFields)...)
	}
	str(&s.SuccessRedirectURL, p.SuccessRedirectURL)
	str(&s.PendingRedirectURL, p.PendingRedirectURL)
	str(&s.FailureRedirectURL, p.FailureRedirectURL)
	if t := p.Theme; t != nil {
		set(&s.Theme.ShowStoreName, t.ShowStoreName)
		set(&s.Theme.ShowLogo, t.ShowLogo)
		str(&s.Theme.Mode, t.Mode)
		str(&s.Theme.HeaderColor, t.HeaderColor)
		str(&s.Theme.ButtonColor, t.ButtonColor)
		str(&s.Theme.BackgroundColor, t.BackgroundColor)
		str(&s.Theme.ContentColor, t.ContentColor)
	}
}

// DefaultLinkFormSettings are a new form's settings: every method the
// store offers, no required customer field beyond the e-mail, the buyer's
// language, no redirect, a light theme with the store's name and logo.
func DefaultLinkFormSettings() LinkFormSettings {
	return LinkFormSettings{Theme: LinkFormTheme{ShowStoreName: true, ShowLogo: true, Mode: "light"}}
}
