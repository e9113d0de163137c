// Package roles implements `authdoctor roles`: a dry-run of FAB's OAuth
// login and role computation for one user, statically.
package roles

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/usercode"
	"github.com/spf13/cobra"
)

// Options of the roles command.
type Options struct {
	IO        *cmdutil.IOStreams
	NewReport func(string) *engine.Report
	Emit      func(*engine.Report) error

	ConfigPath string
	Read       config.LoadOptions
	Args       []string
	Claims     string
	RoleKeys   []string
	Provider   string
	// Existing is --existing-user; ExistingSet tells an empty value from
	// an absent flag.
	Existing    string
	ExistingSet bool
	Inactive    bool
	Deploy      config.DeployOptions
	// UserInfo is --userinfo @FILE|JSON: what the provider's user-info
	// API answers, for the user's own code (and API branches).
	UserInfo string
	// G are the global flags (--now for PyJWT's time checks); nil in
	// tests that do not set them.
	G *cmdutil.Globals
	// response is the token endpoint's response handed to the user's
	// code, and responseNote how it was made.
	response     []byte
	responseNote string
}

// NewCmd builds `authdoctor roles`. runF replaces the run (tests); nil
// runs the dry-run.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{IO: f.IO, NewReport: f.NewReport, Emit: f.Emit, G: f.G}
	cmd := &cobra.Command{
		Use:   "roles --config FILE [TOKEN|-|@FILE]",
		Short: "Dry-run FAB's OAuth login: the user-info, mapped roles and permissions a user gets",
		Long: `Simulates what Flask-AppBuilder (Airflow, Superset) does when a user signs in with
OAuth: the user-info its provider branch builds from the ID token (or, for
branches that call an API, from the claims given as a stand-in), each
AUTH_ROLES_MAPPING key that matches or nearly matches, the registration role,
the final roles, what those roles may do, or why the login is refused.

When the config installs its own security manager (or an
oauth_user_info_getter), that code is evaluated statically, never run: its
user-info replaces the branch's, and what depends on something outside the
file (an HTTP call, the database) makes the outcome "unknown", naming the
line. The user's code gets the token endpoint's response: give the whole
response JSON as the token, or a bare JWT (then it gets {"access_token": JWT,
"id_token": JWT}); give the user-info API's answer with --userinfo.

The token is decoded, never verified. Give it as an argument, @FILE, or on
stdin; or give the claims as JSON with --claims @FILE.json; or only role keys
with --role-key.`,
		Example: `  authdoctor roles --config webserver_config.py @id_token.jwt
  pbpaste | authdoctor roles --config values.yaml -
  authdoctor roles --config webserver_config.py --claims @userinfo.json --provider keycloak
  authdoctor roles --config webserver_config.py --role-key airflow_nonprod_op --existing-user Viewer
  authdoctor roles --config superset_config.py @token-response.json --userinfo @me.json --path ./pythonpath`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Args = args
			o.ExistingSet = cmd.Flags().Changed("existing-user")
			if runF != nil {
				return runF(o)
			}
			return run(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.ConfigPath, "config", "", "the FAB config: webserver_config.py, superset_config.py, Helm values or a ConfigMap (required)")
	fl.StringVar(&o.Claims, "claims", "", "the user's claims (or the provider API's JSON answer) as @FILE.json instead of a token")
	fl.StringSliceVar(&o.RoleKeys, "role-key", nil, "a role key the user has (an Entra app role value, an Okta/Keycloak group); repeatable; replaces the token's")
	fl.StringVar(&o.Provider, "provider", "", "the OAUTH_PROVIDERS name to simulate when the config has several")
	fl.StringVar(&o.UserInfo, "userinfo", "", "what the provider's user-info API answers, as @FILE.json or inline JSON (for the config's own user-info code)")
	fl.StringVar(&o.Existing, "existing-user", "", "simulate a returning user with these roles (comma-separated; empty for none)")
	fl.BoolVar(&o.Inactive, "inactive", false, "with --existing-user: the user is deactivated")
	config.BindDeployFlags(fl, &o.Deploy)
	config.BindFlags(fl, &o.Read, false)
	_ = cmd.MarkFlagRequired("config")
	return cmd
}

