package rehearsal

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/authlib"
	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/usercode"
)

// UserInfo is the user-info step as it ran: the request the branch made
// with the real access token, or the ID token it read.
type UserInfo struct {
	// Source says where the data came from, in words.
	Source string `json:"source"`
	// URL, Status: the API call made (none for branches that read the
	// id_token).
	URL    string `json:"url,omitempty"`
	Status int    `json:"status,omitempty"`
	// Data is the answer (or the ID token's claims) the branch read.
	Data map[string]any `json:"data,omitempty"`
}

// UserInfoInput is what the user-info step gets: the config, the provider,
// authlib's client, the real token response, the ID token's claims (nil
// without one), and a way to make the calls the branch or the user's code
// makes (through pkg/netx, with the real access token).
type UserInfoInput struct {
	File     *config.File
	Provider *fab.Provider
	Client   *authlib.Client
	Token    *authlib.Token
	IDClaims map[string]any
	Setup    Setup
	// Response is the token endpoint's answer as received, and KeySets
	// the provider's key sets fetched, by URL: what the user's own code
	// reads (usercode.Login).
	Response []byte
	KeySets  map[string][]byte
	// Get GETs a URL (a relative path is joined to api_base_url as
	// remote.get joins it) with the access token, as authlib's session
	// sends it.
	Get func(ctx context.Context, pathOrURL string) *netx.Result
}

// UserInfoRunner runs FAB's user-info step and the role computation with
// the real material. DefaultUserInfo runs the user's own code where the
// config installs it, else the built-in branch of the flavour. A non-nil
// Failure stops the login at that step.
type UserInfoRunner func(ctx context.Context, in UserInfoInput) (*fab.Result, *UserInfo, *Failure, error)

// userInfo is set_oauth_session then the user-info step.
func (r *Rehearsal) userInfo(ctx context.Context, tok *authlib.Token) {
	if r.Provider == nil {
		r.bareUserInfo(ctx, tok)
		return
	}
	// set_oauth_session reads resp[token_key] inside oauth_authorized's
	// try: a KeyError is "Error returning OAuth user info".
	key, _, _ := r.Provider.TokenKey()
	if !tok.Has(key) {
		raised := &authlib.Raised{Class: "KeyError", Message: "'" + key + "'", Where: "flask_appbuilder/security/manager.py: set_oauth_session"}
		r.Report.Add("CFG005", fmt.Sprintf("provider %q: token_key is %q, and the token response has no such member (it has %s): set_oauth_session raises KeyError", r.Provider.Name, key, strings.Join(tok.Keys(), ", ")),
			append([]engine.Opt{engine.At(engine.Subject{File: r.setup.File.Path, Line: max(r.Provider.EntryLine("token_key"), 1)}), engine.AtStep(engine.StepUserInfo), engine.ForProvider(r.Provider.Name),
				engine.FixHint(`Add "token_key": "access_token" to the provider entry.`)}, raisedEvidence(raised, fab.LogUserInfo, fab.MsgInvalidLogin)...)...)
		r.fail(engine.StepUserInfo, raised, fab.LogUserInfo, fab.MsgInvalidLogin, "CFG005")
		return
	}
	run := r.setup.UserInfo
	if run == nil {
		run = DefaultUserInfo
	}
	var idClaims map[string]any
	if r.Result.Exchange != nil && r.Result.Exchange.IDToken != nil {
		idClaims = r.Result.Exchange.IDToken.Claims
	}
	in := UserInfoInput{File: r.setup.File, Provider: r.Provider, Client: r.Client, Token: tok, IDClaims: idClaims, Setup: r.setup,
		Response: r.TokenResponse(), Get: func(ctx context.Context, u string) *netx.Result { return r.apiGet(ctx, u, tok) }}
	if r.run != nil {
		in.KeySets = r.run.KeySetBodies()
	}
	sim, ui, failure, err := run(ctx, in)
	r.Result.UserInfo = ui
	if err != nil {
		r.Report.Notices = append(r.Report.Notices, "user-info dry-run not possible: "+err.Error())
		return
	}
	if failure != nil {
		where := ""
		if ui != nil && ui.URL != "" {
			where = fmt.Sprintf(" (the branch's GET %s)", ui.URL)
		}
		r.Report.Add("ROL006", fmt.Sprintf("login refused at the user-info step%s: %s%s → %q", where, fab.LogUserInfo, failure.Raised.Message, fab.MsgInvalidLogin),
			append([]engine.Opt{engine.AtStep(engine.StepUserInfo), engine.ForProvider(r.Provider.Name)}, raisedEvidence(failure.Raised, fab.LogUserInfo, fab.MsgInvalidLogin)...)...)
		r.fail(engine.StepUserInfo, failure.Raised, fab.LogUserInfo, fab.MsgInvalidLogin, "ROL006")
		return
	}
	r.Result.Roles = sim
	if sim == nil {
		return
	}
	for _, is := range sim.Issues {
		is.AddTo(r.Report)
	}
	for _, is := range sim.BlockerIssues(r.setup.File.Path) {
		if !r.Report.Has(is.ID) {
			is.AddTo(r.Report)
		}
	}
}

