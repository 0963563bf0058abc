package dashboard

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"
)

// view is what every page template receives.
type view struct {
	Lang     string
	Page     string
	Title    string
	CSRF     string
	Store    string
	Flash    string
	FlashErr bool
	// Self is the page's path and query without lang, for the language switch.
	Self string
	Data map[string]any
}

// T returns the text of key in the page's language.
func (v *view) T(key string) string { return tr(v.Lang, key) }

// Other is the language the switch offers.
func (v *view) Other() string {
	if v.Lang == "ja" {
		return "en"
	}
	return "ja"
}

// LangURL is the page in another language.
func (v *view) LangURL(lang string) string {
	u, _ := url.Parse(v.Self)
	q := u.Query()
	q.Set("lang", lang)
	u.RawQuery = q.Encode()
	return u.String()
}

var funcs = template.FuncMap{
	// pretty indents a JSON value.
	"pretty": func(v any) string {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	},
	// str prints a JSON value, empty for null.
	"str": func(v any) string {
		if v == nil {
			return ""
		}
		if m, ok := v.(map[string]any); ok {
			b, _ := json.Marshal(m)
			return string(b)
		}
		return fmt.Sprint(v)
	},
	// when shortens an RFC 3339 time to seconds, in UTC.
	"when": func(v any) string {
		s, _ := v.(string)
		if len(s) >= 19 {
			return strings.Replace(s[:19], "T", " ", 1)
		}
		return s
	},
	"list": func(v any) []any { l, _ := v.([]any); return l },
	"add":  func(a, b float64) float64 { return a + b },
	"mul":  func(a float64, b int) float64 { return a * float64(b) },
	// num reads a JSON number as an integer (0 otherwise).
	"num": func(v any) int64 {
		n, _ := v.(json.Number)
		i, _ := n.Int64()
		return i
	},
	"pathEscape": url.PathEscape,
}

// parseTemplates builds one template per page: the layout plus the page.
func (h *Handler) parseTemplates() error {
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return err
	}
	h.pages = map[string]*template.Template{}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", n)
		if err != nil {
			return err
		}
		h.pages[strings.TrimSuffix(base, ".html")] = t
	}
	return nil
}

// routes registers the pages and actions.
func (h *Handler) routes() {
	m := h.mux
	m.HandleFunc("GET "+Prefix, h.home)
	m.HandleFunc("GET "+Prefix+"/{$}", h.home)
	m.HandleFunc("GET "+Prefix+"/style.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "max-age=300")
		_, _ = w.Write(h.css)
	})
	m.HandleFunc("GET "+Prefix+"/signin", h.signinPage)
	m.HandleFunc("POST "+Prefix+"/signin", h.signinPost)
	m.HandleFunc("POST "+Prefix+"/signout", h.action(func(w http.ResponseWriter, r *http.Request, s *session) string {
		h.endSession(w, r)
		return Prefix + "/signin"
	}))
	m.HandleFunc("GET "+Prefix+"/charges", h.page("charges", h.charges))
	m.HandleFunc("GET "+Prefix+"/charges/{id}", h.page("charge", h.charge))
	m.HandleFunc("POST "+Prefix+"/charges/{id}/{action}", h.action(h.chargeAction))
	m.HandleFunc("GET "+Prefix+"/refunds", h.page("refunds", h.refundList))
	m.HandleFunc("GET "+Prefix+"/tokens", h.page("tokens", h.tokens))
	m.HandleFunc("GET "+Prefix+"/tokens/{id}", h.page("token", h.token))
	m.HandleFunc("GET "+Prefix+"/subscriptions", h.page("subscriptions", h.subscriptions))
	m.HandleFunc("GET "+Prefix+"/subscriptions/{id}", h.page("subscription", h.subscription))
	m.HandleFunc("POST "+Prefix+"/subscriptions/{id}/{action}", h.action(h.subscriptionAction))
	m.HandleFunc("GET "+Prefix+"/webhooks", h.page("webhooks", h.webhooks))
	m.HandleFunc("POST "+Prefix+"/webhooks/{id}/enable", h.action(h.webhookEnable))
	m.HandleFunc("POST "+Prefix+"/webhooks/deliveries/{id}/resend", h.action(h.webhookResend))
	m.HandleFunc("GET "+Prefix+"/clock", h.page("clock", h.clock))
	m.HandleFunc("POST "+Prefix+"/clock/{action}", h.action(h.clockAction))
	m.HandleFunc("GET "+Prefix+"/config", h.page("config", h.config))
	m.HandleFunc("POST "+Prefix+"/config", h.action(h.configSave))
	m.HandleFunc("POST "+Prefix+"/config/form", h.action(h.configForm))
	m.HandleFunc("GET "+Prefix+"/preview", h.preview)
	m.HandleFunc("POST "+Prefix+"/app_tokens", h.action(h.tokenCreate))
	m.HandleFunc("POST "+Prefix+"/app_tokens/{id}/revoke", h.action(h.tokenRevoke))
	h.formRoutes()
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	if h.current(r) == nil {
		http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, Prefix+"/charges", http.StatusSeeOther)
}

