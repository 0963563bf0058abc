// Command wasm is the checkout app that runs in the widget iframe. It is
// built with GOOS=js GOARCH=wasm into embed/web/app.wasm and is a
// client-only main: it talks to the API with the browser's fetch and never
// links net/http's client or any server code.
package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

func main() {
	app.Route("/checkout", func() app.Composer { return &checkout{} })
	// A link form page: the same checkout in a full page (docs/link-forms.md).
	app.RouteWithRegexp(`^/forms/[^/]+$`, func() app.Composer { return &checkout{} })
	app.RunWhenOnBrowser()
}
