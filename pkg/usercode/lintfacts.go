package usercode

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/fab"
)

// Lint's evaluation of the user-info code (fab.UserCodeLinter): for each
// configured provider, the code runs (statically) on a representative
// login of that provider's IdP with only the claims every such token
// carries; a claim it reads with [...] that some tokens lack is noted and
// added, and the evaluation repeats; a last run adds the role claims the
// IdP may send, to see where role_keys come from.

// maxClaimRounds bounds the re-evaluations for missing claims.
const maxClaimRounds = 8

// Linter is the config's user code for lint; nil when there is none.
func (c *Code) Linter(cfg *fab.Config) fab.UserCodeLinter {
	if c == nil {
		return nil
	}
	return &codeLinter{c: c, cfg: cfg}
}

type codeLinter struct {
	c   *Code
	cfg *fab.Config
}

// Facts evaluates the user-info code on each provider's representative
// login under the flavour p.
func (l *codeLinter) Facts(p fab.Profile) *fab.UserCodeFacts {
	ref, ok := l.c.Info.UserInfo()
	if !ok || l.c.Info.Problem != "" {
		return nil
	}
	f := &fab.UserCodeFacts{Source: source(ref), Providers: map[string]*fab.ProviderFacts{}}
	e := l.c.Evaluator(Login{Config: l.cfg})
	e.lint = true
	for _, pr := range l.cfg.Providers() {
		if !pr.NameOK {
			continue
		}
		if pf := l.provider(e, p, pr); pf != nil {
			f.Providers[pr.Name] = pf
		}
	}
	f.Names = l.c.comparedNames()
	return f
}

// provider evaluates the code on one provider's representative login.
func (l *codeLinter) provider(e *Evaluator, p fab.Profile, pr *fab.Provider) *fab.ProviderFacts {
	rep := representativeOf(l.cfg, pr)
	sets := rep.claimSets(pr)
	pf := &fab.ProviderFacts{IdP: rep.idp, Token: rep.describe(sets)}
	var run *fab.UserInfoRun
	for round := 0; round < maxClaimRounds; round++ {
		run = e.evaluate(p, pr.Name, sets)
		claim, ok := missingClaim(run, sets)
		if !ok {
			break
		}
		m, report := rep.missing(claim, sets, run)
		if report {
			pf.Missing = append(pf.Missing, m)
		}
		if m.ClientRole {
			sets.addClientRoles(claim)
			continue
		}
		sets.add(claim, rep.tracerFor(claim))
	}
	if run.Kind == fab.CodeRaised && !run.Exception.Deliberate {
		if c, r := e.raisesWithout(p, pr.Name, rep, sets, run); c != "" {
			pf.RaisesWithout, pf.RaisedWithout = c, run.Exception
			run, sets = r, sets.with(c, rep.tracerFor(c))
		}
	}
	if run.Kind == fab.CodeReturned {
		// the role claims the IdP may send, to see which the code reads
		traced := sets.clone()
		for _, c := range rep.roleClaims {
			if !traced.has(c) {
				traced.add(c, rep.tracerFor(c))
			}
		}
		if r := e.evaluate(p, pr.Name, traced); r.Kind == fab.CodeReturned {
			run, sets = r, traced
		}
	}
	pf.Run = run
	pf.Events = e.events(run, sets)
	pf.Builtin = run.Builtin != nil
	if d, ok := run.Value.(*fab.Dict); ok && run.Kind == fab.CodeReturned {
		pf.Keys = append([]string{}, d.Keys...)
		pf.RoleKeysFrom = claimNames(sets.sources(d.Vals["role_keys"]))
		pf.RoleKeys = len(pf.RoleKeysFrom) > 0
		// role_keys the user's own code returned empty although the login
		// offered role claims: filtered by something the example values
		// lack (or an empty list written as such: then a miss, never a
		// false verdict). FAB's branches (super()) are modelled exactly.
		if rk, ok := d.Vals["role_keys"].([]any); ok && len(rk) == 0 && !pf.RoleKeys && !pf.Builtin && len(rep.roleClaims) > 0 {
			pf.RoleKeysFiltered = true
		}
		if tok := e.selfDecoded(run, sets, d); tok != "" {
			ev := e.selfDecodeEvent(run)
			ev.Token = tok
			pf.Events = append(pf.Events, ev)
		}
	}
	return pf
}

// optionalClaims are the standard claims an IdP sends only with some
// scopes, mappers or user attributes (OpenID Connect Core §5.1).
var optionalClaims = []string{"email", "email_verified", "name", "given_name", "family_name", "preferred_username", "nickname", "upn", "unique_name", "groups", "roles", "picture", "locale"}

