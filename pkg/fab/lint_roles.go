package fab

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/authdoctor/authdoctor/pkg/idp"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/jmespath/go-jmespath"
)

func (l *linter) oauth() bool {
	at, known, _ := l.cfg.AuthType()
	if known {
		return at == AuthOAuth
	}
	_, has := l.cfg.Get("OAUTH_PROVIDERS")
	return has
}

// roles runs the ROL checks that need no token.
func (l *linter) roles(provs []*Provider) {
	known := l.cfg.KnownRoles(l.p, l.o.Roles)
	mapping := l.mappingShape(known)
	l.roleKeysSetting(provs, mapping)
	l.registrationRole(known)
	if !l.oauth() {
		return
	}
	l.mappingReach(provs, mapping)
	l.registrationOff()
	l.syncAtLogin(mapping)
	l.registrationOutcome(provs, mapping, known)
}

// mappingShape: AUTH_ROLES_MAPPING must be a dict of lists of role names
// (ROL002) naming roles that exist (ROL001), with keys FAB can match
// (ROL004). It returns the mapping when it is a dict.
func (l *linter) mappingShape(known KnownRoles) *Dict {
	ms, ok := l.cfg.Get("AUTH_ROLES_MAPPING")
	if !ok {
		return nil
	}
	mapping, isDict := ms.Value.(*Dict)
	if !isDict {
		if ms.Value != nil && !Unknown(ms.Value) {
			l.add("ROL002", ms.Line, fmt.Sprintf("AUTH_ROLES_MAPPING is a %s, not a dict: role computation raises AttributeError at login", pyType(ms.Value)),
				withFix("Write AUTH_ROLES_MAPPING = {\"idp_role\": [\"Viewer\"], ...}."))
		}
		return nil
	}
	for _, k := range mapping.Keys {
		line := mapping.LineOf(k)
		for _, name := range l.mappingTargets(k, mapping.Vals[k], line) {
			l.roleExists(known, name, line, fmt.Sprintf("AUTH_ROLES_MAPPING[%q] names", k), "Can't find role specified in AUTH_ROLES_MAPPING: "+name, "skips it")
		}
		l.mappingKey(k, line)
	}
	return mapping
}

// mappingTargets checks one mapping value (ROL002) and returns its role
// names.
func (l *linter) mappingTargets(k string, v any, line int) []string {
	switch x := v.(type) {
	case string:
		l.add("ROL002", line, fmt.Sprintf("AUTH_ROLES_MAPPING[%q] is the string %q, not a list: FAB iterates it character by character and looks up roles %s", k, x, Repr(charsOf(x))),
			withFix(fmt.Sprintf("Write %q: [%q].", k, x)))
		return nil
	case *Dict:
		l.add("ROL002", line, fmt.Sprintf("AUTH_ROLES_MAPPING[%q] is a dict, not a list of role names", k))
		return nil
	}
	targets, ok := list(v)
	if !ok {
		if !Unknown(v) {
			l.add("ROL002", line, fmt.Sprintf("AUTH_ROLES_MAPPING[%q] is %s, not a list of role names", k, Repr(v)))
		}
		return nil
	}
	var out []string
	for _, t := range targets {
		if name, ok := t.(string); ok {
			out = append(out, name)
		}
	}
	return out
}

// mappingKey: keys FAB's exact comparison cannot match as meant (ROL004).
func (l *linter) mappingKey(k string, line int) {
	if strings.TrimSpace(k) != k {
		l.add("ROL004", line, fmt.Sprintf("mapping key %q has leading or trailing whitespace: FAB compares exact strings, so it never matches a role value without it", k), fromBuiltin(builtinRoles))
	}
	if strings.ContainsAny(k, "*?[]") || strings.Contains(k, ".*") || strings.HasPrefix(k, "^") || strings.HasSuffix(k, "$") {
		l.add("ROL004", line, fmt.Sprintf("mapping key %q looks like a pattern, but FAB compares role keys with mapping keys as exact strings: it matches only a role key spelled %q, character for character", k, k), fromBuiltin(builtinRoles),
			withFix("List each role key the IdP sends as its own mapping key (FAB has no wildcards)."))
	}
}

