package storagetest

import (
	"slices"
	"testing"
	"time"

	"kessai/server/domain"
)

func testClaims(t *testing.T, st domain.Storage) {
	lease := func(key, holder string, ttl time.Duration) bool {
		t.Helper()
		ok, err := st.AcquireLease(ctx, key, holder, ttl)
		must(t, err)
		return ok
	}
	if !lease("k", "a", time.Minute) {
		t.Fatal("a free lease was refused")
	}
	if lease("k", "b", time.Minute) {
		t.Fatal("a held lease was given to another holder")
	}
	if !lease("k", "a", time.Minute) {
		t.Fatal("the holder could not renew its lease")
	}
	if !lease("other", "b", time.Minute) {
		t.Fatal("leases of different keys excluded each other")
	}
	must(t, st.ReleaseLease(ctx, "k", "b")) // not b's: no effect
	if lease("k", "b", time.Minute) {
		t.Fatal("a release by another holder freed the lease")
	}
	must(t, st.ReleaseLease(ctx, "k", "a"))
	if !lease("k", "b", time.Minute) {
		t.Fatal("a released lease was refused")
	}
	// An expired lease (a killed holder's) is taken over.
	if !lease("gone", "a", -time.Second) || !lease("gone", "b", time.Minute) {
		t.Fatal("an expired lease was not taken over")
	}

	must(t, st.ScheduleWork(ctx, "kind", "w1", "s1", at(10)))
	must(t, st.ScheduleWork(ctx, "kind", "w2", "s1", at(5)))
	must(t, st.ScheduleWork(ctx, "kind", "w3", "s2", at(1)))
	must(t, st.ScheduleWork(ctx, "other", "w4", "s1", at(1)))
	due := func(now time.Time, want ...string) {
		t.Helper()
		got, err := st.DueWork(ctx, "kind", "s1", now)
		must(t, err)
		if !slices.Equal(got, want) {
			t.Fatalf("due work at %v: %v, want %v", now, got, want)
		}
	}
	due(at(4))
	due(at(5), "w2")
	due(at(10), "w2", "w1")
	must(t, st.ScheduleWork(ctx, "kind", "w2", "s1", at(20)))
	due(at(10), "w1")
	must(t, st.DeleteWork(ctx, "kind", "w1"))
	must(t, st.DeleteWork(ctx, "kind", "unknown"))
	due(at(30), "w2")
}
