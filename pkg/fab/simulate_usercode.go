package fab

import (
	"fmt"
	"strings"
)

// RoleBuiltins are FAB's own role steps, for the user's super() calls and
// the roles its code looks up (spec user-code.md §1, §6).
type RoleBuiltins struct {
	// AuthUser is FAB's auth_user_oauth: the user's final roles, or why
	// the login is refused.
	AuthUser BuiltinLogin
	// Calculate is FAB's _oauth_calculate_user_roles.
	Calculate BuiltinLogin
	// Exists says whether a role exists: a built-in of the flavour, a
	// declared one, or (RoleUnknown) maybe one in the database.
	Exists func(name string) Existence
}

// builtinSource describes FAB's own user-info code for the report.
func (ds *sim) builtinSource() *UserInfoSource {
	b := ds.res.Branch
	if b == "" || b == "none" {
		return &UserInfoSource{Kind: SourceBuiltin, Name: "get_oauth_user_info of " + ds.p.Title + " (no branch for this name)"}
	}
	return &UserInfoSource{Kind: SourceBuiltin, Name: fmt.Sprintf("get_oauth_user_info of %s (%s branch)", ds.p.Title, b)}
}

// customUserInfo runs the user's code that builds the user-info in
// place of the built-in branch (when the config has such code and the
// command gave an evaluator). It reports whether it did.
func (ds *sim) customUserInfo() bool {
	if ds.in.UserCode == nil {
		return false
	}
	if ds.simulated {
		if ref, ok := ds.cfg.UserCode.UserInfo(); ok {
			ds.note("in production %s builds the user-info; with role keys alone it cannot run, so the built-in branch's shape is shown", ref)
		}
		return false
	}
	run := ds.in.UserCode.UserInfo(ds.p, ds.pr.Name)
	if run == nil {
		return false
	}
	src := run.Source
	ds.res.UserInfoSource = &src
	ds.res.Branch, ds.res.DataSource, ds.res.FromAPI, ds.res.RoleClaim = "custom", src.String(), false, ""
	ds.res.Notes = append(ds.res.Notes, run.Notes...)
	if run.Builtin != nil {
		ds.mapped = *run.Builtin
		ds.note("%s runs FAB's built-in %s branch (super()) and uses what it returns", src.Name, branchName(run.Builtin.Branch))
		ds.branchBlockers()
	}
	if run.NotDict != "" {
		ds.note("%s returned %s, not a dict: FAB's oauth_user_info_getter wrapper logs \"OAuth user info decorated function did not returned a dict\" and passes {} on", src.Name, run.NotDict)
	}
	switch run.Kind {
	case CodeUnknown:
		ds.unknown = run.Unknown
	case CodeRaised:
		e := run.Exception
		ds.res.Exception = e
		r := &Refusal{Stage: "userinfo", Check: "ROL006", Line: e.Line,
			Reason: fmt.Sprintf("%s raises %s (%s:%d)", src.Name, e.Text, e.File, e.Line),
			Log:    LogUserInfo + e.Message, Message: MsgInvalidLogin}
		ds.userRefusal = r
		ds.res.Issues = append(ds.res.Issues, Issue{ID: "ROL006", File: e.File, Line: max(e.Line, 1), Provider: ds.pr.Name,
			Message:  fmt.Sprintf("login refused: %s raises %s at line %d → FAB logs \"%s\" → %s", src.Name, e.Text, e.Line, r.Log, r.Message),
			Evidence: ev("exception", e.Text, "raised at", fmt.Sprintf("%s:%d", e.File, e.Line))})
	case CodeReturned:
		ds.returnedUserInfo(src, run.Value)
	}
	return true
}

func branchName(b string) string {
	if b == "" {
		return "(none for this name)"
	}
	return b
}

// returnedUserInfo takes what the user's code returned as FAB's
// oauth_authorized does: a dict goes on to auth_user_oauth; None makes
// auth_user_oauth's `"username" in userinfo` raise outside any try.
func (ds *sim) returnedUserInfo(src UserInfoSource, v any) {
	switch x := v.(type) {
	case *Dict:
		ds.ui = x
	case nil:
		r := crash(src.Name+" returns None and FAB's auth_user_oauth tests `\"username\" in userinfo`", "TypeError: argument of type 'NoneType' is not iterable")
		r.Stage = "login"
		ds.userRefusal = r
		// raised in FAB's own code, not the user's: no file or line
		ds.res.Exception = &CodeException{Type: "TypeError", Message: "argument of type 'NoneType' is not iterable", Text: r.Log}
		ds.issue("ROL006", "login fails: "+r.Reason+" → "+r.Message, 0)
	default:
		ds.unknown = &UnknownCause{Reason: fmt.Sprintf("%s returns %s, not a dict: what FAB's auth_user_oauth does with it is not modelled", src.Name, Repr(v)), File: src.File, Line: src.Line}
	}
}

