package triage

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/tokcache"
	"github.com/authdoctor/authdoctor/pkg/token"
)

// Summary is the run's summary: the last NDJSON object (under "summary")
// and the text report.
type Summary struct {
	Tokens         int            `json:"tokens"`
	DistinctTokens int            `json:"distinctTokens"`
	Estimated      bool           `json:"distinctEstimated,omitempty"`
	Verdicts       map[string]int `json:"verdicts"`
	Causes         []Cause        `json:"causes"`
	Subjects       int            `json:"distinctSubjects"`
	Tenants        Values         `json:"tenants"`
	Clients        Values         `json:"clients"`
	Issuers        Values         `json:"issuers"`
	// TokenAge is the distribution of (line time − iat) when a token is
	// first seen on a line that carries a time.
	TokenAge *Age `json:"tokenAgeAtFirstUse,omitempty"`
	// LineTimes counts the occurrences judged at their line's own time
	// (the others at --now).
	LineTimes   int            `json:"judgedAtLineTime"`
	Files       []string       `json:"files"`
	Lines       int            `json:"lines"`
	Bytes       int64          `json:"bytes"`
	LongLines   int            `json:"skippedLongLines,omitempty"`
	Errors      []string       `json:"errors,omitempty"`
	Cache       tokcache.Stats `json:"cache"`
	Interrupted bool           `json:"interrupted,omitempty"`
	worst       int
}

// Worst is the highest severity of any finding (engine.Severity).
func (s *Summary) Worst() int { return s.worst }

// Cause is one finding's count.
type Cause struct {
	Check          string   `json:"check"`
	Name           string   `json:"name"`
	Count          int      `json:"count"`
	DistinctTokens int      `json:"distinctTokens"`
	First          Location `json:"first"`
	Last           Location `json:"last"`
	By             string   `json:"by,omitempty"`
	Values         []Value  `json:"values,omitempty"`
	OtherValues    int      `json:"otherValues,omitempty"`
}

// Value is one value of what a cause is grouped by.
type Value struct {
	Value string   `json:"value"`
	Count int      `json:"count"`
	First Location `json:"first"`
	Last  Location `json:"last"`
	// From is the tenant, else the issuer, of the first token with it;
	// FromKind says which ("tenant" or "issuer").
	From     string `json:"from,omitempty"`
	FromKind string `json:"fromKind,omitempty"`
}

// Values are a fact's distinct values and the most frequent ones.
type Values struct {
	Distinct int        `json:"distinct"`
	Top      []ValueSet `json:"top,omitempty"`
	// Other counts the tokens with a value not listed in Top.
	Other int `json:"otherTokens,omitempty"`
}

// ValueSet is one value and the number of distinct tokens that carry it.
type ValueSet struct {
	Value  string `json:"value"`
	Tokens int    `json:"tokens"`
}

// Age is the token-age distribution.
type Age struct {
	Tokens  int      `json:"tokens"`
	Buckets []Bucket `json:"buckets"`
	Min     string   `json:"min"`
	Max     string   `json:"max"`
	minSec  float64
}

// Bucket is one range of ages.
type Bucket struct {
	Range string `json:"range"`
	Count int    `json:"count"`
}

// summary freezes the aggregator into a Summary.
func (a *aggregator) summary() *Summary {
	a.flushRun()
	s := &Summary{Tokens: a.tokens, Verdicts: a.verdicts, Causes: []Cause{}, Files: a.files, LineTimes: a.lineTimes, worst: a.worst,
		Tenants: a.tenants.values(), Clients: a.clients.values(), Issuers: a.issuers.values()}
	s.DistinctTokens, s.Estimated = a.distinct.count()
	s.Subjects, _ = a.subjects.count()
	for _, c := range a.causes {
		out := Cause{Check: c.id, Name: a.checkName(c.id), Count: c.count, First: c.first, Last: c.last, OtherValues: c.other}
		out.DistinctTokens, _ = c.tokens.count()
		if d, ok := details[c.id]; ok {
			out.By = d.by
		}
		for k, v := range c.values {
			out.Values = append(out.Values, Value{Value: k, Count: v.count, First: v.first, Last: v.last, From: v.from, FromKind: v.fromKind})
		}
		sort.Slice(out.Values, func(i, j int) bool {
			x, y := out.Values[i], out.Values[j]
			return x.Count > y.Count || x.Count == y.Count && x.Value < y.Value
		})
		s.Causes = append(s.Causes, out)
	}
	sort.Slice(s.Causes, func(i, j int) bool {
		x, y := s.Causes[i], s.Causes[j]
		return x.Count > y.Count || x.Count == y.Count && x.Check < y.Check
	})
	if a.skew.n > 0 {
		age := &Age{Tokens: a.skew.n, Min: token.Human(a.skew.min), Max: token.Human(a.skew.max), minSec: a.skew.min.Seconds()}
		if a.skew.min < 0 {
			age.Min = "-" + age.Min
		}
		if a.skew.max < 0 {
			age.Max = "-" + age.Max
		}
		for i, n := range a.skew.buckets {
			age.Buckets = append(age.Buckets, Bucket{skewLabels[i], n})
		}
		s.TokenAge = age
	}
	return s
}

