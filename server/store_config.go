package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// StoreSettings is a store's configuration document (docs/sandbox.md,
// "Store configuration"): the store's name and its domain.StoreConfig in
// one flat JSON object. It is what `kessai store configure` reads and
// prints and what /sandbox/store_configuration serves.
type StoreSettings struct {
	Name string `json:"name"`
	storeConfigFields
}

// storeConfigFields is domain.StoreConfig without its UnmarshalJSON, so
// that its keys sit beside "name" in StoreSettings.
type storeConfigFields domain.StoreConfig

// Config returns the store configuration part of the document.
func (d *StoreSettings) Config() domain.StoreConfig { return domain.StoreConfig(d.storeConfigFields) }

func settingsOf(shop *domain.Store) *StoreSettings {
	return &StoreSettings{Name: shop.Name, storeConfigFields: storeConfigFields(shop.Config)}
}

// StoreConfiguration returns a store's configuration document; an empty
// storeID means the first store (the demo store, created if there is
// none).
func (s *Server) StoreConfiguration(ctx context.Context, storeID string) (*StoreSettings, error) {
	unlock, err := s.lockSetup(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	shop, err := s.configStore(ctx, storeID)
	if err != nil {
		return nil, err
	}
	return settingsOf(shop), nil
}

// ConfigureStore changes a store's configuration from a JSON document
// (docs/sandbox.md, "Store configuration"). Without replace the document
// is merged: the keys present replace the current values (objects such as
// theme are merged key by key), the others keep theirs, and null resets a
// key to its default. With replace every absent key takes its default (the
// name is kept unless given). The result is validated and saved; an
// invalid document changes nothing and returns a 400 VALIDATION_ERROR
// *api.Error naming each bad field.
func (s *Server) ConfigureStore(ctx context.Context, storeID string, doc []byte, replace bool) (*StoreSettings, error) {
	unlock, err := s.lockSetup(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	shop, err := s.configStore(ctx, storeID)
	if err != nil {
		return nil, err
	}
	patch, err := decodeObject(doc)
	if err != nil {
		return nil, err
	}
	if errs := unknownKeys(reflect.TypeFor[StoreSettings](), patch, ""); len(errs) > 0 {
		return nil, api.ValidationError(errs...)
	}
	defaults := &StoreSettings{Name: shop.Name, storeConfigFields: storeConfigFields(domain.DefaultStoreConfig())}
	defMap := toObject(defaults)
	base := defMap
	if !replace {
		base = toObject(settingsOf(shop))
	}
	merged := mergePatch(base, patch, defMap)
	next := &StoreSettings{Name: shop.Name, storeConfigFields: storeConfigFields(domain.DefaultStoreConfig())}
	dec := json.NewDecoder(bytes.NewReader(mustJSON(merged)))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(next); err != nil {
		return nil, configDecodeError(err)
	}
	if errs := normalizeStoreSettings(next); len(errs) > 0 {
		return nil, api.ValidationError(errs...)
	}
	shop.Name = next.Name
	shop.Config = next.Config()
	if err := s.storage.UpdateStore(ctx, shop); err != nil {
		return nil, err
	}
	return settingsOf(shop), nil
}

// configStore returns the store to configure (setupMu held).
func (s *Server) configStore(ctx context.Context, storeID string) (*domain.Store, error) {
	if storeID == "" {
		return s.firstStore(ctx)
	}
	shop, err := s.storage.GetStore(ctx, storeID)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, fmt.Errorf("server: store %s not found", storeID)
	}
	return shop, err
}

// decodeObject decodes a JSON object, keeping numbers as written.
func decodeObject(doc []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, api.ValidationError(api.FieldError{Reason: "The configuration is not valid JSON: " + err.Error()})
	}
	if dec.More() {
		return nil, api.ValidationError(api.FieldError{Reason: "The configuration must be a single JSON object"})
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, api.ValidationError(api.FieldError{Reason: "The configuration must be a JSON object"})
	}
	return m, nil
}

