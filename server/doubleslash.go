package server

import (
	"net/http"
	"strings"
)

// doubleSlashFix serves a request whose path contains doubled slashes as
// the same path with single ones: SDKs build URLs as endpoint + "/path", so
// an endpoint configured with a trailing slash yields "//charges"
// (docs/tokens-and-lists.md, "Doubled slashes"). Other requests pass
// through untouched; the caller's request is never modified.
func doubleSlashFix(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, "//") {
			h.ServeHTTP(w, r)
			return
		}
		r2 := new(http.Request)
		*r2 = *r
		u := *r.URL
		u.Path = collapseSlashes(u.Path)
		u.RawPath = collapseSlashes(u.RawPath)
		r2.URL = &u
		h.ServeHTTP(w, r2)
	})
}

// collapseSlashes replaces every run of slashes in p by one slash.
func collapseSlashes(p string) string {
	if !strings.Contains(p, "//") {
		return p
	}
	var b strings.Builder
	b.Grow(len(p))
	for i := 0; i < len(p); i++ {
		if p[i] == '/' && i > 0 && p[i-1] == '/' {
			continue
		}
		b.WriteByte(p[i])
	}
	return b.String()
}
