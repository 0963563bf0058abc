package server

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// The race tests of docs/threat-model.md, "Retries and races": many
// requests at once must not create what one request could not. They run on
// SQLite and, with KESSAI_TEST_DATABASE=postgres, on PostgreSQL.

// concurrently sends n requests at once (released together) and returns
// their responses; req builds request i.
func (e *testEnv) concurrently(n int, req func(i int) (method, path, body string, hdr []string)) []resp {
	e.t.Helper()
	out := make([]resp, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, p, b, h := req(i)
			<-start
			out[i] = e.do(m, p, e.secretAuth(), b, h...)
		}()
	}
	close(start)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		e.t.Fatalf("%d concurrent requests did not all finish", n)
	}
	return out
}

// countCodes counts the responses by status and error code ("201",
// "400 TRANSACTION_ALREADY_PROCESSED", ...).
func countCodes(t *testing.T, rs []resp) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, r := range rs {
		k := fmt.Sprint(r.code)
		if r.code >= 400 {
			k += " " + r.errBody(t).Code
		}
		n[k]++
	}
	return n
}

// A thousand clients retrying one request with one Idempotency-Key at the
// same moment: one charge, and every client gets its response.
func TestThousandRetriesOneKey(t *testing.T) {
	e := newEnv(t)
	tok := e.createToken("4000020000000000", "recurring") // reusable: each run would charge
	body := `{"transaction_token_id":"` + tok.ID + `","amount":1000,"currency":"JPY"}`
	rs := e.concurrently(1000, func(int) (string, string, string, []string) {
		return "POST", "/charges", body, []string{api.HeaderIdempotencyKey, "order-1"}
	})
	for _, r := range rs {
		if r.code != http.StatusCreated || string(r.body) != string(rs[0].body) {
			t.Fatalf("a retry answered %d %s, the first %d %s", r.code, r.body, rs[0].code, rs[0].body)
		}
	}
	n, err := e.s.storage.CountCharges(context.Background(), domain.ChargeCount{TokenID: tok.ID})
	if err != nil || n != 1 {
		t.Fatalf("%d charges (%v), want 1", n, err)
	}
}

// A one-time token charged by many requests at once, with and without
// keys: exactly one charge; the others are refused as the token is used.
func TestOneTimeTokenChargedOnceUnderRace(t *testing.T) {
	e := newEnv(t)
	tok := e.createToken("4000020000000000", "one_time")
	body := `{"transaction_token_id":"` + tok.ID + `","amount":1000,"currency":"JPY"}`
	rs := e.concurrently(40, func(i int) (string, string, string, []string) {
		if i%2 == 0 {
			return "POST", "/charges", body, []string{api.HeaderIdempotencyKey, fmt.Sprint("key-", i)}
		}
		return "POST", "/charges", body, nil
	})
	got := countCodes(t, rs)
	if got["201"] != 1 || got["201"]+got["400 "+api.CodeTransactionAlreadyProcessed] != len(rs) {
		t.Fatalf("answers %v; want one 201 and the rest 400 %s", got, api.CodeTransactionAlreadyProcessed)
	}
	n, err := e.s.storage.CountCharges(context.Background(), domain.ChargeCount{TokenID: tok.ID})
	if err != nil || n != 1 {
		t.Fatalf("%d charges (%v), want 1", n, err)
	}
}

// The charge frequency limit holds when the same card and amount arrive at
// once: one charge, the rest CHARGE_TOO_QUICK.
func TestChargeCooldownUnderRace(t *testing.T) {
	e := newLimitedEnv(t, Config{})
	tok := e.createToken("4000020000000000", "recurring")
	body := `{"transaction_token_id":"` + tok.ID + `","amount":1000,"currency":"JPY"}`
	rs := e.concurrently(20, func(int) (string, string, string, []string) { return "POST", "/charges", body, nil })
	if got := countCodes(t, rs); got["201"] != 1 || got["400 "+api.CodeChargeTooQuick] != len(rs)-1 {
		t.Fatalf("answers %v; want one 201 and the rest 400 %s", got, api.CodeChargeTooQuick)
	}
}

