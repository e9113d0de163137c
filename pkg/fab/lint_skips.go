package fab

import (
	"fmt"
	"sort"
	"strings"
)

// SkippedCheck is a check that could not run on (part of) a file, and
// why: a provider name, URL or setting the reader could not resolve. A
// report lists it under "skipped" so that nobody takes silence for a pass.
type SkippedCheck struct {
	ID     string
	Reason string
}

// Per-provider checks, and those of them that need the branch (the name).
var (
	providerChecks = []string{"CFG004", "CFG007", "CFG008", "CFG011", "CFG013", "CFG014", "CFG015", "CFG020", "CFG023", "CFG024"}
	branchChecks   = []string{"CFG007", "CFG008", "CFG011", "CFG013", "CFG014", "CFG015", "CFG024"}
	mappingChecks  = []string{"ROL001", "ROL002", "ROL004"}
)

func (l *linter) skip(reason string, ids ...string) {
	for _, id := range ids {
		l.sum.Skipped = append(l.sum.Skipped, SkippedCheck{ID: id, Reason: reason})
	}
}

// whyUnresolved says why the reader could not resolve a value.
func whyUnresolved(v any) string {
	switch x := v.(type) {
	case *Unresolved:
		if x.Reason != "" {
			return x.Reason
		}
	case *Opaque:
		if x.Source != "" {
			return "it is `" + x.Source + "`, which the reader keeps as written"
		}
	}
	return "not a value the reader can compute"
}

// unresolvedProviders: OAUTH_PROVIDERS itself could not be resolved, so
// no provider check ran.
func (l *linter) unresolvedProviders() {
	s, ok := l.cfg.Get("OAUTH_PROVIDERS")
	if ok && Unknown(s.Value) {
		l.skip(fmt.Sprintf("OAUTH_PROVIDERS (line %d) could not be resolved statically (%s): no provider was checked", s.Line, whyUnresolved(s.Value)), providerChecks...)
	}
}

// unresolvedProvider: a provider whose name or remote_app could not be
// resolved. The checks that do not need them still run.
func (l *linter) unresolvedProvider(pr *Provider, label string) {
	if pr.Remote == nil {
		if v, ok := pr.Entry.Get("remote_app"); ok && Unknown(v) {
			l.skip(fmt.Sprintf("%s (line %d): remote_app could not be resolved statically (%s)", label, pr.EntryLine("remote_app"), whyUnresolved(v)), providerChecks...)
		}
		return
	}
	if v, ok := pr.Entry.Get("name"); ok && Unknown(v) {
		l.skip(fmt.Sprintf("%s (line %d): its name could not be resolved statically (%s), so which user-info branch and callback URL FAB uses is unknown", label, pr.EntryLine("name"), whyUnresolved(v)), branchChecks...)
		l.openidWithoutKeys(pr, label)
		l.plainHTTP(pr, label)
		l.oauthlibKeys(pr, label, true)
	}
}

// unresolvedParts: a provider's api_base_url or scope the reader could
// not resolve.
func (l *linter) unresolvedParts(pr *Provider, label, branch string) {
	if v, ok := pr.Remote.Get("api_base_url"); ok && Unknown(v) && relativePath(branch) != "" {
		l.skip(fmt.Sprintf("%s: api_base_url (line %d) could not be resolved statically (%s), so where the %s branch's user-info call goes is unknown", label, pr.RemoteLine("api_base_url"), whyUnresolved(v), branch), "CFG013", "CFG024")
	}
	if !pr.ScopeKnown {
		l.skip(fmt.Sprintf("%s: the scope (line %d) could not be resolved statically", label, scopeLine(pr)), "CFG004", "CFG014")
	}
}

// unresolvedMapping: AUTH_ROLES_MAPPING could not be resolved.
func (l *linter) unresolvedMapping() {
	if s, ok := l.cfg.Get("AUTH_ROLES_MAPPING"); ok && Unknown(s.Value) {
		l.skip(fmt.Sprintf("AUTH_ROLES_MAPPING (line %d) could not be resolved statically (%s)", s.Line, whyUnresolved(s.Value)), mappingChecks...)
	}
}

// MergeSkips joins the reasons of each check, in the order of first
// appearance: one entry per check, as reports keep them.
func MergeSkips(skips []SkippedCheck) []SkippedCheck {
	var order []string
	reasons := map[string][]string{}
	for _, s := range skips {
		if _, ok := reasons[s.ID]; !ok {
			order = append(order, s.ID)
		}
		if !contains(reasons[s.ID], s.Reason) {
			reasons[s.ID] = append(reasons[s.ID], s.Reason)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i] < order[j] })
	out := make([]SkippedCheck, 0, len(order))
	for _, id := range order {
		out = append(out, SkippedCheck{ID: id, Reason: strings.Join(reasons[id], "; ")})
	}
	return out
}