// run performs the dry-run.
func run(o *Options) error {
	if o.ConfigPath == "" {
		return cmdutil.Usagef("--config FILE is required")
	}
	file, err := config.Load(o.ConfigPath, o.Read)
	if err != nil {
		return err
	}
	roles, err := o.Deploy.Declared()
	if err != nil {
		return err
	}
	in := fab.SimInput{Provider: o.Provider, Roles: roles, BaseURL: o.Deploy.BaseURL, SyntaxErrors: file.SyntaxErrors}
	if len(o.RoleKeys) > 0 {
		in.RoleKeys, in.RoleKeysSet = o.RoleKeys, true
	}
	if o.ExistingSet {
		in.Existing = &fab.ExistingUser{Inactive: o.Inactive}
		for _, r := range strings.Split(o.Existing, ",") {
			if r = strings.TrimSpace(r); r != "" {
				in.Existing.Roles = append(in.Existing.Roles, r)
			}
		}
	} else if o.Inactive {
		return cmdutil.Usagef("--inactive needs --existing-user")
	}
	notices, err := readClaims(o, &in)
	if err != nil {
		return err
	}
	if err := userCode(o, file, &in); err != nil {
		return err
	}
	res, err := fab.SimulatePlausible(file.Config, file.Plausible, in)
	if err != nil {
		if se, ok := err.(*fab.SimError); ok {
			return cmdutil.Usagef("%s", se.Msg)
		}
		return err
	}
	rep := o.NewReport("roles")
	rep.Scope(engine.StageUserInfo, engine.StageRoles)
	rep.Notices = append(rep.Notices, notices...)
	for _, is := range append(append(res.Issues, res.BlockerIssues(file.Path)...), res.OtherVersionIssues(file.Path)...) {
		is.AddTo(rep)
	}
	rep.Result = &result{res}
	return o.Emit(rep)
}

// readClaims fills the simulation input from --claims, a token argument or
// stdin.
func readClaims(o *Options, in *fab.SimInput) ([]string, error) {
	var notices []string
	if o.Claims != "" {
		if len(o.Args) > 0 {
			return nil, cmdutil.Usagef("give either a token or --claims, not both")
		}
		path := strings.TrimPrefix(o.Claims, "@")
		b, err := cmdutil.ReadFile(path)
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return nil, cmdutil.Usagef("--claims %s is not a JSON object: %v", path, err)
		}
		in.Claims, in.ClaimsSource = m, "--claims "+path
		o.response, o.responseNote = usercode.ClaimsResponse(b)
		return nil, nil
	}
	if len(o.Args) == 0 && in.RoleKeysSet {
		return nil, nil // only role keys: nothing to read
	}
	if len(o.Args) == 0 && o.IO.InTTY {
		return nil, cmdutil.Usagef("no token given: pass it as an argument, @FILE or on stdin (-), or use --claims @FILE.json or --role-key")
	}
	inp, err := cmdutil.ReadInput(o.IO, o.Args, "token")
	if err != nil {
		return nil, err
	}
	toks, err := token.DecodeInput(inp.Data)
	if err != nil {
		return nil, cmdutil.Usagef("the token (%s) cannot be decoded: %v", inp.Source, err)
	}
	tok := toks[0]
	for _, t := range toks {
		if strings.Contains(t.Label, "id_token") {
			tok = t
			break
		}
	}
	if len(toks) > 1 {
		notices = append(notices, fmt.Sprintf("the input holds %d tokens; the dry-run uses %s", len(toks), tok.Label))
	}
	in.Claims = tok.Claims.Map()
	in.ClaimsSource = tok.Label + " from " + inp.Source + " (decoded, not verified)"
	o.response, o.responseNote = usercode.TokenResponse(inp.Data, tok.Raw)
	return notices, nil
}

