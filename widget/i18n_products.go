package widget

// The texts of the product list (docs/widget.md, "Products"), in every
// locale, merged into the catalogues.
var productTexts = map[Locale]map[string]string{
	LocaleJA:   {"products.title": "ご注文内容", "products.quantity": "数量 {n}", "products.total": "合計"},
	LocaleEN:   {"products.title": "Your order", "products.quantity": "Qty {n}", "products.total": "Total"},
	LocaleZHCN: {"products.title": "订单内容", "products.quantity": "数量 {n}", "products.total": "合计"},
	LocaleZHTW: {"products.title": "訂單內容", "products.quantity": "數量 {n}", "products.total": "合計"},
	LocaleKO:   {"products.title": "주문 내역", "products.quantity": "수량 {n}", "products.total": "합계"},
	LocaleTH:   {"products.title": "รายการสั่งซื้อ", "products.quantity": "จำนวน {n}", "products.total": "รวม"},
	LocaleRU:   {"products.title": "Ваш заказ", "products.quantity": "Кол-во: {n}", "products.total": "Итого"},
}

func init() {
	for l, texts := range productTexts {
		if catalogues[l] == nil {
			catalogues[l] = map[string]string{}
		}
		for k, v := range texts {
			catalogues[l][k] = v
		}
	}
}

// ProductListLine is one row of the product list the form shows: the
// product's name, its quantity and the line's amount, formatted.
type ProductListLine struct {
	Name, Quantity, Amount string
}

// ProductList is the product list of the form in the buyer's language: a
// row per product and the total (docs/widget.md, "Products").
func ProductList(l Locale, lines []ProductLine) (rows []ProductListLine, total string) {
	var sum int64
	cur := ""
	for _, p := range lines {
		rows = append(rows, ProductListLine{Name: p.Name, Quantity: l.T("products.quantity", p.Quantity), Amount: FormatAmount(l, p.Total(), p.Currency)})
		sum += p.Total()
		cur = p.Currency
	}
	return rows, FormatAmount(l, sum, cur)
}
