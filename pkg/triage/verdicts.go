package triage

import (
	"sync"
	"time"

	"github.com/authdoctor/authdoctor/pkg/logscan"
	"github.com/authdoctor/authdoctor/pkg/tokcache"
	"github.com/authdoctor/authdoctor/pkg/token"
)

// Token is one distinct token handed to a Checker.
type Token struct {
	Raw  string
	Kind logscan.Kind
	// Signing is the SHA-256 of the signing input (verify.TokenDigests),
	// which an RS256 check need not compute again.
	Signing [32]byte
}

// Result is a Checker's judgement of a token as of an instant.
type Result struct {
	Verdict string
	Checks  []string // IDs of the findings
	Worst   int      // highest severity among them (engine.Severity)
	Facts   token.Facts
}

// Checker judges one token as of an instant: the verification of `verify`
// or the decode of `token`, exactly as those commands judge a token on its
// own. It must be safe for concurrent use.
type Checker func(t Token, at time.Time) Result

// The verdict of a token does not change within a run, except with time:
// the same checks run at two instants give the same verdict and the same
// check IDs when both instants fall on the same side of each time claim's
// bound (exp + leeway, nbf − leeway, iat − leeway). timeClass names those
// sides, so a repeated token is judged again only when a line's time
// crosses one. golang-jwt compares the claims truncated to the second and
// the findings compare them exactly; both are part of the class.
func timeClass(f *token.Facts, at time.Time, leeway time.Duration) uint8 {
	var c uint8
	if f.Exp.Set {
		if !at.Before(f.Exp.T.Add(leeway)) {
			c |= 1
		}
		if !at.Before(f.Exp.T.Truncate(time.Second).Add(leeway)) {
			c |= 2
		}
	}
	late := at.Add(leeway)
	for i, in := range []token.Instant{f.Nbf, f.Iat} {
		if !in.Set {
			continue
		}
		if in.T.After(late) {
			c |= 4 << (2 * i)
		}
		if in.T.Truncate(time.Second).After(late) {
			c |= 8 << (2 * i)
		}
	}
	return c
}

// entry is what the cache keeps for one distinct token: its fingerprint
// and facts (from its first judgement) and one verdict per time class.
type entry struct {
	fingerprint string
	facts       token.Facts
	seen        bool // by the summary (one goroutine)
	mu          sync.Mutex
	verdicts    []classVerdict
}

type classVerdict struct {
	class uint8
	res   *Result
}

// verdicts caches judgements by token.
type verdicts struct {
	cache  *tokcache.Cache[*entry]
	check  Checker
	leeway time.Duration
}

// judge returns the verdict of the token (whose SHA-256 is whole) as of
// at, from the cache when the token was judged before in the same time
// class.
func (v *verdicts) judge(raw []byte, kind logscan.Kind, whole [32]byte, at time.Time) (*entry, *Result) {
	check := func() *Result {
		res := v.check(Token{Raw: string(raw), Kind: kind, Signing: signingDigest(raw)}, at)
		if kind == logscan.JWE {
			res.Verdict = "encrypted" // not "malformed": it is a token, only not one to read
		}
		return &res
	}
	e, _ := v.cache.Do(whole, func() *entry {
		res := check()
		return &entry{fingerprint: token.FingerprintOf(whole), facts: res.Facts, verdicts: []classVerdict{{timeClass(&res.Facts, at, v.leeway), res}}}
	}, entrySize)
	class := timeClass(&e.facts, at, v.leeway)
	e.mu.Lock()
	for _, cv := range e.verdicts {
		if cv.class == class {
			e.mu.Unlock()
			return e, cv.res
		}
	}
	e.mu.Unlock()
	res := check()
	e.mu.Lock()
	e.verdicts = append(e.verdicts, classVerdict{class, res})
	e.mu.Unlock()
	v.cache.Resize(whole, entrySize(e))
	return e, res
}

// entrySize is what an entry holds, roughly, in bytes.
func entrySize(e *entry) int64 {
	f := &e.facts
	n := 256 + len(e.fingerprint) + len(f.Alg) + len(f.Kid) + len(f.Issuer) + len(f.Tenant) + len(f.Client) + len(f.Subject)
	for _, a := range f.Audience {
		n += 16 + len(a)
	}
	e.mu.Lock()
	for _, cv := range e.verdicts {
		n += 64 + 16*len(cv.res.Checks)
	}
	e.mu.Unlock()
	return int64(n)
}