// raisesWithout looks for the optional claim whose absence made the code
// raise on the representative login: the first one whose addition makes
// that exception (same type, same line) go away, with the run then.
func (e *Evaluator) raisesWithout(p fab.Profile, provider string, rep *representative, sets *claimSets, run *fab.UserInfoRun) (string, *fab.UserInfoRun) {
	for _, c := range optionalClaims {
		if sets.has(c) {
			continue
		}
		r := e.evaluate(p, provider, sets.with(c, rep.tracerFor(c)))
		if r.Kind == fab.CodeUnknown {
			continue
		}
		if r.Kind != fab.CodeRaised || r.Exception.Type != run.Exception.Type || r.Exception.Line != run.Exception.Line {
			return c, r
		}
	}
	return "", nil
}

// with is a copy of the sets with claim added.
func (s *claimSets) with(claim string, v any) *claimSets {
	c := s.clone()
	c.add(claim, v)
	return c
}

// missingClaim is the claim a KeyError names, when the code read one of
// the token's claims (not a key of the token response).
func missingClaim(run *fab.UserInfoRun, sets *claimSets) (string, bool) {
	if run.Kind != fab.CodeRaised || run.Exception.Type != "KeyError" {
		return "", false
	}
	c := strings.Trim(run.Exception.Message, "'\"")
	if c == run.Exception.Message || strings.ContainsAny(c, " '\"") {
		return "", false
	}
	switch c {
	case "id_token", "access_token", "userinfo", "token_type", "refresh_token":
		return "", false // the token response lacks it: a raise on every login
	}
	if sets.everywhere(c) {
		return "", false
	}
	return c, true
}

// missing says whether a claim the code needed is one this IdP's tokens
// may lack (reported), or a claim authdoctor knows nothing of (a custom
// one: added silently).
func (r *representative) missing(claim string, sets *claimSets, run *fab.UserInfoRun) (fab.MissingClaim, bool) {
	m := fab.MissingClaim{Claim: claim, File: run.Exception.File, Line: run.Exception.Line, Exception: run.Exception.Text}
	switch {
	case r.optional[claim] != "":
		m.Why = r.optional[claim]
	case r.clientID != "" && claim == r.clientID:
		m.Why, m.ClientRole = fmt.Sprintf("Keycloak's resource_access has an entry for the client %q only for users with roles of that client", claim), true
	case sets.somewhere(claim) && r.optional != nil:
		m.Why = fmt.Sprintf("%s carry no %s", sets.lacking(claim, r.idp), claim)
	default:
		return m, false
	}
	if b := run.Builtin; b != nil && b.Refusal != nil {
		m.Builtin = b.Branch
	}
	return m, true
}

// evaluate runs the user-info code on a login made of these claims.
func (e *Evaluator) evaluate(p fab.Profile, provider string, sets *claimSets) *fab.UserInfoRun {
	resp, ui := sets.login()
	e.setInputs(resp, ui, "a representative user-info answer")
	return e.UserInfo(p, provider)
}

// setInputs replaces the login's token response and user-info answer
// (the modules read with the hosts stay).
func (e *Evaluator) setInputs(resp, userinfo []byte, from string) {
	e.in.Response, e.in.UserInfo, e.in.UserInfoFrom = resp, userinfo, from
	e.resp, e.respErr = mustDict(resp)
	e.userinfo, e.userinfoErr = nil, nil
	if userinfo != nil {
		e.userinfo, e.userinfoErr = mustDict(userinfo)
	}
}

// events are what the last call did that lint judges, at the method's
// file.
func (e *Evaluator) events(run *fab.UserInfoRun, sets *claimSets) []fab.CodeEvent {
	var out []fab.CodeEvent
	for _, ev := range e.sess.events {
		ce := fab.CodeEvent{File: run.Source.File, Line: ev.line, Detail: ev.detail}
		switch ev.kind {
		case evVerifyOff:
			ce.Kind, ce.Token, ce.Detail = fab.EventVerifyOff, ev.detail, ""
		case evPyJWT1Verify:
			ce.Kind = fab.EventPyJWT1Verify
		case evGet, evHTTP:
			ce.Kind = fab.EventRequest
		case evTLSOff:
			ce.Kind = fab.EventTLSOff
		default:
			continue
		}
		out = append(out, ce)
	}
	return out
}

// selfDecoded names the token whose claims the code returned without any
// jwt.decode and without FAB's branch: it decoded the payload itself (""
// when it did not).
func (e *Evaluator) selfDecoded(run *fab.UserInfoRun, sets *claimSets, d *fab.Dict) string {
	if run.Builtin != nil {
		return ""
	}
	for _, ev := range e.sess.events {
		if ev.kind == evVerifyOff || ev.kind == evVerified || ev.kind == evPyJWT1Verify {
			return ""
		}
	}
	for _, k := range d.Keys {
		for _, src := range sets.sources(d.Vals[k]) {
			for _, t := range []string{"id_token", "access_token"} {
				if strings.HasPrefix(src, t+".") {
					return t
				}
			}
		}
	}
	return ""
}