// roleExists reports a role name that is not known to exist (ROL001):
// a warning when it is known to be missing (a near miss of a known role,
// or outside the declared list), an info when it may live in the
// database.
func (l *linter) roleExists(known KnownRoles, name string, line int, what, log, then string) {
	ex, near := known.Of(name)
	switch {
	case ex == RoleExists:
		return
	case near != "":
		l.add("ROL001", line, fmt.Sprintf("%s role %q, which differs from the role %q only in case or whitespace: role lookup is exact on PostgreSQL and SQLite (case-insensitive on MySQL), so FAB logs \"%s\" and %s", what, name, near, log, then),
			withFix(fmt.Sprintf("Write %q.", near)))
	case ex == RoleMissing:
		l.add("ROL001", line, fmt.Sprintf("%s role %q, which is not among the roles given (%s): FAB logs \"%s\" and %s", what, name, known.declared.Source, log, then),
			withEv("roles", strings.Join(known.List(), ", ")))
	default:
		l.add("ROL001", line, fmt.Sprintf("%s role %q, which is not a built-in role of %s: it exists only if the deployment created it; if it does not, FAB logs \"%s\" and %s", what, name, l.p.Title, log, then),
			sev(engine.SeverityInfo), withFix(checkRolesFix(l.p)))
	}
}

// checkRolesFix says how to see the roles of the database.
func checkRolesFix(p Profile) string {
	if p.Airflow {
		return "Check with `airflow roles list -o json` on the deployment and pass that output with --roles-file (then names outside it are reported as missing); create a missing role with `airflow roles create NAME`."
	}
	return "Check the roles in the app (Security → List Roles) and pass their names, one per line, with --roles-file (then names outside it are reported as missing)."
}

// mappingReach: the mapping can never match what the configured
// providers yield (ROL004).
func (l *linter) mappingReach(provs []*Provider, mapping *Dict) {
	if mapping == nil || mapping.Len() == 0 {
		return
	}
	var inert []string
	live := 0
	for _, pr := range provs {
		if !pr.NameOK || pr.Remote == nil {
			continue
		}
		b := l.branchOf(pr.Name)
		switch {
		case b == "azure" && l.p.AzureRoleKeys != AzureRolesClaim, b == "okta" && l.p.OktaFlaskOAuthlibData:
			inert = append(inert, pr.Name)
		case b == "azure" || b == "okta" || b == "auth0" || b == "authentik" || b == "generic":
			live++
		case (b == "keycloak" || b == "keycloak_before_17") && l.p.KeycloakGroups:
			live++
		default:
			inert = append(inert, pr.Name)
		}
		if b == "azure" {
			l.azureMappingKeys(mapping)
		}
	}
	if len(inert) > 0 && live == 0 {
		ms, _ := l.cfg.Get("AUTH_ROLES_MAPPING")
		l.add("ROL004", ms.Line, fmt.Sprintf("AUTH_ROLES_MAPPING can never apply: the %s branch of %s yields no role_keys, so only the registration role (or roles set by hand) is ever given", strings.Join(quoteAll(inert), ", "), l.p.Title),
			fromBuiltin(builtinRoleKeys|builtinRoles), withFix("Use a provider branch that yields role keys (azure, okta, auth0, keycloak, authentik) or a custom security manager that fills role_keys."))
	}
}

// registrationOff: with AUTH_USER_REGISTRATION off FAB never creates
// OAuth users (ROL006).
func (l *linter) registrationOff() {
	reg, regKnown := l.cfg.Registration()
	_, regPresent := l.cfg.Get("AUTH_USER_REGISTRATION")
	if regKnown && !reg && (regPresent || !l.partial) {
		l.add("ROL006", l.cfg.Line("AUTH_USER_REGISTRATION"), "AUTH_USER_REGISTRATION is off: FAB never creates OAuth users, so everyone who has not been created beforehand (with the exact username FAB derives, e.g. the Azure oid) is refused with \"Invalid login. Please try again.\"",
			withFix("Set AUTH_USER_REGISTRATION = True with a safe AUTH_USER_REGISTRATION_ROLE (Viewer or Public) and grant more through AUTH_ROLES_MAPPING."))
	}
}

