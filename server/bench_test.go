package server

import (
	"encoding/json"
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