// apiGet is remote.get(path) with the real token: urljoin with
// api_base_url, the access token as a Bearer header (OAuth2Auth).
func (r *Rehearsal) apiGet(ctx context.Context, pathOrURL string, tok *authlib.Token) *netx.Result {
	u := r.Client.APIURL(pathOrURL)
	typ := tok.Str("token_type")
	if typ == "" || strings.EqualFold(typ, "bearer") {
		typ = "Bearer"
	}
	return r.net.Do(ctx, netx.Request{URL: u, Header: map[string][]string{"Authorization": {typ + " " + tok.Str("access_token")}}})
}

// DefaultUserInfo is the user-info step the app really runs: the user's
// own code (a security manager's get_oauth_user_info / oauth_user_info,
// an oauth_user_info_getter; spec user-code.md §1) when the config
// installs it, evaluated statically with the real token response; else
// FAB's built-in branch (BuiltinUserInfo). Code that only replaces the
// role computation runs after the built-in branch.
func DefaultUserInfo(ctx context.Context, in UserInfoInput) (*fab.Result, *UserInfo, *Failure, error) {
	ev := userCode(in)
	if ev == nil {
		return BuiltinUserInfo(ctx, in)
	}
	if ref, ok := in.File.Config.UserCode.UserInfo(); ok {
		ui := &UserInfo{Source: fmt.Sprintf("%s, read statically (never run) with the real token response", ref)}
		sim, err := simulate(in, fab.SimInput{Provider: in.Provider.Name, Claims: in.IDClaims, ClaimsSource: ui.Source, UserCode: ev})
		return sim, ui, nil, err
	}
	return builtinUserInfo(ctx, in, ev)
}

// userCode is the evaluator of the config's own login code for this
// login, or nil when the config installs none.
func userCode(in UserInfoInput) fab.UserCodeEval {
	if in.File == nil || in.File.Code == nil || in.File.Config == nil {
		return nil
	}
	var now time.Time
	if in.Setup.Now != nil {
		now = in.Setup.Now()
	}
	ev := in.File.Code.Evaluator(usercode.Login{Config: in.File.Config, Response: in.Response, Now: now, KeySets: in.KeySets})
	if ev == nil {
		return nil
	}
	return ev
}

// BuiltinUserInfo is FAB's built-in branch for the provider name: it
// calls the branch's API with the real access token (or reads the real ID
// token), then runs fab.Simulate with that answer.
func BuiltinUserInfo(ctx context.Context, in UserInfoInput) (*fab.Result, *UserInfo, *Failure, error) {
	return builtinUserInfo(ctx, in, nil)
}

