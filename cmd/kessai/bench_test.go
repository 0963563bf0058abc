package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"kessai/bench/load"
)

// BenchmarkServeTokenThenCharge is the load run's flow against the whole
// server in the process (HTTP over loopback, the request log on, SQLite):
// the profile of `make bench`'s Kessai side (go test -cpuprofile).
func BenchmarkServeTokenThenCharge(b *testing.B) {
	srv := httptest.NewUnstartedServer(nil)
	public := "http://" + srv.Listener.Addr().String()
	logw := newLogWriter(io.Discard)
	defer logw.Close()
	log := slog.New(slog.NewTextHandler(logw, nil))
	app, err := NewApp(context.Background(), Config{DataDir: b.TempDir(), PublicURL: public, Logger: log, LimitsOff: true})
	if err != nil {
		b.Fatal(err)
	}
	defer app.Close()
	srv.Config.Handler = accessLog(log, app)
	srv.Start()
	defer srv.Close()
	demo := app.DemoCreated
	k := load.Kessai{URL: public, JWT: demo.JWT, Secret: demo.Secret, StoreID: demo.StoreID}
	flow := k.TokenThenCharge(fmt.Sprint("bench-", b.N))
	hc := load.NewHTTPClient(64)
	var ids atomic.Int64
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		c := &load.Client{HTTP: hc, ID: int(ids.Add(1))}
		for pb.Next() {
			if err := flow(context.Background(), c); err != nil {
				b.Error(err)
				return
			}
			c.N++
		}
	})
}
