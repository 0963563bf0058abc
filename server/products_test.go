package server

import (
	"net/http"
	"reflect"
	"testing"

	"kessai/api"
)

// A store's products are set through the store configuration and reach the
// widget in checkout_info (docs/sandbox.md, "Products").
func TestStoreProducts(t *testing.T) {
	e := newEnv(t)
	if info := e.checkoutInfo(); info.Products != nil || info.CheckoutConfiguration.ECProducts.Enabled {
		t.Fatalf("a store without products: products %v, ec_products %v", info.Products, info.CheckoutConfiguration.ECProducts)
	}
	got := e.configure(`{"products":[{"code":"tshirt","name":"Tシャツ","amount":2500,"currency":"jpy"},{"code":"mug","name":"Mug","amount":1200,"currency":"JPY"}]}`, false)
	want := []api.Product{{Code: "tshirt", Name: "Tシャツ", Amount: 2500, Currency: "JPY"}, {Code: "mug", Name: "Mug", Amount: 1200, Currency: "JPY"}}
	if !reflect.DeepEqual(got.Products, want) {
		t.Errorf("configured products %+v", got.Products)
	}
	info := e.checkoutInfo()
	if !reflect.DeepEqual(info.Products, want) || !info.CheckoutConfiguration.ECProducts.Enabled {
		t.Errorf("checkout_info products %+v, ec_products %v", info.Products, info.CheckoutConfiguration.ECProducts)
	}
	// Another key leaves them alone; an empty list removes them.
	if got := e.configure(`{"konbini_enabled":true}`, false); len(got.Products) != 2 {
		t.Errorf("products after another change: %+v", got.Products)
	}
	e.configure(`{"products":[]}`, false)
	if info := e.checkoutInfo(); info.Products != nil || info.CheckoutConfiguration.ECProducts.Enabled {
		t.Errorf("after removing the products: %+v", info.Products)
	}
}

func TestStoreProductsInvalid(t *testing.T) {
	e := newEnv(t)
	r := e.do("PATCH", "/sandbox/store_configuration", e.secretAuth(),
		`{"products":[{"code":"a,b","name":"","amount":0,"currency":"yen"},{"code":"x","name":"X","amount":1,"currency":"JPY"},{"code":"x","name":"Y","amount":5,"currency":"USD"}]}`)
	wantError(t, r, http.StatusBadRequest, api.CodeValidationError,
		api.FieldError{Field: "products[0].amount", Reason: "Must be a positive amount in the currency's minor unit"},
		api.FieldError{Field: "products[0].code", Reason: `"a,b" is not a product code (1 to 64 letters, digits, '.', '_', '-')`},
		api.FieldError{Field: "products[0].currency", Reason: `"YEN" is not a currency the sandbox charges (JPY, USD, EUR, …)`},
		api.FieldError{Field: "products[0].name", Reason: "Must be 1 to 255 characters"},
		api.FieldError{Field: "products[2].code", Reason: `"x" is listed twice`})
	r = e.do("PATCH", "/sandbox/store_configuration", e.secretAuth(), `{"products":[{"code":"x","name":"X","price":100,"currency":"JPY"}]}`)
	wantError(t, r, http.StatusBadRequest, api.CodeValidationError, api.FieldError{Field: "products[0].price", Reason: "Unknown key"})
	if info := e.checkoutInfo(); info.Products != nil {
		t.Errorf("an invalid catalogue was saved: %+v", info.Products)
	}
}