// builtinUserInfo is BuiltinUserInfo with the user's role code, if any.
func builtinUserInfo(ctx context.Context, in UserInfoInput, ev fab.UserCodeEval) (*fab.Result, *UserInfo, *Failure, error) {
	p := in.File.Profile
	call := fab.BranchCall(p, in.Provider.Name)
	ui := &UserInfo{}
	var data map[string]any
	switch {
	case call.Path != "":
		var f *Failure
		data, f = apiAnswer(ctx, in, call.Path, in.Provider.Name == "keycloak" || in.Provider.Name == "keycloak_before_17", ui)
		if f != nil {
			return nil, ui, f, nil
		}
	case call.UserinfoEndpoint:
		// authlib's userinfo(): metadata["userinfo_endpoint"], then
		// raise_for_status and json.
		ep := in.Client.UserinfoEndpoint()
		if ep.URL == "" {
			return nil, ui, &Failure{Raised: &authlib.Raised{Class: "KeyError", Message: "'userinfo_endpoint'", Where: "authlib/integrations/base_client/sync_openid.py: OpenIDMixin.userinfo"}}, nil
		}
		var f *Failure
		data, f = apiAnswer(ctx, in, ep.URL, true, ui)
		if f != nil {
			return nil, ui, f, nil
		}
	default:
		data = in.IDClaims
		ui.Source = "the id_token of the real token response (decoded)"
		if data == nil && readsIDToken(in.Provider.Name) {
			return nil, ui, &Failure{Raised: &authlib.Raised{Class: "KeyError", Message: "'id_token'", Where: "the " + in.Provider.Name + " branch of get_oauth_user_info"}}, nil
		}
		if data == nil {
			data = map[string]any{}
		}
	}
	ui.Data = data
	si := fab.SimInput{Provider: in.Provider.Name, Claims: data, ClaimsSource: ui.Source,
		APIAnswer: call.Path != "" || call.UserinfoEndpoint, UserCode: ev}
	sim, err := simulate(in, si)
	return sim, ui, nil, err
}

// simulate runs the role computation with the setup's roles, base URL
// and existing user. When the file does not tell the version, the others
// plausible are said where they end differently (as roles does).
func simulate(in UserInfoInput, si fab.SimInput) (*fab.Result, error) {
	s := in.Setup
	si.Roles, si.BaseURL, si.Existing, si.SyntaxErrors = s.Roles, s.BaseURL, s.Existing, in.File.SyntaxErrors
	if len(in.File.Plausible) > 1 {
		return fab.SimulatePlausible(in.File.Config, in.File.Plausible, si)
	}
	return fab.Simulate(in.File.Config, in.File.Profile, si)
}

func readsIDToken(name string) bool { return name == "azure" || name == "authentik" }

// apiAnswer makes the branch's call and reads the answer as the branch
// does: .json() of the body, after raise_for_status for the branches
// that call it (keycloak, authlib's userinfo()).
func apiAnswer(ctx context.Context, in UserInfoInput, path string, raiseForStatus bool, ui *UserInfo) (map[string]any, *Failure) {
	where := "the " + in.Provider.Name + " branch of get_oauth_user_info"
	u := in.Client.APIURL(path)
	ui.URL = u
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		// requests refuses a URL without a scheme (no api_base_url).
		return nil, &Failure{Raised: &authlib.Raised{Class: "MissingSchema", Message: fmt.Sprintf("Invalid URL '%s': No scheme supplied. Perhaps you meant https://%s?", u, u), Where: where}}
	}
	res := in.Get(ctx, path)
	ui.Status = res.Status
	ui.Source = fmt.Sprintf("GET %s with the real access token (HTTP %d)", u, res.Status)
	if res.Err != nil && (res.Err.Status == 0 || raiseForStatus) {
		return nil, &Failure{Raised: authlib.RequestsError(res, where)}
	}
	dec := json.NewDecoder(strings.NewReader(string(res.Body)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, &Failure{Raised: authlib.JSONDecodeError(res.Body, where)}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &Failure{Raised: &authlib.Raised{Class: "AttributeError", Message: fmt.Sprintf("the answer is a JSON %T, not an object: the branch's .get() fails", v), Approximate: true, Where: where}}
	}
	return m, nil
}

// bareUserInfo: without a config there is no FAB step; the userinfo
// endpoint is called as authlib's userinfo() would, to show what it says.
func (r *Rehearsal) bareUserInfo(ctx context.Context, tok *authlib.Token) {
	ep := r.Client.UserinfoEndpoint()
	if ep.URL == "" || tok.Str("access_token") == "" {
		return
	}
	res := r.apiGet(ctx, ep.URL, tok)
	ui := &UserInfo{URL: ep.URL, Status: res.Status, Source: fmt.Sprintf("GET %s with the real access token (HTTP %d)", ep.URL, res.Status)}
	var m map[string]any
	if res.Err == nil && json.Unmarshal(res.Body, &m) == nil {
		ui.Data = m
	}
	r.Result.UserInfo = ui
}
