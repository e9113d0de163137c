package fab

import (
	"fmt"
	"sort"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// builtinStep marks an issue computed from FAB's own code for a login
// step (spec user-code.md §6): when the user's security manager replaces
// that step, the issue is judged on what the user's code really does
// (when it could be evaluated), else said at info.
type builtinStep uint8

const (
	// builtinUserInfo: the provider's built-in user-info branch (the
	// user-info keys, the API call it makes, the claims it reads).
	builtinUserInfo builtinStep = 1 << iota
	// builtinRoles: FAB's role computation (AUTH_ROLES_MAPPING compared
	// with role_keys, the registration role).
	builtinRoles
	// builtinRoleKeys: holds only when no provider's user-info yields
	// role_keys (the mapping can never apply).
	builtinRoleKeys
	// builtinRolesClaim: holds only when the azure provider's role_keys
	// come from the roles claim.
	builtinRolesClaim
	// builtinUserInfoKey: holds only when the user-info lacks the key
	// Issue.userinfoKey names.
	builtinUserInfoKey
)

// fromBuiltin tags an issue with the built-in steps it was computed from.
func fromBuiltin(s builtinStep) func(*Issue) { return func(i *Issue) { i.builtin |= s } }

// needsUserInfoKey tags an issue that holds only while the user-info has
// no such key.
func needsUserInfoKey(k string) func(*Issue) {
	return func(i *Issue) { i.builtin |= builtinUserInfoKey; i.userinfoKey = k }
}

// verdicts of an issue computed from a built-in step.
type verdict uint8

const (
	holds   verdict = iota // the built-in step runs: the issue stands
	moot                   // the user's code replaces it: the issue does not apply
	unknown                // not known: said at info
)

// replacedSteps judges the issues computed from built-in steps the
// user's code replaces: an issue that holds stays; one that does not
// apply to what the code really does is dropped (CFG010 says which); one
// that cannot be judged becomes info saying so, without its mechanical
// fix (a fix to code that may not run is no fix).
func (l *linter) replacedSteps() {
	uc := l.cfg.UserCode
	if uc == nil {
		return
	}
	kept := l.issues[:0]
	for _, is := range l.issues {
		if is.builtin == 0 {
			kept = append(kept, is)
			continue
		}
		switch l.judge(is) {
		case moot:
			l.dropped = append(l.dropped, fmt.Sprintf("%s (line %d)", is.ID, is.Line))
			continue
		case unknown:
			if why := replacedBy(uc, is.builtin); why != "" {
				is.Severity = engine.SeverityInfo
				is.Message = why + ": " + is.Message
				is.Edit = nil
			}
		}
		kept = append(kept, is)
	}
	l.issues = kept
}

// judge decides one issue from the evaluation's facts.
func (l *linter) judge(is Issue) verdict {
	uc, f := l.cfg.UserCode, l.facts
	if uc.Unknown() {
		return unknown
	}
	out := holds
	worse := func(v verdict) {
		if v == unknown || out == unknown {
			out = unknown
		} else if v == moot {
			out = moot
		}
	}
	if is.builtin&builtinRoles != 0 {
		if _, ok := uc.Roles(); ok {
			worse(unknown) // the user's role code is not evaluated by lint
		}
	}
	if _, ok := uc.UserInfo(); !ok || is.builtin&^builtinRoles == 0 {
		return out
	}
	if f == nil {
		return unknown
	}
	switch {
	case is.builtin&builtinUserInfo != 0 && is.Provider != "":
		worse(f.provider(is.Provider, func(pf *ProviderFacts) verdict { return holdsIf(pf.Builtin) }))
	case is.builtin&builtinUserInfo != 0:
		worse(f.any(func(pf *ProviderFacts) bool { return pf.Builtin }))
	}
	if is.builtin&builtinRoleKeys != 0 {
		v := f.any(func(pf *ProviderFacts) bool { return pf.RoleKeys })
		v = map[verdict]verdict{holds: moot, moot: holds, unknown: unknown}[v]
		if v == holds && f.any(func(pf *ProviderFacts) bool { return pf.RoleKeysFiltered }) == holds {
			v = unknown
		}
		worse(v)
	}
	if is.builtin&builtinRolesClaim != 0 {
		worse(f.provider("azure", func(pf *ProviderFacts) verdict { return holdsIf(has(pf.RoleKeysFrom, "roles")) }))
	}
	if is.builtin&builtinUserInfoKey != 0 {
		v := f.any(func(pf *ProviderFacts) bool { return has(pf.Keys, is.userinfoKey) })
		worse(map[verdict]verdict{holds: moot, moot: holds, unknown: unknown}[v])
	}
	return out
}

func holdsIf(b bool) verdict {
	if b {
		return holds
	}
	return moot
}

// provider judges from one provider's evaluation (unknown when it did
// not return).
func (f *UserCodeFacts) provider(name string, judge func(*ProviderFacts) verdict) verdict {
	pf := f.Providers[name]
	if pf == nil || pf.Run == nil || pf.Run.Kind != CodeReturned {
		return unknown
	}
	return judge(pf)
}

// any is holds when some provider's evaluation shows cond, moot when
// every one returned and none does, unknown otherwise.
func (f *UserCodeFacts) any(cond func(*ProviderFacts) bool) verdict {
	if len(f.Providers) == 0 {
		return unknown
	}
	all := true
	for _, pf := range f.Providers {
		if pf.Run == nil || pf.Run.Kind != CodeReturned {
			all = false
			continue
		}
		if cond(pf) {
			return holds
		}
	}
	if all {
		return moot
	}
	return unknown
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// replacedBy says which user code replaces one of the steps ("" when
// FAB's built-in code runs them).
func replacedBy(uc *UserCode, steps builtinStep) string {
	if uc.Unknown() {
		return fmt.Sprintf("if FAB's built-in login code runs (%s installs a security manager that could not be read, which may replace it)", uc.Setting)
	}
	if steps&^builtinRoles != 0 {
		if ref, ok := uc.UserInfo(); ok {
			return fmt.Sprintf("if FAB's built-in user-info code runs (%s replaces it; this holds only where it calls super())", ref)
		}
	}
	if ref, ok := uc.Roles(); ok && steps != 0 {
		return fmt.Sprintf("if FAB's built-in role computation runs (%s replaces it; this holds only where it calls super())", ref)
	}
	return ""
}

// CFG010: which code decides the login when the config installs a
// security manager (user-code.md §6), and what evaluating it showed; a
// warning when the class could not be read, as nothing about the steps
// it may replace can then be judged.
func (l *linter) userCodeVerdict(n string) (string, engine.Severity) {
	uc := l.cfg.UserCode
	if uc == nil || uc.Setting != n {
		return n + " installs a security manager of FAB or of the application itself: FAB's built-in login code decides", engine.SeverityInfo
	}
	if uc.Problem != "" {
		return fmt.Sprintf("%s installs a custom security manager that authdoctor could not read (%s): it may replace FAB's user-info and role steps, so findings about those steps are info", n, uc.Problem), engine.SeverityWarning
	}
	if len(uc.Overrides) == 0 {
		return fmt.Sprintf("%s installs %s (%s:%d), which overrides none of the login's steps (oauth_user_info, get_oauth_user_info, auth_user_oauth, _oauth_calculate_user_roles, get_roles_from_keys): FAB's built-in login code decides", n, uc.Class, uc.Where.File, uc.Where.Line), engine.SeverityInfo
	}
	var steps []string
	if ref, ok := uc.UserInfo(); ok {
		steps = append(steps, "the user-info step with "+ref.String())
	}
	if ref, ok := uc.Roles(); ok {
		steps = append(steps, "the role step with "+ref.String())
	}
	return fmt.Sprintf("%s installs %s, which replaces %s: %s", n, uc.Class, strings.Join(steps, " and "), l.evaluated()), engine.SeverityInfo
}

// evaluated says what evaluating the user-info code showed, provider by
// provider, and which built-in findings it made moot.
func (l *linter) evaluated() string {
	uc := l.cfg.UserCode
	if _, ok := uc.UserInfo(); !ok || l.facts == nil || len(l.facts.Providers) == 0 {
		s := "it could not be evaluated on a representative login (no provider whose name is known statically), so findings about the steps it replaces are info"
		if l.facts == nil {
			s = "authdoctor does not evaluate that code here, so findings about the steps it replaces are info"
		}
		if _, ok := uc.Roles(); ok {
			s = "the role step is not evaluated by lint (authdoctor roles runs it for a token), so findings about it are info"
		}
		return s
	}
	var names []string
	for n := range l.facts.Providers {
		names = append(names, n)
	}
	sort.Strings(names)
	var parts []string
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s (%s): %s", n, l.facts.Providers[n].IdP, summary(l.facts.Providers[n])))
	}
	s := "evaluated (never run) on a representative login of each provider: " + strings.Join(parts, "; ")
	if _, ok := uc.Roles(); ok {
		s += "; the role step is not evaluated by lint (authdoctor roles runs it for a token)"
	}
	return s
}

// summary says in a few words what the code gave for a provider.
func summary(pf *ProviderFacts) string {
	r := pf.Run
	switch {
	case r == nil:
		return "not evaluated"
	case r.Kind == CodeRaised:
		return fmt.Sprintf("raises %s (line %d)", r.Exception.Text, r.Exception.Line)
	case r.Kind == CodeUnknown:
		return "cannot be known statically: " + r.Unknown.String()
	}
	s := "returns " + strings.Join(pf.Keys, ", ")
	if len(pf.Keys) == 0 {
		s = "returns an empty user-info"
	}
	if pf.Builtin {
		s += " (through FAB's built-in branch)"
	}
	if pf.RoleKeys {
		from := strings.Join(pf.RoleKeysFrom, ", ")
		if from == "computed" {
			from = "values the code computes"
		}
		s += "; role_keys from " + from
	}
	return s
}

// droppedNote lists the built-in findings the evaluation showed do not
// apply (for CFG010's evidence).
func (l *linter) droppedNote() string {
	if len(l.dropped) == 0 {
		return ""
	}
	return strings.Join(l.dropped, ", ")
}
