package fab

import "fmt"

func (b *branchRun) github() *Mapped {
	b.api("user", "the GitHub user API")
	u, err := concat("github_", b.d.get("login", nil))
	if err != nil {
		return b.fail("GitHub's user API returns `login`; this data has none", err)
	}
	b.set("username", u)
	return nil
}

func (b *branchRun) twitter() *Mapped {
	b.api("account/settings.json", "Twitter's OAuth 1 API")
	u, err := concat("twitter_", b.d.get("screen_name", ""))
	if err != nil {
		return b.fail("screen_name is not a string", err)
	}
	b.set("username", u)
	return nil
}

func (b *branchRun) linkedin() *Mapped {
	b.api("people/~:(id,email-address,first-name,last-name)?format=json", "LinkedIn's people API")
	u, err := concat("linkedin_", b.d.get("id", ""))
	if err != nil {
		return b.fail("id is not a string", err)
	}
	b.set("username", u)
	b.set("email", b.d.get("email-address", ""))
	b.set("first_name", b.d.get("firstName", ""))
	b.set("last_name", b.d.get("lastName", ""))
	return nil
}

func (b *branchRun) google() *Mapped {
	b.api("userinfo", "Google's OAuth2 v2 userinfo API")
	if _, ok := b.d["id"]; !ok {
		if _, ok := b.d["sub"]; ok {
			b.m.Notes = append(b.m.Notes, "Google's v2 userinfo API returns the account id as `id`; an ID token carries it as `sub`, so with a token as stand-in the username comes out as \"google_\"")
		}
	}
	u, err := concat("google_", b.d.get("id", ""))
	if err != nil {
		return b.fail("id is not a string", err)
	}
	b.set("username", u)
	b.set("first_name", b.d.get("given_name", ""))
	b.set("last_name", b.d.get("family_name", ""))
	b.set("email", b.d.get("email", ""))
	return nil
}

// azureField is one entry of the azure branch's dict literal, evaluated
// in order: the first missing required claim is the KeyError FAB logs.
type azureField struct {
	key, claim string
	read       azureRead
}

type azureRead int

const (
	azReq        azureRead = iota // me[claim]
	azOpt                         // me.get(claim, "")
	azUPNOrEmail                  // me["upn"] if "upn" in me else me["email"]
	azEmailOrUPN                  // email if present else upn (provider)
	azRoles                       // me.get(<role claim>, [])
	azUnbound                     // data.get("roles", []): data unbound
)

// azureFields is the azure branch's dict of a flavour (versions.go cites
// the tags).
func azureFields(p Profile) []azureField {
	names := azOpt
	if p.AzureNamesRequired {
		names = azReq
	}
	var fs []azureField
	if p.AzureExtraKeys {
		fs = append(fs, azureField{"name", "name", names})
	}
	switch p.AzureEmail {
	case AzureEmailUPN:
		fs = append(fs, azureField{"email", "upn", azReq})
	case AzureEmailOnly:
		fs = append(fs, azureField{"email", "email", azReq})
	case AzureEmailUPNThenEmail:
		fs = append(fs, azureField{"email", "upn", azUPNOrEmail})
	case AzureEmailEmailThenUPN:
		fs = append(fs, azureField{"email", "email", azEmailOrUPN})
	}
	fs = append(fs, azureField{"first_name", "given_name", names}, azureField{"last_name", "family_name", names})
	if p.AzureExtraKeys {
		fs = append(fs, azureField{"id", "oid", azReq})
	}
	fs = append(fs, azureField{"username", "oid", azReq})
	switch p.AzureRoleKeys {
	case AzureRolesClaim:
		fs = append(fs, azureField{"role_keys", "", azRoles})
	case AzureRolesUnbound:
		fs = append(fs, azureField{"role_keys", "", azUnbound})
	}
	return fs
}

