package main

import (
	"net/http"
	"time"
)

// transportLimits bound what one connection may hold of the server
// (docs/threat-model.md, "Load"): a client that sends its headers or its
// body slowly (slowloris) is dropped, idle keep-alive connections are
// closed, and headers are at most 64 KB (431 beyond). There is no write
// timeout: a polling GET waits for its resource on purpose
// (docs/sandbox-api.md, "Polling"), and the number of waiting polls is
// bounded by the server itself.
type transportLimits struct {
	ReadHeader, Read, Idle time.Duration
	MaxHeaderBytes         int
}

var defaultTransportLimits = transportLimits{
	ReadHeader:     10 * time.Second,
	Read:           60 * time.Second,
	Idle:           120 * time.Second,
	MaxHeaderBytes: 64 << 10,
}

// newHTTPServer is the http.Server of `kessai serve`.
func newHTTPServer(h http.Handler, l transportLimits) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.ReadHeader,
		ReadTimeout:       l.Read,
		IdleTimeout:       l.Idle,
		MaxHeaderBytes:    l.MaxHeaderBytes,
	}
}
