package storagetest

import (
	"sync"
	"testing"
	"time"

	"kessai/server/domain"
)

func testRateBuckets(t *testing.T, st domain.Storage) {
	exact := domain.RateBucket{Key: "app/exact/x", Capacity: 10, PerMinute: 120}
	draw := func(b domain.RateBucket, now time.Time, n float64, wantLevel float64, wantDrawn bool) {
		t.Helper()
		level, drawn, err := st.DrawRateBucket(ctx, b, now, n)
		must(t, err)
		if level != wantLevel || drawn != wantDrawn {
			t.Fatalf("draw %v at %v: level %v drawn %v, want %v %v", n, now.Sub(base), level, drawn, wantLevel, wantDrawn)
		}
	}
	// A new bucket starts full; each draw takes one.
	for i := range 10 {
		draw(exact, base, 1, float64(9-i), true)
	}
	draw(exact, base, 1, 0, false)
	// 120/min: 0.5 s refills one request, continuously.
	draw(exact, base.Add(250*time.Millisecond), 1, 0.5, false)
	draw(exact, base.Add(500*time.Millisecond), 1, 0, true)
	// Never above the capacity; a negative draw gives back.
	draw(exact, base.Add(time.Hour), 1, 9, true)
	draw(exact, base.Add(time.Hour), -1, 10, true)
	draw(exact, base.Add(time.Hour), -1, 10, true)
	// Multiplied before dividing: 50 ms at 1200/min is exactly one.
	route := domain.RateBucket{Key: "app/route/y", Capacity: 1, PerMinute: 1200}
	draw(route, base, 1, 0, true)
	draw(route, base.Add(50*time.Millisecond), 1, 0, true)
	// A time before the stored one (a clock reset) refills nothing and
	// becomes the bucket's time.
	draw(route, base, 1, 0, false)
	draw(route, base.Add(50*time.Millisecond), 1, 0, true)
	// Buckets are per key.
	draw(domain.RateBucket{Key: "app/exact/z", Capacity: 10, PerMinute: 120}, base, 1, 9, true)

	// Concurrent draws are serialised: of 30 draws on a bucket of 20, 20
	// succeed.
	shared := domain.RateBucket{Key: "app/route/shared", Capacity: 20, PerMinute: 1}
	var wg sync.WaitGroup
	var mu sync.Mutex
	drawn := 0
	for range 30 {
		wg.Go(func() {
			_, ok, err := st.DrawRateBucket(ctx, shared, base, 1)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				drawn++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if drawn != 20 {
		t.Fatalf("%d of 30 concurrent draws on a bucket of 20 succeeded", drawn)
	}

	// A bucket idle for its refill time in real time is full (it may be
	// deleted); one in use is kept. This one refills in under a
	// nanosecond, so it is idle at once; the sandbox time stands still.
	quick := domain.RateBucket{Key: "app/exact/quick", Capacity: 1, PerMinute: 1e12}
	draw(quick, base, 1, 0, true)
	draw(quick, base, 1, 0, true) // expired: full again
	draw(exact, base.Add(time.Hour), 1, 9, true)
	must(t, st.DeleteIdleRateBuckets(ctx))
	draw(quick, base, 1, 0, true)
	draw(exact, base.Add(time.Hour), 1, 8, true) // kept: not idle for 5 s
}
