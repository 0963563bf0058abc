package dashboard

import (
	"net/http"
	"strings"
)

// langCookie keeps the language a visitor chose with the switch.
const langCookie = "kessai_dashboard_lang"

// catalogue holds the dashboard's texts; English is the fallback.
var catalogue = map[string]map[string]string{
	"en": {
		"title":                  "Kessai sandbox dashboard",
		"skip":                   "Skip to content",
		"signin":                 "Sign in",
		"signin.intro":           "Sign in with an app token of the store: its JWT and its secret (kessai apptoken create, or the demo token printed at the first start). The secret stays on the server.",
		"signin.failed":          "These credentials were refused by the API.",
		"signout":                "Sign out",
		"jwt":                    "App token (JWT)",
		"secret":                 "Secret",
		"charges":                "Charges",
		"charge":                 "Charge",
		"tokens":                 "Tokens",
		"subscriptions":          "Subscriptions",
		"subscription":           "Subscription",
		"webhooks":               "Webhooks",
		"clock":                  "Clock",
		"config":                 "Store configuration",
		"store":                  "Store",
		"status":                 "Status",
		"mode":                   "Mode",
		"method":                 "Method",
		"metadata":               "Metadata",
		"metadata.hint":          "key:value[,key:value]",
		"any":                    "any",
		"filter":                 "Filter",
		"amount":                 "Amount",
		"created":                "Created",
		"id":                     "ID",
		"type":                   "Type",
		"email":                  "E-mail",
		"card":                   "Card",
		"next":                   "Next page",
		"first":                  "First page",
		"total":                  "Total",
		"none":                   "Nothing yet.",
		"timeline":               "Timeline",
		"refunds":                "Refunds",
		"cancels":                "Cancels",
		"actions":                "Actions",
		"capture":                "Capture",
		"refund":                 "Refund",
		"cancel":                 "Cancel",
		"reason":                 "Reason",
		"json":                   "Full JSON",
		"period":                 "Period",
		"next_payment":           "Next payment",
		"payments":               "Payments",
		"due":                    "Due",
		"paid":                   "paid",
		"upcoming":               "not paid yet",
		"retry":                  "retry on",
		"suspend":                "Suspend",
		"resume":                 "Resume",
		"cancel_sub":             "Cancel subscription",
		"endpoints":              "Endpoints",
		"deliveries":             "Deliveries",
		"resend":                 "Resend",
		"resent":                 "resent",
		"next_attempt":           "next attempt",
		"url":                    "URL",
		"triggers":               "Events",
		"active":                 "Active",
		"stopped":                "Stopped",
		"enable":                 "Re-enable",
		"event":                  "Event",
		"attempts":               "Attempts",
		"http_status":            "HTTP status",
		"duration":               "Duration",
		"error":                  "Error",
		"now":                    "Current time",
		"offset":                 "Offset from real time",
		"advance":                "Advance",
		"hour":                   "+1 hour",
		"day":                    "+1 day",
		"month":                  "+1 month",
		"set":                    "Set the clock",
		"set.hint":               "RFC 3339, later than now: 2030-01-01T00:00:00Z",
		"save":                   "Save",
		"config.hint":            "The keys to change (PATCH /sandbox/store_configuration); the others keep their values. See docs/sandbox.md.",
		"done":                   "Done.",
		"invalid_json":           "This is not a JSON object.",
		"csrf":                   "The form has expired: reload the page and try again.",
		"language":               "Language",
		"timeline.created":       "created",
		"timeline.refund":        "refund",
		"timeline.cancel":        "cancel",
		"timeline.status_change": "status changed",
		"timeline.capture_at":    "capture scheduled",
		"requests":               "Requests",
		"created_with":           "Created with",
		"time":                   "Time (sandbox)",
		"request":                "Request",
		"idempotency_key":        "Idempotency key",
		"from_where":             "From",
		"body":                   "Body",
		"replay":                 "replayed",
		"server":                 "server (secret)",
		"browser":                "browser (widget)",
	},
	"ja": {
		"title":                  "Kessai サンドボックス ダッシュボード",
		"skip":                   "本文へ移動",
		"signin":                 "サインイン",
		"signin.intro":           "店舗のアプリトークン（JWT とシークレット）でサインインします（kessai apptoken create、または初回起動時に表示されるデモトークン）。シークレットはサーバーの外に出ません。",
		"signin.failed":          "API がこの認証情報を拒否しました。",
		"signout":                "サインアウト",
		"jwt":                    "アプリトークン（JWT）",
		"secret":                 "シークレット",
		"charges":                "課金",
		"charge":                 "課金",
		"tokens":                 "トークン",
		"subscriptions":          "定期課金",
		"subscription":           "定期課金",
		"webhooks":               "Webhook",
		"clock":                  "時計",
		"config":                 "店舗設定",
		"store":                  "店舗",
		"status":                 "ステータス",
		"mode":                   "モード",
		"method":                 "支払い方法",
		"metadata":               "メタデータ",
		"metadata.hint":          "キー:値[,キー:値]",
		"any":                    "すべて",
		"filter":                 "絞り込む",
		"amount":                 "金額",
		"created":                "作成日時",
		"id":                     "ID",
		"type":                   "種類",
		"email":                  "メールアドレス",
		"card":                   "カード",
		"next":                   "次のページ",
		"first":                  "最初のページ",
		"total":                  "件数",
		"none":                   "まだありません。",
		"timeline":               "タイムライン",
		"refunds":                "返金",
		"cancels":                "キャンセル",
		"actions":                "操作",
		"capture":                "売上確定",
		"refund":                 "返金する",
		"cancel":                 "キャンセルする",
		"reason":                 "理由",
		"json":                   "JSON 全体",
		"period":                 "周期",
		"next_payment":           "次回の支払い",
		"payments":               "支払い",
		"due":                    "予定日",
		"paid":                   "支払い済み",
		"upcoming":               "未払い",
		"retry":                  "再試行日",
		"suspend":                "停止する",
		"resume":                 "再開する",
		"cancel_sub":             "定期課金を解約する",
		"endpoints":              "エンドポイント",
		"deliveries":             "配信",
		"resend":                 "再送",
		"resent":                 "再送分",
		"next_attempt":           "次の試行",
		"url":                    "URL",
		"triggers":               "イベント",
		"active":                 "有効",
		"stopped":                "停止中",
		"enable":                 "再有効化",
		"event":                  "イベント",
		"attempts":               "試行",
		"http_status":            "HTTP ステータス",
		"duration":               "所要時間",
		"error":                  "エラー",
		"now":                    "現在時刻",
		"offset":                 "実時間との差",
		"advance":                "進める",
		"hour":                   "+1 時間",
		"day":                    "+1 日",
		"month":                  "+1 か月",
		"set":                    "時計を設定",
		"set.hint":               "RFC 3339、現在より後: 2030-01-01T00:00:00Z",
		"save":                   "保存",
		"config.hint":            "変更するキー（PATCH /sandbox/store_configuration）。他のキーはそのままです。docs/sandbox.md を参照。",
		"done":                   "完了しました。",
		"invalid_json":           "JSON オブジェクトではありません。",
		"csrf":                   "フォームの有効期限が切れました。ページを再読み込みしてください。",
		"language":               "言語",
		"timeline.created":       "作成",
		"timeline.refund":        "返金",
		"timeline.cancel":        "キャンセル",
		"timeline.status_change": "ステータス変更",
		"timeline.capture_at":    "売上確定予定",
		"requests":               "リクエスト",
		"created_with":           "作成時のパラメータ",
		"time":                   "時刻（サンドボックス）",
		"request":                "リクエスト",
		"idempotency_key":        "冪等キー",
		"from_where":             "送信元",
		"body":                   "ボディ",
		"replay":                 "再生",
		"server":                 "サーバー（シークレット）",
		"browser":                "ブラウザ（ウィジェット）",
	},
}

// tr returns the text of key in lang.
func tr(lang, key string) string {
	if s, ok := catalogue[lang][key]; ok {
		return s
	}
	if s, ok := catalogue["en"][key]; ok {
		return s
	}
	return key
}

// language picks the page's language: ?lang= (remembered in a cookie), the
// cookie, then the first of ja/en in Accept-Language; English otherwise.
func language(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); catalogue[l] != nil {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: Prefix, HttpOnly: true,
			SameSite: http.SameSiteStrictMode, MaxAge: 365 * 24 * 3600})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && catalogue[c.Value] != nil {
		return c.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		if q := strings.SplitN(part, ";", 2); len(q) == 2 && strings.TrimSpace(q[1]) == "q=0" {
			continue
		}
		base := strings.SplitN(tag, "-", 2)[0]
		if catalogue[base] != nil {
			return base
		}
	}
	return "en"
}