// selfDecodeEvent is at the line that base64-decodes, when the source
// shows it, else at the method's line.
func (e *Evaluator) selfDecodeEvent(run *fab.UserInfoRun) fab.CodeEvent {
	ev := fab.CodeEvent{Kind: fab.EventSelfDecode, File: run.Source.File, Line: run.Source.Line}
	if m := e.code.moduleAt(run.Source.File); m != nil {
		// in the method, else in a helper of the module it calls
		if n := lineWith(m, run.Source.Line, "b64decode"); n > 0 {
			ev.Line = n
		} else if n := lineWith(m, 0, "b64decode"); n > 0 {
			ev.Line = n
		}
	}
	return ev
}

// moduleAt is the module of a file of the user's code.
func (c *Code) moduleAt(file string) *module {
	if c.main.path == file {
		return c.main
	}
	for _, m := range c.finder.modules {
		if m != nil && m.path == file {
			return m
		}
	}
	return nil
}

// lineWith finds, in the body of the def at line def (the whole module
// for 0), the first line of code holding needle (0 when none, or when the
// source lines are not the file's: a config inside YAML).
func lineWith(m *module, def int, needle string) int {
	if ext := strings.ToLower(filepath.Ext(m.path)); ext != ".py" && ext != "" {
		return 0
	}
	lines := strings.Split(string(m.src), "\n")
	if def < 0 || def > len(lines) {
		return 0
	}
	indent := -1 // the whole module
	if def > 0 {
		indent = len(lines[def-1]) - len(strings.TrimLeft(lines[def-1], " \t"))
	}
	for i := def; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimLeft(l, " \t")
		if t != "" && !strings.HasPrefix(t, "#") && len(l)-len(t) <= indent {
			return 0
		}
		if strings.Contains(l, needle) && !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "import ") && !strings.HasPrefix(t, "from ") {
			return i + 1
		}
	}
	return 0
}

