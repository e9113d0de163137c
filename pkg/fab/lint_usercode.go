package fab

import (
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// builtinStep marks an issue computed from FAB's own code for a login
// step (spec user-code.md §6): when the user's security manager replaces
// that step, the issue describes code that may never run.
type builtinStep uint8

const (
	// builtinUserInfo: the provider's built-in user-info branch (the
	// user-info keys, the API call it makes, the claims it reads).
	builtinUserInfo builtinStep = 1 << iota
	// builtinRoles: FAB's role computation (AUTH_ROLES_MAPPING compared
	// with role_keys, the registration role).
	builtinRoles
)

// fromBuiltin tags an issue with the built-in steps it was computed from.
func fromBuiltin(s builtinStep) func(*Issue) { return func(i *Issue) { i.builtin |= s } }

// replacedSteps turns issues about a built-in step the user's code
// replaces into info that says so: whether they hold depends on what that
// code does (whether it calls super() for this provider). Their
// mechanical fixes are dropped: a fix to code that may not run is no fix.
func (l *linter) replacedSteps() {
	uc := l.cfg.UserCode
	if uc == nil {
		return
	}
	for i := range l.issues {
		is := &l.issues[i]
		if is.builtin == 0 {
			continue
		}
		why := replacedBy(uc, is.builtin)
		if why == "" {
			continue
		}
		is.Severity = engine.SeverityInfo
		is.Message = why + ": " + is.Message
		is.Edit = nil
	}
}

// replacedBy says which user code replaces one of the steps ("" when
// FAB's built-in code runs them).
func replacedBy(uc *UserCode, steps builtinStep) string {
	if uc.Unknown() {
		return fmt.Sprintf("if FAB's built-in login code runs (%s installs a security manager that could not be read, which may replace it)", uc.Setting)
	}
	if steps&builtinUserInfo != 0 {
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
// security manager (user-code.md §6); a warning when the class could not
// be read, as nothing about the steps it may replace can then be judged.
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
	return fmt.Sprintf("%s installs %s, which replaces %s: findings about the steps it replaces are info, as authdoctor does not evaluate that code", n, uc.Class, strings.Join(steps, " and ")), engine.SeverityInfo
}
