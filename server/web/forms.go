package web

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/api"
	"kessai/server/domain"
	"kessai/widget"
)

// FormSource reads link forms (server.Server implements it): an error
// wrapping domain.ErrNotFound for an unknown form.
type FormSource interface {
	LinkForm(ctx context.Context, id string) (api.LinkForm, error)
}

// formRoutes serves the link form pages (docs/link-forms.md): the page
// /forms/{formId} is the checkout app in its full-page mode, and
// /forms/{formId}/settings.json the form's settings the app reads (the
// query it merges them with is the page's own).
func (h *Handler) formRoutes() {
	app.RouteWithRegexp(`^/forms/[^/]+$`, func() app.Composer { return &pageShell{} })
	h.mux.HandleFunc("GET /forms/{formId}", h.serveForm)
	h.mux.HandleFunc("GET /forms/{formId}/settings.json", h.serveFormSettings)
}

// form reads the form of the request's path; it writes the 404 page and
// returns false when there is none.
func (h *Handler) form(w http.ResponseWriter, r *http.Request) (api.LinkForm, bool) {
	if h.forms == nil {
		http.NotFound(w, r)
		return api.LinkForm{}, false
	}
	f, err := h.forms.LinkForm(r.Context(), r.PathValue("formId"))
	switch {
	case errors.Is(err, domain.ErrNotFound):
		h.formError(w, r, http.StatusNotFound, "", []widget.Problem{{Param: "formId", Value: r.PathValue("formId"), Reason: "no link form has this ID"}})
		return api.LinkForm{}, false
	case err != nil:
		h.log.Error("link form", "id", r.PathValue("formId"), "err", err)
		http.Error(w, "The link form could not be read.", http.StatusServiceUnavailable)
		return api.LinkForm{}, false
	}
	return f, true
}

// serveForm serves a link form page. Its parameters are checked here by the
// same code the page runs (widget.ParseLinkForm), so that a bad one gives a
// page naming it (400) instead of a broken payment. The page may never be
// framed.
func (h *Handler) serveForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", "frame-ancestors 'none'")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if h.wasm == nil {
		http.Error(w, "The checkout app is not built. Run `make wasm`.", http.StatusServiceUnavailable)
		return
	}
	f, ok := h.form(w, r)
	if !ok {
		return
	}
	lf, ps := widget.ParseLinkForm(f.LinkFormSettings, r.URL.Query())
	errs := append(ps, lf.LinkProblems(lf.Options.Validate())...).Errors()
	if appID := lf.Options.AppID; appID != "" && len(errs) == 0 {
		// The app token must be one of the form's store (docs/link-forms.md,
		// "Authorisation").
		if _, err := h.domains.AppTokenDomains(r.Context(), appID); err != nil || widget.AppTokenStoreID(appID) != f.StoreID {
			errs = append(errs, widget.Problem{Param: "appId", Value: appID, Reason: "is not an app token of this form's store"})
		}
	}
	if len(errs) > 0 {
		h.formError(w, r, http.StatusBadRequest, f.Language, errs)
		return
	}
	h.goapp.ServeHTTP(w, r)
}

// serveFormSettings answers the settings the page merges with its query.
// They hold nothing secret: the page shows what they configure.
func (h *Handler) serveFormSettings(w http.ResponseWriter, r *http.Request) {
	f, ok := h.form(w, r)
	if !ok {
		return
	}
	b, err := json.Marshal(f.LinkFormSettings)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(b)
}

var formErrorPage = template.Must(template.New("form-error").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Hiragino Sans","Noto Sans CJK JP",sans-serif;background:#f3f4f6;color:#1f2937}
main{max-width:36rem;margin:3rem auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.25rem;margin:0 0 .75rem;color:#b91c1c}ul{padding-left:1.25rem}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px;word-break:break-all}
.note{color:#4b5563;font-size:.9rem}
</style></head>
<body><main role="alert">
<h1>{{.Title}}</h1>
<p>{{.Intro}}</p>
<ul>{{range .Problems}}<li><code>{{.Named}}</code>: {{.Reason}}</li>{{end}}</ul>
<p class="note">{{.Note}}</p>
</main></body></html>
`))

// formError writes the page that names the link form's bad parameters:
// no payment can start from it.
func (h *Handler) formError(w http.ResponseWriter, r *http.Request, status int, language string, ps []widget.Problem) {
	ja := strings.HasPrefix(language, "ja") ||
		(language == "" || language == "auto") && strings.HasPrefix(strings.ToLower(r.Header.Get("Accept-Language")), "ja")
	data := map[string]any{"Lang": "en", "Problems": ps,
		"Title": "This payment link is not valid",
		"Intro": "The link's parameters are wrong, so no payment can start. The shop must fix the link:",
		"Note":  "No payment was made. Please contact the shop that sent you this link."}
	if status == http.StatusNotFound {
		data["Title"], data["Intro"] = "This payment link does not exist", "The link names no payment form:"
	}
	if ja {
		data["Lang"] = "ja"
		data["Title"], data["Intro"] = "この決済リンクは無効です", "リンクのパラメータに誤りがあるため、決済を開始できません。ショップがリンクを修正する必要があります:"
		data["Note"] = "決済は行われていません。このリンクを送ったショップにお問い合わせください。"
		if status == http.StatusNotFound {
			data["Title"], data["Intro"] = "この決済リンクは存在しません", "リンクの決済フォームが見つかりません:"
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := formErrorPage.Execute(w, data); err != nil {
		h.log.Error("link form error page", "err", err)
	}
}

// pageShell is what the server pre-renders for a link form page before the
// wasm takes over: an empty container (go-app replaces, not hydrates, it).
// The popup's pre-rendered card form (prerender.go) is the widget iframe's
// only; a full page renders its own layout.
type pageShell struct{ app.Compo }

func (s *pageShell) Render() app.UI { return app.Div().ID("kessai").Class("kessai") }
