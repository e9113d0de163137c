package triage

import (
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/logscan"
	"github.com/authdoctor/authdoctor/pkg/tokcache"
	"github.com/authdoctor/authdoctor/pkg/token"
)

// A Checker sees a view of the line's bytes (Token.Raw), which the next
// chunk overwrites. Facts that share those bytes (a careless Checker's)
// must be copied into the entry, not kept as views.
func TestEntryKeepsNoViewOfTheLine(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	check := func(tk Token, at time.Time) Result {
		return Result{Verdict: "valid", Facts: token.Facts{Issuer: tk.Raw[:10], Kid: tk.Raw[11:13]}}
	}
	v := &verdicts{cache: tokcache.New[entry](16, 1<<20), check: check, leeway: time.Minute}
	buf := []byte("issuer-one.k1.sig")
	e, _ := v.judge(buf, logscan.JWS, tokcache.KeyOf(buf), now)
	copy(buf, "XXXXXXXXXXXXXXXXX") // the buffer is reused for the next line
	if e.facts.issuer != "issuer-one" || e.facts.kid != "k1" {
		t.Errorf("the entry's facts changed with the line's buffer: issuer %q, kid %q", e.facts.issuer, e.facts.kid)
	}
}

// The time class: which side of each bound (exp + leeway, nbf − leeway,
// iat − leeway, each also truncated to the second) an instant is on,
// with instants beyond UnixNano's range (exp in the year 9999, nbf in
// the year 1) kept in order.
func TestTimeClass(t *testing.T) {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	in := func(d time.Time) token.Instant { return token.Instant{T: d, Set: true} }
	for _, c := range []struct {
		name string
		f    token.Facts
		at   time.Time
		want uint8
	}{
		{"valid", token.Facts{Exp: in(at.Add(time.Hour)), Nbf: in(at.Add(-time.Hour)), Iat: in(at.Add(-time.Hour))}, at, 0},
		{"expired", token.Facts{Exp: in(at.Add(-2 * time.Minute))}, at, 0b11},
		{"expired within the leeway", token.Facts{Exp: in(at.Add(-30 * time.Second))}, at, 0},
		{"at exp + leeway exactly", token.Facts{Exp: in(at.Add(-time.Minute))}, at, 0b11},
		{"exp with a fraction, past it only untruncated", token.Facts{Exp: in(at.Add(-time.Minute + 500*time.Millisecond))}, at.Add(200 * time.Millisecond), 0b10},
		{"not yet valid", token.Facts{Nbf: in(at.Add(2 * time.Minute))}, at, 0b1100},
		{"issued in the future", token.Facts{Iat: in(at.Add(2 * time.Minute))}, at, 0b110000},
		{"exp in the year 9999", token.Facts{Exp: in(time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC))}, at, 0},
		{"nbf in the year 1", token.Facts{Nbf: in(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC))}, at, 0},
		{"exp in 1970, nbf unset", token.Facts{Exp: in(time.Unix(0, 0))}, at, 0b11},
	} {
		b := boundsOf(&c.f, time.Minute)
		if got := b.class(c.at); got != c.want {
			t.Errorf("%s: class %06b, want %06b", c.name, got, c.want)
		}
	}
}