// comparedNames are the provider names the user-info methods branch on.
func (c *Code) comparedNames() []fab.NameRef {
	var out []fab.NameRef
	var fns []methodAt
	if c.getter != nil {
		fns = append(fns, *c.getter)
	}
	for _, n := range []string{"oauth_user_info", "get_oauth_user_info"} {
		if m, ok := c.methods[n]; ok {
			fns = append(fns, m)
		}
	}
	for _, m := range fns {
		if len(m.fn.Params) < 2 {
			continue
		}
		for _, cmp := range m.fn.StringComparisons(m.fn.Params[1].Name) {
			out = append(out, fab.NameRef{Name: cmp.Value, File: m.mod.path, Line: cmp.Line})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// ---- the claims of a representative login ----

// claimSets are the id_token's, the access token's and the user-info
// answer's claims of a representative login.
type claimSets struct {
	id, access, userinfo map[string]any
	now                  time.Time
}

func (r *representative) claimSets(pr *fab.Provider) *claimSets {
	s := &claimSets{userinfo: marked(r.userinfo, "ui."), now: time.Now()}
	if r.id != nil && (r.idAlways || !pr.ScopeKnown || pr.HasScope("openid")) {
		s.id = copyMap(r.id)
	}
	if r.access != nil {
		s.access = marked(r.access, "at.")
	}
	return s
}

// marks are the prefixes that tell the access token's and the user-info
// answer's values from the id_token's (for where a returned value comes
// from); claims code compares as they are keep their values.
func unmarked(claim string) bool {
	switch claim {
	case "iss", "aud", "azp", "typ", "ver", "scope", "scp", "tid", "cid":
		return true
	}
	return false
}

// marked copies claims, prefixing their string values.
func marked(m map[string]any, prefix string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok && !unmarked(k) {
			v = prefix + s
		}
		out[k] = v
	}
	return out
}

func (s *claimSets) clone() *claimSets {
	c := &claimSets{userinfo: copyMap(s.userinfo), now: s.now}
	if s.id != nil {
		c.id = copyMap(s.id)
	}
	if s.access != nil {
		c.access = copyMap(s.access)
	}
	return c
}

func (s *claimSets) all() map[string]map[string]any {
	return map[string]map[string]any{"id_token": s.id, "access_token": s.access, "user-info": s.userinfo}
}

// add puts a claim in every token and the user-info answer (string
// values marked per token).
func (s *claimSets) add(claim string, v any) {
	prefix := map[string]string{"id_token": "", "access_token": "at.", "user-info": "ui."}
	for n, m := range s.all() {
		if m != nil {
			m[claim] = markValue(v, prefix[n])
		}
	}
}

// addClientRoles gives the user roles of a Keycloak client: an entry in
// each token's resource_access.
func (s *claimSets) addClientRoles(client string) {
	prefix := map[string]string{"id_token": "", "access_token": "at.", "user-info": "ui."}
	for n, m := range s.all() {
		if m == nil {
			continue
		}
		ra, _ := m["resource_access"].(map[string]any)
		cp := map[string]any{}
		for k, v := range ra {
			cp[k] = v
		}
		cp[client] = markValue(map[string]any{"roles": []any{"resource_access.roles:example"}}, prefix[n])
		m["resource_access"] = cp
	}
}

func markValue(v any, prefix string) any {
	switch x := v.(type) {
	case string:
		return prefix + x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = markValue(e, prefix)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = markValue(e, prefix)
		}
		return out
	}
	return v
}

func (s *claimSets) has(claim string) bool { return s.somewhere(claim) }

func (s *claimSets) somewhere(claim string) bool {
	for _, m := range s.all() {
		if _, ok := m[claim]; ok && m != nil {
			return true
		}
	}
	return false
}

func (s *claimSets) everywhere(claim string) bool {
	for _, m := range s.all() {
		if m == nil {
			continue
		}
		if _, ok := m[claim]; !ok {
			return false
		}
	}
	return true
}

// lacking names the tokens that lack a claim ("Entra ID v2 access tokens").
func (s *claimSets) lacking(claim, idp string) string {
	var out []string
	for _, n := range []string{"id_token", "access_token", "user-info"} {
		m := s.all()[n]
		if m == nil {
			continue
		}
		if _, ok := m[claim]; !ok {
			out = append(out, n)
		}
	}
	what := map[string]string{"id_token": "id_tokens", "access_token": "access tokens", "user-info": "user-info answers"}
	for i, n := range out {
		out[i] = what[n]
	}
	return idp + " " + strings.Join(out, " and ")
}

// login is the token response (unsigned-for-real JWTs of the claims) and
// the user-info answer.
func (s *claimSets) login() (resp, userinfo []byte) {
	r := map[string]any{"token_type": "Bearer", "expires_in": 3600, "access_token": "opaque-access-token"}
	if s.access != nil {
		r["access_token"] = s.jwt(s.access)
	}
	if s.id != nil {
		r["id_token"] = s.jwt(s.id)
	}
	resp, _ = json.Marshal(r)
	userinfo, _ = json.Marshal(s.userinfo)
	return resp, userinfo
}

func (s *claimSets) jwt(claims map[string]any) string {
	c := copyMap(claims)
	c["iat"], c["nbf"], c["exp"] = s.now.Unix()-60, s.now.Unix()-60, s.now.Unix()+3600
	payload, _ := json.Marshal(c)
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"RS256","kid":"representative","typ":"JWT"}`)) + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString([]byte("not-a-signature"))
}

// sources names the claims a returned value's strings come from
// ("id_token.groups", "access_token.realm_access.roles").
func (s *claimSets) sources(v any) []string {
	index := map[string][]string{}
	for n, m := range s.all() {
		if m != nil {
			indexStrings(index, n, m, 0)
		}
	}
	seen := map[string]bool{}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			srcs := index[x]
			if len(srcs) == 0 {
				srcs = []string{"computed"}
			}
			for _, src := range srcs {
				if !seen[src] {
					seen[src] = true
					out = append(out, src)
				}
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	sort.Strings(out)
	return out
}

func indexStrings(index map[string][]string, path string, v any, depth int) {
	if depth > 8 {
		return
	}
	switch x := v.(type) {
	case string:
		index[x] = append(index[x], path)
	case []any:
		for _, e := range x {
			indexStrings(index, path, e, depth+1)
		}
	case map[string]any:
		for k, e := range x {
			indexStrings(index, path+"."+k, e, depth+1)
		}
	}
}

// claimNames are the claims of source paths, without the token they
// are in ("id_token.groups" → "groups").
func claimNames(paths []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		for _, t := range []string{"id_token.", "access_token.", "user-info."} {
			p = strings.TrimPrefix(p, t)
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// describe says what the representative login carries.
func (r *representative) describe(s *claimSets) string {
	var parts []string
	for _, n := range []string{"id_token", "access_token", "user-info"} {
		m := s.all()[n]
		if m == nil {
			continue
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts = append(parts, n+" with "+strings.Join(keys, ", "))
	}
	return "a representative " + r.idp + " login: " + strings.Join(parts, "; ")
}