func (b *branchRun) azure() *Mapped {
	b.m.Source = "the id_token of the token response (no API call)"
	roleClaim := "roles"
	if b.p.AzureRoleKeysSetting && b.in.AzureRoleClaim != "" {
		roleClaim = b.in.AzureRoleClaim
	}
	for _, f := range azureFields(b.p) {
		v, failed := b.azureRead(f, roleClaim)
		if failed != nil {
			return failed
		}
		b.set(f.key, v)
	}
	if b.p.AzureRoleKeys != AzureRolesClaim {
		b.m.Notes = append(b.m.Notes, "the azure branch of "+b.p.Title+" yields no role_keys (the roles claim is read from Flask-AppBuilder 3.4.3 on)")
		return nil
	}
	b.m.RoleClaim = roleClaim
	b.azureRoleNotes(roleClaim)
	return nil
}

// azureRead evaluates one entry of the azure dict.
func (b *branchRun) azureRead(f azureField, roleClaim string) (any, *Mapped) {
	switch f.read {
	case azOpt:
		return b.d.get(f.claim, ""), nil
	case azRoles:
		return b.d.get(roleClaim, []any{}), nil
	case azUnbound:
		// Python ≤ 3.10 words it "local variable 'data' referenced before
		// assignment"; 3.11 as below.
		return nil, b.fail("the azure branch of "+b.p.Title+" reads role_keys from `data`, a variable this branch never assigns (fixed in 3.4.3): every azure login fails",
			pyErr("cannot access local variable 'data' where it is not associated with a value"))
	case azUPNOrEmail, azEmailOrUPN:
		first, second := "upn", "email"
		if f.read == azEmailOrUPN {
			first, second = "email", "upn"
		}
		if v, ok := b.d[first]; ok {
			return v, nil
		}
		v, err := b.d.req(second)
		if err != nil {
			return nil, b.fail("the azure branch needs `email` or `upn` in the id_token and this token has neither", err)
		}
		return v, nil
	}
	v, err := b.d.req(f.claim)
	if err == nil {
		return v, nil
	}
	switch f.claim {
	case "oid":
		return nil, b.fail("the azure branch uses `oid` as the username; this token has none", err)
	case "upn":
		return nil, b.fail("the azure branch of "+b.p.Title+" reads the email from `upn`, which this token lacks (guest/B2B users and personal accounts have none)", err)
	case "email":
		return nil, b.fail("the azure branch of "+b.p.Title+" reads the email from `email`, which this token lacks (request the email scope, or set the optional claim)", err)
	}
	return nil, b.fail(fmt.Sprintf("the azure branch of %s reads `%s` with [...] (before Flask-AppBuilder 3.2.3), and this token has none", b.p.Title, f.claim), err)
}

// azureRoleNotes explains an empty role claim.
func (b *branchRun) azureRoleNotes(roleClaim string) {
	if _, ok := b.d[roleClaim]; ok {
		return
	}
	if roleClaim != "roles" {
		b.m.Notes = append(b.m.Notes, fmt.Sprintf("the token has no %q claim (AUTH_OAUTH_ROLE_KEYS), so role_keys is empty", roleClaim))
		return
	}
	if _, ok := b.d["groups"]; ok {
		b.m.Notes = append(b.m.Notes, "the token carries `groups` but the azure branch reads app roles from `roles`, so role_keys is empty")
	} else {
		b.m.Notes = append(b.m.Notes, "the token has no `roles` claim: no app role of the Entra application is assigned to this user (or to a group the user is in)")
	}
}

func (b *branchRun) openshift() *Mapped {
	b.api("apis/user.openshift.io/v1/users/~", "the OpenShift user API")
	md := b.d.get("metadata", nil)
	var nm any
	switch x := md.(type) {
	case map[string]any:
		nm = data(x).get("name", nil)
	case *Dict:
		nm, _ = x.Get("name")
	default:
		return b.fail("the OpenShift user API returns metadata.name; this data has no metadata object",
			pyErr(fmt.Sprintf("'%s' object has no attribute 'get'", pyType(md))))
	}
	u, err := concat("openshift_", nm)
	if err != nil {
		return b.fail("metadata.name is missing or not a string", err)
	}
	b.set("username", u)
	return nil
}

