package fab

import (
	"fmt"
	"strings"
)

// versionChecks are what only some Flask-AppBuilder releases do wrong
// (versions.go cites the tags): a branch that fails on every login, a
// setting the release does not read, an id_token authlib < 1.0 never
// parses.
func (l *linter) versionChecks(provs []*Provider) {
	if !l.oauth() {
		return
	}
	for _, pr := range provs {
		if !pr.NameOK || pr.Remote == nil || pr.Entry == nil {
			continue
		}
		l.brokenBranch(pr)
		l.whitelistWithoutEmail(pr)
		if pr.ScopeKnown && pr.HasScope("openid") && !pr.HasKeySource() && l.p.NoIDTokenParse {
			l.sum.Notes = append(l.sum.Notes, fmt.Sprintf("provider %q requests openid without server_metadata_url or jwks_uri: harmless with authlib before 1.0 (%s), which does not parse the id_token, but `Missing \"jwks_uri\" in metadata` after an upgrade to authlib 1.x (CFG004)", pr.Name, l.p.Title))
		}
	}
	l.preRolesMapping()
}

// brokenBranch: a release whose branch raises whatever the user.
func (l *linter) brokenBranch(pr *Provider) {
	label := fmt.Sprintf("provider %q", pr.Name)
	switch b := l.branchOf(pr.Name); {
	case b == "okta" && l.p.OktaFlaskOAuthlibData:
		l.add("ROL006", pr.EntryLine("name"), label+": the okta branch of "+l.p.Title+" reads `me.data`, which authlib's response lacks → \""+LogUserInfo+"'Response' object has no attribute 'data'\" and \""+MsgInvalidLogin+"\" on every login",
			withFix("Upgrade Flask-AppBuilder to 3.2.2 or later, or map the user-info in a custom security manager."))
	case b == "azure" && l.p.AzureRoleKeys == AzureRolesUnbound:
		l.add("ROL006", pr.EntryLine("name"), label+": the azure branch of "+l.p.Title+" reads role_keys from a variable it never assigns → \""+LogUserInfo+"cannot access local variable 'data' …\" (\"local variable 'data' referenced before assignment\" before Python 3.11) and \""+MsgInvalidLogin+"\" on every login",
			withFix("Use Flask-AppBuilder 3.4.3 or later (or 3.4.0)."))
	case b == "azure" && l.p.AzureNamesRequired:
		l.sum.Notes = append(l.sum.Notes, label+": the azure branch of "+l.p.Title+" reads name, given_name and family_name with [...]: a token without one of them (a guest or a personal account, or no profile scope) fails with KeyError")
	}
}

// whitelistWithoutEmail: before 3.3.3 the whitelist reads
// userinfo["email"] unguarded, and some branches return no email.
func (l *linter) whitelistWithoutEmail(pr *Provider) {
	if !l.p.WhitelistEmailKeyError || !pr.Entry.Has("whitelist") {
		return
	}
	switch b := l.branchOf(pr.Name); b {
	case "github", "githublocal", "twitter", "openshift", "":
		l.add("ROL006", pr.EntryLine("whitelist"), fmt.Sprintf("provider %q has a whitelist, but its %s returns no email and %s reads userinfo[\"email\"] outside its try → KeyError: 'email', HTTP 500 on every login", pr.Name, branchWords(b), l.p.Title),
			withFix("Upgrade Flask-AppBuilder to 3.3.3 or later, or return the email from a custom user-info getter."))
	}
}

func branchWords(b string) string {
	if b == "" {
		return "missing branch ({})"
	}
	return b + " branch"
}

// preRolesMapping: Flask-AppBuilder before 3.2.0 has no
// AUTH_ROLES_MAPPING and no AUTH_ROLES_SYNC_AT_LOGIN.
func (l *linter) preRolesMapping() {
	if !l.p.PreRolesMapping {
		return
	}
	var set []string
	line := 0
	for _, n := range []string{"AUTH_ROLES_MAPPING", "AUTH_ROLES_SYNC_AT_LOGIN"} {
		if s, ok := l.cfg.Get(n); ok {
			set = append(set, n)
			if line == 0 {
				line = s.Line
			}
		}
	}
	if len(set) == 0 {
		return
	}
	l.add("ROL004", line, fmt.Sprintf("%s %s not read by %s (both exist from Flask-AppBuilder 3.2.0): a new user gets only the registration role, an existing user's roles never change", strings.Join(set, " and "), isAre(len(set)), l.p.Title),
		withFix("Upgrade Flask-AppBuilder to 3.2.0 or later (Airflow 2.0.2 and later allow it)."))
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
