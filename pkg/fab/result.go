package fab

// Result is the dry-run: JSON `result` of `authdoctor roles`.
type Result struct {
	Flavor       Flavor `json:"flavor"`
	FlavorTitle  string `json:"flavorTitle"`
	FlavorReason string `json:"flavorReason"`
	Provider     string `json:"provider"`
	Branch       string `json:"branch"`
	DataSource   string `json:"dataSource"`
	// FromAPI: the branch reads an HTTP API; the token or --claims stood in
	// for its answer.
	FromAPI      bool   `json:"fromApi"`
	ClaimsSource string `json:"claimsSource"`
	RoleClaim    string `json:"roleClaim,omitempty"`
	// UserInfo is the dict FAB builds (nil when the branch raised).
	UserInfo *Dict `json:"userinfo"`
	// UserInfoSource says whose code built it (spec user-code.md §5);
	// RolesSource whose code decided the roles, when the user's did.
	UserInfoSource *UserInfoSource `json:"userinfo_source"`
	RolesSource    *UserInfoSource `json:"roles_source,omitempty"`
	// Exception is what the user's code raised (outcome refused), as
	// CPython prints it, with the line that raised.
	Exception *CodeException `json:"exception,omitempty"`
	// Unknown says why the outcome cannot be known statically (outcome
	// unknown), with FILE:LINE and the flag that would supply it.
	Unknown *UnknownCause `json:"unknown,omitempty"`
	// Username is what auth_user_oauth looks the user up by.
	Username string `json:"username,omitempty"`
	// User is "new" or "existing".
	User    string `json:"user"`
	Sync    bool   `json:"syncAtLogin"`
	Outcome string `json:"outcome"`
	// Refusal is the first thing that stops this login.
	Refusal *Refusal `json:"refusal,omitempty"`
	// Blockers are config problems that stop every login, whatever the
	// user.
	Blockers []Refusal `json:"blockers,omitempty"`
	// Roles are the final roles. When RolesIfFixed, they are the roles this
	// user gets once the blockers are fixed.
	Roles        []string `json:"roles"`
	RolesIfFixed bool     `json:"rolesIfFixed,omitempty"`
	// Computed are the roles the mapping/registration would give (equal to
	// Roles except for an existing user with sync off).
	Computed     []string          `json:"computed"`
	Matched      []Match           `json:"matched"`
	Registration *Registration     `json:"registration"`
	Permissions  []RolePermissions `json:"permissions"`
	// PermissionsOf says whose permissions are listed: "roles" (the final
	// roles, or those once fixed) or "computed" (the login is refused for
	// this user; the roles the mapping gives).
	PermissionsOf string    `json:"permissionsOf,omitempty"`
	Callback      *Callback `json:"callback,omitempty"`
	Notes         []string  `json:"notes"`
	// OtherVersions: when the version is not known, how the login ends on
	// the other plausible versions where that differs (SimulatePlausible).
	OtherVersions []*OtherVersion `json:"otherVersions,omitempty"`
	// Issues are findings for the report.
	Issues []Issue `json:"-"`
}

// BlockerIssues are the ROL006 findings of a dry-run refused for every
// user by a config problem. They are for a report in which the config's
// own checks did not run (roles); doctor's lint stage reports each cause
// under its own check.
func (r *Result) BlockerIssues(file string) []Issue {
	var out []Issue
	for _, b := range r.Blockers {
		msg := "every login fails before roles are computed: " + b.Reason
		if b.Log != "" {
			msg += " (logs \"" + b.Log + "\")"
		}
		fix := b.Fix
		if fix == "" {
			fix = "Fix the config problem " + b.Check + " describes (authdoctor explain " + b.Check + "; authdoctor lint shows it)."
		}
		out = append(out, Issue{ID: "ROL006", Message: msg + "; see " + b.Check, File: file, Line: max(b.Line, 1), Fix: fix})
	}
	return out
}
