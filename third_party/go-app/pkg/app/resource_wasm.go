//go:build wasm

package app

// fileHandler is nothing in the browser, where a LocalDir only resolves
// paths: serving files is the server's work, and net/http would link
// crypto/tls and most of the HTTP stack into every app.
type fileHandler interface{}

func newFileHandler(directory string) fileHandler { return nil }
