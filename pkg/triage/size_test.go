package triage

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/logscan"
	"github.com/authdoctor/authdoctor/pkg/tokcache"
	"github.com/authdoctor/authdoctor/pkg/token"
)

// The bytes the cache accounts for are what its entries really take on
// the heap (within a factor of 1.5), so its byte bound bounds memory.
// Both kinds of entry: a token with findings, and a valid one (whose
// entry shares its verdict).
func TestAccountedBytesMatchTheHeap(t *testing.T) {
	for _, res := range []Result{{Verdict: "invalid", Checks: []string{"TOK004", "TOK006"}, Worst: 3}, {Verdict: "valid"}} {
		t.Run(res.Verdict, func(t *testing.T) { accountedBytesMatchTheHeap(t, res) })
	}
}

func accountedBytesMatchTheHeap(t *testing.T, res Result) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	check := func(tk Token, at time.Time) Result {
		n := len(tk.Raw)
		return Result{Verdict: res.Verdict, Checks: append([]string(nil), res.Checks...), Worst: res.Worst, Facts: token.Facts{Alg: "RS256", Kid: fmt.Sprint("kid-", n%7),
			Issuer: "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/v2.0", Tenant: "4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13",
			Client: "8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58", Audience: []string{"8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58"},
			Subject: fmt.Sprint("subject-", n), Exp: token.Instant{T: now, Set: true}, Iat: token.Instant{T: now, Set: true}}}
	}
	const n = 20000
	raws := make([][]byte, n)
	for i := range raws {
		raws[i] = []byte(fmt.Sprintf("eyJhbGciOiJSUzI1NiJ9.%08d.c2ln", i))
	}
	var before, after runtime.MemStats
	runtime.GC() // twice: sync.Pool's victim cache (other tests' chunks) goes at the second
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := &verdicts{cache: tokcache.New[entry](1<<20, 1<<40), check: check, leeway: time.Minute}
	for _, raw := range raws {
		v.judge(raw, logscan.JWS, tokcache.KeyOf(raw), now)
	}
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	st := v.cache.Stats()
	heap := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
	acct := float64(st.Bytes) / float64(st.Entries)
	t.Logf("%d entries: %.0f bytes accounted per entry, %.0f on the heap", st.Entries, acct, heap)
	if st.Entries != n || acct < heap/1.5 || acct > heap*1.5 {
		t.Errorf("accounted %.0f bytes per entry, the heap grew by %.0f", acct, heap)
	}
	runtime.KeepAlive(v)
}
