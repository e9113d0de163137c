package fab

import "fmt"

// This file is what the dry-run needs to know about running the user's
// own login code (spec user-code.md §1, §5). pkg/fab reads no Python:
// pkg/usercode evaluates the code statically and answers through
// UserCodeEval, which SimInput carries.

// Unknowable is the outcome of a login that cannot be known statically.
const Unknowable = "unknown"

// Kinds of UserInfoSource.
const (
	SourceBuiltin = "builtin"
	SourceCustom  = "custom"
)

// Kinds of CodeOutcome.
const (
	CodeReturned = "returned"
	CodeRaised   = "raised"
	CodeUnknown  = "unknown"
)

// UserInfoSource says whose code built the user-info.
type UserInfoSource struct {
	// Kind is "builtin" (FAB's branch) or "custom" (the user's code).
	Kind string `json:"kind"`
	// Name is "AzureCustomSecurity.get_oauth_user_info", or for the
	// built-in code the branch ("get_oauth_user_info (azure branch)").
	Name string `json:"name"`
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// String is "AzureCustomSecurity.get_oauth_user_info, webserver_config.py:31".
func (s UserInfoSource) String() string {
	if s.File == "" {
		return s.Name
	}
	return fmt.Sprintf("%s, %s:%d", s.Name, s.File, s.Line)
}

// CodeException is an exception the user's code raised, as CPython
// prints it.
type CodeException struct {
	// Type is the class name ("DecodeError"), Module its module
	// ("jwt.exceptions"; empty for built-in exceptions).
	Type   string `json:"type"`
	Module string `json:"module,omitempty"`
	// Message is str() of the exception: what FAB logs after "Error
	// returning OAuth user info: ".
	Message string `json:"message"`
	// Text is the last line of CPython's traceback
	// ("jwt.exceptions.DecodeError: Not enough segments").
	Text string `json:"text"`
	// File and Line are where it was raised.
	File string `json:"file"`
	Line int    `json:"line"`
	// Deliberate: the code's own raise statement raised it (a refusal
	// the author wrote, such as "user lacks the required role").
	Deliberate bool `json:"deliberate,omitempty"`
}

// UnknownCause says why the user's code cannot be evaluated to the end
// statically.
type UnknownCause struct {
	Reason string `json:"reason"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	// Call is the source text of the call the result depends on.
	Call string `json:"call,omitempty"`
	// Supply names the flag that would supply what is missing
	// ("--userinfo"), when one would.
	Supply string `json:"supply,omitempty"`
}

// String is the reason with FILE:LINE.
func (u *UnknownCause) String() string {
	s := u.Reason
	if u.File != "" && u.Line > 0 {
		s = fmt.Sprintf("%s:%d: %s", u.File, u.Line, s)
	}
	if u.Supply != "" {
		s += " (give it with " + u.Supply + ")"
	}
	return s
}

// CodeOutcome is how one call of the user's code ended.
type CodeOutcome struct {
	// Kind is "returned", "raised" or "unknown".
	Kind string
	// Value is what it returned, as pkg/fab's plain values (a *Dict for a
	// dict); for roles, a []string of role names.
	Value     any
	Exception *CodeException
	Unknown   *UnknownCause
	// Builtin is set when the code ran FAB's built-in branch
	// (super().get_oauth_user_info): the branch and what it built.
	Builtin *Mapped
	// Notes say what the evaluation assumed ("--userinfo answered GET
	// https://…/userinfo at line 31").
	Notes []string
}

// UserInfoRun is the user's code that built the user-info, and how it
// ended.
type UserInfoRun struct {
	Source UserInfoSource
	CodeOutcome
	// NotDict: the code returned something other than a dict and FAB's
	// oauth_user_info_getter wrapper replaced it with {} (Airflow's
	// passes it on).
	NotDict string
}

// RolesStep names the role step a user's method replaces.
type RolesStep string

const (
	// StepAuthUser: auth_user_oauth (login and roles).
	StepAuthUser RolesStep = "auth_user_oauth"
	// StepCalculate: _oauth_calculate_user_roles (the roles of a new or
	// synced user).
	StepCalculate RolesStep = "_oauth_calculate_user_roles"
)

// RolesRun is the user's code that decided the login and roles.
type RolesRun struct {
	Source UserInfoSource
	Step   RolesStep
	CodeOutcome
	// Roles are the role names the user ends with (StepAuthUser) or the
	// computed roles (StepCalculate), when Kind is returned and the user
	// was not refused.
	Roles []string
	// NoUser: auth_user_oauth returned None: "Invalid login. Please try
	// again."
	NoUser bool
}

// BuiltinLogin is FAB's own role step for a user-info (what
// super().auth_user_oauth and super()._oauth_calculate_user_roles do):
// the roles, or why the login is refused.
type BuiltinLogin func(userinfo *Dict) (roles []string, refusal *Refusal)

// UserCodeEval evaluates the user's own login code statically
// (pkg/usercode implements it; spec user-code.md §3).
type UserCodeEval interface {
	// UserInfo runs the code that builds the user-info for the provider
	// under the flavour p; nil when FAB's own code builds it.
	UserInfo(p Profile, provider string) *UserInfoRun
	// Roles runs the code that replaces FAB's role step for this
	// user-info; nil when FAB's own code runs it. builtin are FAB's own
	// steps, for the user's super() calls and role look-ups.
	Roles(p Profile, provider string, userinfo *Dict, builtin RoleBuiltins) *RolesRun
}