// newView starts the view of a page.
func (h *Handler) newView(w http.ResponseWriter, r *http.Request, page string, s *session) *view {
	q := r.URL.Query()
	q.Del("lang")
	self := r.URL.Path
	if e := q.Encode(); e != "" {
		self += "?" + e
	}
	v := &view{Lang: language(w, r), Page: page, Self: self, Data: map[string]any{}}
	v.Title = v.T(page)
	if s != nil {
		v.CSRF, v.Store = s.csrf, s.storeID
		v.Flash, v.FlashErr = h.takeFlash(s)
	}
	return v
}

// render writes a page.
func (h *Handler) render(w http.ResponseWriter, status int, v *view) {
	var buf bytes.Buffer
	if err := h.pages[v.Page].Execute(&buf, v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// page wraps a page that needs a session: a signed-out visitor is sent to
// the sign-in page. fn fills the view's data; a status other than 200 is an
// error page with the API's answer.
func (h *Handler) page(name string, fn func(r *http.Request, s *session, v *view) int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := h.current(r)
		if s == nil {
			http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
			return
		}
		v := h.newView(w, r, name, s)
		h.render(w, fn(r, s, v), v)
	}
}

// action wraps a form post that changes something: it needs a session and
// the session's CSRF token (403 otherwise); fn returns where to go next.
func (h *Handler) action(fn func(w http.ResponseWriter, r *http.Request, s *session) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		s := h.current(r)
		if s == nil {
			http.Error(w, "signed out: sign in at "+Prefix+"/signin", http.StatusForbidden)
			return
		}
		if !validCSRF(s, r) {
			http.Error(w, tr(language(w, r), "csrf"), http.StatusForbidden)
			return
		}
		http.Redirect(w, r, fn(w, r, s), http.StatusSeeOther)
	}
}

// report sets the session's message from an API answer.
func (h *Handler) report(s *session, lang string, res apiResult) {
	if res.ok() {
		h.setFlash(s, tr(lang, "done"), false)
	} else {
		h.setFlash(s, res.errorText(), true)
	}
}

// preSessionCookie holds the sign-in form's CSRF token before there is a
// session (docs/dashboard.md, "Sessions and CSRF").
const preSessionCookie = "kessai_dashboard_signin"

// signinView is the sign-in form with a fresh CSRF token, also set as a
// cookie that the post must match.
func (h *Handler) signinView(w http.ResponseWriter, r *http.Request) *view {
	v := h.newView(w, r, "signin", nil)
	v.Data["csrf"] = randomID()
	http.SetCookie(w, &http.Cookie{Name: preSessionCookie, Value: v.Data["csrf"].(string), Path: Prefix, HttpOnly: true,
		SameSite: http.SameSiteStrictMode})
	return v
}

func (h *Handler) signinPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, http.StatusOK, h.signinView(w, r))
}

func (h *Handler) signinPost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	c, err := r.Cookie(preSessionCookie)
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		v := h.signinView(w, r)
		v.Flash, v.FlashErr = v.T("csrf"), true
		h.render(w, http.StatusForbidden, v)
		return
	}
	s, err := h.signIn(r, r.PostFormValue("jwt"), r.PostFormValue("secret"))
	if err != nil {
		v := h.signinView(w, r)
		v.Flash, v.FlashErr = v.T("signin.failed"), true
		h.render(w, http.StatusUnauthorized, v)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: preSessionCookie, Path: Prefix, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	h.startSession(w, r, s)
	http.Redirect(w, r, Prefix+"/charges", http.StatusSeeOther)
}