// syncAtLogin says what AUTH_ROLES_SYNC_AT_LOGIN does here (ROL005).
func (l *linter) syncAtLogin(mapping *Dict) {
	cfg := l.cfg
	reg, _ := cfg.Registration()
	if (mapping == nil || mapping.Len() == 0) && !reg {
		return
	}
	line := cfg.Line("AUTH_ROLES_SYNC_AT_LOGIN")
	if _, ok := cfg.Get("AUTH_ROLES_SYNC_AT_LOGIN"); !ok {
		line = registrationLine(cfg)
		if _, ok := cfg.Get("AUTH_ROLES_MAPPING"); ok {
			line = cfg.Line("AUTH_ROLES_MAPPING")
		}
	}
	if sync, _ := cfg.Sync(); !sync {
		l.add("ROL005", line, "AUTH_ROLES_SYNC_AT_LOGIN is off: roles are computed only when a user is created; later changes of the user's IdP roles or groups never reach the app")
		return
	}
	msg := "AUTH_ROLES_SYNC_AT_LOGIN is on: at every login the roles are recomputed from the token and replace all others, including roles granted by hand in the UI"
	if !reg {
		msg += "; with AUTH_USER_REGISTRATION off the registration role is not re-added during sync"
	}
	if s, ok := cfg.Get("PERMANENT_SESSION_LIFETIME"); ok {
		if secs, ok := Int(s.Value); ok && secs > 86400 {
			msg += fmt.Sprintf("; PERMANENT_SESSION_LIFETIME is %d s, so role changes at the IdP apply only at the next login", secs)
		}
	}
	l.add("ROL005", line, msg,
		withFix("Keep it on if the IdP is the source of truth: grant roles through AUTH_ROLES_MAPPING, not the UI, and keep PERMANENT_SESSION_LIFETIME short (e.g. 1800) so changes apply soon."))
}

// registrationRole: the registration role exists (ROL001) and is not
// privileged (ROL007), for every AUTH_TYPE that registers users.
func (l *linter) registrationRole(known KnownRoles) {
	reg, regKnown := l.cfg.Registration()
	if !reg || !regKnown {
		return
	}
	if jexpr, jline, _ := l.cfg.JMESPath(); jexpr != "" && l.oauth() {
		l.jmespath(jexpr, jline, known)
		return
	}
	name, _, ok := l.cfg.RegistrationRole(l.p)
	if !ok || name == "" {
		return
	}
	line := registrationLine(l.cfg)
	l.roleExists(known, name, line, "the registration role names", "Can't find AUTH_USER_REGISTRATION role: "+name, "new users get only mapped roles")
	if privileged(l.p, l.cfg, name) {
		l.add("ROL007", line, fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE is %q with registration on: every user who can sign in (%s) becomes %s on first login", name, registrationWho(l.cfg), name),
			withFix("Register users as Viewer (or Public) and grant "+name+" through AUTH_ROLES_MAPPING."))
	}
}

// registrationWho says who can register under the AUTH_TYPE.
func registrationWho(cfg *Config) string {
	at, known, _ := cfg.AuthType()
	switch {
	case !known:
		return "anyone who can authenticate"
	case at == AuthOAuth:
		return "everyone the IdP lets sign in"
	case at == AuthLDAP:
		return "everyone in the LDAP directory"
	case at == AuthRemoteUser:
		return "everyone the proxy authenticates"
	case at == AuthDB:
		return "anyone who fills in the self-registration form"
	}
	return "anyone who can authenticate"
}

