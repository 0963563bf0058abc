package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"rsc.io/qr"
)

// maxQRText bounds what /qr.svg encodes: a QR code of level M holds about
// 2,300 bytes, and the widget only asks for URLs (docs/widget.md, "QR codes").
const maxQRText = 2048

// qrColor is a CSS hex colour (#rgb or #rrggbb), the only form /qr.svg
// accepts for its colour so that no value can escape the attribute.
var qrColor = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// serveQR answers GET /qr.svg?text=…&color=%23rrggbb with the QR code of
// text as an SVG image: the browser side shows payment-app and link-form
// URLs as QR codes without a QR encoder in the wasm (docs/widget.md,
// "QR codes").
func (h *Handler) serveQR(w http.ResponseWriter, r *http.Request) {
	text := r.URL.Query().Get("text")
	color := r.URL.Query().Get("color")
	if color == "" {
		color = "#000000"
	}
	switch {
	case text == "":
		http.Error(w, "qr.svg: the query parameter text is required", http.StatusBadRequest)
		return
	case len(text) > maxQRText:
		http.Error(w, fmt.Sprintf("qr.svg: text is longer than %d bytes", maxQRText), http.StatusBadRequest)
		return
	case !qrColor.MatchString(color):
		http.Error(w, "qr.svg: color must be #rgb or #rrggbb", http.StatusBadRequest)
		return
	}
	svg, err := qrSVG(text, color)
	if err != nil {
		http.Error(w, "qr.svg: "+err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(svg)
}

// qrSVG draws the code as one path of unit squares with the four-module
// quiet zone the QR standard asks for, on a white background.
func qrSVG(text, color string) ([]byte, error) {
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, err
	}
	const quiet = 4
	n := c.Size + 2*quiet
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="%s" d="`, n, n, color)
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; x++ {
			if c.Black(x, y) {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String()), nil
}
