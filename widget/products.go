package widget

import (
	"fmt"
	"strings"

	"kessai/api"
)

// Products: productCodes and productCodeQuantities name products of the
// store's catalogue, which checkout_info carries (a Kessai extension,
// docs/widget.md, "Products"). The products decide the amount and the
// currency; the form lists them; the token and the charge carry their names
// in the metadata key univapay-product-names.

// MetadataProductNames is the reserved metadata key of the product names.
const MetadataProductNames = "univapay-product-names"

// ProductLine is one product of a payment, as the buyer sees it and as the
// success detail reports it.
type ProductLine struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Quantity int64  `json:"quantity"`
	// Amount is the unit price in the currency's minor unit.
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Total is the line's amount: the unit price times the quantity.
func (l ProductLine) Total() int64 { return l.Amount * l.Quantity }

// ApplyProducts resolves the options' product codes against the store's
// catalogue (checkout_info.products): the lines in the order of
// productCodes, and the options with the products' total as the amount and
// their currency (a product wins over amount and currency, with a warning
// when they differ). An unknown code, a store without products, mixed
// currencies or a total of 0 are configuration errors on productCodes.
// Without product codes, or with checkout=token (a warning), it returns the
// options unchanged and no lines.
func (o Options) ApplyProducts(info api.CheckoutInfo) (Options, []ProductLine, Problems) {
	if len(o.ProductCodes) == 0 {
		return o, nil, nil
	}
	var ps Problems
	if o.Checkout == CheckoutToken {
		// Nothing is charged: the merchant charges the token later.
		ps.warnf("productCodes", "is ignored with checkout=token: nothing is charged")
		return o, nil, o.withValues(ps)
	}
	if !info.CheckoutConfiguration.ECProducts.Enabled || len(info.Products) == 0 {
		ps.errorf("productCodes", "the store has no products (set them in the store configuration)")
		return o, nil, o.withValues(ps)
	}
	catalogue := make(map[string]api.Product, len(info.Products))
	for _, p := range info.Products {
		catalogue[p.Code] = p
	}
	var lines []ProductLine
	var unknown []string
	var total int64
	for i, code := range o.ProductCodes {
		p, ok := catalogue[code]
		if !ok {
			unknown = append(unknown, code)
			continue
		}
		qty := int64(1)
		if i < len(o.ProductCodeQuantities) {
			qty = o.ProductCodeQuantities[i]
		}
		l := ProductLine{Code: p.Code, Name: p.Name, Quantity: qty, Amount: p.Amount, Currency: strings.ToUpper(p.Currency)}
		if len(lines) > 0 && l.Currency != lines[0].Currency {
			ps.errorf("productCodes", fmt.Sprintf("products in different currencies (%s, %s) cannot be paid together", lines[0].Currency, l.Currency))
			return o, nil, o.withValues(ps)
		}
		lines = append(lines, l)
		total += l.Total()
	}
	if len(unknown) > 0 {
		ps.errorf("productCodes", fmt.Sprintf("unknown product code %s: not in the store's products", strings.Join(quoteAll(unknown), ", ")))
		return o, nil, o.withValues(ps)
	}
	if total <= 0 {
		ps.errorf("productCodes", "the products' total is 0")
		return o, nil, o.withValues(ps)
	}
	cur := lines[0].Currency
	if o.AmountSet && (o.Amount != total || o.Currency != cur) {
		ps.warnf("amount", fmt.Sprintf("is replaced by the products' total %d %s", total, cur))
	}
	if !o.AmountSet && o.values["currency"] != "" && o.Currency != cur {
		ps.warnf("currency", "is replaced by the products' currency "+cur)
	}
	o.Amount, o.AmountSet, o.Currency = total, true, cur
	return o, lines, o.withValues(ps)
}

// ProductNames is the value of the metadata key univapay-product-names:
// the names joined by commas.
func ProductNames(lines []ProductLine) string {
	names := make([]string, len(lines))
	for i, l := range lines {
		names[i] = l.Name
	}
	return strings.Join(names, ",")
}

// ProductsReserved is the reserved metadata of the products (nil for none).
func ProductsReserved(lines []ProductLine) map[string]string {
	if len(lines) == 0 {
		return nil
	}
	return map[string]string{MetadataProductNames: ProductNames(lines)}
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
