package e2e

import (
	"html/template"
	"net"
	"net/http"
	"strings"
)

// The test's own merchant pages, for what the example shop does not show.
var testPages = template.Must(template.New("").Parse(`
{{define "late"}}<!doctype html><html><head><meta charset="utf-8"><title>late span</title>
<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="shop-form" action="/done"><div id="slot"></div></form>
<script>
setTimeout(function () {
  var s = document.createElement("span");
  s.setAttribute("data-app-id", "{{.JWT}}");
  s.setAttribute("data-checkout", "payment");
  s.setAttribute("data-amount", "1000");
  s.setAttribute("data-currency", "jpy");
  s.setAttribute("data-text", "Late button");
  document.getElementById("slot").appendChild(s);
}, 1000);
</script></body></html>{{end}}
{{define "plain"}}<!doctype html><html><head><meta charset="utf-8"><title>plain</title>
<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="shop-form" action="/done">
<span data-app-id="{{.JWT}}" data-checkout="payment" data-amount="1000" data-currency="jpy"></span>
</form></body></html>{{end}}
{{define "many"}}<!doctype html><html><head><meta charset="utf-8"><title>many buttons</title>
<script src="{{.Widget}}/client/checkout.js"></script></head><body>
{{range $i, $amount := .Amounts}}<form id="item-{{$i}}" action="/done">
<span data-app-id="{{$.JWT}}" data-amount="{{$amount}}" data-currency="jpy" data-text="Buy {{$amount}}"></span>
</form>{{end}}
</body></html>{{end}}
{{define "jsinline"}}<!doctype html><html><head><meta charset="utf-8"><title>js inline</title>
<script src="{{.Widget}}/client/checkout.js"></script>
<script>
  var results = [];
  var checkout = UnivapayCheckout.create({
    appId: "{{.JWT}}", checkout: "payment", amount: "1000.00", currency: "JPY", inline: true,
    target: "#card-slot", form: "#order",
    onSuccess: function (r) { results.push("success:" + r.response.id + ":" + r.response.paymentType); },
    onTokenCreated: function (r) { results.push("token:" + r.tokenId); }
  });
  window.onload = function () { checkout.open(); };
</script></head><body>
<form id="order" action="/done"><input type="hidden" name="univapayChargeId" value="stale-from-an-earlier-attempt"><div id="card-slot"></div></form>
</body></html>{{end}}
{{define "jspopup"}}<!doctype html><html><head><meta charset="utf-8"><title>js popup</title>
<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="order" action="/done"><button type="button" id="open">Pay</button></form>
<script>
  var calls = [];
  var checkout = UnivapayCheckout.create({
    appId: "{{.JWT}}", amount: 1000, locale: "ja",
    opened: function () { calls.push("opened"); },
    closed: function () { calls.push("closed"); }
  });
  document.getElementById("open").onclick = function () { checkout.open(); };
</script></body></html>{{end}}
`))

type pageServer struct {
	Addr string
	srv  *http.Server
}

func (p *pageServer) Close() error { return p.srv.Close() }

// servePages serves testPages on addr: /late.html and /plain.html.
func servePages(addr string) (*pageServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".html")
		if testPages.Lookup(name) == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		testPages.ExecuteTemplate(w, name, map[string]any{"Widget": env.widget, "JWT": env.jwt, "Amounts": []int{500, 1000, 1500}})
	})
	p := &pageServer{Addr: ln.Addr().String(), srv: &http.Server{Handler: h}}
	go p.srv.Serve(ln)
	return p, nil
}