// toObject returns v as a generic JSON object.
func toObject(v any) map[string]any {
	m, err := decodeObject(mustJSON(v))
	if err != nil {
		panic(err) // our own types always encode to an object
	}
	return m
}

// mergePatch applies patch to base (RFC 7396 JSON merge patch, except that
// null restores the value of def instead of removing the key) and returns
// the result; base is modified.
func mergePatch(base, patch, def map[string]any) map[string]any {
	if base == nil {
		base = map[string]any{}
	}
	for k, pv := range patch {
		switch pv := pv.(type) {
		case nil:
			if dv, ok := def[k]; ok {
				base[k] = dv
			} else {
				delete(base, k)
			}
		case map[string]any:
			bv, _ := base[k].(map[string]any)
			dv, _ := def[k].(map[string]any)
			base[k] = mergePatch(bv, pv, dv)
		default:
			base[k] = pv
		}
	}
	return base
}

// unknownKeys returns an error for each key of obj that is not a JSON
// field of struct type t (recursively for objects), named by its path.
func unknownKeys(t reflect.Type, obj map[string]any, prefix string) []api.FieldError {
	fields := jsonFields(t)
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var errs []api.FieldError
	for _, k := range keys {
		ft, ok := fields[k]
		if !ok {
			errs = append(errs, api.FieldError{Field: prefix + k, Reason: "Unknown key"})
			continue
		}
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if sub, ok := obj[k].(map[string]any); ok && ft.Kind() == reflect.Struct {
			errs = append(errs, unknownKeys(ft, sub, prefix+k+".")...)
		}
		// Lists of objects (products): each item's keys.
		if items, ok := obj[k].([]any); ok && ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct {
			for i, item := range items {
				if sub, ok := item.(map[string]any); ok {
					errs = append(errs, unknownKeys(ft.Elem(), sub, fmt.Sprintf("%s%s[%d].", prefix, k, i))...)
				}
			}
		}
	}
	return errs
}

// jsonFields maps the JSON names of a struct's fields (promoted ones
// included) to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// configDecodeError turns a decoding error of a configuration document
// into a VALIDATION_ERROR naming the field.
func configDecodeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := strings.TrimPrefix(te.Field, "storeConfigFields.")
		return api.ValidationError(api.FieldError{Field: field, Reason: "Must be " + jsonTypeName(te.Type) + ", not " + te.Value})
	}
	return api.ValidationError(api.FieldError{Reason: err.Error()})
}

func jsonTypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean"
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "an integer"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Slice:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}

var (
	hexColorRe = regexp.MustCompile(`^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$`)
	alpha2Re   = regexp.MustCompile(`^[A-Z]{2}$`)
	alpha3Re   = regexp.MustCompile(`^[A-Z]{3}$`)
)

