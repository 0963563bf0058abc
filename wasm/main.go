// Command wasm is the checkout app that runs in the widget iframe. It is
// built with GOOS=js GOARCH=wasm into embed/web/app.wasm and is a
// client-only main: it talks to the API with the browser's fetch and never
// links net/http's client or any server code.
package main

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func main() {
	app.Route("/checkout", func() app.Composer { return &checkout{} })
	// A link form page: the same checkout in a full page (docs/link-forms.md).
	// The app never navigates, so the page's own path is routed as it is:
	// app.RouteWithRegexp would link the regexp package (about 240 KB of
	// code) into the wasm for this one route.
	if p := app.Window().Get("location").Get("pathname").String(); isFormPath(p) {
		app.Route(p, func() app.Composer { return &checkout{} })
	}
	app.RunWhenOnBrowser()
}

// isFormPath reports whether path is a link form page, /forms/{formId}
// (the pattern server/web routes).
func isFormPath(path string) bool {
	id, ok := strings.CutPrefix(path, "/forms/")
	return ok && id != "" && !strings.Contains(id, "/")
}
