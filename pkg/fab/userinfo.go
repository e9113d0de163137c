package fab

import (
	"fmt"
	"strings"
	"sync"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// What users see (flask_appbuilder/security/views.py, spec §2.1).
const (
	MsgDenied        = "The request to sign in was denied."
	MsgInvalidLogin  = "Invalid login. Please try again."
	MsgNotAuthorized = "You are not authorized."
	MsgNoRoles       = "Your user has no roles and/or permissions!"
)

// Log prefixes FAB writes (spec §2.1).
const (
	LogAuthorize = "Error authorizing OAuth access token: "
	LogUserInfo  = "Error returning OAuth user info: "
	// LogLoginStart is the login view's: authorize_redirect raised (the
	// metadata could not be loaded, no authorize endpoint) and the user is
	// sent back to the index with MsgInvalidLogin.
	LogLoginStart = "Error on OAuth authorize: "
)

// Refusal says why a login does not succeed.
type Refusal struct {
	// Stage: "config" (before any login: the provider is not offered),
	// "authorize" (authlib's token exchange), "userinfo", "whitelist",
	// "login" (auth_user_oauth).
	Stage string `json:"stage"`
	// Reason explains it for people.
	Reason string `json:"reason"`
	// Log is the line FAB logs ("" when it logs nothing).
	Log string `json:"log,omitempty"`
	// Message is what the user sees in the browser.
	Message string `json:"message"`
	// Check is the check that describes the cause.
	Check string `json:"check"`
	// Line is the config line that causes it (0 when the cause is the
	// user's data).
	Line int `json:"line,omitempty"`
	// UserIndependent is true when every login fails this way, whatever
	// the user (a config problem).
	UserIndependent bool `json:"userIndependent"`
	// Fix is the remedy for a config problem.
	Fix string `json:"fix,omitempty"`
}

// Step is the login step at which the refusal happens.
func (r *Refusal) Step() engine.Step {
	switch {
	case r.Check == "CFG001":
		return engine.StepAppStart
	case r.Stage == "config":
		// the provider is not offered: nothing past the login page works
		return engine.StepAuthorize
	case r.Stage == "authorize":
		return engine.StepTokenExchange
	case r.Stage == "userinfo" || r.Stage == "whitelist":
		return engine.StepUserInfo
	}
	return engine.StepRoles
}

// pyErr is a Python exception text as str(e) prints it.
type pyErr string

func (e pyErr) Error() string { return string(e) }

func keyError(k string) error { return pyErr("'" + k + "'") }

// data is a dict the branch reads: the token's claims or the API's JSON.
type data map[string]any

// req is data[k]: KeyError when missing.
func (d data) req(k string) (any, error) {
	v, ok := d[k]
	if !ok {
		return nil, keyError(k)
	}
	return v, nil
}

// get is data.get(k, def): a present key with null gives None, not def.
func (d data) get(k string, def any) any {
	if v, ok := d[k]; ok {
		return v
	}
	return def
}

// concat is Python's "prefix" + v.
func concat(prefix string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", pyErr(fmt.Sprintf("can only concatenate str (not %q) to str", pyType(v)))
	}
	return prefix + s, nil
}

// Mapped is the user-info a provider branch builds.
type Mapped struct {
	// Branch is the branch taken ("azure", "keycloak", "generic", or ""
	// when no branch handles the name).
	Branch string `json:"branch"`
	// Source says where the branch reads its data.
	Source string `json:"source"`
	// FromAPI is true when the data comes from an HTTP API rather than
	// the token: the token was used as a stand-in.
	FromAPI bool `json:"fromApi"`
	// RoleClaim names the field that becomes role_keys ("" when the branch
	// yields none).
	RoleClaim string `json:"roleClaim,omitempty"`
	// UserInfo is the dict FAB passes to auth_user_oauth (nil when the
	// branch raised).
	UserInfo *Dict    `json:"userinfo"`
	Refusal  *Refusal `json:"refusal,omitempty"`
	Notes    []string `json:"notes,omitempty"`
}

// MapInput is the input of MapUserInfo.
type MapInput struct {
	// Name is the provider name (selects the branch, exactly).
	Name string
	// Data is the decoded id_token or the API response stand-in.
	Data map[string]any
	// AzureRoleClaim is AUTH_OAUTH_ROLE_KEYS["azure"] (default "roles");
	// only read when the profile has AzureRoleKeysSetting.
	AzureRoleClaim string
}

