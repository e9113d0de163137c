package triage

import (
	"math"
	"sync"
	"time"
	"unsafe"

	"github.com/authdoctor/authdoctor/pkg/logscan"
	"github.com/authdoctor/authdoctor/pkg/tokcache"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/verify"
)

// Token is one distinct token handed to a Checker.
type Token struct {
	// Raw is the token's text in the line being read: valid only during
	// the Checker's call. A Checker copies what it keeps (strings.Clone);
	// what it returns (the facts) must not share Raw's bytes.
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
// bound (exp + leeway, nbf − leeway, iat − leeway). The time class names
// those sides, so a repeated token is judged again only when a line's time
// crosses one. golang-jwt compares the claims truncated to the second and
// the findings compare them exactly: both are bounds. They are kept as
// Unix nanoseconds (clamped, see nanos): an entry is smaller and a class
// costs six integer comparisons.
type bounds struct {
	t   [6]int64 // exp, exp truncated (+ leeway); nbf, nbf truncated, iat, iat truncated (− leeway)
	set uint8    // bit i: bound i exists
}

func boundsOf(f *token.Facts, leeway time.Duration) bounds {
	var b bounds
	for i, in := range []token.Instant{f.Exp, f.Nbf, f.Iat} {
		if !in.Set {
			continue
		}
		lw := -leeway
		if i == 0 {
			lw = leeway
		}
		b.t[2*i], b.t[2*i+1] = nanos(in.T.Add(lw)), nanos(in.T.Truncate(time.Second).Add(lw))
		b.set |= 3 << (2 * i)
	}
	return b
}

// Instants outside the years 1678–2262 (UnixNano's range; a token may
// say exp 9999-12-31) are clamped to its ends, which keeps every order
// but that between two instants beyond the same end: no log line is
// dated there.
var minNanos, maxNanos = time.Unix(0, math.MinInt64), time.Unix(0, math.MaxInt64)

func nanos(t time.Time) int64 {
	switch {
	case t.Before(minNanos):
		return math.MinInt64
	case t.After(maxNanos):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// class is the time class of at: bit i set when at is past bound i (exp:
// at or after it; nbf, iat: before it).
func (b *bounds) class(at time.Time) uint8 {
	n := nanos(at)
	var c uint8
	for i, t := range b.t {
		if b.set&(1<<i) != 0 && ((i < 2 && n >= t) || (i >= 2 && t > n)) {
			c |= 1 << i
		}
	}
	return c
}

// entry is what the cache keeps for one distinct token: its fingerprint
// and facts (from its first judgement) and one verdict per time class.
type entry struct {
	fingerprint [token.FingerprintBytes]byte // the first bytes of the token's SHA-256 (token.FingerprintOf)
	facts       facts
	bounds      bounds
	kind        logscan.Kind
	seen        bool           // by the summary (one goroutine)
	first       classVerdict   // the first judgement (immutable)
	more        []classVerdict // judgements in other time classes, under mu
	mu          sync.Mutex
}

type classVerdict struct {
	class uint8
	res   *verdict
}

// verdicts caches judgements by token.
type verdicts struct {
	cache   *tokcache.Cache[entry]
	check   Checker
	leeway  time.Duration
	strings interner
}

// verdict is a judgement without the facts (kept once per entry).
type verdict struct {
	Verdict string
	Checks  []string
	Worst   int
}

// valid is the judgement of most tokens, shared by their entries (an
// entry is smaller, and the summary counts a run of them at once).
var valid = &verdict{Verdict: "valid"}

func verdictOf(res *Result) *verdict {
	if res.Verdict == valid.Verdict && len(res.Checks) == 0 && res.Worst == 0 {
		return valid
	}
	return &verdict{res.Verdict, res.Checks, res.Worst}
}

// check judges a token as of at through the command's Checker.
func (v *verdicts) checkAt(raw []byte, kind logscan.Kind, at time.Time) (Result, [32]byte) {
	// The Checker sees the line's own bytes, not a copy: Token.Raw is
	// valid only during the call (a distinct token is about 1 KB, the
	// largest allocation of a scan after RSA's own).
	t := Token{Raw: unsafe.String(unsafe.SliceData(raw), len(raw)), Kind: kind}
	// One SHA-256 pass: the signing input's digest (for RS256) and the
	// whole token's (its fingerprint).
	var whole [32]byte
	t.Signing, whole = verify.TokenDigests(t.Raw)
	res := v.check(t, at)
	if kind == logscan.JWE {
		res.Verdict = "encrypted" // not "malformed": it is a token, only not one to read
	}
	return res, whole
}

// judge returns the verdict of the token (whose cache key is key) as of
// at, from the cache when the token was judged before in the same time
// class.
func (v *verdicts) judge(raw []byte, kind logscan.Kind, key tokcache.Key, at time.Time) (*entry, *verdict) {
	e, _ := v.cache.Do(key, func(e *entry) {
		res, whole := v.checkAt(raw, kind, at)
		e.fingerprint, e.kind, e.facts, e.bounds = [token.FingerprintBytes]byte(whole[:]), kind, v.strings.facts(&res.Facts), boundsOf(&res.Facts, v.leeway)
		e.first = classVerdict{e.bounds.class(at), verdictOf(&res)}
	}, entrySize)
	return e, v.at(e, raw, key, at)
}

// at is the entry's verdict in at's time class, judged now when the class
// is new.
func (v *verdicts) at(e *entry, raw []byte, key tokcache.Key, at time.Time) *verdict {
	class := e.bounds.class(at)
	if class == e.first.class {
		return e.first.res // set before the entry was shared: no lock
	}
	e.mu.Lock()
	for _, cv := range e.more {
		if cv.class == class {
			e.mu.Unlock()
			return cv.res
		}
	}
	e.mu.Unlock()
	res, _ := v.checkAt(raw, e.kind, at)
	vd := verdictOf(&res)
	e.mu.Lock()
	for _, cv := range e.more {
		if cv.class == class { // another worker judged it meanwhile
			e.mu.Unlock()
			return cv.res
		}
	}
	e.more = append(e.more, classVerdict{class, vd})
	e.mu.Unlock()
	v.cache.Resize(key, entrySize(e))
	return vd
}

// entrySize is what an entry holds, roughly, in bytes (a test compares it
// with the heap).
func entrySize(e *entry) int64 {
	n := 340 + 16*len(e.first.res.Checks)
	if e.first.res != valid {
		n += 48
	}
	e.mu.Lock()
	for _, cv := range e.more {
		n += 96 + 16*len(cv.res.Checks)
	}
	e.mu.Unlock()
	return int64(n)
}
