package server

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// The sandbox's own pages (docs/payment-methods.md, "The sandbox ACS
// page"): the 3-D Secure challenge a buyer answers, and the Seven-Eleven
// payment slip. They need no app token: the signed session in their URL
// names what they show.

// sandboxPageRoutes registers the pages.
func (s *Server) sandboxPageRoutes(m *apiMux) {
	page := func(pattern, summary string, h http.HandlerFunc) {
		m.mux.HandleFunc(pattern, h)
		s.routeTable = append(s.routeTable, Route{Pattern: pattern, Public: true, Summary: summary})
	}
	page("GET /sandbox/3ds/{session}", "Sandbox ACS page: the 3-D Secure challenge (HTML, ja/en) with Authenticate, Fail and Time out.", s.serveACS)
	page("POST /sandbox/3ds/{session}", "Sandbox ACS page: opened with the issuer token's form post, or answered (action=authenticate|fail|timeout).", s.serveACS)
	page("GET /sandbox/konbini/{session}", "Sandbox Seven-Eleven payment slip of a konbini charge (HTML).", s.serveKonbiniSlip)
}

// pageText are the words of the pages in one language.
type pageText struct {
	Lang, Title, Intro, Amount, Card, Registration               string
	Authenticate, Fail, TimeOut, Hint                            string
	Done, DoneSuccessful, DoneFailed, DoneError, GoBack, Invalid string
	SlipTitle, Store, Number, Deadline, Status, AgencyNumber     string
}

var pageTexts = map[string]pageText{
	"ja": {Lang: "ja", Title: "3-Dセキュア認証（サンドボックス）",
		Intro:  "これはKessaiサンドボックスの本人認証ページです。実際の認証は行われません。結果を選んでください。",
		Amount: "金額", Card: "カード", Registration: "カードの登録",
		Authenticate: "認証する", Fail: "認証に失敗させる", TimeOut: "タイムアウトさせる",
		Hint: "サンドボックスの時計を15分進めてもタイムアウトになります。",
		Done: "認証が終わりました。", DoneSuccessful: "認証に成功しました。", DoneFailed: "認証に失敗しました。", DoneError: "認証がタイムアウトしました。",
		GoBack: "元の画面に戻ってください。", Invalid: "このページは無効です。",
		SlipTitle: "払込票（サンドボックス）", Store: "コンビニ", Number: "払込票番号", Deadline: "お支払い期限", Status: "状態",
		AgencyNumber: "収納機関番号"},
	"en": {Lang: "en", Title: "3-D Secure authentication (sandbox)",
		Intro:  "This is the Kessai sandbox's authentication page. No real authentication takes place: choose the outcome.",
		Amount: "Amount", Card: "Card", Registration: "Card registration",
		Authenticate: "Authenticate", Fail: "Fail authentication", TimeOut: "Time out",
		Hint: "Moving the sandbox clock 15 minutes forward times out too.",
		Done: "Authentication finished.", DoneSuccessful: "Authentication succeeded.", DoneFailed: "Authentication failed.", DoneError: "Authentication timed out.",
		GoBack: " You may go back to the previous page.", Invalid: "This page is not valid.",
		SlipTitle: "Payment slip (sandbox)", Store: "Store", Number: "Payment number", Deadline: "Pay by", Status: "Status",
		AgencyNumber: "Collection agency number"},
}

// pageLang picks the page language: ?lang= or the form's lang, else the
// browser's preference (Japanese or English).
func pageLang(r *http.Request) pageText {
	if t, ok := pageTexts[r.FormValue("lang")]; ok {
		return t
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		if strings.HasPrefix(tag, "ja") {
			return pageTexts["ja"]
		}
		if strings.HasPrefix(tag, "en") {
			return pageTexts["en"]
		}
	}
	return pageTexts["ja"]
}

const pageStyle = `body{font-family:system-ui,"Noto Sans CJK JP",sans-serif;margin:0;padding:1.5rem;color:#1f2933;background:#f5f7fa}
main{max-width:26rem;margin:0 auto;background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:1.25rem 1.5rem}
h1{font-size:1.15rem;margin:0 0 .75rem}p{line-height:1.5}dl{display:grid;grid-template-columns:auto 1fr;gap:.35rem 1rem;margin:1rem 0}
dt{color:#52606d}dd{margin:0;font-weight:600}
.actions{display:flex;flex-direction:column;gap:.6rem;margin-top:1rem}
button{font:inherit;padding:.7rem 1rem;border-radius:6px;border:1px solid #334e68;background:#fff;color:#102a43;cursor:pointer}
button.primary{background:#1f6feb;border-color:#1f6feb;color:#fff}
button:focus-visible{outline:3px solid #f0b429;outline-offset:2px}.hint{font-size:.85rem;color:#52606d}`

