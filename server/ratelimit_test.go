package server

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestRateLimiterTake runs on the buckets in memory (SQLite) and on the
// stored ones (PostgreSQL; here on the test engine).
func TestRateLimiterTake(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		l := newRateLimiter(maxBuckets)
		testRateLimiterTake(t, l.take)
	})
	t.Run("stored", func(t *testing.T) {
		dir := t.TempDir()
		st, err := openStorage(Config{DataDir: dir, Database: testDatabase(t, dir)})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		l := newRateLimiter(maxBuckets)
		testRateLimiterTake(t, func(now, real time.Time, keys ...bucketKey) (bool, []int) {
			ok, rem, err := l.takeStored(context.Background(), st, now, real, keys...)
			if err != nil {
				t.Fatal(err)
			}
			return ok, rem
		})
	})
}

func testRateLimiterTake(t *testing.T, take func(now, real time.Time, keys ...bucketKey) (bool, []int)) {
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	route := bucketKey{app: "a", class: routeBuckets, path: "/x/{id}"}
	exact := func(id string) bucketKey { return bucketKey{app: "a", class: exactBuckets, path: "/x/" + id} }
	for i := range 10 {
		ok, rem := take(t0, t0, route, exact("1"))
		if !ok || !slices.Equal(rem, []int{29 - i, 9 - i}) {
			t.Fatalf("take %d = %v %v", i+1, ok, rem)
		}
	}
	// The exact bucket is empty: nothing is drawn from the route bucket.
	if ok, rem := take(t0, t0, route, exact("1")); ok || !slices.Equal(rem, []int{20, 0}) {
		t.Fatalf("refused take = %v %v", ok, rem)
	}
	if ok, rem := take(t0, t0, route, exact("2")); !ok || !slices.Equal(rem, []int{19, 9}) {
		t.Fatalf("another exact path = %v %v", ok, rem)
	}
	// Remaining counts are floored: 0.25 s refills 0.5 of an exact request.
	t1 := t0.Add(250 * time.Millisecond)
	if ok, rem := take(t1, t1, exact("1")); ok || !slices.Equal(rem, []int{0}) {
		t.Fatalf("after 0.25 s = %v %v", ok, rem)
	}
	t2 := t1.Add(250 * time.Millisecond)
	if ok, rem := take(t2, t2, exact("1")); !ok || !slices.Equal(rem, []int{0}) {
		t.Fatalf("after 0.5 s = %v %v", ok, rem)
	}
	// A sandbox clock reset moves time back: no refill until it passes
	// the new time.
	back := t0.Add(-time.Hour)
	if ok, _ := take(back, t2, exact("1")); ok {
		t.Fatal("a clock moved back refilled the bucket")
	}
	if ok, _ := take(back.Add(500*time.Millisecond), t2, exact("1")); !ok {
		t.Fatal("no refill after the reset")
	}
}

func TestRateLimiterMemoryBound(t *testing.T) {
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	key := func(i int) bucketKey { return bucketKey{app: "a", class: exactBuckets, path: "/p/" + strconv.Itoa(i)} }

	// Buckets idle long enough to be full again are dropped.
	l := newRateLimiter(10_000)
	for i := range 3000 {
		l.take(t0, t0, key(i))
	}
	if n := l.size(); n != 3000 {
		t.Fatalf("%d buckets before they refilled", n)
	}
	// Once they have refilled, the next sweep drops them all.
	later := t0.Add(exactBuckets.refill())
	added := 0
	for l.size() >= 3000 {
		if added > 5000 {
			t.Fatalf("no sweep after %d new buckets", added)
		}
		l.take(later, later, key(100_000+added))
		added++
	}
	if n := l.size(); n != added {
		t.Fatalf("%d buckets after the sweep, want the %d new ones", n, added)
	}

	// Never more than max, even when every bucket is in use.
	l = newRateLimiter(500)
	for i := range 5000 {
		l.take(t0, t0, key(i))
		if n := l.size(); n > 500 {
			t.Fatalf("%d buckets, max 500", n)
		}
	}
}