// normalizeStoreSettings validates a configuration document and puts its
// values in canonical form (brands lower case, countries and currencies
// upper case). It returns one error per bad field.
func normalizeStoreSettings(d *StoreSettings) []api.FieldError {
	var errs []api.FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, api.FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	d.Name = strings.TrimSpace(d.Name)
	if d.Name == "" {
		add("name", "Must not be empty")
	}
	c := &d.storeConfigFields
	brands := func(field string, list []string, known []string) []string {
		out := make([]string, 0, len(list))
		for _, b := range list {
			b = strings.ToLower(strings.TrimSpace(b))
			switch {
			case !slices.Contains(known, b):
				add(field, "Unknown brand %q (known: %s)", b, strings.Join(known, ", "))
			case slices.Contains(out, b):
				add(field, "Brand %q is listed twice", b)
			default:
				out = append(out, b)
			}
		}
		return out
	}
	c.CardBrands = brands("card_brands", c.CardBrands, domain.CardBrandValues)
	c.KonbiniBrands = brands("konbini_brands", c.KonbiniBrands, domain.KonbiniBrandValues)
	c.OnlineBrands = brands("online_brands", c.OnlineBrands, domain.OnlineBrandValues)
	c.InstallmentsPaymentTypes = brands("installments_payment_types", c.InstallmentsPaymentTypes, domain.InstallmentPaymentTypes)

	codes := func(field string, list []string, re *regexp.Regexp, what string) []string {
		if list == nil {
			return nil
		}
		out := make([]string, 0, len(list))
		for _, v := range list {
			u := strings.ToUpper(strings.TrimSpace(v))
			if !re.MatchString(u) {
				add(field, "%q is not %s", v, what)
				continue
			}
			if !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
		return out
	}
	const countryCode, currencyCode = "an ISO 3166-1 alpha-2 country code (e.g. JP)", "an ISO 4217 currency code (e.g. JPY)"
	c.CardCountries = codes("card_countries", c.CardCountries, alpha2Re, countryCode)
	c.AllowedCountriesByIP = codes("allowed_countries_by_ip", c.AllowedCountriesByIP, alpha2Re, countryCode)
	c.CardCurrencies = codes("card_currencies", c.CardCurrencies, alpha3Re, currencyCode)
	if c.CardCurrencies == nil {
		c.CardCurrencies = []string{}
	}
	if cs := codes("country", []string{c.Country}, alpha2Re, countryCode); len(cs) == 1 {
		c.Country = cs[0]
	}
	if cs := codes("default_currency", []string{c.DefaultCurrency}, alpha3Re, currencyCode); len(cs) == 1 {
		c.DefaultCurrency = cs[0]
	}

	switch c.RecurringTokenPrivilege {
	case api.RecurringNone, api.RecurringBounded, api.RecurringInfinite:
	default:
		add("recurring_token_privilege", "%q is not one of none, bounded, infinite", c.RecurringTokenPrivilege)
	}
	money := func(field string, m *domain.Money) {
		m.Currency = strings.ToUpper(strings.TrimSpace(m.Currency))
		if !alpha3Re.MatchString(m.Currency) {
			add(field+".currency", "%q is not %s", m.Currency, currencyCode)
		}
		if m.Amount < 0 {
			add(field+".amount", "Must not be negative")
		}
	}
	if c.CVVConfirmationThreshold == nil {
		c.CVVConfirmationThreshold = []domain.Money{}
	}
	for i := range c.CVVConfirmationThreshold {
		money(fmt.Sprintf("cvv_confirmation_threshold[%d]", i), &c.CVVConfirmationThreshold[i])
	}
	if c.InstallmentsMinChargeAmount != nil {
		money("installments_min_charge_amount", c.InstallmentsMinChargeAmount)
	}

	for field, p := range map[string]*string{
		"konbini_expiration":             &c.KonbiniExpiration,
		"bank_transfer_expiration":       &c.BankTransferExpiration,
		"installments_max_payout_period": &c.InstallmentsMaxPayoutPeriod,
	} {
		d, ok := api.ParseDuration(*p)
		if !ok {
			add(field, "%q is not an ISO-8601 duration (e.g. PT720H, P30D)", *p)
			continue
		}
		if d.IsZero() {
			add(field, "Must be longer than zero")
			continue
		}
		*p = strings.ToUpper(strings.TrimSpace(*p))
	}

	c.Products = normalizeProducts(c.Products, add)

	if c.LogoImage != nil {
		if u, err := url.Parse(*c.LogoImage); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("logo_image", "%q is not an http(s) URL", *c.LogoImage)
		}
	}
	if c.Descriptor != nil && strings.TrimSpace(*c.Descriptor) == "" {
		c.Descriptor = nil
	}
	if c.Theme != nil {
		for _, col := range themeFields(c.Theme) {
			if *col.value != "" && !hexColorRe.MatchString(*col.value) {
				add("theme."+col.name, "%q is not a hex colour (#RGB or #RRGGBB)", *col.value)
			}
		}
	}
	slices.SortStableFunc(errs, func(a, b api.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return errs
}

// productCodeRe is what a product code may be: what a merchant writes in
// data-product-codes, without the comma that separates codes.
var productCodeRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// normalizeProducts checks the store's product catalogue (docs/sandbox.md,
// "Products"): each code valid and listed once, a name, a positive unit
// price, a currency (stored upper case).
func normalizeProducts(list []api.Product, add func(field, format string, args ...any)) []api.Product {
	out := make([]api.Product, 0, len(list))
	seen := map[string]bool{}
	for i, p := range list {
		field := fmt.Sprintf("products[%d]", i)
		p.Code, p.Name = strings.TrimSpace(p.Code), strings.TrimSpace(p.Name)
		p.Currency = strings.ToUpper(strings.TrimSpace(p.Currency))
		switch {
		case !productCodeRe.MatchString(p.Code):
			add(field+".code", "%q is not a product code (1 to 64 letters, digits, '.', '_', '-')", p.Code)
		case seen[p.Code]:
			add(field+".code", "%q is listed twice", p.Code)
		}
		seen[p.Code] = true
		if p.Name == "" || len([]rune(p.Name)) > 255 {
			add(field+".name", "Must be 1 to 255 characters")
		}
		if p.Amount <= 0 {
			add(field+".amount", "Must be a positive amount in the currency's minor unit")
		}
		if _, converted := jpyRates[p.Currency]; !directCurrency(p.Currency) && !converted {
			add(field+".currency", "%q is not a currency the sandbox charges (JPY, USD, EUR, …)", p.Currency)
		}
		out = append(out, p)
	}
	return out
}

type themeField struct {
	name  string
	value *string
}

func themeFields(t *api.ThemeColors) []themeField {
	return []themeField{
		{"main_background", &t.MainBackground}, {"secondary_background", &t.SecondaryBackground},
		{"main_color", &t.MainColor}, {"main_text", &t.MainText}, {"primary_text", &t.PrimaryText},
		{"secondary_text", &t.SecondaryText}, {"base_text", &t.BaseText},
	}
}

// effectiveTheme is a store's theme with every unset colour defaulted.
func effectiveTheme(cfg *domain.StoreConfig) api.ThemeColors {
	out := domain.DefaultTheme()
	if cfg.Theme == nil {
		return out
	}
	set := *cfg.Theme
	def := themeFields(&out)
	for i, f := range themeFields(&set) {
		if *f.value != "" {
			*def[i].value = *f.value
		}
	}
	return out
}

// Rules of the configuration that several handlers apply.

// liveModeAllowed: live mode needs a verified merchant (docs/sandbox.md,
// "Live mode").
func (s *Server) liveModeAllowed(ctx context.Context, p *principal, shop *domain.Store) error {
	if p.app.Mode != api.ModeLive {
		return nil
	}
	m, err := s.storage.GetMerchant(ctx, shop.MerchantID)
	if err != nil {
		return err
	}
	if !m.Verified {
		return api.NewError(http.StatusBadRequest, api.CodeLiveModeNotEnabled)
	}
	return nil
}

// cardCountryAllowed reports whether a store accepts cards issued in
// country: it must be among card_countries (when set), and be the store's
// country unless foreign cards are allowed.
func cardCountryAllowed(cfg *domain.StoreConfig, country string) bool {
	if cfg.CardCountries != nil && !slices.Contains(cfg.CardCountries, country) {
		return false
	}
	return cfg.ForeignCardsAllowed || cfg.Country == "" || country == cfg.Country
}

// jst is Japan time: calendar days, weeks and months of the limits, and the
// calendar units (years, months, days) of a
// duration are counted.
var jst = time.FixedZone("JST", 9*60*60)

// addInJapan adds an ISO-8601 duration to t, counting calendar units in
// Japan time.
func addInJapan(d api.Duration, t time.Time) time.Time { return d.AddTo(t.In(jst)).UTC() }