// get reads an API resource into v.Data[key]; it returns the API's status.
func (h *Handler) get(r *http.Request, s *session, v *view, key, apiPath string) int {
	res := h.call(r.Context(), r, s, http.MethodGet, apiPath, nil)
	if !res.ok() {
		v.Flash, v.FlashErr = res.errorText(), true
		return res.status
	}
	d, err := res.decode()
	if err != nil {
		v.Flash, v.FlashErr = err.Error(), true
		return http.StatusBadGateway
	}
	v.Data[key] = d
	return http.StatusOK
}

// list reads a page of an API list with the query parameters in keep
// copied from the request, and sets the next-page cursor.
func (h *Handler) list(r *http.Request, s *session, v *view, key, apiPath string, keep ...string) int {
	q := url.Values{}
	for _, k := range append(keep, "cursor") {
		if x := strings.TrimSpace(r.URL.Query().Get(k)); x != "" {
			q.Set(k, x)
			v.Data["q_"+k] = x
		}
	}
	if q.Get("limit") == "" {
		q.Set("limit", "20")
	}
	sep := "?"
	if strings.Contains(apiPath, "?") {
		sep = "&"
	}
	st := h.get(r, s, v, key, apiPath+sep+q.Encode())
	if st != http.StatusOK {
		return st
	}
	d := v.Data[key].(map[string]any)
	items, _ := d["items"].([]any)
	if more, _ := d["has_more"].(bool); more && len(items) > 0 {
		last, _ := items[len(items)-1].(map[string]any)
		if id, _ := last["id"].(string); id != "" {
			next := url.Values{}
			for k := range q {
				if k != "cursor" && k != "limit" {
					next.Set(k, q.Get(k))
				}
			}
			next.Set("cursor", id)
			v.Data["next"] = r.URL.Path + "?" + next.Encode()
		}
	}
	return http.StatusOK
}

func (h *Handler) charges(r *http.Request, s *session, v *view) int {
	v.Data["statuses"] = []string{"pending", "awaiting", "authorized", "successful", "failed", "error", "canceled"}
	v.Data["methods"] = []string{"card", "konbini", "online", "bank_transfer", "paidy"}
	if r.URL.Query().Get("cursor") == "" {
		if c := h.paymentsChartOf(r, s); c != nil && c.Total > 0 {
			v.Data["chart"] = c
		}
	}
	return h.list(r, s, v, "list", s.storePath("/charges"), "mode", "metadata", "status", "payment_type", "transaction_token_id")
}

// event is one entry of a timeline.
type event struct {
	Time, Label, Status, From, Detail string
}

func (h *Handler) charge(r *http.Request, s *session, v *view) int {
	id := r.PathValue("id")
	base := s.storePath("/charges/" + url.PathEscape(id))
	if st := h.get(r, s, v, "charge", base); st != http.StatusOK {
		return st
	}
	h.get(r, s, v, "refunds", base+"/refunds?limit=100")
	h.get(r, s, v, "cancels", base+"/cancels?limit=100")
	changes := h.activity(r, s, v, id)
	c := v.Data["charge"].(map[string]any)
	if c["status"] == "awaiting" {
		// The sandbox controls of an awaiting payment; a deposit for a
		// bank transfer, told by the charge's token.
		v.Data["controls"] = []string{"complete", "fail", "expire"}
		res := h.call(r.Context(), r, s, http.MethodGet, s.storePath("/tokens/"+url.PathEscape(fmt.Sprint(c["transaction_token_id"]))), nil)
		if tok, err := res.decode(); res.ok() && err == nil {
			v.Data["payment_type"] = tok["payment_type"]
		}
	}
	v.Title = v.T("charge") + " " + id
	var tl []event
	if len(changes) == 0 {
		// A charge made before the request log: its creation only.
		tl = append(tl, event{Time: fmt.Sprint(c["created_on"]), Label: v.T("timeline.created")})
	}
	for _, ch := range changes {
		label := v.T("timeline.status_change")
		switch {
		case ch.Resource == "refund":
			label = v.T("timeline.refund")
		case ch.Resource == "cancel":
			label = v.T("timeline.cancel")
		case ch.From == "":
			label = v.T("timeline.created")
		}
		tl = append(tl, event{Time: ch.Time, Label: label, Status: ch.To, From: ch.From})
	}
	if len(tl) > 0 {
		tl[0].Detail = fmt.Sprint(c["requested_amount_formatted"], " ", c["requested_currency"])
	}
	if at, ok := c["capture_at"].(string); ok && at != "" && c["status"] == "authorized" {
		tl = append(tl, event{Time: at, Label: v.T("timeline.capture_at")})
	}
	// Each refund and cancel when it was asked for; its settlement is a
	// status change above (its status now when the log has none).
	logged := map[string]bool{}
	for _, ch := range changes {
		logged[ch.Resource] = true
	}
	for _, kind := range []string{"refund", "cancel"} {
		d, _ := v.Data[kind+"s"].(map[string]any)
		for _, it := range listOf(d["items"]) {
			m, _ := it.(map[string]any)
			e := event{Time: fmt.Sprint(m["created_on"]), Label: v.T("timeline." + kind + "_asked")}
			if kind == "refund" {
				e.Detail = fmt.Sprint(m["amount_formatted"], " ", m["currency"])
			}
			if !logged[kind] || m["status"] == "pending" {
				e.Status = fmt.Sprint(m["status"])
			}
			tl = append(tl, e)
		}
	}
	sort.SliceStable(tl, func(i, j int) bool { return tl[i].Time < tl[j].Time })
	v.Data["timeline"] = tl
	return http.StatusOK
}