func (v *valueSet) values() Values {
	out := Values{Other: v.other}
	out.Distinct, _ = v.d.count()
	for k, n := range v.top {
		out.Top = append(out.Top, ValueSet{k, n})
	}
	sort.Slice(out.Top, func(i, j int) bool {
		return out.Top[i].Tokens > out.Top[j].Tokens || out.Top[i].Tokens == out.Top[j].Tokens && out.Top[i].Value < out.Top[j].Value
	})
	return out
}

// WriteText writes the summary for people: the counts first, then each
// cause with where it was first and last seen.
func (s *Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	distinct := count(s.DistinctTokens)
	if s.Estimated {
		distinct = "≈" + distinct
	}
	fmt.Fprintf(&b, "%s (%s distinct) in %s of %s: %s\n", plural(s.Tokens, "token"), distinct, plural(s.Lines, "line"), plural(len(s.Files), "input"), s.verdictLine())
	if s.Interrupted {
		b.WriteString("  (interrupted: this covers the input read so far)\n")
	}
	for _, c := range s.Causes {
		fmt.Fprintf(&b, "  %9s  %s (%s), %s distinct, first at %s, last at %s\n", count(c.Count), c.Name, c.Check, count(c.DistinctTokens), c.First, c.Last)
		for i, v := range c.Values {
			if i == 5 {
				fmt.Fprintf(&b, "  %9s    … and %d more %s values\n", "", len(c.Values)-5+c.OtherValues, c.By)
				break
			}
			from := ""
			if v.From != "" && v.From != v.Value {
				from = ", " + v.FromKind + " " + v.From
			}
			fmt.Fprintf(&b, "  %9s    %s %s: %s%s, first at %s\n", "", c.By, quoteOrNone(v.Value), count(v.Count), from, v.First)
		}
	}
	if s.Tokens > 0 {
		fmt.Fprintf(&b, "  distinct: %s subjects, %s, %s, %s\n", count(s.Subjects), s.Tenants.text("tenant"), s.Clients.text("client"), s.Issuers.text("issuer"))
	}
	if s.TokenAge != nil {
		b.WriteString(s.TokenAge.text())
	}
	if s.Tokens > 0 {
		fmt.Fprintf(&b, "  times: %s of %s occurrences judged at their line's own time, the others at --now\n", count(s.LineTimes), count(s.Tokens))
	}
	if s.LongLines > 0 {
		fmt.Fprintf(&b, "  %s skipped (longer than 4 MiB)\n", plural(s.LongLines, "line"))
	}
	for _, e := range s.Errors {
		fmt.Fprintf(&b, "  error: %s\n", e)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (s *Summary) verdictLine() string {
	if s.Tokens == 0 {
		return "no token found"
	}
	order := []string{"valid", "ok", "invalid", "unverified", "malformed", "encrypted", "warning", "error", "info"}
	var parts []string
	for _, v := range order {
		if n := s.Verdicts[v]; n > 0 {
			parts = append(parts, count(n)+" "+v)
		}
	}
	var rest []string
	for v, n := range s.Verdicts {
		if !seenBefore(order, v) {
			rest = append(rest, count(n)+" "+v)
		}
	}
	sort.Strings(rest)
	return strings.Join(append(parts, rest...), "; ")
}

func (v Values) text(what string) string {
	s := plural(v.Distinct, what)
	var top []string
	for i, t := range v.Top {
		if i == 3 {
			top = append(top, "…")
			break
		}
		top = append(top, t.Value)
	}
	if len(top) > 0 {
		s += " (" + strings.Join(top, ", ") + ")"
	}
	return s
}

func (a *Age) text() string {
	var parts []string
	for _, b := range a.Buckets {
		if b.Count > 0 {
			parts = append(parts, b.Range+": "+count(b.Count))
		}
	}
	s := fmt.Sprintf("  token age at first use (line time − iat), %s: %s; from %s to %s\n", plural(a.Tokens, "token"), strings.Join(parts, ", "), a.Min, a.Max)
	if a.minSec < -5 {
		s += "    a token seen before its iat: the IdP's clock runs ahead of the clock that wrote the log (or the log's clock is behind)\n"
	}
	return s
}

func (l Location) String() string { return l.File + ":" + strconv.Itoa(l.Line) }

func quoteOrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return strconv.Quote(s)
}

// count writes n with thousands separators: 12,408.
func count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return count(n) + " " + what + "s"
}
