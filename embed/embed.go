// Package embed holds the widget's assets, compiled into the kessai binary
// with go:embed: the static files under static/ (the loader's source, the
// iframe stylesheet, icons) and the files `make wasm` builds into web/
// (app.wasm with its .br and .gz pre-compressed twins).
package embed

import "embed"

// Static holds static/: checkout.js (the loader's source), checkout.css, icon
// files.
//
//go:embed static/checkout.js static/checkout.css static/icon.svg static/icon.png static/demo-logo.svg
var Static embed.FS

// Web holds web/: the built wasm. It is empty (but for a placeholder) until
// `make wasm` has run; server/web then answers with a clear error.
//
//go:embed web
var Web embed.FS