var acsTemplate = template.Must(template.New("acs").Parse(`<!doctype html>
<html lang="{{.T.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{.T.Title}}</title><style>` + pageStyle + `</style></head>
<body><main>
<h1>{{.T.Title}}</h1>
{{if .Invalid}}<p role="alert">{{.T.Invalid}}</p>{{else if .Result}}
<p role="status" aria-live="polite" id="result" data-status="{{.Result}}">{{.ResultText}}{{.T.GoBack}}</p>
<script>(function(){var m={{.Message}};try{if(window.parent&&window.parent!==window)window.parent.postMessage(m,"*")}catch(e){}try{if(window.opener)window.opener.postMessage(m,"*")}catch(e){}})();</script>
{{else}}
<p>{{.T.Intro}}</p>
<dl>{{if .Amount}}<dt>{{.T.Amount}}</dt><dd>{{.Amount}}</dd>{{else}}<dt>{{.T.Registration}}</dt><dd></dd>{{end}}
{{if .LastFour}}<dt>{{.T.Card}}</dt><dd>•••• {{.LastFour}}</dd>{{end}}</dl>
<form method="post" action="{{.Action}}"><input type="hidden" name="lang" value="{{.T.Lang}}">
<div class="actions">
<button class="primary" type="submit" name="action" value="authenticate" autofocus>{{.T.Authenticate}}</button>
<button type="submit" name="action" value="fail">{{.T.Fail}}</button>
<button type="submit" name="action" value="timeout">{{.T.TimeOut}}</button>
</div></form>
<p class="hint">{{.T.Hint}}</p>
{{end}}
</main></body></html>`))

// acsPage is what the ACS page shows.
type acsPage struct {
	T                pageText
	Invalid          bool
	Action           string
	Amount, LastFour string
	Result           api.ThreeDSStatus
	ResultText       string
	Redirecting      bool
	Message          string // the JSON string posted to the widget
}

// acsSubject is the token or charge of a session, as the page needs it.
type acsSubject struct {
	resource, id, tokenID, chargeID string
	step                            *domain.ThreeDS
	amount                          string
	lastFour                        string
	metadata                        api.Metadata
}

