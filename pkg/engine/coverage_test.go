package engine

import (
	"reflect"
	"strings"
	"testing"
)

func coverageRegistry(t *testing.T) *Registry {
	t.Helper()
	r := NewRegistry()
	for i, id := range []string{"JWK001", "JWK002", "JWK003"} {
		c := valid(id, "k"+strings.ToLower(id))
		c.Stage, c.Implemented = StageKeys, true
		if i == 2 {
			c.Implemented = false
		}
		r.MustRegister(c)
	}
	c := valid("TOK001", "t")
	c.Implemented = true
	r.MustRegister(c)
	return r
}

func skips(r *Report) map[string]string {
	m := map[string]string{}
	for _, s := range r.Skipped {
		m[s.ID] = s.Reason
	}
	return m
}

// A check is skipped only when it ran on no input, with the first input's
// reason; what ran before a stage stopped keeps counting as run.
func TestCoverageSkipsWhatRanNowhere(t *testing.T) {
	reg := coverageRegistry(t)
	fetched := NewCoverage(reg)
	fetched.Ran("JWK001")
	fetched.NotRun(StageKeys, "not a set")
	offline := NewCoverage(reg)
	offline.NotRun(StageKeys, "offline")
	rep := NewReport(reg, "x")
	rep.SkipUncovered(offline, fetched)
	if got, want := skips(rep), map[string]string{"JWK002": "offline"}; !reflect.DeepEqual(got, want) {
		t.Errorf("skipped %v, want %v (JWK003 is not implemented: Scope says so)", got, want)
	}
	full := NewCoverage(reg)
	full.Skip("JWK001", "read from a file")
	full.RanStage(StageKeys)
	rep = NewReport(reg, "x")
	rep.SkipUncovered(full)
	if got, want := skips(rep), map[string]string{"JWK001": "read from a file"}; !reflect.DeepEqual(got, want) {
		t.Errorf("skipped %v, want %v", got, want)
	}
	outer := NewCoverage(reg)
	outer.Include(fetched)
	if !outer.DidRun("JWK001") || outer.Reason("JWK002") != "not a set" || outer.Reason("TOK001") != "" {
		t.Errorf("include: %+v", outer)
	}
}

func TestEachMergesInInputOrder(t *testing.T) {
	reg := coverageRegistry(t)
	rep := NewReport(reg, "x")
	got := Each(rep, 5, func(i int, sub *Report) int {
		sub.Add("TOK001", string(rune('a'+i)))
		return i * i
	})
	if !reflect.DeepEqual(got, []int{0, 1, 4, 9, 16}) || len(rep.Findings) != 5 || rep.Findings[4].Message != "e" {
		t.Errorf("results %v findings %+v", got, rep.Findings)
	}
}