// registrationOutcome: new users end with no role (ROL003) — an error only
// when that holds whatever the database holds.
func (l *linter) registrationOutcome(provs []*Provider, mapping *Dict, known KnownRoles) {
	reg, _ := l.cfg.Registration()
	name, source, ok := l.cfg.RegistrationRole(l.p)
	if jexpr, _, _ := l.cfg.JMESPath(); !reg || !ok || jexpr != "" || l.partial || l.mappingLive(provs, mapping) {
		return
	}
	line := registrationLine(l.cfg)
	fix := withFix("Set AUTH_USER_REGISTRATION_ROLE = \"Viewer\" (or map the users' IdP roles in AUTH_ROLES_MAPPING).")
	ex, near := known.Of(name)
	switch {
	case name == "" || near != "" || ex == RoleMissing:
		l.add("ROL003", line, fmt.Sprintf("every new user ends with no role: no mapping can apply and the registration role is %s (%s); logged-in users then get 403 \"%s\"", Repr(nilIfEmpty(name)), source, MsgNoRoles), fix, fromBuiltin(builtinRoleKeys|builtinRoles))
	case ex == RoleUnknown:
		l.add("ROL003", line, fmt.Sprintf("no mapping can apply, so every new user gets only the registration role %q (%s), which is not a built-in role: whether users get any access depends on that role existing in the database with permissions", name, source),
			sev(engine.SeverityInfo), fromBuiltin(builtinRoleKeys|builtinRoles), withFix(checkRolesFix(l.p)))
	case noPermissions(l.cfg, l.p, []string{name}):
		l.add("ROL003", line, fmt.Sprintf("every new user ends with only %s, which has no permissions by default: no mapping can apply and %s is the registration role (%s); logged-in users get 403 \"%s\" unless permissions were granted to %s in the database", name, name, source, MsgNoRoles, name),
			sev(engine.SeverityWarning), fix, fromBuiltin(builtinRoleKeys|builtinRoles))
	}
}

// mappingLive reports whether some provider yields role keys the mapping
// can match.
func (l *linter) mappingLive(provs []*Provider, mapping *Dict) bool {
	if mapping == nil || mapping.Len() == 0 {
		return false
	}
	for _, pr := range provs {
		if pr.NameOK && !strings.HasPrefix(l.roleKeySource(l.branchOf(pr.Name)), "none") {
			return true
		}
	}
	return false
}

func privileged(p Profile, cfg *Config, role string) bool {
	if role == cfg.RoleAdmin() || role == "Admin" {
		return true
	}
	if p.Airflow {
		return role == "Op"
	}
	if p.Superset {
		return role == "Alpha"
	}
	return false
}

func charsOf(s string) []string {
	var out []string
	for _, r := range s {
		out = append(out, string(r))
	}
	return out
}

// azureMappingKeys: GUID keys compared with the roles claim (spec §7.7,
// §8.6).
func (l *linter) azureMappingKeys(mapping *Dict) {
	claim := "roles"
	if l.p.AzureRoleKeysSetting {
		if s, ok := l.cfg.Get("AUTH_OAUTH_ROLE_KEYS"); ok {
			if d, ok := s.Value.(*Dict); ok {
				if v, ok := d.Get("azure"); ok {
					if str, ok := Str(v); ok {
						claim = str
					}
				}
			}
		}
	}
	var guids, names []string
	for _, k := range mapping.Keys {
		if idp.IsGUID(k) {
			guids = append(guids, k)
		} else {
			names = append(names, k)
		}
	}
	switch {
	case claim == "roles" && len(guids) > 0:
		fix := "Map the app role values (the roles claim) instead, or read groups with a custom security manager."
		if l.p.AzureRoleKeysSetting {
			fix = "Set AUTH_OAUTH_ROLE_KEYS = {\"azure\": \"groups\"} (and emit the groups claim), or map app role values."
		}
		l.add("ROL004", mapping.LineOf(guids[0]), fmt.Sprintf("AUTH_ROLES_MAPPING keys %s look like group object IDs, but the azure branch compares them with the roles claim (app role values): group object ids only match with AUTH_OAUTH_ROLE_KEYS = {\"azure\": \"groups\"}", strings.Join(quoteAll(guids), ", ")),
			withFix(fix), fromBuiltin(builtinRolesClaim|builtinRoles))
	case claim == "groups" && len(names) > 0 && len(guids) == 0:
		l.add("ROL004", mapping.LineOf(names[0]), fmt.Sprintf("the azure role keys come from the groups claim, which carries group object-id GUIDs unless the app registration emits names; keys %s are names", strings.Join(quoteAll(names), ", ")),
			sev(engine.SeverityInfo), fromBuiltin(builtinUserInfo|builtinRoles))
	}
}

