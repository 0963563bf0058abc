package server

import (
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"

	"kessai/api"
)

// BenchmarkTokenAndCharge measures what a widget payment costs the server:
// POST /tokens then POST /charges through the handler and the SQLite store.
func BenchmarkTokenAndCharge(b *testing.B) {
	s := newEnv(b)
	for b.Loop() {
		r := s.do("POST", "/tokens", s.secretAuth(), cardTokenBody("4000020000000000", "one_time"))
		var tok api.TransactionToken
		if r.code != 201 || json.Unmarshal(r.body, &tok) != nil {
			b.Fatalf("token: %d %s", r.code, r.body)
		}
		r = s.do("POST", "/charges", s.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`)
		if r.code != 201 {
			b.Fatalf("charge: %d %s", r.code, r.body)
		}
	}
}

// BenchmarkTokenAndChargeParallel is the flow of `make bench`'s load run
// in the process: concurrent payments, an Idempotency-Key on every POST.
// With group commits, concurrent writes share a commit.
func BenchmarkTokenAndChargeParallel(b *testing.B) {
	s := newEnv(b)
	var n atomic.Int64
	b.SetParallelism(8) // 8 × GOMAXPROCS concurrent payments
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			r := s.do("POST", "/tokens", s.secretAuth(), cardTokenBody("4000020000000000", "one_time"),
				api.HeaderIdempotencyKey, fmt.Sprint("token-", i))
			var tok api.TransactionToken
			if r.code != 201 || json.Unmarshal(r.body, &tok) != nil {
				b.Errorf("token: %d %s", r.code, r.body)
				return
			}
			r = s.do("POST", "/charges", s.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`,
				api.HeaderIdempotencyKey, fmt.Sprint("charge-", i))
			if r.code != 201 {
				b.Errorf("charge: %d %s", r.code, r.body)
				return
			}
		}
	})
}

// BenchmarkCheckoutInfo is the widget's first request, from a merchant
// page: GET /checkout_info with the JWT only and an Origin.
func BenchmarkCheckoutInfo(b *testing.B) {
	s := newEnv(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := s.do("GET", "/checkout_info", s.publicAuth(), "", "Origin", "http://localhost:3000")
			if r.code != 200 {
				b.Errorf("checkout_info: %d %s", r.code, r.body)
				return
			}
		}
	})
}

// BenchmarkRequestLog measures what the request log adds to a request: a
// GET of a charge, logged and not logged (docs/dashboard.md, "The request
// log"). The writer runs beside the requests; the benchmark ends with its
// queue written.
func BenchmarkRequestLog(b *testing.B) {
	s := newEnv(b)
	r := s.do("POST", "/tokens", s.secretAuth(), cardTokenBody("4000020000000000", "one_time"))
	var tok api.TransactionToken
	json.Unmarshal(r.body, &tok)
	r = s.do("POST", "/charges", s.secretAuth(), `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`)
	var c api.Charge
	json.Unmarshal(r.body, &c)
	path := "/stores/" + s.demo.StoreID + "/charges/" + c.ID
	for _, bc := range []struct {
		name string
		hdr  []string
	}{{"logged", nil}, {"not logged", []string{HeaderNoRequestLog, "1"}}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if r := s.do("GET", path, s.secretAuth(), "", bc.hdr...); r.code != 200 {
					b.Fatalf("get: %d %s", r.code, r.body)
				}
			}
			s.s.reqlog.sync(b.Context())
		})
	}
}
