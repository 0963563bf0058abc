package main

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// transportLimits bound what one connection may hold of the server
// (docs/threat-model.md, "Load"): a client that sends its headers or its
// body slowly (slowloris) is dropped, idle keep-alive connections are
// closed, headers are at most 64 KB (431 beyond), and at most MaxConns
// connections are open at once (more wait in the kernel's accept queue), so
// that a flood of connections or of polls cannot grow the memory without
// bound. There is no write
// timeout: a polling GET waits for its resource on purpose
// (docs/sandbox-api.md, "Polling"), and the number of waiting polls is
// bounded by the server itself.
type transportLimits struct {
	ReadHeader, Read, Idle time.Duration
	MaxHeaderBytes         int
	MaxConns               int
}

var defaultTransportLimits = transportLimits{
	ReadHeader:     10 * time.Second,
	Read:           60 * time.Second,
	Idle:           120 * time.Second,
	MaxHeaderBytes: 64 << 10,
	MaxConns:       4096,
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

// limitListener accepts at most cap(slots) connections at once: Accept
// waits for a slot, and closing a connection frees it.
type limitListener struct {
	net.Listener
	slots chan struct{}
}

func limitConns(ln net.Listener, n int) net.Listener {
	if n <= 0 {
		return ln
	}
	return &limitListener{Listener: ln, slots: make(chan struct{}, n)}
}

func (l *limitListener) Accept() (net.Conn, error) {
	l.slots <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitConn{Conn: c, free: func() { <-l.slots }}, nil
}

type limitConn struct {
	net.Conn
	once sync.Once
	free func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.free)
	return err
}