// change is a status change from the request log.
type change struct{ Time, Resource, From, To string }

// activity reads the request log of a resource (docs/dashboard.md, "The
// request log"): it sets v.Data["requests"] to the requests, newest first,
// and v.Data["created_with"] to the body of the oldest write, and returns
// the status changes, oldest first.
func (h *Handler) activity(r *http.Request, s *session, v *view, id string) []change {
	res := h.call(r.Context(), r, s, http.MethodGet, "/sandbox/requests?limit=100&resource_id="+url.QueryEscape(id), nil)
	d, err := res.decode()
	if !res.ok() || err != nil {
		return nil
	}
	items, _ := d["items"].([]any)
	var reqs []any
	var changes []change
	for _, it := range items {
		m, _ := it.(map[string]any)
		if m["kind"] == "status_change" {
			from, _ := m["from_status"].(string)
			to, _ := m["to_status"].(string)
			typ, _ := m["resource_type"].(string)
			changes = append(changes, change{Time: fmt.Sprint(m["created_on"]), Resource: typ, From: from, To: to})
			continue
		}
		reqs = append(reqs, m)
		if m["body"] != nil && m["method"] == "POST" {
			v.Data["created_with"] = m["body"] // the oldest is the last
		}
	}
	slices.Reverse(changes)
	v.Data["requests"] = reqs
	return changes
}

func (h *Handler) chargeAction(w http.ResponseWriter, r *http.Request, s *session) string {
	id := r.PathValue("id")
	back := Prefix + "/charges/" + url.PathEscape(id)
	base := s.storePath("/charges/" + url.PathEscape(id))
	var res apiResult
	amount := json.Number(strings.TrimSpace(r.PostFormValue("amount")))
	currency := strings.TrimSpace(r.PostFormValue("currency"))
	switch r.PathValue("action") {
	case "capture":
		res = h.call(r.Context(), r, s, http.MethodPost, base+"/capture", map[string]any{"amount": amount, "currency": currency})
	case "refund":
		body := map[string]any{"amount": amount, "currency": currency}
		if reason := r.PostFormValue("reason"); reason != "" {
			body["reason"] = reason
		}
		res = h.call(r.Context(), r, s, http.MethodPost, base+"/refunds", body)
	case "cancel":
		res = h.call(r.Context(), r, s, http.MethodPost, base+"/cancels", map[string]any{})
	case "complete", "fail", "expire":
		res = h.call(r.Context(), r, s, http.MethodPost, "/sandbox/charges/"+url.PathEscape(id)+"/"+r.PathValue("action"), nil)
	case "deposit":
		res = h.call(r.Context(), r, s, http.MethodPost, "/sandbox/charges/"+url.PathEscape(id)+"/deposit", map[string]any{"amount": amount})
	default:
		res = apiResult{status: http.StatusNotFound}
	}
	h.report(s, language(w, r), res)
	return back
}

func (h *Handler) tokens(r *http.Request, s *session, v *view) int {
	v.Data["types"] = []string{"one_time", "subscription", "recurring"}
	v.Data["methods"] = []string{"card", "konbini", "online", "bank_transfer", "paidy"}
	return h.list(r, s, v, "list", s.storePath("/tokens"), "mode", "metadata", "type", "payment_type")
}

