package widget

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"

	"kessai/api"
)

// Link forms (docs/link-forms.md): the hosted payment page
// /forms/{formId}?appId=…&amount=… is the same checkout as the widget, in
// a full page. Its query parameters are a source of widget options: this
// file maps UnivaPay's link-form names onto the parameter table of
// params.go (ParseOptions then coerces and checks them as it does the
// widget's), merges them with the form's settings by the documented
// precedence, and reads the few parameters only link forms have (the
// redirects, the buyer pre-fills).

// LinkParam maps one link-form query parameter onto the widget.
type LinkParam struct {
	// Name is the query parameter ("type", "paymentMethods"); "[]" after
	// it is accepted too ("paymentMethods[]").
	Name string
	// Widget is the parameter of the widget's table it sets ("tokenType");
	// "" for the parameters only link forms have.
	Widget string
	// Invert: a boolean that means the widget parameter's opposite
	// (auth=true is capture=false, hideCvv=true is showCvv=false).
	Invert bool
	// Kind is the value type of a link-only parameter.
	Kind Kind
	// Values are the allowed values of a link-only enumeration.
	Values []string
}

// LinkParams is the table of link-form query parameters: the UnivaPay
// documentation's names (Link form: basic parameters, subscriptions and
// installments) and the widget's deadline and locale parameters.
var LinkParams = []LinkParam{
	{Name: "appId", Widget: "appId"},
	{Name: "checkout", Widget: "checkout"},
	{Name: "paymentMethods", Widget: "paymentMethods"},
	{Name: "amount", Widget: "amount"},
	{Name: "currency", Widget: "currency"},
	{Name: "type", Widget: "tokenType"},
	{Name: "tokenOnly", Kind: KindBool},
	{Name: "productCodes", Widget: "productCodes"},
	{Name: "productQuantities", Widget: "productCodeQuantities"},
	{Name: "auth", Widget: "capture", Invert: true},
	{Name: "captureAt", Widget: "captureAt"},
	{Name: "expirationPeriod", Widget: "expirationPeriod"},
	{Name: "expirationTimeShift", Widget: "expirationTimeShift"},
	{Name: "name", Kind: KindString},
	{Name: "nameKana", Kind: KindString},
	{Name: "cardholder", Kind: KindString},
	{Name: "emailAddress", Widget: "email"},
	{Name: "hidePrefilledEmail", Kind: KindBool},
	{Name: "phoneNumber", Widget: "phoneNumber"},
	{Name: "phoneNumberCountryCode", Kind: KindString},
	{Name: "requirePhoneNumber", Widget: "requirePhoneNumber"},
	{Name: "cvvAuthorize", Widget: "cvvAuthorize"},
	{Name: "hideCvv", Widget: "showCvv", Invert: true},
	{Name: "hideRecurringCheckbox", Widget: "hideRecurringCheckbox"},
	{Name: "hidePrivacyLink", Widget: "hidePrivacyLink"},
	{Name: "univapayCustomerId", Widget: "univapayCustomerId"},
	{Name: "univapayReferenceId", Widget: "univapayReferenceId"},
	{Name: "metadata", Widget: "metadata"},
	{Name: "locale", Widget: "locale"},
	{Name: "language", Widget: "locale"},
	{Name: "successRedirectUrl", Kind: KindString},
	{Name: "failureRedirectUrl", Kind: KindString},
	{Name: "pendingRedirectUrl", Kind: KindString},
	{Name: "autoRedirect", Kind: KindBool},
	{Name: "showRedirectMetadata", Kind: KindBool},
	{Name: "customFieldKeys", Widget: "customFieldKeys"},
	{Name: "customFieldLabels", Widget: "customFieldLabels"},
	{Name: "customFieldTypes", Widget: "customFieldTypes"},
	{Name: "customFieldRequired", Widget: "customFieldRequired"},
	{Name: "customFieldOptions", Widget: "customFieldOptions"},
	// Subscriptions and installments.
	{Name: "period", Widget: "subscriptionPeriod"},
	{Name: "subscriptionId", Widget: "subscriptionId"},
	{Name: "initialAmount", Widget: "subscriptionInitialAmount"},
	{Name: "startIn", Widget: "subscriptionStartIn"},
	{Name: "startDayOfMonth", Widget: "subscriptionStartDayOfMonth"},
	{Name: "subscriptionRetryInterval", Widget: "subscriptionRetryInterval"},
	{Name: "terminationMode", Kind: KindEnum, Values: []string{"immediate", "on_next_payment"}},
	{Name: "allowCardInstallments", Widget: "allowCardInstallments"},
	{Name: "cardInstallmentOptions", Widget: "cardInstallmentOptions"},
	// Deadlines of konbini and bank transfer.
	{Name: "bankTransferExpirationPeriod", Widget: "bankTransferExpirationPeriod"},
	{Name: "bankTransferExpirationTimeShift", Widget: "bankTransferExpirationTimeShift"},
	{Name: "convenienceStoreExpirationPeriod", Widget: "convenienceStoreExpirationPeriod"},
	{Name: "convenienceStoreExpirationTimeShift", Widget: "convenienceStoreExpirationTimeShift"},
}

