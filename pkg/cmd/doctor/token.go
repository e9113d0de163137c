package doctor

import (
	"context"
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/providers"
	tok "github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/tokenpipe"
	"github.com/authdoctor/authdoctor/pkg/urlcheck"
	"github.com/authdoctor/authdoctor/pkg/usercode"
)

type urlcheckURL struct{ u interface{ String() string } }

// pickProvider finds the provider a token belongs to: by issuer, then by
// client_id in aud/azp/appid, then the only one.
func pickProvider(runs []*providers.Run, d *tok.Decoded, want string) (*providers.Run, string) {
	if want != "" {
		for _, r := range runs {
			if r.Name == want {
				return r, "--provider"
			}
		}
		return nil, ""
	}
	iss := d.Claims.String("iss")
	tid := d.Claims.String("tid")
	for _, r := range runs {
		if i := r.IssuerURL(); i != "" && strings.ReplaceAll(i, "{tenantid}", tid) == iss {
			return r, "iss matches the discovery issuer"
		}
	}
	ids := append(tok.Audiences(d.Claims), d.Claims.String("azp"), d.Claims.String("appid"))
	for _, r := range runs {
		if cid, ok := r.Provider.RemoteStr("client_id"); ok && cid != "" {
			for _, a := range ids {
				if a == cid || a == "api://"+cid {
					return r, "aud/azp names its client_id"
				}
			}
		}
	}
	if len(runs) == 1 {
		return runs[0], "the only provider"
	}
	return nil, ""
}

func checkToken(ctx context.Context, o *Options, client *netx.Client, rep *engine.Report, res *Result, cfg *fab.Config, profile fab.Profile,
	file *config.File, runs []*providers.Run, input []byte) {
	ds := tokenpipe.Decode(rep, input)
	if len(ds) == 0 {
		return
	}
	d := ds[0]
	d.Label = "token"
	tc := tok.TimeContext{Now: o.G.Now, Leeway: o.G.Leeway}
	r, how := pickProvider(runs, d, o.Provider)
	if r == nil {
		noTimes := tc
		noTimes.SkipTimes = true
		res.Token = &TokenPart{Label: "--token", Identified: tokenpipe.Inspect(rep, d, noTimes)}
		rep.Add("ISS001", fmt.Sprintf("the token (iss %s) belongs to none of the configured providers", d.Claims.String("iss")),
			engine.At(engine.Subject{File: o.ConfigPath, Name: "OAUTH_PROVIDERS"}), engine.With("iss", d.Claims.String("iss")))
		tok.CheckTimes(rep, d, tc)
		return
	}
	tenant := ""
	if tr := fab.ResolveAzureTenant(profile, r.Provider); tr.GUID != "" && idp.Parse(d.Claims.String("iss")).IdP == "azure" {
		tenant = tr.GUID
	}
	keys := r.TokenKeys(client, tc, tenant)
	from := len(rep.Findings)
	verifies, who := fab.VerifiesIDToken(profile, r.Provider)
	defer func() {
		// everything said about this token concerns its provider's login
		for i := from; i < len(rep.Findings); i++ {
			rep.Findings[i].Provider = r.Name
			if !verifies {
				unchecked(&rep.Findings[i], who)
			}
		}
	}()
	c := keys.Check(ctx, rep, d)
	authlibIDToken(ctx, client, rep, cfg, profile, r, d, o.G.Now, from)
	res.Token = &TokenPart{Label: "--token", Identified: c.Identified, Provider: r.Name, MatchedBy: how, KeysFrom: keys.From, Outcome: c.Outcome}

	// The roles dry-run for this user.
	in := fab.SimInput{Provider: r.Name, Claims: d.Claims.Map(), ClaimsSource: "the --token's claims",
		Roles: o.roles, BaseURL: o.Deploy.BaseURL, SyntaxErrors: file.SyntaxErrors}
	if o.Existing != "" {
		in.Existing = &fab.ExistingUser{}
		for _, x := range strings.Split(o.Existing, ",") {
			if x = strings.TrimSpace(x); x != "" {
				in.Existing.Roles = append(in.Existing.Roles, x)
			}
		}
	}
	// The config's own login code gets this login's token response.
	resp, note := usercode.TokenResponse(input, d.Raw)
	login := usercode.Login{Config: cfg, Response: resp, ResponseNote: note, Now: o.G.Now, UserInfo: o.userinfo, UserInfoFrom: o.userinfoFrom,
		KeySets: r.KeySetBodies()}
	if ev := file.Code.Evaluator(login); ev != nil {
		in.UserCode = ev
	}
	// On every version the file may run on (its version is not always
	// known): the newest simulated, the others said where they differ.
	sim, err := fab.SimulatePlausible(cfg, file.Plausible, in)
	if err != nil {
		rep.Notices = append(rep.Notices, "roles dry-run not possible: "+err.Error())
		return
	}
	res.Roles = sim
	// Config problems that stop every login (sim.BlockerIssues) were
	// reported by the lint stage under their own checks.
	for _, is := range append(sim.Issues, sim.OtherVersionIssues(file.Path)...) {
		is.AddTo(rep)
	}
}

func checkURL(rep *engine.Report, res *Result, cfg *fab.Config, profile fab.Profile, runs []*providers.Run, u *urlcheckURL, o *Options) {
	parsed, _ := urlcheck.Parse(u.u.String())
	authz := map[string]string{}
	for _, r := range runs {
		if r.Doc != nil && r.Doc.Discovery != nil {
			authz[r.Name] = r.Doc.AuthorizationEndpoint
		}
	}
	exp := providers.URLExpect(cfg, profile, o.ConfigPath, o.Deploy.BaseURL, parsed.Query().Get("client_id"), authz)
	res.URL = urlcheck.Analyze(rep, parsed, exp)
	if exp == nil {
		rep.Skip("URL005", "the config has no provider to compare with")
	}
}

// unchecked: a signature finding on a token the app never verifies does
// not stop its login; it is said at info, and the advice to fix keys is
// not given (issue 18: the fix matches the cause).
func unchecked(f *engine.Finding, who string) {
	switch f.ID {
	case "TOK003", "TOK004", "TOK005":
		f.Severity = engine.SeverityInfo
		f.Message = who + "; what authdoctor's own check found: " + f.Message
		f.Fix = "Nothing to change for this login: the app does not verify the signature. (To have it verified, request openid with server_metadata_url in remote_app.)"
	}
}