// refundList is the store's refunds: the transaction history's refunds
// (docs/charges.md, "Transaction history").
func (h *Handler) refundList(r *http.Request, s *session, v *view) int {
	v.Data["statuses"] = []string{"pending", "successful", "failed", "error"}
	st := h.list(r, s, v, "list", s.storePath("/transaction_history?type=refund"), "mode", "status", "search")
	// The history's cursor is resource_id, not id.
	if d, ok := v.Data["list"].(map[string]any); ok && st == http.StatusOK {
		if items := listOf(d["items"]); len(items) > 0 {
			if more, _ := d["has_more"].(bool); more {
				last, _ := items[len(items)-1].(map[string]any)
				q := r.URL.Query()
				q.Set("cursor", fmt.Sprint(last["resource_id"]))
				q.Del("lang")
				v.Data["next"] = r.URL.Path + "?" + q.Encode()
			}
		}
	}
	return st
}

func (h *Handler) token(r *http.Request, s *session, v *view) int {
	id := r.PathValue("id")
	if st := h.get(r, s, v, "token", s.storePath("/tokens/"+url.PathEscape(id))); st != http.StatusOK {
		return st
	}
	h.activity(r, s, v, id)
	v.Title = v.T("token") + " " + id
	return http.StatusOK
}

func (h *Handler) subscriptions(r *http.Request, s *session, v *view) int {
	v.Data["statuses"] = []string{"unverified", "unconfirmed", "current", "unpaid", "suspended", "canceled", "completed"}
	return h.list(r, s, v, "list", s.storePath("/subscriptions"), "mode", "metadata", "status")
}

func (h *Handler) subscription(r *http.Request, s *session, v *view) int {
	id := r.PathValue("id")
	base := s.storePath("/subscriptions/" + url.PathEscape(id))
	if st := h.get(r, s, v, "subscription", base); st != http.StatusOK {
		return st
	}
	h.get(r, s, v, "payments", base+"/payments?limit=100")
	// The timeline reads from the first payment down to the next one.
	if d, ok := v.Data["payments"].(map[string]any); ok {
		items, _ := d["items"].([]any)
		slices.Reverse(items)
	}
	h.get(r, s, v, "charges", base+"/charges?limit=100")
	h.activity(r, s, v, id)
	v.Title = v.T("subscription") + " " + id
	return http.StatusOK
}

func (h *Handler) subscriptionAction(w http.ResponseWriter, r *http.Request, s *session) string {
	id := r.PathValue("id")
	base := s.storePath("/subscriptions/" + url.PathEscape(id))
	var res apiResult
	switch r.PathValue("action") {
	case "suspend":
		res = h.call(r.Context(), r, s, http.MethodPatch, base+"/suspend", map[string]any{})
	case "resume":
		res = h.call(r.Context(), r, s, http.MethodPatch, base+"/unsuspend", map[string]any{})
	case "cancel":
		res = h.call(r.Context(), r, s, http.MethodDelete, base, nil)
	default:
		res = apiResult{status: http.StatusNotFound}
	}
	h.report(s, language(w, r), res)
	return Prefix + "/subscriptions/" + url.PathEscape(id)
}

func (h *Handler) webhooks(r *http.Request, s *session, v *view) int {
	if st := h.get(r, s, v, "webhooks", "/webhooks?limit=100"); st != http.StatusOK {
		return st
	}
	v.Data["delivery_statuses"] = []any{"pending", "successful", "failed", "canceled"}
	v.Data["rate_bars"] = rateBars(h.deliveryRates(r, s))
	return h.list(r, s, v, "deliveries", "/sandbox/webhook_deliveries", "webhook_id", "event", "status")
}

// rate is how many deliveries have one status, out of all.
type rate struct {
	Status   string
	Count    int64
	Total    int64
	Fraction string
}

// deliveryRates counts the store's webhook deliveries by status with the
// delivery log's total_hits (docs/webhooks.md, "The delivery log").
func (h *Handler) deliveryRates(r *http.Request, s *session) []rate {
	var out []rate
	var total int64
	for _, st := range []string{"successful", "failed", "pending", "canceled"} {
		res := h.call(r.Context(), r, s, http.MethodGet, "/sandbox/webhook_deliveries?limit=10&status="+st, nil)
		d, err := res.decode()
		if !res.ok() || err != nil {
			return nil
		}
		n, _ := d["total_hits"].(json.Number).Int64()
		out = append(out, rate{Status: st, Count: n})
		total += n
	}
	if total == 0 {
		return nil
	}
	for i := range out {
		out[i].Total = total
		out[i].Fraction = fmt.Sprintf("%.0f%%", 100*float64(out[i].Count)/float64(total))
	}
	return out
}

