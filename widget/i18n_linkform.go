package widget

// The texts of the link form page (docs/link-forms.md), kept beside the
// catalogues of i18n_catalog.go.
var linkFormTexts = map[Locale]map[string]string{
	LocaleJA: {
		"page.return":      "ショップに戻る",
		"page.redirecting": "ショップに戻ります…",
		"page.qr":          "スマートフォンで読み取ってお支払いください",
		"page.proof": "テストモード: リダイレクト先のURLとそのパラメータは購入者にも見え、書き換えられるため、決済の証明になりません。" +
			"決済の結果はウェブフック、またはシークレット付きの API（GET /stores/{storeId}/charges/{chargeId}）で確認してください。",
	},
	LocaleEN: {
		"page.return":      "Return to the shop",
		"page.redirecting": "Returning to the shop…",
		"page.qr":          "Scan with your phone to pay there",
		"page.proof": "Test mode: the redirect URL and its parameters are visible to the buyer, who can change them, " +
			"so they prove nothing to the merchant. Confirm the payment with a webhook or an API read with the secret " +
			"(GET /stores/{storeId}/charges/{chargeId}).",
	},
}

func init() {
	for l, texts := range linkFormTexts {
		for k, v := range texts {
			catalogues[l][k] = v
		}
	}
}
