package engine

import "sync"

// Coverage records, for one input of a command (a discovery document, a
// key set), which checks ran on it and why the others did not. A command
// that inspects several inputs reports a check as skipped only when it
// ran on none of them (Report.SkipUncovered): a check that ran anywhere
// was not skipped.
//
// Inspections mark what ran as they go and, when a stage cannot go on (a
// fetch failed, the body is not JSON), give every check of the stage that
// has not run the reason (NotRun): no list of IDs, no positions in one.
type Coverage struct {
	reg    *Registry
	ran    map[string]bool
	reason map[string]string
}

// NewCoverage starts an empty coverage.
func NewCoverage(reg *Registry) *Coverage {
	return &Coverage{reg: reg, ran: map[string]bool{}, reason: map[string]string{}}
}

// Ran records that the checks ran.
func (c *Coverage) Ran(ids ...string) {
	for _, id := range ids {
		c.ran[id] = true
	}
}

// RanStage records that every check of the stage ran, except those
// already said not to (a fetch check for a document read from a file).
func (c *Coverage) RanStage(s Stage) {
	for _, id := range c.reg.IDs(s) {
		if _, skipped := c.reason[id]; !skipped {
			c.ran[id] = true
		}
	}
}

// Skip records why one check did not run (the first reason is kept).
func (c *Coverage) Skip(id, reason string) {
	if _, ok := c.reason[id]; !ok && !c.ran[id] {
		c.reason[id] = reason
	}
}

// NotRun gives every check of the stage that has not run the reason.
func (c *Coverage) NotRun(s Stage, reason string) {
	for _, id := range c.reg.IDs(s) {
		c.Skip(id, reason)
	}
}

// Include adds what another coverage (a nested inspection: the key set
// of a discovery document) ran and skipped.
func (c *Coverage) Include(o *Coverage) {
	if o == nil {
		return
	}
	for id := range o.ran {
		c.ran[id] = true
	}
	for id, r := range o.reason {
		c.Skip(id, r)
	}
}

// DidRun reports whether the check ran.
func (c *Coverage) DidRun(id string) bool { return c.ran[id] }

// Reason is why the check did not run ("" when it ran or nothing was
// said).
func (c *Coverage) Reason(id string) string {
	if c.ran[id] {
		return ""
	}
	return c.reason[id]
}

// SkipUncovered records as skipped each check that ran on none of the
// inputs, with the first input's reason. Checks not implemented yet are
// already skipped as such by Scope.
func (r *Report) SkipUncovered(covs ...*Coverage) {
	for _, chk := range r.reg.All() {
		if !chk.Implemented {
			continue
		}
		ran, reason := false, ""
		for _, c := range covs {
			if c == nil {
				continue
			}
			if c.ran[chk.ID] {
				ran = true
				break
			}
			if reason == "" {
				reason = c.reason[chk.ID]
			}
		}
		if !ran && reason != "" {
			r.Skip(chk.ID, reason)
		}
	}
}

// Merge appends another report's findings and notices (a sub-report of a
// concurrent inspection); its skips are decided by SkipUncovered.
func (r *Report) Merge(src *Report) {
	r.Findings = append(r.Findings, src.Findings...)
	r.Notices = append(r.Notices, src.Notices...)
}

// Each runs f for inputs 0..n-1 concurrently, each into its own report,
// and merges the findings into r in input order, so that output does not
// depend on which fetch finished first.
func Each[T any](r *Report, n int, f func(i int, sub *Report) T) []T {
	out := make([]T, n)
	subs := make([]*Report, n)
	var wg sync.WaitGroup
	for i := range n {
		subs[i] = NewReport(r.reg, r.Command)
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = f(i, subs[i])
		}()
	}
	wg.Wait()
	for _, s := range subs {
		r.Merge(s)
	}
	return out
}