func (h *Handler) webhookEnable(w http.ResponseWriter, r *http.Request, s *session) string {
	res := h.call(r.Context(), r, s, http.MethodPatch, "/webhooks/"+url.PathEscape(r.PathValue("id")), map[string]any{"active": true})
	h.report(s, language(w, r), res)
	return Prefix + "/webhooks"
}

func (h *Handler) webhookResend(w http.ResponseWriter, r *http.Request, s *session) string {
	res := h.call(r.Context(), r, s, http.MethodPost, "/sandbox/webhook_deliveries/"+url.PathEscape(r.PathValue("id"))+"/resend", nil)
	h.report(s, language(w, r), res)
	return Prefix + "/webhooks"
}

func (h *Handler) clock(r *http.Request, s *session, v *view) int {
	v.Data["buttons"] = []any{"hour", "day", "month", "next"}
	if st := h.get(r, s, v, "clock", "/sandbox/clock"); st != http.StatusOK {
		return st
	}
	// What the last move from this session ran, then every move of the
	// store from the request log with the charges it touched.
	h.mu.Lock()
	if s.ran != nil {
		v.Data["ran"], s.ran = s.ran, nil
	}
	h.mu.Unlock()
	h.get(r, s, v, "moves", "/sandbox/requests?limit=20&path_prefix="+url.QueryEscape("/sandbox/clock/"))
	return http.StatusOK
}

// advances are the clock page's buttons: ISO 8601 durations
// (docs/sandbox.md).
var advances = map[string]string{"hour": "PT1H", "day": "P1D", "month": "P1M"}

func (h *Handler) clockAction(w http.ResponseWriter, r *http.Request, s *session) string {
	var res apiResult
	switch a := r.PathValue("action"); a {
	case "next":
		res = h.call(r.Context(), r, s, http.MethodPost, "/sandbox/clock/next", nil)
	case "set":
		res = h.call(r.Context(), r, s, http.MethodPost, "/sandbox/clock/set", map[string]any{"time": strings.TrimSpace(r.PostFormValue("time"))})
	default:
		d, ok := advances[a]
		if !ok {
			res = apiResult{status: http.StatusNotFound}
			break
		}
		res = h.call(r.Context(), r, s, http.MethodPost, "/sandbox/clock/advance", map[string]any{"duration": d})
	}
	if res.ok() {
		lang := language(w, r)
		var moved struct {
			Now string `json:"now"`
			Ran []any  `json:"ran"`
		}
		_ = json.Unmarshal(res.body, &moved)
		h.setFlash(s, fmt.Sprintf(tr(lang, "clock.moved"), moved.Now, len(moved.Ran)), false)
		h.mu.Lock()
		s.ran = moved.Ran
		h.mu.Unlock()
	} else {
		h.report(s, "", res)
	}
	return Prefix + "/clock"
}

func (h *Handler) config(r *http.Request, s *session, v *view) int {
	st := h.get(r, s, v, "config", "/sandbox/store_configuration")
	if st != http.StatusOK {
		return st
	}
	b, _ := json.MarshalIndent(v.Data["config"], "", "  ")
	v.Data["text"] = string(b)
	conf := v.Data["config"].(map[string]any)
	brands := map[string]bool{}
	for _, b := range listOf(conf["card_brands"]) {
		brands[fmt.Sprint(b)] = true
	}
	var bs []brandBox
	for _, b := range cardBrands {
		bs = append(bs, brandBox{Name: b, On: brands[b]})
	}
	v.Data["brands"] = bs
	v.Data["methods"] = configMethods
	v.Data["colours"] = themeColours
	v.Data["privileges"] = []string{"none", "bounded", "infinite"}
	// The preview iframe's URL changes with the configuration, so that it
	// reloads after a save.
	v.Data["preview"] = Prefix + "/preview?v=" + fmt.Sprintf("%x", sha256.Sum256(b))[:12]
	h.get(r, s, v, "app_tokens", "/sandbox/app_tokens")
	h.mu.Lock()
	if s.newToken != nil {
		v.Data["new_token"], s.newToken = s.newToken, nil
	}
	h.mu.Unlock()
	return http.StatusOK
}

// brandBox is a card brand's checkbox.
type brandBox struct {
	Name string
	On   bool
}