func (b *branchRun) okta() *Mapped {
	b.api("userinfo", "Okta's userinfo endpoint")
	b.m.RoleClaim = "groups"
	if b.p.OktaFlaskOAuthlibData {
		// v3.2.0:manager logs me.data (Flask-OAuthlib's attribute) from
		// authlib's requests.Response before building the dict.
		return b.fail("the okta branch of "+b.p.Title+" reads `me.data`, a Flask-OAuthlib attribute authlib's response does not have (fixed in 3.2.2): every okta login fails",
			pyErr("'Response' object has no attribute 'data'"))
	}
	if b.p.OktaErrorCheck {
		if _, ok := b.d["error"]; ok {
			b.m.Notes = append(b.m.Notes, fmt.Sprintf("the userinfo answer is an error (%s): FAB logs error_description and returns {}", Repr(b.d.get("error_description", nil))))
			return nil // ui is still {}
		}
	}
	if b.p.OktaStrict {
		sub, err := b.d.req("sub")
		if err != nil {
			return b.fail("the okta branch requires `sub`", err)
		}
		b.set("username", b.in.Name+"_"+PyStr(sub))
		b.set("first_name", b.d.get("given_name", ""))
		b.set("last_name", b.d.get("family_name", ""))
		email, err := b.d.req("email")
		if err != nil {
			return b.fail("the okta branch of "+b.p.Title+" requires `email` (request the email scope)", err)
		}
		b.set("email", email)
	} else {
		u, err := concat("okta_", b.d.get("sub", ""))
		if err != nil {
			return b.fail("sub is not a string", err)
		}
		b.set("username", u)
		b.set("first_name", b.d.get("given_name", ""))
		b.set("last_name", b.d.get("family_name", ""))
		b.set("email", b.d.get("email", ""))
	}
	b.set("role_keys", b.d.get("groups", []any{}))
	return nil
}

func (b *branchRun) auth0() *Mapped {
	b.m.Source = "authlib userinfo() (the userinfo_endpoint of the server metadata)"
	b.m.FromAPI = true
	b.m.RoleClaim = "groups"
	sub, err := b.d.req("sub")
	if err != nil {
		return b.fail("the auth0 branch requires `sub`", err)
	}
	b.set("username", b.in.Name+"_"+PyStr(sub))
	b.set("first_name", b.d.get("given_name", ""))
	b.set("last_name", b.d.get("family_name", ""))
	email, err := b.d.req("email")
	if err != nil {
		return b.fail("the auth0 branch requires `email` (request the email scope)", err)
	}
	b.set("email", email)
	b.set("role_keys", b.d.get("groups", []any{}))
	return nil
}

func (b *branchRun) keycloak() *Mapped {
	b.api("openid-connect/userinfo", "Keycloak's userinfo endpoint")
	b.set("username", b.d.get("preferred_username", ""))
	b.set("first_name", b.d.get("given_name", ""))
	b.set("last_name", b.d.get("family_name", ""))
	b.set("email", b.d.get("email", ""))
	if b.p.KeycloakGroups {
		b.m.RoleClaim = "groups"
		b.set("role_keys", b.d.get("groups", []any{}))
	} else {
		b.m.Notes = append(b.m.Notes, "this FAB version's keycloak branch yields no role_keys (groups are read from FAB 4.5.0 on)")
	}
	if _, ok := b.d["groups"]; !ok {
		if _, ok := b.d["realm_access"]; ok {
			b.m.Notes = append(b.m.Notes, "the data has Keycloak roles under realm_access/resource_access, but FAB reads only `groups` (add a Group Membership mapper to the client)")
		}
	}
	return nil
}

func (b *branchRun) authentik() *Mapped {
	b.m.Source = "the id_token of the token response (verified against jwks_uri unless verify_signature is False)"
	b.m.RoleClaim = "groups"
	email, err := b.d.req("preferred_username")
	if err != nil {
		return b.fail("the authentik branch uses `preferred_username` as the email", err)
	}
	b.set("email", email)
	b.set("first_name", b.d.get("given_name", ""))
	nick, err := b.d.req("nickname")
	if err != nil {
		return b.fail("the authentik branch uses `nickname` as the username", err)
	}
	b.set("username", nick)
	b.set("role_keys", b.d.get("groups", []any{}))
	return nil
}
