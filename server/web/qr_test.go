package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rsc.io/qr"
)

// TestQRCodeDrawsTheEncodedModules reads the modules back out of the SVG and
// compares them with the code of the text: a phone camera sees exactly the
// QR code of the URL, with its quiet zone, in the colour asked for.
func TestQRCodeDrawsTheEncodedModules(t *testing.T) {
	h := newHandler(t, fakeDomains{})
	text := "https://shop.example/forms/0190?appId=abc&amount=1000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/qr.svg?text="+url.QueryEscape(text)+"&color=%23d6336c", nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("status %d, type %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	body := rec.Body.String()
	if !strings.Contains(body, `fill="#d6336c"`) {
		t.Errorf("the modules are not drawn in the colour asked for: %.200s", body)
	}
	want, err := qr.Encode(text, qr.M)
	if err != nil {
		t.Fatal(err)
	}
	vb := regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`).FindStringSubmatch(body)
	if vb == nil || vb[1] != strconv.Itoa(want.Size+8) {
		t.Fatalf("viewBox %v, want a %d-module code with a 4-module quiet zone", vb, want.Size)
	}
	drawn := map[[2]int]bool{}
	for _, m := range regexp.MustCompile(`M(\d+) (\d+)h1v1h-1z`).FindAllStringSubmatch(body, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		drawn[[2]int{x - 4, y - 4}] = true
	}
	for y := 0; y < want.Size; y++ {
		for x := 0; x < want.Size; x++ {
			if drawn[[2]int{x, y}] != want.Black(x, y) {
				t.Fatalf("module (%d,%d): drawn %v, code has %v", x, y, drawn[[2]int{x, y}], want.Black(x, y))
			}
		}
	}
	if len(drawn) == 0 {
		t.Fatal("no module drawn")
	}
}

func TestQRCodeRefusesBadQueries(t *testing.T) {
	h := newHandler(t, fakeDomains{})
	for _, q := range []string{
		"",                                  // no text
		"text=x&color=red",                  // not a hex colour
		`text=x&color=%23fff"/><script>`,    // an attempt to leave the attribute
		"text=" + strings.Repeat("a", 2049), // too long for a code
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/qr.svg?"+q, nil))
		if rec.Code != http.StatusBadRequest || strings.Contains(rec.Body.String(), "<script>") {
			t.Errorf("%.40q: status %d, body %.80q; want 400 with a plain message", q, rec.Code, rec.Body)
		}
	}
}