// roleKeysSetting checks AUTH_OAUTH_ROLE_KEYS (spec §8.1, §8.6).
func (l *linter) roleKeysSetting(provs []*Provider, mapping *Dict) {
	s, ok := l.cfg.Get("AUTH_OAUTH_ROLE_KEYS")
	if !ok || s.Value == nil || Unknown(s.Value) {
		return
	}
	if !l.p.AzureRoleKeysSetting {
		l.add("ROL004", s.Line, "AUTH_OAUTH_ROLE_KEYS is ignored by "+l.p.Title+": only the Airflow 3 FAB provider (≥ 3.3, #61585) reads it; the azure branch reads the roles claim", fromBuiltin(builtinUserInfo))
		return
	}
	d, ok := s.Value.(*Dict)
	if !ok {
		l.add("ROL002", s.Line, fmt.Sprintf("AUTH_OAUTH_ROLE_KEYS is a %s, not a dict: every azure login fails with \"Error returning OAuth user info: '%s' object has no attribute 'get'\"", pyType(s.Value), pyType(s.Value)),
			withFix("Write AUTH_OAUTH_ROLE_KEYS = {\"azure\": \"groups\"}."))
		return
	}
	hasAzure := false
	for _, pr := range provs {
		if pr.NameOK && pr.Name == "azure" {
			hasAzure = true
		}
	}
	for _, k := range d.Keys {
		if k != "azure" {
			l.add("ROL004", d.LineOf(k), fmt.Sprintf("AUTH_OAUTH_ROLE_KEYS[%q] is ignored: only the \"azure\" entry is read; %s keeps its hard-coded claim", k, k), fromBuiltin(builtinUserInfo))
			continue
		}
		v, ok := Str(d.Vals[k])
		switch {
		case !ok && !Unknown(d.Vals[k]):
			l.add("ROL002", d.LineOf(k), fmt.Sprintf("AUTH_OAUTH_ROLE_KEYS[\"azure\"] is %s, not a claim name", Repr(d.Vals[k])))
		case ok && v != "roles" && v != "groups":
			l.add("ROL004", d.LineOf(k), fmt.Sprintf("AUTH_OAUTH_ROLE_KEYS[\"azure\"] is %q: role_keys will be the top-level %q claim of the id_token (legal, but unusual: the documented values are roles and groups)", v, v),
				sev(engine.SeverityInfo))
		}
	}
	if !hasAzure {
		l.add("ROL004", s.Line, "AUTH_OAUTH_ROLE_KEYS is set but no provider is named \"azure\": it has no effect")
	}
}

// userinfoKeys are the keys FAB's user-info dict can have.
func (l *linter) userinfoKeys() map[string]bool {
	m := map[string]bool{"username": true, "email": true, "first_name": true, "last_name": true, "role_keys": true}
	if l.p.AzureExtraKeys {
		m["name"], m["id"] = true, true
	}
	return m
}

var rawClaimHints = sync.OnceValue(func() map[string]string {
	return map[string]string{"roles": "role_keys", "groups": "role_keys", "upn": "email", "preferred_username": "username or email",
		"given_name": "first_name", "family_name": "last_name", "oid": "username", "sub": "username", "nickname": "username",
		"realm_access": "role_keys", "resource_access": "role_keys", "wids": "role_keys", "mail": "email", "login": "username"}
})