// customRoles runs the user's auth_user_oauth in place of FAB's (it
// decides the login and the roles itself); it reports whether it did.
func (ds *sim) customRoles() bool {
	if ds.in.UserCode == nil || ds.ui == nil || ds.userRefusal != nil || ds.unknown != nil || ds.simulated {
		return false
	}
	ds.known = ds.cfg.KnownRoles(ds.p, ds.in.Roles)
	run := ds.in.UserCode.Roles(ds.p, ds.pr.Name, ds.ui, ds.roleBuiltins())
	if run == nil || run.Step != StepAuthUser {
		return false
	}
	ds.res.User = "new"
	if ds.in.Existing != nil {
		ds.res.User = "existing"
	}
	ds.res.UserInfo = ds.ui
	src := run.Source
	ds.res.RolesSource = &src
	ds.res.Notes = append(ds.res.Notes, run.Notes...)
	switch {
	case run.Kind == CodeUnknown:
		ds.unknown = run.Unknown
	case run.Kind == CodeRaised:
		ds.rolesRaised(run)
	case run.NoUser:
		ds.userRefusal = &Refusal{Stage: "login", Check: "ROL006", Line: src.Line, Reason: src.Name + " returns None for this user", Message: MsgInvalidLogin}
		ds.issue("ROL006", "login refused: "+ds.userRefusal.Reason+" → "+MsgInvalidLogin, 0)
	default:
		ds.res.Roles, ds.res.Computed = nonNil(run.Roles), nonNil(run.Roles)
	}
	return true
}

// rolesRaised: an exception out of auth_user_oauth is not caught by
// oauth_authorized (its try ends before it).
func (ds *sim) rolesRaised(run *RolesRun) {
	e := run.Exception
	ds.res.Exception = e
	r := crash(fmt.Sprintf("%s raises %s (%s:%d)", run.Source.Name, e.Text, e.File, e.Line), e.Text)
	ds.userRefusal = r
	ds.res.Issues = append(ds.res.Issues, Issue{ID: "ROL006", File: e.File, Line: max(e.Line, 1), Provider: ds.pr.Name,
		Message:  "login fails: " + r.Reason + " → " + r.Message,
		Evidence: ev("exception", e.Text, "raised at", fmt.Sprintf("%s:%d", e.File, e.Line))})
}

// calculate is _oauth_calculate_user_roles: the user's override when it
// has one and it could be run, else FAB's computation.
func (ds *sim) calculate() ([]string, *Refusal) {
	if ds.in.UserCode != nil && !ds.simulated {
		if run := ds.in.UserCode.Roles(ds.p, ds.pr.Name, ds.ui, ds.roleBuiltins()); run != nil && run.Step == StepCalculate {
			src := run.Source
			ds.res.RolesSource = &src
			ds.res.Notes = append(ds.res.Notes, run.Notes...)
			switch run.Kind {
			case CodeUnknown:
				ds.unknown = run.Unknown
				return nil, nil
			case CodeRaised:
				ds.rolesRaised(run)
				return nil, nil
			}
			return run.Roles, nil
		}
	}
	return computeRoles(ds.cfg, ds.p, ds.ui, ds.reg, ds.known, ds.res, ds.issue, ds.note)
}

// roleBuiltins are FAB's own role steps, run on a copy of this dry-run
// (their findings and notes stay there).
func (ds *sim) roleBuiltins() RoleBuiltins {
	fresh := func(ui *Dict) *sim {
		sub := *ds
		sub.in.UserCode = nil
		sub.res = &Result{Flavor: ds.p.Flavor, Branch: ds.res.Branch, Matched: []Match{}, Roles: []string{}, Computed: []string{}}
		sub.ui, sub.userRefusal, sub.unknown = ui, nil, nil
		return &sub
	}
	known := ds.cfg.KnownRoles(ds.p, ds.in.Roles)
	return RoleBuiltins{
		AuthUser: func(ui *Dict) ([]string, *Refusal) {
			sub := fresh(ui)
			sub.authUser()
			sub.roles()
			if sub.userRefusal != nil {
				return nil, sub.userRefusal
			}
			return sub.res.Roles, nil
		},
		Calculate: func(ui *Dict) ([]string, *Refusal) {
			sub := fresh(ui)
			sub.reg, _ = ds.cfg.Registration()
			sub.known = known
			return computeRoles(sub.cfg, sub.p, ui, sub.reg, known, sub.res, sub.issue, sub.note)
		},
		Exists: func(name string) Existence { e, _ := known.Of(name); return e },
	}
}

// unknownOutcome ends a dry-run whose user code cannot be evaluated to
// the end: said plainly, never replaced by the built-in branch's answer.
func (ds *sim) unknownOutcome() {
	ds.res.Outcome = Unknowable
	ds.res.Unknown = ds.unknown
	ds.res.Roles, ds.res.Computed = []string{}, []string{}
	ds.res.Permissions = []RolePermissions{}
	who := "the user's code"
	if s := ds.res.RolesSource; s != nil {
		who = s.Name
	} else if s := ds.res.UserInfoSource; s != nil {
		who = s.Name
	}
	msg := fmt.Sprintf("the outcome of this login cannot be known statically: %s depends on %s", who, strings.TrimSuffix(ds.unknown.String(), "."))
	ds.res.Issues = append(ds.res.Issues, Issue{ID: "CFG010", File: orFile(ds.unknown.File, ds.cfg.File), Line: max(ds.unknown.Line, 1), Provider: ds.pr.Name,
		Message: msg, Fix: unknownFix(ds.unknown)})
}

func orFile(f, def string) string {
	if f == "" {
		return def
	}
	return f
}

func unknownFix(u *UnknownCause) string {
	if u.Supply != "" {
		return "Give " + u.Supply + " to make the dry-run exact."
	}
	return "Nothing authdoctor can supply: check this step on the deployment (its logs show \"" + LogUserInfo + "…\" when it fails)."
}
