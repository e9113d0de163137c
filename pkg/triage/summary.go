package triage

import (
	"encoding/binary"
	"sort"
	"time"

	"github.com/authdoctor/authdoctor/pkg/tokcache"
)

// Location is a line of an input.
type Location struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// occurrence is one token found at one line, judged.
type occurrence struct {
	file     int
	line     int
	at       time.Time
	lineTime bool // at is the line's own time, not --now
	e        *entry
	res      *verdict
	key      tokcache.Key
}

// Bounds of the summary's memory: values listed per cause and per fact;
// the rest are counted as "other".
const (
	maxValues   = 20
	exactTokens = 1 << 16 // distinct tokens counted exactly up to here
	exactCause  = 1 << 10
)

// detail says by what a cause's occurrences are grouped, and reads it from
// a token's facts: the kid that was not found, the issuer that did not
// match, ...
type detail struct {
	by  string
	get func(f *facts) string
}

func kidOf(f *facts) string    { return f.kid }
func algOf(f *facts) string    { return f.alg }
func issOf(f *facts) string    { return f.issuer }
func tenantOf(f *facts) string { return f.tenant }
func audOf(f *facts) string    { return f.audience }

var details = map[string]detail{
	"TOK003": {"alg", algOf}, "TOK004": {"kid", kidOf}, "TOK005": {"kid", kidOf},
	"TOK008": {"audience", audOf}, "TOK009": {"audience", audOf},
	"ISS001": {"issuer", issOf}, "ISS002": {"issuer", issOf}, "ISS003": {"issuer", issOf}, "ISS007": {"issuer", issOf},
	"ISS004": {"tenant", tenantOf}, "ISS006": {"tenant", tenantOf},
}

// cause counts the occurrences of one finding.
type cause struct {
	id          string
	count       int
	tokens      *distinct
	first, last Location
	values      map[string]*value
	other       int
}

type value struct {
	count       int
	first, last Location
	from        string // the tenant, else the issuer, of the first token
	fromKind    string // "tenant" or "issuer": which one from is
}

// valueSet counts a fact's distinct values and lists the most frequent,
// by the number of distinct tokens carrying them.
type valueSet struct {
	d     *distinct
	top   map[string]int
	other int
}

func newValueSet() *valueSet { return &valueSet{d: newDistinct(exactCause, 14), top: map[string]int{}} }

func (v *valueSet) add(s string) {
	if s == "" {
		return
	}
	v.d.add(hashString(s))
	if _, ok := v.top[s]; ok || len(v.top) < maxValues {
		v.top[s]++
	} else {
		v.other++
	}
}

// aggregator builds the summary from the occurrences, in input order, on
// one goroutine.
type aggregator struct {
	files     []string
	checkName func(string) string
	tokens    int
	distinct  *distinct
	verdicts  map[string]int
	causes    map[string]*cause
	subjects  *distinct
	tenants   *valueSet
	clients   *valueSet
	issuers   *valueSet
	skew      skew
	lineTimes int
	worst     int
	runOf     *verdict // the judgement of the occurrences counted in run
	run       int
}

// flushRun adds the current run of one judgement to the verdict counts.
func (a *aggregator) flushRun() {
	if a.run > 0 {
		a.verdicts[a.runOf.Verdict] += a.run
	}
	a.runOf, a.run = nil, 0
}

func newAggregator(checkName func(string) string) *aggregator {
	return &aggregator{checkName: checkName, distinct: newDistinct(exactTokens, 14), verdicts: map[string]int{}, causes: map[string]*cause{},
		subjects: newDistinct(exactTokens, 14), tenants: newValueSet(), clients: newValueSet(), issuers: newValueSet()}
}

func (a *aggregator) add(o *occurrence) {
	a.tokens++
	// Verdicts are counted by runs of one judgement (a map update per
	// occurrence would cost a string hash each).
	if o.res != a.runOf {
		a.flushRun()
		a.runOf = o.res
	}
	a.run++
	a.worst = max(a.worst, o.res.Worst)
	if o.lineTime {
		a.lineTimes++
	}
	f := &o.e.facts
	th := binary.LittleEndian.Uint64(o.key[:8])
	if !o.e.seen {
		// The first occurrence in input order of a token the cache holds
		// (seen is only touched here, on the consuming goroutine). Sets
		// ignore repeats: a token the cache dropped and saw again is not
		// counted twice; its age may be sampled twice.
		o.e.seen = true
		a.distinct.add(th)
		if f.subject != 0 {
			a.subjects.add(f.subject)
		}
		if o.lineTime && f.hasIat {
			a.skew.add(o.at.Sub(f.iat))
		}
		a.tenants.add(f.tenant)
		a.clients.add(f.client)
		a.issuers.add(f.issuer)
	}
	loc := Location{a.files[o.file], o.line}
	for i, id := range o.res.Checks {
		if seenBefore(o.res.Checks[:i], id) {
			continue // two findings of one check: one cause
		}
		a.cause(id, loc, th, f)
	}
}

func seenBefore(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func (a *aggregator) cause(id string, loc Location, th uint64, f *facts) {
	c := a.causes[id]
	if c == nil {
		c = &cause{id: id, tokens: newDistinct(exactCause, 12), first: loc, values: map[string]*value{}}
		a.causes[id] = c
	}
	c.count++
	c.last = loc
	c.tokens.add(th)
	d, ok := details[id]
	if !ok {
		return
	}
	key := d.get(f)
	v := c.values[key]
	if v == nil {
		if len(c.values) >= maxValues {
			c.other++
			return
		}
		v = &value{first: loc, from: f.issuer, fromKind: "issuer"}
		if f.tenant != "" {
			v.from, v.fromKind = f.tenant, "tenant"
		}
		c.values[key] = v
	}
	v.count++
	v.last = loc
}

// skew is the distribution of a token's age when it is first seen: the
// line's time minus iat. A token is normally used seconds after it is
// issued; a negative age means the IdP's clock runs ahead of the clock
// that wrote the log (or the log's behind).
type skew struct {
	n        int
	buckets  [len(skewEdges) + 1]int
	min, max time.Duration
}

var skewEdges = [...]time.Duration{-5 * time.Minute, -time.Minute, -5 * time.Second, 5 * time.Second, time.Minute, 5 * time.Minute, time.Hour}

var skewLabels = [...]string{"< -5m", "-5m to -1m", "-1m to -5s", "-5s to 5s", "5s to 1m", "1m to 5m", "5m to 1h", "> 1h"}

func (s *skew) add(d time.Duration) {
	i := sort.Search(len(skewEdges), func(i int) bool { return d < skewEdges[i] })
	s.buckets[i]++
	if s.n == 0 || d < s.min {
		s.min = d
	}
	if s.n == 0 || d > s.max {
		s.max = d
	}
	s.n++
}
