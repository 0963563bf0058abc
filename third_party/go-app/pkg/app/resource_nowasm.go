//go:build !wasm

package app

import "net/http"

// fileHandler serves the files of a LocalDir on the server.
type fileHandler = http.Handler

func newFileHandler(directory string) fileHandler {
	return http.FileServer(http.Dir(directory))
}
