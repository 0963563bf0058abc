package widget

import "testing"

func TestCamelizeJSON(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"payment_type":"card","data":{"card":{"last_four":"4242","exp_month":12}},"metadata":{"order_id":12345678901234567890,"foo-bar":"x","nested_obj":{"a_b":1}}}`,
			`{"paymentType":"card","data":{"card":{"lastFour":"4242","expMonth":12}},"metadata":{"order_id":12345678901234567890,"foo-bar":"x","nested_obj":{"a_b":1}}}`},
		{`[{"charged_amount":1.50,"list_items":[{"item_id":1e3}]}]`, `[{"chargedAmount":1.50,"listItems":[{"itemId":1e3}]}]`},
		{`{"token":{"metadata":{"univapay-customer-id":"u"},"store_id":"s"}}`, `{"token":{"metadata":{"univapay-customer-id":"u"},"storeId":"s"}}`},
		{`{"metadata":null,"a_b":true,"c_d":null,"s":"<a_b>"}`, `{"metadata":null,"aB":true,"cD":null,"s":"<a_b>"}`},
		{`"plain"`, `"plain"`},
		{`{"_private":1,"already_Camel":2,"x1_y2":3}`, `{"_private":1,"alreadyCamel":2,"x1Y2":3}`},
	}
	for _, c := range cases {
		got, err := CamelizeJSON([]byte(c.in))
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if string(got) != c.want {
			t.Errorf("CamelizeJSON(%s)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
	for _, bad := range []string{`{"a":`, `{"a":1} x`, ``} {
		if _, err := CamelizeJSON([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