var linkByName = func() map[string]LinkParam {
	m := map[string]LinkParam{}
	for _, p := range LinkParams {
		// (byName is filled by params.go's init, which runs later.)
		if p.Widget != "" && !slices.ContainsFunc(paramTable, func(q Param) bool { return q.Name == p.Widget }) {
			panic("widget: link parameter " + p.Name + " maps to unknown " + p.Widget)
		}
		m[p.Name] = p
	}
	return m
}()

// CheckoutQR is the link form's checkout=qr: a token only, and the page
// shows a QR code of its own URL for the buyer's phone.
const CheckoutQR = "qr"

// LinkRedirects are where the buyer goes after paying (docs/link-forms.md,
// "After the payment").
type LinkRedirects struct {
	Success, Pending, Failure string
	// Auto sends the buyer at once; otherwise the result screen has a
	// button.
	Auto bool
	// ShowMetadata adds the payment's metadata to the query.
	ShowMetadata bool
}

// URL is the redirect for an outcome: the success, failure or pending URL
// ("" when none is set) with univapayTokenId, univapayChargeId or
// univapaySubscriptionId and, with ShowMetadata, the metadata the payment
// was created with; parameters already in the merchant's URL are kept.
func (r LinkRedirects) URL(status RedirectStatus, ids map[string]string, metadata map[string]string) string {
	base := r.Success
	switch status {
	case RedirectPending:
		base = r.Pending
	case RedirectFailure:
		base = r.Failure
	}
	if base == "" {
		return ""
	}
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	q := u.Query()
	if r.ShowMetadata {
		for k, v := range metadata {
			q.Set(k, v)
		}
	}
	for _, k := range []string{"univapayTokenId", "univapayChargeId", "univapaySubscriptionId"} {
		if v := ids[k]; v != "" {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// RedirectStatus selects a link form's redirect.
type RedirectStatus int

// Redirect statuses.
const (
	RedirectSuccess RedirectStatus = iota
	RedirectPending                // the page stopped waiting for a final status
	RedirectFailure
)

// LinkForm is a link form page's configuration: the widget options from
// the URL and the form's settings, and what only link forms have.
type LinkForm struct {
	// Raw are the widget options (JS names) the page runs with: the page
	// parses them with ParseOptions as the widget's iframe does.
	Raw     map[string]any
	Options Options
	// QR: checkout=qr.
	QR bool
	// Pre-fills of the buyer's inputs.
	Name, NameKana, Cardholder, PhoneCountry string
	// HidePrefilledEmail hides the e-mail input (emailAddress is given).
	HidePrefilledEmail bool
	// RequireNameKana comes from the settings (the card form has no kana
	// input yet: docs/link-forms.md, "What does not work yet").
	RequireNameKana bool
	TerminationMode string
	Redirects       LinkRedirects
	Theme           api.LinkFormTheme
	// tokenOnly: tokenOnly=true.
	tokenOnly bool
}

// ParseLinkForm reads a link form page's query by the documented
// precedence over the form's settings (docs/link-forms.md, "Precedence"):
// the URL's payment methods, language, custom fields and redirect URLs
// replace the settings'; the settings' required customer fields always
// apply (the URL may add requirePhoneNumber, not remove one); the theme
// is the settings'. Problems name the query parameter and its value;
// unknown parameters (utm_source, …) are warnings. Call Options.Validate
// for the checks across parameters.
func ParseLinkForm(settings api.LinkFormSettings, query url.Values) (LinkForm, Problems) {
	lf := LinkForm{Raw: map[string]any{}, Theme: settings.Theme, RequireNameKana: settings.RequireNameKana}
	var ps Problems
	// widget name -> the query parameter that set it, to name problems.
	from := map[string]string{}
	given := map[string]bool{}

	names := make([]string, 0, len(query))
	for k := range query {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, key := range names {
		vals := query[key]
		name := strings.TrimSuffix(key, "[]")
		p, ok := linkByName[name]
		if !ok {
			ps.warnf(key, "unknown parameter; ignored")
			continue
		}
		// Empty values are not given (generators leave empty parameters).
		var nonEmpty []string
		for _, v := range vals {
			if strings.TrimSpace(v) != "" {
				nonEmpty = append(nonEmpty, v)
			}
		}
		if len(nonEmpty) == 0 {
			continue
		}
		given[name] = true
		value := strings.Join(nonEmpty, ",")
		if p.Widget == "" {
			lf.linkOnly(&ps, p, key, value)
			continue
		}
		from[p.Widget] = key
		if q, _ := LookupParam(p.Widget); q.Kind == KindCustomList {
			nonEmpty = vals // positions matter: field i is value i
		}
		lf.Raw[p.Widget] = linkValue(p, nonEmpty)
	}

	// checkout=qr and tokenOnly are the widget's checkout=token.
	if c, ok := lf.Raw["checkout"].(string); ok && strings.EqualFold(strings.TrimSpace(c), CheckoutQR) {
		lf.QR, lf.Raw["checkout"] = true, CheckoutToken
	}
	if lf.Raw["checkout"] == nil && lf.tokenOnly {
		lf.Raw["checkout"] = CheckoutToken
	}

	// The settings, where the URL gives nothing.
	if !given["paymentMethods"] && len(settings.PaymentMethods) > 0 {
		lf.Raw["paymentMethods"] = anyList(settings.PaymentMethods)
	}
	if !given["locale"] && !given["language"] && settings.Language != "" {
		lf.Raw["locale"] = settings.Language
	}
	if !anyGiven(given, "customFieldKeys", "customFieldLabels", "customFieldTypes", "customFieldRequired", "customFieldOptions") {
		settingsCustomFields(lf.Raw, settings.CustomFields)
	}
	if !anyGiven(given, "successRedirectUrl", "failureRedirectUrl", "pendingRedirectUrl") {
		lf.Redirects.Success, lf.Redirects.Pending, lf.Redirects.Failure =
			settings.SuccessRedirectURL, settings.PendingRedirectURL, settings.FailureRedirectURL
	}
	// The required customer fields of the settings always apply.
	for _, req := range []struct {
		on     bool
		widget string
	}{{settings.RequireName, "requireName"}, {settings.RequireEmail, "requireEmail"},
		{settings.RequirePhoneNumber, "requirePhoneNumber"}, {settings.RequireAddress, "requireBillingAddress"}} {
		if !req.on {
			continue
		}
		if v, ok := lf.Raw[req.widget]; ok {
			if b, err := ParseBool(v, SourceJS); err == nil && !b {
				ps.warnf(from[req.widget], "the form's settings require this field; the URL cannot remove it")
			}
		}
		lf.Raw[req.widget] = true
	}
	if lf.HidePrefilledEmail && lf.Raw["email"] == nil {
		ps.errorf("hidePrefilledEmail", "requires emailAddress")
	}

	opts, ops := ParseOptions(SourceJS, lf.Raw)
	lf.Options = opts
	for _, p := range ops {
		if q, ok := from[p.Param]; ok {
			p.Param = q
		}
		ps = append(ps, p)
	}
	return lf, ps
}

// LinkProblems renames the widget parameters of problems (from
// Options.Validate) to the query parameters of the page that set them.
func (lf LinkForm) LinkProblems(ps Problems) Problems {
	rename := map[string]string{}
	for _, p := range LinkParams {
		if p.Widget != "" && lf.Options.IsSet(p.Widget) {
			if _, dup := rename[p.Widget]; !dup {
				rename[p.Widget] = p.Name
			}
		}
	}
	out := make(Problems, len(ps))
	for i, p := range ps {
		if n, ok := rename[p.Param]; ok {
			p.Param = n
		}
		out[i] = p
	}
	return out
}

// linkOnly reads a parameter only link forms have.
func (lf *LinkForm) linkOnly(ps *Problems, p LinkParam, key, value string) {
	value = strings.TrimSpace(value)
	switch p.Kind {
	case KindBool:
		b, err := ParseBool(value, SourceJS)
		if err != nil {
			*ps = append(*ps, Problem{Param: key, Reason: err.Error(), Value: value})
			return
		}
		switch p.Name {
		case "tokenOnly":
			lf.tokenOnly = b
		case "hidePrefilledEmail":
			lf.HidePrefilledEmail = b
		case "autoRedirect":
			lf.Redirects.Auto = b
		case "showRedirectMetadata":
			lf.Redirects.ShowMetadata = b
		}
	case KindEnum:
		v := strings.ToLower(value)
		if !contains(p.Values, v) {
			*ps = append(*ps, Problem{Param: key, Reason: fmt.Sprintf("is not one of %s", strings.Join(p.Values, ", ")), Value: value})
			return
		}
		lf.TerminationMode = v
	default:
		switch p.Name {
		case "successRedirectUrl", "failureRedirectUrl", "pendingRedirectUrl":
			u, err := url.Parse(value)
			if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
				*ps = append(*ps, Problem{Param: key, Reason: "is not an absolute http or https URL", Value: value})
				return
			}
			switch p.Name {
			case "successRedirectUrl":
				lf.Redirects.Success = value
			case "failureRedirectUrl":
				lf.Redirects.Failure = value
			default:
				lf.Redirects.Pending = value
			}
		case "name":
			lf.Name = value
		case "nameKana":
			lf.NameKana = value
		case "cardholder":
			lf.Cardholder = value
		case "phoneNumberCountryCode":
			lf.PhoneCountry = strings.TrimPrefix(value, "+")
		}
	}
}

// linkValue is the widget option for a query parameter's values: lists
// from repeated parameters (paymentMethods[]=card&paymentMethods[]=konbini)
// or one comma-separated value; booleans inverted where the link form
// names the opposite.
func linkValue(p LinkParam, vals []string) any {
	q, _ := LookupParam(p.Widget)
	switch {
	case p.Invert:
		b, err := ParseBool(vals[0], SourceJS)
		if err != nil {
			return vals[0] // ParseOptions reports it
		}
		return !b
	case q.Kind == KindCustomList && len(vals) > 1:
		// One value per field; a field's options are comma-separated.
		out := make([]any, len(vals))
		for i, v := range vals {
			if p.Widget == "customFieldOptions" {
				opts := []any{}
				for _, o := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
					opts = append(opts, strings.TrimSpace(o))
				}
				out[i] = opts
			} else {
				out[i] = v
			}
		}
		return out
	case q.Kind == KindCustomList && p.Widget == "customFieldOptions":
		// One field's options, comma-separated in the link form.
		return []any{anyList(strings.Split(vals[0], ","))}
	case len(vals) > 1:
		return anyList(vals)
	}
	return vals[0]
}

func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

func anyGiven(given map[string]bool, names ...string) bool {
	for _, n := range names {
		if given[n] {
			return true
		}
	}
	return false
}

// settingsCustomFields sets the customField* options from the settings'
// custom fields.
func settingsCustomFields(raw map[string]any, fields []api.LinkFormCustomField) {
	if len(fields) == 0 {
		return
	}
	var keys, labels, types, required, options []any
	for _, f := range fields {
		keys, labels, types = append(keys, f.Key), append(labels, f.Label), append(types, f.Type)
		required = append(required, fmt.Sprint(f.Required))
		options = append(options, anyList(f.Options))
	}
	raw["customFieldKeys"], raw["customFieldLabels"], raw["customFieldTypes"] = keys, labels, types
	raw["customFieldRequired"], raw["customFieldOptions"] = required, options
}

// LinkRedirectFor says where a link form sends the buyer after a payment's
// outcome: success once the charge (or token, or subscription) is final,
// pending when the page stopped waiting for a final status, failure when
// the payment failed. ok is false for outcomes the buyer fixes on the page
// (input errors, a card refused at tokenisation) and for configuration
// errors.
func LinkRedirectFor(o Outcome) (status RedirectStatus, ok bool) {
	switch {
	case o.OK:
		return RedirectSuccess, true
	case o.Code == CodePollingTimeout:
		return RedirectPending, true
	case len(o.Fields) > 0:
		return 0, false
	case o.Stage == StageCharge || o.Stage == StageSubscription || o.Stage == StagePolling:
		return RedirectFailure, true
	}
	return 0, false
}

// RedirectIDs are the IDs a redirect carries: univapayTokenId,
// univapayChargeId, univapaySubscriptionId, of what the payment created.
func (o Outcome) RedirectIDs() map[string]string {
	ids := map[string]string{}
	if o.Token != nil {
		ids["univapayTokenId"] = o.Token.Value.ID
	}
	if o.Charge != nil {
		ids["univapayChargeId"] = o.Charge.Value.ID
		if o.Token == nil {
			ids["univapayTokenId"] = o.Charge.Value.TransactionTokenID
		}
	}
	if o.Subscription != nil {
		ids["univapaySubscriptionId"] = o.Subscription.Value.ID
	}
	return ids
}

// RedirectMetadata is the metadata of what the payment created, as query
// values: strings as they are, other JSON values as JSON text.
func (o Outcome) RedirectMetadata() map[string]string {
	var md api.Metadata
	switch {
	case o.Charge != nil:
		md = o.Charge.Value.Metadata
	case o.Subscription != nil:
		md = o.Subscription.Value.Metadata
	case o.Token != nil:
		md = o.Token.Value.Metadata
	}
	out := map[string]string{}
	for k, raw := range md {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			out[k] = s
		} else {
			out[k] = string(raw)
		}
	}
	return out
}
