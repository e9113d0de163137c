package fab

import (
	"strings"
	"testing"
)

// L builds a Python list.
func L(v ...any) []any { return v }

// conf builds a Config from alternating setting names and values.
func conf(kv ...any) *Config {
	c := &Config{File: "webserver_config.py", Settings: map[string]Setting{}}
	for i := 0; i+1 < len(kv); i += 2 {
		c.Settings[kv[i].(string)] = Setting{Value: kv[i+1], Line: i/2 + 1}
	}
	return c
}

// with returns a copy of c with more settings (a nil value deletes).
func with(c *Config, kv ...any) *Config {
	n := &Config{File: c.File, Settings: map[string]Setting{}, Env: c.Env, Imports: c.Imports, Origin: c.Origin}
	for k, v := range c.Settings {
		n.Settings[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == deleteMark {
			delete(n.Settings, k)
			continue
		}
		n.Settings[k] = Setting{Value: kv[i+1], Line: 100 + i/2}
	}
	return n
}

var deleteMark = &struct{ x int }{}

// prov builds an OAUTH_PROVIDERS entry with token_key access_token.
func prov(name string, remote *Dict, extra ...any) *Dict {
	d := D("name", name, "token_key", "access_token", "icon", "fa-key", "remote_app", remote)
	for i := 0; i+1 < len(extra); i += 2 {
		d.Set(extra[i].(string), extra[i+1], 0)
	}
	return d
}

// oidcRemote is a remote_app that triggers no blocker.
func oidcRemote(kv ...any) *Dict {
	d := D("client_id", "app-id", "client_secret", "s3cret",
		"server_metadata_url", "https://idp.example.com/.well-known/openid-configuration",
		"api_base_url", "https://idp.example.com/",
		"client_kwargs", D("scope", "openid email profile groups"))
	for i := 0; i+1 < len(kv); i += 2 {
		d.Set(kv[i].(string), kv[i+1], 0)
	}
	return d
}

const (
	tenantGUID = "9188040d-6c67-4c5b-b112-36a304b66dad"
	clientID   = "6731de76-14a6-49ae-97bc-6eba6914391e"
)

// azureRemote is a tenant-specific v2 Azure remote_app.
func azureRemote(kv ...any) *Dict {
	base := "https://login.microsoftonline.com/" + tenantGUID
	d := D("client_id", clientID, "client_secret", "s3cret",
		"api_base_url", base+"/oauth2",
		"access_token_url", base+"/oauth2/v2.0/token",
		"authorize_url", base+"/oauth2/v2.0/authorize",
		"server_metadata_url", base+"/v2.0/.well-known/openid-configuration",
		"client_kwargs", D("scope", "openid email profile", "verify_signature", true))
	for i := 0; i+1 < len(kv); i += 2 {
		d.Set(kv[i].(string), kv[i+1], 0)
	}
	return d
}

// azureClaims is an Entra v2 id_token for the tenant and client above.
func azureClaims(kv ...any) map[string]any {
	c := map[string]any{
		"iss": "https://login.microsoftonline.com/" + tenantGUID + "/v2.0",
		"aud": clientID, "tid": tenantGUID,
		"oid": "0e5f1c2a-1111-2222-3333-444455556666", "email": "ada@example.com", "upn": "ada@corp.example.com",
		"given_name": "Ada", "family_name": "Lovelace", "ver": "2.0",
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == deleteMark {
			delete(c, kv[i].(string))
			continue
		}
		c[kv[i].(string)] = kv[i+1]
	}
	return c
}

// oauthConf is an OAuth config with one provider and registration on.
func oauthConf(entry *Dict, kv ...any) *Config {
	base := []any{"AUTH_TYPE", int64(4), "AUTH_USER_REGISTRATION", true, "OAUTH_PROVIDERS", L(entry)}
	return conf(append(base, kv...)...)
}

// simCase is one dry-run expectation.
type simCase struct {
	name     string
	cfg      *Config
	provider string
	claims   map[string]any
	roleKeys []string
	existing *ExistingUser
	extra    []string
	opts     ProfileOptions

	outcome  string
	roles    []string
	computed []string
	log      string // substring of the refusal's log line
	message  string // the refusal's message (exact)
	reason   string // substring of the refusal's reason
	ifFixed  bool
	userinfo map[string]any // expected user-info values
	noKey    []string       // keys the user-info must not have
	issues   []string       // check IDs that must be among the issues
	noIssues []string       // check IDs that must not be
	matched  []string       // "key:kind" entries expected in Matched
	note     string         // substring of some note
	branch   string
}

func runSim(t *testing.T, f Flavor, tc simCase) {
	t.Helper()
	p, err := NewProfile(f, tc.opts)
	if err != nil {
		t.Fatal(err)
	}
	in := SimInput{Provider: tc.provider, Claims: tc.claims, Existing: tc.existing, Roles: DeclaredRoles{Names: tc.extra, Source: "--role"}}
	if tc.roleKeys != nil {
		in.RoleKeys, in.RoleKeysSet = tc.roleKeys, true
	}
	res, err := Simulate(tc.cfg, p, in)
	if err != nil {
		t.Fatalf("Simulate: %v", err)
	}
	ctx := func() string {
		s := "outcome=" + res.Outcome + " roles=" + Repr(res.Roles) + " userinfo=" + Repr(res.UserInfo)
		if res.Refusal != nil {
			s += " refusal=" + res.Refusal.Stage + ": " + res.Refusal.Reason + " | log=" + res.Refusal.Log + " | msg=" + res.Refusal.Message
		}
		return s + " notes=" + strings.Join(res.Notes, " / ")
	}
	if tc.outcome != "" && res.Outcome != tc.outcome {
		t.Errorf("outcome %q, want %q (%s)", res.Outcome, tc.outcome, ctx())
	}
	if tc.roles != nil && Repr(res.Roles) != Repr(tc.roles) {
		t.Errorf("roles %s, want %s (%s)", Repr(res.Roles), Repr(tc.roles), ctx())
	}
	if tc.computed != nil && Repr(res.Computed) != Repr(tc.computed) {
		t.Errorf("computed roles %s, want %s (%s)", Repr(res.Computed), Repr(tc.computed), ctx())
	}
	if tc.branch != "" && res.Branch != tc.branch {
		t.Errorf("branch %q, want %q", res.Branch, tc.branch)
	}
	if tc.log != "" || tc.message != "" || tc.reason != "" {
		if res.Refusal == nil {
			t.Fatalf("no refusal, want one with log %q (%s)", tc.log, ctx())
		}
		if tc.log != "" && !strings.Contains(res.Refusal.Log, tc.log) {
			t.Errorf("refusal log %q, want it to contain %q (%s)", res.Refusal.Log, tc.log, ctx())
		}
		if tc.message != "" && res.Refusal.Message != tc.message {
			t.Errorf("refusal message %q, want %q", res.Refusal.Message, tc.message)
		}
		if tc.reason != "" && !strings.Contains(res.Refusal.Reason, tc.reason) {
			t.Errorf("refusal reason %q, want it to contain %q", res.Refusal.Reason, tc.reason)
		}
	}
	if tc.ifFixed != res.RolesIfFixed {
		t.Errorf("rolesIfFixed %v, want %v (%s)", res.RolesIfFixed, tc.ifFixed, ctx())
	}
	for k, want := range tc.userinfo {
		if res.UserInfo == nil {
			t.Fatalf("no user-info, want %s=%v (%s)", k, want, ctx())
		}
		got, ok := res.UserInfo.Get(k)
		if !ok || Repr(got) != Repr(want) {
			t.Errorf("userinfo[%s] = %s (present %v), want %s (%s)", k, Repr(got), ok, Repr(want), ctx())
		}
	}
	for _, k := range tc.noKey {
		if res.UserInfo != nil && res.UserInfo.Has(k) {
			t.Errorf("userinfo has %q, want it absent", k)
		}
	}
	ids := map[string]bool{}
	for _, is := range res.Issues {
		ids[is.ID] = true
	}
	for _, id := range tc.issues {
		if !ids[id] {
			t.Errorf("no %s issue; issues: %v (%s)", id, issueIDs(res.Issues), ctx())
		}
	}
	for _, id := range tc.noIssues {
		if ids[id] {
			t.Errorf("unexpected %s issue: %v", id, issueMsgs(res.Issues, id))
		}
	}
	for _, m := range tc.matched {
		found := false
		for _, x := range res.Matched {
			if x.Key+":"+x.Kind == m {
				found = true
			}
		}
		if !found {
			t.Errorf("matched has no %q: %+v", m, res.Matched)
		}
	}
	if tc.note != "" {
		found := false
		for _, n := range res.Notes {
			if strings.Contains(n, tc.note) {
				found = true
			}
		}
		if !found {
			t.Errorf("no note containing %q; notes: %q", tc.note, res.Notes)
		}
	}
}

func issueIDs(is []Issue) []string {
	var out []string
	for _, i := range is {
		out = append(out, i.ID)
	}
	return out
}

func issueMsgs(is []Issue, id string) []string {
	var out []string
	for _, i := range is {
		if i.ID == id {
			out = append(out, i.Message)
		}
	}
	return out
}