// cardBrands are the card brands a store may enable (docs/sandbox.md, "Keys").
var cardBrands = []string{"visa", "mastercard", "jcb", "american_express", "diners_club", "discover", "unionpay", "maestro"}

// configMethods are the payment methods' switches of the configuration.
var configMethods = []string{"card_enabled", "konbini_enabled", "bank_transfer_enabled", "online_enabled", "paidy_enabled"}

// themeColours are the widget's colours of the configuration's theme.
var themeColours = []string{"main_background", "secondary_background", "main_color", "main_text", "primary_text", "secondary_text", "base_text"}

// listOf is a JSON array's items.
func listOf(v any) []any { l, _ := v.([]any); return l }

func (h *Handler) configSave(w http.ResponseWriter, r *http.Request, s *session) string {
	var doc map[string]any
	text := r.PostFormValue("config")
	if err := json.Unmarshal([]byte(text), &doc); err != nil || doc == nil {
		h.setFlash(s, tr(language(w, r), "invalid_json"), true)
		return Prefix + "/config"
	}
	res := h.callRaw(r.Context(), r, s.secret+"."+s.jwt, http.MethodPatch, "/sandbox/store_configuration", strings.NewReader(text))
	h.report(s, language(w, r), res)
	return Prefix + "/config"
}

// configForm saves the form's fields: a PATCH of the keys it shows.
func (h *Handler) configForm(w http.ResponseWriter, r *http.Request, s *session) string {
	patch := map[string]any{}
	for _, m := range configMethods {
		patch[m] = r.PostFormValue(m) == "on"
	}
	brands := []string{}
	for _, b := range cardBrands {
		if r.PostFormValue("brand_"+b) == "on" {
			brands = append(brands, b)
		}
	}
	patch["card_brands"] = brands
	theme := map[string]any{}
	for _, c := range themeColours {
		theme[c] = strings.TrimSpace(r.PostFormValue("theme_" + c))
	}
	patch["theme"] = theme
	if logo := strings.TrimSpace(r.PostFormValue("logo_image")); logo != "" {
		patch["logo_image"] = logo
	} else {
		patch["logo_image"] = nil
	}
	patch["three_ds_required"] = r.PostFormValue("three_ds_required") == "on"
	patch["recurring_token_privilege"] = r.PostFormValue("recurring_token_privilege")
	res := h.call(r.Context(), r, s, http.MethodPatch, "/sandbox/store_configuration", patch)
	h.report(s, language(w, r), res)
	return Prefix + "/config#preview"
}

// preview is the page the configuration page frames: the real widget,
// with the session's app token, as a shop would open it (docs/dashboard.md,
// "Configuration and preview"). It is the one page with scripts: the
// widget's loader, from this server.
func (h *Handler) preview(w http.ResponseWriter, r *http.Request) {
	s := h.current(r)
	if s == nil {
		http.Error(w, "signed out", http.StatusForbidden)
		return
	}
	lang := language(w, r)
	w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: https: http:; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = h.previewPage.Execute(w, map[string]string{"Lang": lang, "Title": tr(lang, "preview"), "JWT": s.jwt,
		"Note": tr(lang, "preview.note"), "Button": tr(lang, "preview.button")})
}

func (h *Handler) tokenCreate(w http.ResponseWriter, r *http.Request, s *session) string {
	var domains []string
	for _, d := range strings.FieldsFunc(r.PostFormValue("domains"), func(c rune) bool { return c == ',' || c == ' ' || c == '\n' }) {
		domains = append(domains, strings.TrimSpace(d))
	}
	res := h.call(r.Context(), r, s, http.MethodPost, "/sandbox/app_tokens", map[string]any{"domains": domains, "mode": r.PostFormValue("mode")})
	h.report(s, language(w, r), res)
	if res.ok() {
		// The secret is shown once, on the next page, and forgotten.
		var created map[string]any
		_ = json.Unmarshal(res.body, &created)
		h.mu.Lock()
		s.newToken = created
		h.mu.Unlock()
	}
	return Prefix + "/config#app-tokens"
}

func (h *Handler) tokenRevoke(w http.ResponseWriter, r *http.Request, s *session) string {
	res := h.call(r.Context(), r, s, http.MethodDelete, "/sandbox/app_tokens/"+url.PathEscape(r.PathValue("id")), nil)
	h.report(s, language(w, r), res)
	return Prefix + "/config#app-tokens"
}
