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
	LocaleZHCN: {
		"page.return":      "返回商店",
		"page.redirecting": "正在返回商店…",
		"page.qr":          "用手机扫描，在手机上付款",
		"page.proof": "测试模式：跳转地址及其参数对买家可见，且可被修改，因此不能证明付款。" +
			"请通过 Webhook 或使用密钥的 API（GET /stores/{storeId}/charges/{chargeId}）确认付款结果。",
	},
	LocaleZHTW: {
		"page.return":      "返回商店",
		"page.redirecting": "正在返回商店…",
		"page.qr":          "以手機掃描，在手機上付款",
		"page.proof": "測試模式：重新導向的網址及其參數買家看得到，也可以修改，因此無法證明付款。" +
			"請透過 Webhook 或使用密鑰的 API（GET /stores/{storeId}/charges/{chargeId}）確認付款結果。",
	},
	LocaleKO: {
		"page.return":      "쇼핑몰로 돌아가기",
		"page.redirecting": "쇼핑몰로 돌아가는 중…",
		"page.qr":          "휴대폰으로 스캔하여 결제하세요",
		"page.proof": "테스트 모드: 리디렉션 URL과 파라미터는 구매자가 보고 바꿀 수 있으므로 결제의 증명이 되지 않습니다. " +
			"결제 결과는 웹훅 또는 시크릿을 사용한 API(GET /stores/{storeId}/charges/{chargeId})로 확인하세요.",
	},
	LocaleTH: {
		"page.return":      "กลับไปที่ร้านค้า",
		"page.redirecting": "กำลังกลับไปที่ร้านค้า…",
		"page.qr":          "สแกนด้วยโทรศัพท์เพื่อชำระเงินบนโทรศัพท์",
		"page.proof": "โหมดทดสอบ: URL ที่เปลี่ยนเส้นทางและพารามิเตอร์ผู้ซื้อมองเห็นและแก้ไขได้ จึงไม่ใช่หลักฐานการชำระเงิน " +
			"โปรดยืนยันผลการชำระเงินด้วย Webhook หรือ API ที่ใช้รหัสลับ (GET /stores/{storeId}/charges/{chargeId})",
	},
	LocaleRU: {
		"page.return":      "Вернуться в магазин",
		"page.redirecting": "Возвращаемся в магазин…",
		"page.qr":          "Отсканируйте телефоном, чтобы оплатить на нём",
		"page.proof": "Тестовый режим: адрес перенаправления и его параметры видны покупателю, и он может их изменить, " +
			"поэтому они ничего не доказывают продавцу. Проверяйте оплату вебхуком или запросом к API с секретом " +
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
