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

func (b *branchRun) azure() *Mapped {
	b.m.Source = "the id_token of the token response (no API call)"
	roleClaim := "roles"
	if b.p.AzureRoleKeysSetting && b.in.AzureRoleClaim != "" {
		roleClaim = b.in.AzureRoleClaim
	}
	b.m.RoleClaim = roleClaim
	switch b.p.AzureEmail {
	case AzureEmailUPN:
		b.set("name", b.d.get("name", ""))
		v, err := b.d.req("upn")
		if err != nil {
			return b.fail("the azure branch of "+b.p.Title+" reads the email from `upn`, which this token lacks (guest/B2B users and personal accounts have none)", err)
		}
		b.set("email", v)
		b.set("first_name", b.d.get("given_name", ""))
		b.set("last_name", b.d.get("family_name", ""))
		oid, err := b.d.req("oid")
		if err != nil {
			return b.fail("the azure branch uses `oid` as the username; this token has none", err)
		}
		b.set("id", oid)
		b.set("username", oid)
		b.set("role_keys", b.d.get(roleClaim, []any{}))
	default:
		var email any
		var err error
		if b.p.AzureEmail == AzureEmailEmailThenUPN {
			if v, ok := b.d["email"]; ok {
				email = v
			} else {
				email, err = b.d.req("upn")
			}
		} else {
			if v, ok := b.d["upn"]; ok {
				email = v
			} else {
				email, err = b.d.req("email")
			}
		}
		if err != nil {
			return b.fail("the azure branch needs `email` or `upn` in the id_token and this token has neither", err)
		}
		b.set("email", email)
		b.set("first_name", b.d.get("given_name", ""))
		b.set("last_name", b.d.get("family_name", ""))
		oid, err := b.d.req("oid")
		if err != nil {
			return b.fail("the azure branch uses `oid` as the username; this token has none", err)
		}
		b.set("username", oid)
		b.set("role_keys", b.d.get(roleClaim, []any{}))
	}
	if _, ok := b.d[roleClaim]; !ok {
		if roleClaim == "roles" {
			if _, ok := b.d["groups"]; ok {
				b.m.Notes = append(b.m.Notes, "the token carries `groups` but the azure branch reads app roles from `roles`, so role_keys is empty")
			} else {
				b.m.Notes = append(b.m.Notes, "the token has no `roles` claim: no app role of the Entra application is assigned to this user (or to a group the user is in)")
			}
		} else {
			b.m.Notes = append(b.m.Notes, fmt.Sprintf("the token has no %q claim (AUTH_OAUTH_ROLE_KEYS), so role_keys is empty", roleClaim))
		}
	}
	return nil
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
		b.set("username", b.in.Name+"_"+pyStr(sub))
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
	b.set("username", b.in.Name+"_"+pyStr(sub))
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