// MapUserInfo runs the provider branch of get_oauth_user_info for a
// flavour (spec §2.3, §2.4, §8.1, §8.3). It evaluates in the order the
// Python dict literal does, so the first missing required claim is the one
// FAB names.
func MapUserInfo(p Profile, in MapInput) Mapped {
	d := data(in.Data)
	if d == nil {
		d = data{}
	}
	b := &branchRun{p: p, in: in, d: d, m: Mapped{Branch: in.Name}, ui: NewDict(0)}
	if !p.HasBranch(in.Name) {
		return b.noBranch()
	}
	if failed := branches()[in.Name](b); failed != nil {
		return *failed
	}
	b.m.UserInfo = b.ui
	return b.m
}

// branchRun is one run of a built-in branch: it fills ui, or fails.
type branchRun struct {
	p  Profile
	in MapInput
	d  data
	m  Mapped
	ui *Dict
}

// fail ends the branch with the exception FAB logs.
func (b *branchRun) fail(reason string, err error) *Mapped {
	b.m.UserInfo = nil
	b.m.Refusal = &Refusal{Stage: "userinfo", Reason: reason, Log: LogUserInfo + err.Error(),
		Message: MsgInvalidLogin, Check: "ROL006"}
	return &b.m
}

// api notes that the branch reads an HTTP API (the token stands in).
func (b *branchRun) api(path, what string) {
	b.m.Source = "GET " + path + " on api_base_url (" + what + ")"
	b.m.FromAPI = true
}

func (b *branchRun) set(k string, v any) { b.ui.Set(k, v, 0) }

// noBranch is what a name without a built-in branch gets in this flavour.
func (b *branchRun) noBranch() Mapped {
	name := b.in.Name
	switch b.p.Unknown {
	case UnknownGeneric:
		return mapGeneric(b.d, name)
	case UnknownRaise:
		b.m.Branch = ""
		b.m.Source = "none: no built-in branch for this name"
		return *b.fail(fmt.Sprintf("no built-in user-info branch is named %q in %s (names are exact and case-sensitive); FAB raises OAuthProviderUnknown", name, b.p.Title),
			pyErr("(OAuthProviderUnknown, an empty message)"))
	}
	b.m.Branch = ""
	b.m.Source = "none: no built-in branch for this name"
	b.m.UserInfo = b.ui // {}
	b.m.Notes = append(b.m.Notes, fmt.Sprintf("no built-in user-info branch is named %q in %s (exact, case-sensitive): get_oauth_user_info returns {}", name, b.p.Title))
	return b.m
}

// branches are the built-in user-info branches by provider name (which
// names a flavour has is Profile.Branches).
var branches = sync.OnceValue(func() map[string]func(*branchRun) *Mapped {
	return map[string]func(*branchRun) *Mapped{
		"github":             (*branchRun).github,
		"githublocal":        (*branchRun).github,
		"twitter":            (*branchRun).twitter,
		"linkedin":           (*branchRun).linkedin,
		"google":             (*branchRun).google,
		"azure":              (*branchRun).azure,
		"openshift":          (*branchRun).openshift,
		"okta":               (*branchRun).okta,
		"auth0":              (*branchRun).auth0,
		"keycloak":           (*branchRun).keycloak,
		"keycloak_before_17": (*branchRun).keycloak,
		"authentik":          (*branchRun).authentik,
	}
})

// mapGeneric is the generic OIDC fallback of providers-fab ≥ 2.2.0 (spec
// §8.3).
func mapGeneric(d data, name string) Mapped {
	m := Mapped{Branch: "generic", Source: "authlib userinfo() (the provider's userinfo_endpoint)", FromAPI: true, RoleClaim: "groups"}
	ui := NewDict(0)
	ui.Set("username", d.get("preferred_username", ""), 0)
	ui.Set("first_name", d.get("given_name", ""), 0)
	ui.Set("last_name", d.get("family_name", ""), 0)
	ui.Set("email", d.get("email", ""), 0)
	ui.Set("role_keys", d.get("groups", []any{}), 0)
	m.UserInfo = ui
	m.Notes = append(m.Notes, fmt.Sprintf("%q is not a built-in name: the generic OIDC branch reads the userinfo endpoint (username = preferred_username, role_keys = groups; AUTH_OAUTH_ROLE_KEYS does not apply)", name))
	if lower := strings.ToLower(name); lower != name && builtinNames()[lower] {
		m.Notes = append(m.Notes, fmt.Sprintf("%q differs from the built-in %q only in case: none of the %s branch's logic applies", name, lower, lower))
	}
	return m
}

// builtinNames are every built-in branch name of any flavour.
var builtinNames = sync.OnceValue(func() map[string]bool {
	return map[string]bool{"github": true, "githublocal": true, "twitter": true, "linkedin": true,
		"google": true, "azure": true, "openshift": true, "okta": true, "auth0": true, "keycloak": true,
		"keycloak_before_17": true, "authentik": true}
})