// userCode hands the config's own login code, if any, to the dry-run
// with the login's material: the token response and --userinfo.
func userCode(o *Options, file *config.File, in *fab.SimInput) error {
	login := usercode.Login{Config: file.Config, Response: o.response, ResponseNote: o.responseNote}
	if o.G != nil {
		login.Now = o.G.Now
	}
	if o.UserInfo != "" {
		b, from, err := cmdutil.ReadJSONObject(o.UserInfo, "--userinfo")
		if err != nil {
			return err
		}
		login.UserInfo, login.UserInfoFrom = b, from
	} else if in.ClaimsSource != "" && strings.HasPrefix(in.ClaimsSource, "--claims") {
		// --claims is also "the provider API's JSON answer"
		if b, err := cmdutil.ReadFile(strings.TrimPrefix(o.Claims, "@")); err == nil {
			login.UserInfo, login.UserInfoFrom = b, in.ClaimsSource
		}
	}
	if ev := file.Code.Evaluator(login); ev != nil {
		in.UserCode = ev
	}
	return nil
}

// result adds the text form to fab.Result.
type result struct{ *fab.Result }

// MarshalJSON is fab.Result's.
func (r *result) MarshalJSON() ([]byte, error) { return json.Marshal(r.Result) }

// WriteText renders the dry-run for people.
func (r *result) WriteText(p *render.Printer) {
	res := r.Result
	p.Section("Dry-run")
	p.KV(2, 9, "flavour", res.FlavorTitle)
	if res.FlavorReason != "" {
		p.KV(2, 9, "because", res.FlavorReason)
	}
	p.KV(2, 9, "provider", fmt.Sprintf("%s → branch %s", res.Provider, res.Branch))
	if src := res.UserInfoSource; src == nil || src.Kind != fab.SourceCustom {
		p.KV(2, 9, "data", res.DataSource)
	}
	if res.ClaimsSource != "" {
		p.KV(2, 9, "input", res.ClaimsSource)
	}
	if src := res.UserInfoSource; src != nil && src.Kind == fab.SourceCustom {
		p.Printf("  %s\n", p.Bold("user-info from "+src.String()))
	}
	if src := res.RolesSource; src != nil {
		p.Printf("  %s\n", p.Bold("roles from "+src.String()))
	}

	if res.UserInfo != nil {
		title := "User-info FAB builds"
		if src := res.UserInfoSource; src != nil && src.Kind == fab.SourceCustom {
			title = "User-info " + src.Name + " returns"
		}
		p.Section(title)
		w := 0
		for _, k := range res.UserInfo.Keys {
			if len(k) > w {
				w = len(k)
			}
		}
		for _, k := range res.UserInfo.Keys {
			p.KV(2, w, k, fab.Repr(res.UserInfo.Vals[k]))
		}
		if res.FromAPI {
			p.Printf("  %s\n", p.Dim("(this branch reads an HTTP API; the token or --claims stood in for its answer)"))
		}
	}

	if len(res.Matched) > 0 || res.Registration != nil {
		p.Section("Roles")
		for _, m := range res.Matched {
			if m.Kind == "exact" {
				line := fmt.Sprintf("  %s %s → %s", p.Green("✓"), fab.Repr(m.Key), strings.Join(m.Targets, ", "))
				if len(m.Missing) > 0 {
					line += p.Yellow(fmt.Sprintf("  (%s does not exist: skipped)", strings.Join(m.Missing, ", ")))
				}
				p.Println(line)
				continue
			}
			p.Printf("  %s %s nearly matches the user's %s (differs in %s): FAB compares exact strings, so %s\n",
				p.Yellow("~"), fab.Repr(m.Key), fab.Repr(m.Value), m.Kind, p.Bold("no match"))
		}
		if len(res.Matched) == 0 && res.UserInfo != nil {
			p.Printf("  %s no AUTH_ROLES_MAPPING key matched\n", p.Dim("·"))
		}
		if rg := res.Registration; rg != nil {
			what := fab.Repr(rg.Value)
			if rg.Expression != "" {
				what = fmt.Sprintf("%s = %s", rg.Expression, fab.Repr(rg.Value))
			}
			state := "added"
			switch {
			case !rg.Applied:
				state = "not applied"
			case !rg.Added:
				state = "not added"
			}
			line := fmt.Sprintf("  registration role: %s (%s): %s", what, rg.Source, state)
			if rg.Note != "" {
				line += " — " + rg.Note
			}
			p.Println(line)
		}
		who := "new user"
		if res.User == "existing" {
			who = "existing user, AUTH_ROLES_SYNC_AT_LOGIN " + onOff(res.Sync)
		}
		p.Printf("  %s → roles: %s\n", who, p.Bold(rolesText(res.Roles)))
	}

	r.writeOtherVersions(p)
	p.Section("Outcome")
	switch res.Outcome {
	case fab.Granted:
		p.Printf("  %s the user signs in with %s\n", p.Green("GRANTED"), p.Bold(rolesText(res.Roles)))
	case fab.NoAccess:
		p.Printf("  %s the user signs in with %s but may do nothing\n", p.Red("NO ACCESS"), rolesText(res.Roles))
	case fab.Unknowable:
		p.Printf("  %s: the outcome cannot be known statically\n", p.Yellow("UNKNOWN"))
		if u := res.Unknown; u != nil {
			p.KV(4, 9, "why", u.Reason)
			if u.File != "" {
				p.KV(4, 9, "at", fmt.Sprintf("%s:%d", u.File, u.Line))
			}
			if u.Supply != "" {
				p.KV(4, 9, "give", u.Supply)
			}
		}
	case fab.Refused:
		rf := res.Refusal
		p.Printf("  %s at %s: %s\n", p.Red("REFUSED"), rf.Stage, rf.Reason)
		if e := res.Exception; e != nil {
			p.KV(4, 9, "raised", fmt.Sprintf("%s (%s:%d)", e.Text, e.File, e.Line))
		}
		if rf.Log != "" {
			p.KV(4, 9, "log", rf.Log)
		}
		p.KV(4, 9, "user sees", rf.Message)
		for _, b := range res.Blockers[min(1, len(res.Blockers)):] {
			p.Printf("  %s also: %s\n", p.Red("REFUSED"), b.Reason)
		}
		if res.RolesIfFixed {
			p.Printf("  once fixed, this user would get: %s\n", p.Bold(rolesText(res.Roles)))
		} else if len(res.Computed) > 0 {
			p.Printf("  the role mapping gives this user: %s\n", p.Bold(rolesText(res.Computed)))
		}
	}

	if len(res.Permissions) > 0 {
		title := "What these roles may do (" + res.FlavorTitle + ")"
		if res.PermissionsOf == "computed" {
			title = "What the mapped roles would allow (" + res.FlavorTitle + ")"
		}
		p.Section(title)
		for _, rp := range res.Permissions {
			p.Printf("  %s: %s\n", p.Bold(rp.Role), rp.Summary)
			if rp.Note != "" {
				p.Printf("    %s\n", p.Dim(rp.Note))
			}
		}
	}
	if cb := res.Callback; cb != nil {
		p.Section("Callback")
		p.KV(2, 14, "redirect URI", cb.URL)
		if cb.BehindProxy != cb.URL {
			p.KV(2, 14, "behind a proxy", cb.BehindProxy+" (proxy fix "+cb.ProxyFix+": "+cb.ProxyFixSetting+")")
		}
	}
	if len(res.Notes) > 0 {
		p.Section("Notes")
		for _, n := range res.Notes {
			p.Printf("  - %s\n", n)
		}
	}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func rolesText(r []string) string {
	if len(r) == 0 {
		return "no role"
	}
	return strings.Join(r, ", ")
}

// writeOtherVersions says how the login ends on the other plausible
// versions, when the version is not known and that differs.
func (r *result) writeOtherVersions(p *render.Printer) {
	if len(r.OtherVersions) == 0 {
		return
	}
	p.Section("On the other plausible versions")
	for _, ov := range r.OtherVersions {
		p.Printf("  %s %s\n", p.Yellow("≠"), ov.Summary)
	}
	p.Printf("  %s\n", p.Dim("(the version is not known: --flavor, --fab-version, --fab-provider or --requirements choose it)"))
}