// ROL009, and ROL007 for a JMESPath that can yield a privileged role.
func (l *linter) jmespath(expr string, line int, known KnownRoles) {
	fields, literals, err := jmespathNames(expr)
	if err != nil {
		l.add("ROL009", line, fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE_JMESPATH does not compile: %v (every registration then raises at login)", err))
		return
	}
	keys := l.userinfoKeys()
	for _, f := range fields {
		if keys[f] {
			continue
		}
		hint := ""
		if h, ok := rawClaimHints()[f]; ok {
			hint = fmt.Sprintf(": %q is a token claim name; FAB's user-info dict has it as %s", f, h)
		}
		l.add("ROL009", line, fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE_JMESPATH refers to %q, which FAB's user-info dict never has (its keys are %s)%s", f, strings.Join(sortedKeys(keys), ", "), hint),
			needsUserInfoKey(f), withFix("Use the user-info keys (role_keys, email, username, first_name, last_name), e.g. contains(role_keys, 'admins') && 'Admin' || 'Viewer'."))
	}
	for _, lit := range literals {
		if privileged(l.p, l.cfg, lit) {
			l.add("ROL007", line, fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE_JMESPATH can yield %q: check that only the intended users reach that branch of the expression", lit), sev(engine.SeverityInfo))
		}
		if ex, near := known.Of(lit); ex == RoleMissing && near != "" {
			l.roleExists(known, lit, line, "AUTH_USER_REGISTRATION_ROLE_JMESPATH can yield", "Can't find AUTH_USER_REGISTRATION role: "+lit, "adds no registration role")
		}
	}
}

// jmespathNames compiles an expression and lists its field names and
// the string literals it can return (a literal compared or passed to a
// function such as contains() is not a result). go-jmespath keeps its AST
// private; its pretty-printed tree is read (the version is pinned in
// go.mod, and a test checks the results against the library's own
// evaluation).
func jmespathNames(expr string) (fields, results []string, err error) {
	if _, err := jmespath.Compile(expr); err != nil {
		return nil, nil, err
	}
	ast, err := jmespath.NewParser().Parse(expr)
	if err != nil {
		return nil, nil, err
	}
	root := parseJPTree(strings.Split(ast.String(), "\n"))
	seen := map[string]bool{}
	root.walk(func(n *jpNode) {
		if n.kind == "ASTField" && !seen[n.value] {
			seen[n.value] = true
			fields = append(fields, n.value)
		}
	})
	seen = map[string]bool{}
	for _, r := range root.results() {
		if !seen[r] {
			seen[r] = true
			results = append(results, r)
		}
	}
	return fields, results, nil
}

// jpNode is a node of go-jmespath's pretty-printed AST.
type jpNode struct {
	kind, value string
	children    []*jpNode
}

// parseJPTree reads the tree by indentation: a node is "ASTKind {" with
// its value and children indented below it.
func parseJPTree(lines []string) *jpNode {
	root := &jpNode{}
	type frame struct {
		indent int
		n      *jpNode
	}
	stack := []frame{{-1, root}}
	for _, l := range lines {
		t := strings.TrimSpace(l)
		indent := len(l) - len(strings.TrimLeft(l, " "))
		switch {
		case strings.HasPrefix(t, "AST") && strings.HasSuffix(t, "{"):
			for len(stack) > 1 && stack[len(stack)-1].indent >= indent {
				stack = stack[:len(stack)-1]
			}
			n := &jpNode{kind: strings.TrimSpace(strings.TrimSuffix(t, "{"))}
			parent := stack[len(stack)-1].n
			parent.children = append(parent.children, n)
			stack = append(stack, frame{indent, n})
		case strings.HasPrefix(t, "value: "):
			v := strings.TrimPrefix(t, "value: ")
			if u, err := strconv.Unquote(v); err == nil {
				v = u
			}
			stack[len(stack)-1].n.value = v
		}
	}
	if len(root.children) == 1 {
		return root.children[0]
	}
	return root
}

func (n *jpNode) walk(f func(*jpNode)) {
	f(n)
	for _, c := range n.children {
		c.walk(f)
	}
}

// jpValue is a literal an expression can yield, alone or as the element
// of a list (a filter on @ == 'x' yields a list of 'x').
type jpValue struct {
	s      string
	inList bool
}

// results are the string literals the node can evaluate to: a literal
// itself; either side of ||; the right side of && (the left gives only
// false-ish values); the right side of a pipe, where the current node (@)
// stands for the left side; an element, taken by an index, of a filter on
// @ == 'literal'; any argument of not_null.
func (n *jpNode) results() []string {
	var out []string
	for _, v := range n.resultsWith(nil) {
		if !v.inList {
			out = append(out, v.s)
		}
	}
	return out
}

func (n *jpNode) resultsWith(cur []jpValue) []jpValue {
	kids := n.children
	switch n.kind {
	case "ASTLiteral":
		return []jpValue{{s: n.value}}
	case "ASTIdentity", "ASTCurrentNode":
		return cur
	case "ASTOrExpression":
		var out []jpValue
		for _, c := range kids {
			out = append(out, c.resultsWith(cur)...)
		}
		return out
	case "ASTAndExpression":
		if len(kids) == 2 {
			return kids[1].resultsWith(cur)
		}
	case "ASTPipe":
		if len(kids) == 2 {
			return kids[1].resultsWith(kids[0].resultsWith(cur))
		}
	case "ASTIndexExpression":
		if len(kids) > 0 {
			var out []jpValue
			for _, v := range kids[0].resultsWith(cur) {
				if v.inList {
					out = append(out, jpValue{s: v.s})
				}
			}
			return out
		}
	case "ASTFilterProjection":
		return filterEquals(kids)
	case "ASTFunctionExpression":
		if n.value == "not_null" {
			var out []jpValue
			for _, c := range kids {
				out = append(out, c.resultsWith(cur)...)
			}
			return out
		}
	}
	return nil
}

// filterEquals: the elements [?@ == 'x'] keeps are equal to 'x'.
func filterEquals(kids []*jpNode) []jpValue {
	var out []jpValue
	for _, c := range kids {
		if c.kind != "ASTComparator" || c.value != "tEQ" || len(c.children) != 2 {
			continue
		}
		a, b := c.children[0], c.children[1]
		if a.kind == "ASTLiteral" {
			a, b = b, a
		}
		if a.kind == "ASTCurrentNode" && b.kind == "ASTLiteral" {
			out = append(out, jpValue{s: b.value, inList: true})
		}
	}
	return out
}

// publicRole: AUTH_ROLE_PUBLIC is the role of every visitor who has not
// signed in (ROL010).
func (l *linter) publicRole() {
	s, ok := l.cfg.Get("AUTH_ROLE_PUBLIC")
	if !ok {
		return
	}
	name, ok := Str(s.Value)
	switch {
	case ok && privileged(l.p, l.cfg, name):
		l.add("ROL010", s.Line, fmt.Sprintf("AUTH_ROLE_PUBLIC is %q: every visitor who has not signed in gets the %s role, without any login", name, name),
			withFix("Set AUTH_ROLE_PUBLIC = \"Public\" (no permissions) or a read-only role; grant "+name+" through AUTH_ROLES_MAPPING to users who sign in."))
	case ok && l.p.Airflow && (name == "User" || name == "Viewer"):
		// Airflow's User edits and triggers DAG runs; Viewer reads every
		// DAG, its code, runs and task logs (airflow/www/security.py's
		// built-in roles): anonymous access that a login was meant to
		// guard, unless the site is deliberately open (hence a warning).
		what := "read every DAG, its source code, its runs and task logs (which often print connection details)"
		if name == "User" {
			what = "trigger, clear and edit DAG runs, and read every DAG, its code and logs"
		}
		l.add("ROL010", s.Line, fmt.Sprintf("AUTH_ROLE_PUBLIC is %q: every visitor who has not signed in can %s, without any login", name, what),
			sev(engine.SeverityWarning), withFix("Set AUTH_ROLE_PUBLIC = \"Public\" (no permissions) unless the site is meant to be open to anyone who can reach it; grant "+name+" through AUTH_ROLES_MAPPING to users who sign in."))
	}
}