// The daily test-charge limit holds under concurrency: never more charges
// than the limit, whatever arrives at once.
func TestDailyLimitUnderRace(t *testing.T) {
	e := newLimitedEnv(t, Config{})
	five := 5
	e.setConfig(func(c *domain.StoreConfig) { c.Limits.DailyTestCharges = &five })
	tok := e.createToken("4000020000000000", "recurring")
	rs := e.concurrently(20, func(i int) (string, string, string, []string) {
		return "POST", "/charges", fmt.Sprintf(`{"transaction_token_id":%q,"amount":%d,"currency":"JPY"}`, tok.ID, 1000+i), nil
	})
	if got := countCodes(t, rs); got["201"] != five || got["400 "+api.CodeResourceLimitReached] != len(rs)-five {
		t.Fatalf("answers %v; want %d created and the rest 400 %s", got, five, api.CodeResourceLimitReached)
	}
}

// Refunds arriving at once never total more than the charge, whatever
// their amounts.
func TestRefundTotalUnderRace(t *testing.T) {
	e := newEnv(t)
	c := e.settledCharge("4000020000000000", "") // 1000 yen
	amounts := []int{400, 300, 250, 200, 150, 100, 100, 50, 999, 1}
	rs := e.concurrently(len(amounts), func(i int) (string, string, string, []string) {
		return "POST", e.refundsPath(c.ID), fmt.Sprintf(`{"amount":%d,"currency":"JPY"}`, amounts[i]), nil
	})
	total := 0
	for i, r := range rs {
		switch {
		case r.code == http.StatusCreated:
			total += amounts[i]
		case r.code == http.StatusBadRequest && r.errBody(t).Code == api.CodeRefundExceedsChargeAmount:
		default:
			t.Errorf("refund of %d: %d %s", amounts[i], r.code, r.body)
		}
	}
	if total > 1000 || total == 0 {
		t.Fatalf("refunds total %d on a charge of 1000", total)
	}
	var list api.List[api.Refund]
	e.do("GET", e.refundsPath(c.ID)+"?limit=100", e.secretAuth(), "").json(t, &list)
	stored := 0
	for _, r := range list.Items {
		stored += int(r.Amount)
	}
	if stored != total {
		t.Fatalf("stored refunds total %d, answered %d", stored, total)
	}
}

// A flood of polls holds at most MaxPolls waiting requests: the others are
// answered at once with the resource as it is, and the waiting ones still
// see the change when it comes.
func TestPollsBeyondTheLimitAnswerAtOnce(t *testing.T) {
	e := newEnvAt(t, time.Now(), func(c *Config) { c.MaxPolls, c.PollWait = 2, time.Minute })
	c := e.createCharge(e.createToken("4000020000000000", "one_time").ID, "") // pending until the clock moves
	waiting := make(chan resp, 2)
	for range 2 {
		go func() { waiting <- e.do("GET", e.chargePath(c.ID)+"?polling=true", e.secretAuth(), "") }()
	}
	for deadline := time.Now().Add(30 * time.Second); len(e.s.polls) < 2; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) { // both slots are never taken
			t.Fatal("the two polls did not start waiting")
		}
	}
	var now api.Charge
	e.do("GET", e.chargePath(c.ID)+"?polling=true", e.secretAuth(), "").json(t, &now)
	if now.Status != api.ChargePending || len(waiting) != 0 {
		t.Fatalf("the poll beyond the limit: %s, %d waiting polls answered", now.Status, len(waiting))
	}
	e.advance(time.Second)
	for range 2 {
		var got api.Charge
		select {
		case r := <-waiting:
			r.json(t, &got)
		case <-time.After(30 * time.Second):
			t.Fatal("a waiting poll did not see the change")
		}
		if got.Status != api.ChargeSuccessful {
			t.Fatalf("a waiting poll answered %s", got.Status)
		}
	}
}
