package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/api"
	"kessai/widget"
)

// Products (docs/widget.md, "Products"): productCodes name products of the
// store's catalogue in checkout_info; they set the amount and the currency,
// the form lists them, and the payment carries their names.

// applyProducts resolves the product codes once checkout_info is read: the
// products' total and currency become the payment's. A problem is reported
// as any configuration problem; it reports whether the widget stopped.
func (c *checkout) applyProducts(ctx app.Context, info api.CheckoutInfo) bool {
	opts, _, ps := c.opts.ApplyProducts(info)
	if c.report(ctx, ps) {
		return true
	}
	c.opts = opts
	return false
}

// products are the products of productCodes in the store's catalogue (none
// when the codes are not all known: the widget stopped then).
func (c *checkout) products() []widget.ProductLine {
	_, lines, ps := c.opts.ApplyProducts(c.info)
	if ps.HasErrors() {
		return nil
	}
	return lines
}

// withProducts gives a payment the products: reported in the success
// detail, their names in the metadata.
func (c *checkout) withProducts(p *widget.Payment) {
	lines := c.products()
	if len(lines) == 0 {
		return
	}
	p.Products = lines
	if p.Extras.Reserved == nil {
		p.Extras.Reserved = map[string]string{}
	}
	for k, v := range widget.ProductsReserved(lines) {
		p.Extras.Reserved[k] = v
	}
}

// renderProducts lists the products (name, quantity, amount) and their
// total above the card fields; nil without products.
func (c *checkout) renderProducts() app.UI {
	lines := c.products()
	if len(lines) == 0 {
		return nil
	}
	rows, total := widget.ProductList(c.loc, lines)
	items := make([]app.UI, 0, len(rows)+1)
	for _, r := range rows {
		items = append(items, app.Li().Class("kessai-product").Body(
			app.Span().Class("kessai-product-name").Text(r.Name),
			app.Span().Class("kessai-product-qty").Text(r.Quantity),
			app.Span().Class("kessai-product-amount").Text(r.Amount),
		))
	}
	items = append(items, app.Li().Class("kessai-product", "kessai-product-total").Body(
		app.Span().Class("kessai-product-name").Text(c.loc.T("products.total")),
		app.Span().Class("kessai-product-amount").Text(total),
	))
	return app.Div().Class("kessai-products").Role("group").Aria("labelledby", "kessai-products-title").Body(
		app.P().ID("kessai-products-title").Class("kessai-plan-title").Text(c.loc.T("products.title")),
		app.Ul().Body(items...),
	)
}