// loadACSSubject reads the token or charge of a session, after running
// what is due on it (a time-out).
func (s *Server) loadACSSubject(ctx context.Context, kind, id string) (*acsSubject, error) {
	if kind == "t" {
		tok, err := s.storage.GetToken(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := s.settleTokenThreeDS(ctx, tok); err != nil {
			return nil, err
		}
		sub := &acsSubject{resource: "token", id: tok.ID, tokenID: tok.ID, step: tok.ThreeDSStep, metadata: tok.Metadata}
		if tok.Card != nil {
			sub.lastFour = tok.Card.LastFour
		}
		return sub, nil
	}
	c, err := s.settle(ctx, id)
	if err != nil {
		return nil, err
	}
	sub := &acsSubject{resource: "charge", id: c.ID, tokenID: c.TokenID, chargeID: c.ID, step: c.ThreeDS,
		lastFour: c.LastFour, metadata: c.Metadata,
		amount: displayAmount(c.Amount, c.Currency)}
	return sub, nil
}

func (s *Server) serveACS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	t := pageLang(r)
	kind, id, ok := s.parseThreeDSSession(r.PathValue("session"))
	ctx := r.Context()
	var sub *acsSubject
	var err error
	if ok && kind != "k" {
		sub, err = s.loadACSSubject(ctx, kind, id)
	}
	if !ok || kind == "k" || errors.Is(err, domain.ErrNotFound) || (err == nil && sub.step == nil) {
		w.WriteHeader(http.StatusNotFound)
		_ = acsTemplate.Execute(w, acsPage{T: t, Invalid: true})
		return
	}
	if err != nil {
		s.log.Error("3-D Secure page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if o := threeDSOutcome(r.PostFormValue("action")); r.Method == http.MethodPost && sub.step.Awaiting() &&
		(o == threeDSAuthenticate || o == threeDSFail || o == threeDSTimeOut) {
		if kind == "t" {
			_, err = s.finishTokenThreeDS(ctx, id, o)
		} else {
			_, err = s.finishChargeThreeDS(ctx, id, o)
		}
		if err == nil || errors.Is(err, errNotAwaiting) {
			sub, err = s.loadACSSubject(ctx, kind, id)
		}
		if err != nil {
			s.log.Error("3-D Secure page", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		if to := sub.step.RedirectEndpoint; to != nil && !sub.step.Awaiting() {
			http.Redirect(w, r, threeDSReturnURL(*to, sub), http.StatusSeeOther)
			return
		}
	}
	page := acsPage{T: t, Action: r.URL.Path, Amount: sub.amount, LastFour: sub.lastFour}
	if st := sub.step.Status; st != nil && !sub.step.Awaiting() && *st != api.ThreeDSPending {
		page.Result = *st
		page.ResultText = map[api.ThreeDSStatus]string{api.ThreeDSSuccessful: t.DoneSuccessful, api.ThreeDSFailed: t.DoneFailed, api.ThreeDSError: t.DoneError}[*st]
		msg, _ := json.Marshal(api.ThreeDSComplete{Type: api.ThreeDSCompleteMessage, Resource: sub.resource, ID: sub.id, Status: *st})
		page.Message = string(msg)
	}
	_ = acsTemplate.Execute(w, page)
}

// threeDSReturnURL is the redirect_endpoint with univapayTokenId (and
// univapayChargeId for a charge) and the creation metadata added to its
// own query.
func threeDSReturnURL(endpoint string, sub *acsSubject) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return endpoint
	}
	q := u.Query()
	for k := range sub.metadata {
		v, ok := sub.metadata.String(k)
		if !ok {
			v = string(sub.metadata[k])
		}
		q.Set(k, v)
	}
	q.Set("univapayTokenId", sub.tokenID)
	if sub.chargeID != "" {
		q.Set("univapayChargeId", sub.chargeID)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

var slipTemplate = template.Must(template.New("slip").Parse(`<!doctype html>
<html lang="{{.T.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{.T.SlipTitle}}</title><style>` + pageStyle + `</style></head>
<body><main><h1>{{.T.SlipTitle}}</h1>
{{if .Invalid}}<p role="alert">{{.T.Invalid}}</p>{{else}}
<dl><dt>{{.T.Store}}</dt><dd>{{.Store}}</dd><dt>{{.T.Number}}</dt><dd>{{.Number}}</dd>
<dt>{{.T.Amount}}</dt><dd>{{.Amount}}</dd><dt>{{.T.Deadline}}</dt><dd>{{.Deadline}}</dd><dt>{{.T.Status}}</dt><dd>{{.Status}}</dd></dl>
{{end}}</main></body></html>`))

// serveKonbiniSlip shows the sandbox payment slip of a konbini charge.
func (s *Server) serveKonbiniSlip(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	t := pageLang(r)
	kind, id, ok := s.parseThreeDSSession(r.PathValue("session"))
	var c *domain.Charge
	var err error
	if ok && kind == "k" {
		c, err = s.settle(r.Context(), id)
	}
	if !ok || kind != "k" || err != nil || c.Payment == nil {
		w.WriteHeader(http.StatusNotFound)
		_ = slipTemplate.Execute(w, map[string]any{"T": t, "Invalid": true})
		return
	}
	number, _ := c.Metadata.String(api.MetadataKonbiniPaymentNumber)
	deadline := ""
	if c.CaptureAt != nil {
		deadline = c.CaptureAt.In(jst).Format(time.DateTime) + " JST"
	}
	_ = slipTemplate.Execute(w, map[string]any{"T": t, "Store": c.Payment.KonbiniStore, "Number": number,
		"Amount": displayAmount(c.Amount, c.Currency), "Deadline": deadline, "Status": string(c.Status)})
}

// displayAmount writes an amount for a person: "4,321 JPY", "12.50 USD".
func displayAmount(amount int64, currency string) string {
	s := string(api.FormatAmount(amount, currency))
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if neg {
		out = "-" + out
	}
	if frac != "" {
		out += "." + frac
	}
	return out + " " + currency
}
