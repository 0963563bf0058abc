package dashboard

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// Link forms (docs/link-forms.md): a list with a create box, and an edit
// page per form. Both are requests to the sandbox's /sandbox/forms routes.

func (h *Handler) formRoutes() {
	m := h.mux
	m.HandleFunc("GET "+Prefix+"/forms", h.page("forms", h.forms))
	m.HandleFunc("POST "+Prefix+"/forms", h.action(h.formCreate))
	m.HandleFunc("GET "+Prefix+"/forms/{id}", h.page("form", h.form))
	m.HandleFunc("POST "+Prefix+"/forms/{id}", h.action(h.formSave))
}

var formTexts = map[string]map[string]string{
	"en": {
		"forms": "Link forms", "form": "Link form", "forms.hint": "Hosted payment pages of the store: send their URL with appId and amount (docs/link-forms.md).",
		"form.name": "Name", "form.create": "Create a form", "form.open": "Open with amount 1000", "form.url": "URL",
		"form.methods": "Payment methods (comma-separated; empty = all the store offers)", "form.required": "Required customer fields (the URL cannot remove them)",
		"form.require_name": "Name", "form.require_name_kana": "Name (kana)", "form.require_email": "E-mail", "form.require_phone_number": "Phone number",
		"form.require_address": "Address", "form.language": "Language", "form.auto": "The buyer's browser",
		"form.redirects": "Redirect URLs", "form.success": "Success", "form.pending": "Pending", "form.failure": "Failure",
		"form.custom": "Custom fields (JSON)", "form.theme": "Theme (the URL cannot change it)", "form.show_store_name": "Show the store's name",
		"form.show_logo": "Show the logo", "form.light": "Light", "form.dark": "Dark", "form.header_color": "Header colour",
		"form.button_color": "Button colour", "form.background_color": "Background colour", "form.content_color": "Content colour",
	},
	"ja": {
		"forms": "リンクフォーム", "form": "リンクフォーム", "forms.hint": "店舗のリンクフォーム（ホスト型決済ページ）です。URLに appId と amount を付けて送ります（docs/link-forms.md）。",
		"form.name": "名前", "form.create": "フォームを作成", "form.open": "金額1000で開く", "form.url": "URL",
		"form.methods": "決済方法（カンマ区切り、空なら店舗のすべて）", "form.required": "必須のお客様情報（URLでは外せません）",
		"form.require_name": "名前", "form.require_name_kana": "カナ", "form.require_email": "メールアドレス", "form.require_phone_number": "電話番号",
		"form.require_address": "住所", "form.language": "言語", "form.auto": "購入者のブラウザ",
		"form.redirects": "リダイレクトURL", "form.success": "成功", "form.pending": "処理待ち", "form.failure": "失敗",
		"form.custom": "カスタムの入力欄（JSON）", "form.theme": "テーマ（URLでは変更できません）", "form.show_store_name": "店舗名を表示",
		"form.show_logo": "ロゴを表示", "form.light": "ライト", "form.dark": "ダーク", "form.header_color": "ヘッダーの色",
		"form.button_color": "ボタンの色", "form.background_color": "背景の色", "form.content_color": "内容の背景の色",
	},
}

func init() {
	for lang, texts := range formTexts {
		for k, v := range texts {
			catalogue[lang][k] = v
		}
	}
}

// formLanguages are the language choices of the edit page.
var formLanguages = []string{"ja", "en", "zh-cn", "zh-tw", "ko", "th", "ru"}

// openURL is a form's page with the session's app token and an amount.
func openURL(s *session, form map[string]any) string {
	u, _ := form["url"].(string)
	return u + "?" + url.Values{"appId": {s.jwt}, "amount": {"1000"}}.Encode()
}

func (h *Handler) forms(r *http.Request, s *session, v *view) int {
	st := h.get(r, s, v, "forms", "/sandbox/forms")
	if st != http.StatusOK {
		return st
	}
	var open []string
	if m, ok := v.Data["forms"].(map[string]any); ok {
		items, _ := m["items"].([]any)
		for _, it := range items {
			f, _ := it.(map[string]any)
			open = append(open, openURL(s, f))
		}
	}
	v.Data["open"] = open
	return st
}

func (h *Handler) formCreate(w http.ResponseWriter, r *http.Request, s *session) string {
	res := h.call(r.Context(), r, s, http.MethodPost, "/sandbox/forms", map[string]any{"name": r.PostFormValue("name")})
	h.report(s, language(w, r), res)
	if v, err := res.decode(); res.ok() && err == nil {
		if id, _ := v["id"].(string); id != "" {
			return Prefix + "/forms/" + url.PathEscape(id)
		}
	}
	return Prefix + "/forms"
}

func (h *Handler) form(r *http.Request, s *session, v *view) int {
	id := r.PathValue("id")
	st := h.get(r, s, v, "form", "/sandbox/forms/"+url.PathEscape(id))
	if st != http.StatusOK {
		return st
	}
	f, _ := v.Data["form"].(map[string]any)
	v.Data["open"] = openURL(s, f)
	var methods []string
	for _, m := range asList(f["payment_methods"]) {
		if s, ok := m.(string); ok {
			methods = append(methods, s)
		}
	}
	v.Data["methods"] = strings.Join(methods, ", ")
	custom, _ := json.MarshalIndent(f["custom_fields"], "", "  ")
	v.Data["custom"] = string(custom)
	v.Data["languages"] = formLanguages
	v.Data["required"] = []string{"require_name", "require_name_kana", "require_email", "require_phone_number", "require_address"}
	v.Data["redirects"] = []string{"success", "pending", "failure"}
	v.Data["colors"] = []string{"header_color", "button_color", "background_color", "content_color"}
	return st
}

func asList(v any) []any { l, _ := v.([]any); return l }

// formSave sends the edit page's fields as one PATCH: the API checks them.
func (h *Handler) formSave(w http.ResponseWriter, r *http.Request, s *session) string {
	id := r.PathValue("id")
	back := Prefix + "/forms/" + url.PathEscape(id)
	var custom []any
	if err := json.Unmarshal([]byte(r.PostFormValue("custom_fields")), &custom); err != nil {
		h.setFlash(s, tr(language(w, r), "invalid_json"), true)
		return back
	}
	methods := []string{}
	for _, m := range strings.Split(r.PostFormValue("payment_methods"), ",") {
		if m = strings.TrimSpace(m); m != "" {
			methods = append(methods, m)
		}
	}
	on := func(k string) bool { return r.PostFormValue(k) == "on" }
	body := map[string]any{
		"name": r.PostFormValue("name"), "payment_methods": methods, "language": r.PostFormValue("language"),
		"custom_fields": custom,
		"theme": map[string]any{"show_store_name": on("show_store_name"), "show_logo": on("show_logo"), "mode": r.PostFormValue("mode"),
			"header_color": r.PostFormValue("header_color"), "button_color": r.PostFormValue("button_color"),
			"background_color": r.PostFormValue("background_color"), "content_color": r.PostFormValue("content_color")},
	}
	for _, k := range []string{"require_name", "require_name_kana", "require_email", "require_phone_number", "require_address"} {
		body[k] = on(k)
	}
	for _, k := range []string{"success", "pending", "failure"} {
		body[k+"_redirect_url"] = strings.TrimSpace(r.PostFormValue(k + "_redirect_url"))
	}
	h.report(s, language(w, r), h.call(r.Context(), r, s, http.MethodPatch, "/sandbox/forms/"+url.PathEscape(id), body))
	return back
}
