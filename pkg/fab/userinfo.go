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
	switch r.Stage {
	case "config":
		// the provider is not offered: nothing past the login page works
		return engine.StepAuthorize
	case "authorize":
		return engine.StepTokenExchange
	case "userinfo", "whitelist":
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
	name := in.Name
	m := Mapped{Branch: name}
	ui := NewDict(0)
	fail := func(reason string, err error) Mapped {
		m.UserInfo = nil
		m.Refusal = &Refusal{Stage: "userinfo", Reason: reason, Log: LogUserInfo + err.Error(),
			Message: MsgInvalidLogin, Check: "ROL006"}
		return m
	}
	api := func(path, what string) {
		m.Source = "GET " + path + " on api_base_url (" + what + ")"
		m.FromAPI = true
	}
	set := func(k string, v any) { ui.Set(k, v, 0) }

	if !p.HasBranch(name) {
		switch p.Unknown {
		case UnknownGeneric:
			return mapGeneric(d, name)
		case UnknownRaise:
			m.Branch = ""
			m.Source = "none: no built-in branch for this name"
			return fail(fmt.Sprintf("no built-in user-info branch is named %q in %s (names are exact and case-sensitive); FAB raises OAuthProviderUnknown", name, p.Title),
				pyErr("(OAuthProviderUnknown, an empty message)"))
		default:
			m.Branch = ""
			m.Source = "none: no built-in branch for this name"
			m.UserInfo = ui // {}
			m.Notes = append(m.Notes, fmt.Sprintf("no built-in user-info branch is named %q in %s (exact, case-sensitive): get_oauth_user_info returns {}", name, p.Title))
			return m
		}
	}

	switch name {
	case "github", "githublocal":
		api("user", "the GitHub user API")
		u, err := concat("github_", d.get("login", nil))
		if err != nil {
			return fail("GitHub's user API returns `login`; this data has none", err)
		}
		set("username", u)

	case "twitter":
		api("account/settings.json", "Twitter's OAuth 1 API")
		u, err := concat("twitter_", d.get("screen_name", ""))
		if err != nil {
			return fail("screen_name is not a string", err)
		}
		set("username", u)

	case "linkedin":
		api("people/~:(id,email-address,first-name,last-name)?format=json", "LinkedIn's people API")
		u, err := concat("linkedin_", d.get("id", ""))
		if err != nil {
			return fail("id is not a string", err)
		}
		set("username", u)
		set("email", d.get("email-address", ""))
		set("first_name", d.get("firstName", ""))
		set("last_name", d.get("lastName", ""))

	case "google":
		api("userinfo", "Google's OAuth2 v2 userinfo API")
		if _, ok := d["id"]; !ok {
			if _, ok := d["sub"]; ok {
				m.Notes = append(m.Notes, "Google's v2 userinfo API returns the account id as `id`; an ID token carries it as `sub`, so with a token as stand-in the username comes out as \"google_\"")
			}
		}
		u, err := concat("google_", d.get("id", ""))
		if err != nil {
			return fail("id is not a string", err)
		}
		set("username", u)
		set("first_name", d.get("given_name", ""))
		set("last_name", d.get("family_name", ""))
		set("email", d.get("email", ""))

	case "azure":
		m.Source = "the id_token of the token response (no API call)"
		roleClaim := "roles"
		if p.AzureRoleKeysSetting && in.AzureRoleClaim != "" {
			roleClaim = in.AzureRoleClaim
		}
		m.RoleClaim = roleClaim
		switch p.AzureEmail {
		case AzureEmailUPN:
			set("name", d.get("name", ""))
			v, err := d.req("upn")
			if err != nil {
				return fail("the azure branch of "+p.Title+" reads the email from `upn`, which this token lacks (guest/B2B users and personal accounts have none)", err)
			}
			set("email", v)
			set("first_name", d.get("given_name", ""))
			set("last_name", d.get("family_name", ""))
			oid, err := d.req("oid")
			if err != nil {
				return fail("the azure branch uses `oid` as the username; this token has none", err)
			}
			set("id", oid)
			set("username", oid)
			set("role_keys", d.get(roleClaim, []any{}))
		default:
			var email any
			var err error
			if p.AzureEmail == AzureEmailEmailThenUPN {
				if v, ok := d["email"]; ok {
					email = v
				} else {
					email, err = d.req("upn")
				}
			} else {
				if v, ok := d["upn"]; ok {
					email = v
				} else {
					email, err = d.req("email")
				}
			}
			if err != nil {
				return fail("the azure branch needs `email` or `upn` in the id_token and this token has neither", err)
			}
			set("email", email)
			set("first_name", d.get("given_name", ""))
			set("last_name", d.get("family_name", ""))
			oid, err := d.req("oid")
			if err != nil {
				return fail("the azure branch uses `oid` as the username; this token has none", err)
			}
			set("username", oid)
			set("role_keys", d.get(roleClaim, []any{}))
		}
		if _, ok := d[roleClaim]; !ok {
			if roleClaim == "roles" {
				if _, ok := d["groups"]; ok {
					m.Notes = append(m.Notes, "the token carries `groups` but the azure branch reads app roles from `roles`, so role_keys is empty")
				} else {
					m.Notes = append(m.Notes, "the token has no `roles` claim: no app role of the Entra application is assigned to this user (or to a group the user is in)")
				}
			} else {
				m.Notes = append(m.Notes, fmt.Sprintf("the token has no %q claim (AUTH_OAUTH_ROLE_KEYS), so role_keys is empty", roleClaim))
			}
		}

	case "openshift":
		api("apis/user.openshift.io/v1/users/~", "the OpenShift user API")
		md := d.get("metadata", nil)
		var nm any
		switch x := md.(type) {
		case map[string]any:
			nm = data(x).get("name", nil)
		case *Dict:
			nm, _ = x.Get("name")
		default:
			return fail("the OpenShift user API returns metadata.name; this data has no metadata object",
				pyErr(fmt.Sprintf("'%s' object has no attribute 'get'", pyType(md))))
		}
		u, err := concat("openshift_", nm)
		if err != nil {
			return fail("metadata.name is missing or not a string", err)
		}
		set("username", u)

	case "okta":
		api("userinfo", "Okta's userinfo endpoint")
		m.RoleClaim = "groups"
		if p.OktaErrorCheck {
			if _, ok := d["error"]; ok {
				m.Notes = append(m.Notes, fmt.Sprintf("the userinfo answer is an error (%s): FAB logs error_description and returns {}", Repr(d.get("error_description", nil))))
				m.UserInfo = ui
				return m
			}
		}
		if p.OktaStrict {
			sub, err := d.req("sub")
			if err != nil {
				return fail("the okta branch requires `sub`", err)
			}
			set("username", name+"_"+pyStr(sub))
			set("first_name", d.get("given_name", ""))
			set("last_name", d.get("family_name", ""))
			email, err := d.req("email")
			if err != nil {
				return fail("the okta branch of "+p.Title+" requires `email` (request the email scope)", err)
			}
			set("email", email)
		} else {
			u, err := concat("okta_", d.get("sub", ""))
			if err != nil {
				return fail("sub is not a string", err)
			}
			set("username", u)
			set("first_name", d.get("given_name", ""))
			set("last_name", d.get("family_name", ""))
			set("email", d.get("email", ""))
		}
		set("role_keys", d.get("groups", []any{}))

	case "auth0":
		m.Source = "authlib userinfo() (the userinfo_endpoint of the server metadata)"
		m.FromAPI = true
		m.RoleClaim = "groups"
		sub, err := d.req("sub")
		if err != nil {
			return fail("the auth0 branch requires `sub`", err)
		}
		set("username", name+"_"+pyStr(sub))
		set("first_name", d.get("given_name", ""))
		set("last_name", d.get("family_name", ""))
		email, err := d.req("email")
		if err != nil {
			return fail("the auth0 branch requires `email` (request the email scope)", err)
		}
		set("email", email)
		set("role_keys", d.get("groups", []any{}))

	case "keycloak", "keycloak_before_17":
		api("openid-connect/userinfo", "Keycloak's userinfo endpoint")
		set("username", d.get("preferred_username", ""))
		set("first_name", d.get("given_name", ""))
		set("last_name", d.get("family_name", ""))
		set("email", d.get("email", ""))
		if p.KeycloakGroups {
			m.RoleClaim = "groups"
			set("role_keys", d.get("groups", []any{}))
		} else {
			m.Notes = append(m.Notes, "this FAB version's keycloak branch yields no role_keys (groups are read from FAB 4.5.0 on)")
		}
		if _, ok := d["groups"]; !ok {
			if _, ok := d["realm_access"]; ok {
				m.Notes = append(m.Notes, "the data has Keycloak roles under realm_access/resource_access, but FAB reads only `groups` (add a Group Membership mapper to the client)")
			}
		}

	case "authentik":
		m.Source = "the id_token of the token response (verified against jwks_uri unless verify_signature is False)"
		m.RoleClaim = "groups"
		email, err := d.req("preferred_username")
		if err != nil {
			return fail("the authentik branch uses `preferred_username` as the email", err)
		}
		set("email", email)
		set("first_name", d.get("given_name", ""))
		nick, err := d.req("nickname")
		if err != nil {
			return fail("the authentik branch uses `nickname` as the username", err)
		}
		set("username", nick)
		set("role_keys", d.get("groups", []any{}))
	}
	m.UserInfo = ui
	return m
}

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
