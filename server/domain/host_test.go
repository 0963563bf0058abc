package domain_test

import (
	"testing"

	"kessai/server/domain"
)

func TestParseWidgetDomain(t *testing.T) {
	for _, test := range []struct {
		in, want string // want "" = refused
	}{
		{"www.univapay.com", "www.univapay.com"},
		{"  WWW.Example.COM ", "www.example.com"},
		{"https://www.univapay.com/", "www.univapay.com"},
		{"http://localhost:3000/shop", "localhost:3000"},
		{"localhost:3000", "localhost:3000"},
		{"127.0.0.1", "127.0.0.1"},
		{"[::1]:8080", "[::1]:8080"},
		{"[::1]", "[::1]"},
		{"*", "*"},
		{"", ""},
		{"shop.example\nattacker.example", ""},
		{"shop.example\tattacker.example", ""},
		{"shop example", ""},
		{"shop.example;script-src", ""},
		{"'self'", ""},
		{"shop..example", ""},
		{"shop.example:0", ""},
		{"shop.example:99999", ""},
		{"shop.example:http", ""},
		{"*.example.com", ""}, // no wildcards but the single "*"
	} {
		d, err := domain.ParseWidgetDomain(test.in)
		got := ""
		if err == nil {
			got = d.String()
		}
		if got != test.want {
			t.Errorf("ParseWidgetDomain(%q) = %q, %v; want %q", test.in, got, err, test.want)
		}
	}
}

func TestWidgetDomainMatches(t *testing.T) {
	for _, test := range []struct {
		entry, host, port string
		want              bool
	}{
		{"shop.example", "shop.example", "443", true},
		{"shop.example", "SHOP.example", "8080", true},
		{"shop.example", "www.shop.example", "443", false},
		{"shop.example:3000", "shop.example", "3000", true},
		{"shop.example:3000", "shop.example", "3001", false},
		{"*", "anything.example", "1", true},
		{"::1", "[::1]", "80", true},
	} {
		d, err := domain.ParseWidgetDomain(test.entry)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Matches(test.host, test.port); got != test.want {
			t.Errorf("%q.Matches(%q, %q) = %v, want %v", test.entry, test.host, test.port, got, test.want)
		}
	}
}

func TestParseOrigin(t *testing.T) {
	for _, c := range []struct{ in, host, port, str string }{
		{"https://Shop.Example", "shop.example", "443", "https://shop.example"},
		{"http://localhost:8080/path?q", "localhost", "8080", "http://localhost:8080"},
		{"http://127.0.0.1:80", "127.0.0.1", "80", "http://127.0.0.1"},
		{"localhost:3000", "localhost", "3000", "http://localhost:3000"},
		{"http://[::1]:8080", "::1", "8080", "http://[::1]:8080"},
	} {
		o, err := domain.ParseOrigin(c.in)
		if err != nil || o.Host != c.host || o.Port != c.port || o.String() != c.str {
			t.Errorf("ParseOrigin(%q) = %+v %q, %v; want %s %s %s", c.in, o, o.String(), err, c.host, c.port, c.str)
		}
	}
	for _, bad := range []string{"", " ", "null", "http://", "http://:80"} {
		if o, err := domain.ParseOrigin(bad); err == nil {
			t.Errorf("ParseOrigin(%q) = %+v, want an error", bad, o)
		}
	}
}
