// Package doctor implements `authdoctor doctor`: from a FAB config (and a
// token, or a browser URL) to a verdict in one command.
package doctor

import (
	"context"
	"fmt"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/providers"
	"github.com/authdoctor/authdoctor/pkg/suppress"
	tok "github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/urlcheck"
	vfy "github.com/authdoctor/authdoctor/pkg/verify"
	"github.com/spf13/cobra"
)

// Options of the doctor command.
type Options struct {
	IO         *cmdutil.IOStreams
	G          *cmdutil.Globals
	Reg        *engine.Registry
	ConfigPath string
	Token      string
	URL        string
	Provider   string
	Net        netx.Options
	Read       config.LoadOptions
	Deploy     config.DeployOptions
	Existing   string
	// UserInfo is --userinfo @FILE|JSON: the user-info API's answer for
	// the config's own user-info code; userinfo/userinfoFrom what was read.
	UserInfo     string
	userinfo     []byte
	userinfoFrom string
	// Diff prints the mechanical fixes as a patch instead of the report.
	Diff bool
	// roles are the declared roles, read once from Deploy.
	roles fab.DeclaredRoles
	// Ignore holds --ignore values (IDs or names, comma-separated).
	Ignore []string
}

// NewCmd builds `authdoctor doctor`. runF replaces the run (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{}
	cmd := &cobra.Command{
		Use:   "doctor --config FILE [--token TOKEN|-|@FILE] [--url URL]",
		Short: "Everything at once: read the config, fetch each provider's metadata and keys, verify the token, dry-run the roles; verdict first",
		Long: `doctor reads a webserver_config.py / superset_config.py / Helm values file
(statically: it is never executed), fetches each OAuth provider's discovery
document and key set concurrently, compares issuers across config, discovery
and token, verifies the token against the provider it belongs to, and
dry-runs FAB's role mapping for the token's user. It prints the verdict first,
then what will happen at login step by step, then the findings.`,
		Example: `  authdoctor doctor --config webserver_config.py
  authdoctor doctor --config webserver_config.py --token @id_token.txt
  pbpaste | authdoctor doctor --config values.yaml --token -
  authdoctor doctor --config webserver_config.py --url 'https://airflow.example.com/oauth-authorized/azure?error=...'
  authdoctor doctor --config webserver_config.py --offline --from-file @saved/urls.txt -o sarif`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{cmdutil.OutputsAnnotation: "text,json,sarif"},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.IO, o.G, o.Reg = f.IO, f.G, f.Registry()
			if runF != nil {
				return runF(o)
			}
			return run(cmd.Context(), o)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.ConfigPath, "config", "", "the FAB config: webserver_config.py, superset_config.py, Helm values or a ConfigMap (required)")
	fs.StringVar(&o.Token, "token", "", "a token of a user who tried to sign in: TOKEN, - (stdin) or @FILE")
	fs.StringVar(&o.URL, "url", "", "an authorization or callback URL from the browser's address bar")
	fs.BoolVar(&o.Diff, "diff", false, "print the mechanical fixes of the config as a unified diff (apply with patch -p0) instead of the report")
	fs.StringVar(&o.Provider, "provider", "", "the provider to dry-run the token with (default: the one the token belongs to)")
	config.BindDeployFlags(fs, &o.Deploy)
	fs.StringVar(&o.Existing, "existing-user", "", "simulate a returning user with these roles (comma-separated)")
	fs.StringVar(&o.UserInfo, "userinfo", "", "what the provider's user-info API answers, as @FILE.json or inline JSON (for the config's own user-info code, with --token)")
	fs.StringSliceVar(&o.Ignore, "ignore", nil, "silence the findings of these checks (IDs or names, comma-separated, repeatable); the config's own # authdoctor: ignore[ID] reason comments apply too")
	netx.BindFlags(fs, &o.Net)
	config.BindFlags(fs, &o.Read, false)
	return cmd
}

// TokenPart is the token's side of the result.
type TokenPart struct {
	Label      string         `json:"label"`
	Identified tok.Identified `json:"identified"`
	Provider   string         `json:"provider,omitempty"`
	MatchedBy  string         `json:"matchedBy,omitempty"`
	KeysFrom   string         `json:"keysFrom,omitempty"`
	Outcome    vfy.Outcome    `json:"outcome"`
}

// Result is the JSON result of doctor.
type Result struct {
	Verdict   string             `json:"verdict"`
	Config    string             `json:"config"`
	Flavor    fab.FileSummary    `json:"flavor"`
	Providers []*providers.Run   `json:"providers"`
	Token     *TokenPart         `json:"token,omitempty"`
	Roles     *fab.Result        `json:"roles,omitempty"`
	URL       *urlcheck.Analysis `json:"url,omitempty"`
	// Diagnosed is the provider whose login the steps and the verdict
	// describe: the token's, --provider's, or the config's only one.
	Diagnosed string `json:"diagnosedProvider,omitempty"`
	Steps     []Step `json:"steps"`
	Network   string `json:"network"`
}

// run diagnoses.
func run(ctx context.Context, o *Options) error {
	if o.ConfigPath == "" {
		return cmdutil.Usagef("--config FILE is required (webserver_config.py, superset_config.py or Helm values)")
	}
	rules := suppress.NewRules(o.Reg)
	var err error
	if err = rules.Flag(o.Ignore); err != nil {
		return cmdutil.Usagef("--ignore: %v", err)
	}
	var tokenIn []byte
	if o.Token != "" {
		in, err := cmdutil.ReadInput(o.IO, []string{o.Token}, "token")
		if err != nil {
			return err
		}
		tokenIn = in.Data
	}
	if o.UserInfo != "" {
		if o.userinfo, o.userinfoFrom, err = cmdutil.ReadJSONObject(o.UserInfo, "--userinfo"); err != nil {
			return err
		}
	}
	var u *urlcheckURL
	if o.URL != "" {
		parsed, err := urlcheck.Parse(o.URL)
		if err != nil {
			return cmdutil.Usagef("--url: %v", err)
		}
		u = &urlcheckURL{parsed}
	}
	file, err := config.Load(o.ConfigPath, o.Read)
	if err != nil {
		return err
	}
	cfg, profile := file.Config, file.Profile
	client, err := cmdutil.NewClient(o.Net)
	if err != nil {
		return err
	}
	defer client.Close()

	rep := engine.NewReport(o.Reg, "doctor")
	res := &Result{Config: o.ConfigPath, Providers: []*providers.Run{}, Network: networkWord(o.Net)}
	rep.Result = res
	// Every stage but a real sign-in's own, which authdoctor login runs.
	for _, st := range engine.Stages {
		if st != engine.StageLogin {
			rep.Scope(st)
		}
	}
	oidc.ReportInsecure(rep, o.Net.Insecure)

	// 1. The config on its own.
	if o.roles, err = o.Deploy.Declared(); err != nil {
		return err
	}
	issues, sum := fab.LintPlausible(cfg, file.Plausible, fab.LintOptions{Roles: o.roles, BaseURL: o.Deploy.BaseURL,
		SyntaxErrors: file.SyntaxErrors, UserCode: file.Code.Linter(cfg)})
	res.Flavor = sum
	for _, is := range append(file.ReadIssues(), issues...) {
		is.AddTo(rep)
	}
	// Checks that could not run on what could not be resolved are said,
	// never counted as passed.
	for _, sk := range fab.MergeSkips(sum.Skipped) {
		rep.Skip(sk.ID, sk.Reason)
	}

	// 2. Every provider's metadata and keys, concurrently: FAB's, and the
	// clients a plain Flask app registers itself.
	provs := append(cfg.Providers(), cfg.ClientProviders()...)
	progress(o, fmt.Sprintf("fetching the metadata and keys of %d provider(s)…", len(provs)))
	runs := providers.FetchAll(ctx, client, o.Reg, provs, o.G.Now)
	progress(o, "")
	if ctx.Err() != nil {
		return cmdutil.ErrInterrupted
	}
	providers.Merge(rep, runs, o.ConfigPath)
	res.Providers = runs

	// 3. The token: verified against its provider, then the roles dry-run.
	if tokenIn != nil {
		checkToken(ctx, o, client, rep, res, cfg, profile, file, runs, tokenIn)
	} else {
		rep.SkipStage(engine.StageToken, "no --token given")
	}

	// 4. A browser URL.
	if u != nil {
		checkURL(rep, res, cfg, profile, runs, u, o)
	}

	dedupe(rep)
	// The ignores of lint apply here too (not its stale-ignore reports:
	// doctor runs other stages, so an ignore lint needs may match nothing
	// here).
	rules.AddFile(o.ConfigPath, file.Comments())
	rules.Apply(rep, false)
	v := newVerdict(rep, res, cfg, runs, o.Provider)
	res.Diagnosed = v.provider
	res.Steps = v.steps(profile)
	rep.Headline, res.Verdict = v.headline()
	if o.Diff {
		return cmdutil.EmitDiff(o.IO, o.G, rep)
	}
	return cmdutil.Emit(o.IO, o.G, rep)
}

func networkWord(n netx.Options) string {
	switch {
	case n.Offline && len(n.FromFile) > 0:
		return "offline, with saved documents (--from-file)"
	case n.Offline:
		return "offline"
	case n.Insecure:
		return "online, TLS verification OFF (--insecure)"
	}
	return "online"
}

// dedupe drops findings repeated by two stages (lint and the dry-run see
// some of the same settings).
func dedupe(rep *engine.Report) {
	seen := map[string]bool{}
	out := rep.Findings[:0]
	for _, f := range rep.Findings {
		k := f.ID + "\x00" + f.Message + "\x00" + f.Subject.String()
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	rep.Findings = out
	// A check that fired is not "skipped".
	keep := rep.Skipped[:0]
	for _, s := range rep.Skipped {
		if !rep.Has(s.ID) {
			keep = append(keep, s)
		}
	}
	rep.Skipped = keep
}

func progress(o *Options, msg string) {
	if !o.IO.ErrTTY {
		return
	}
	if msg == "" {
		fmt.Fprint(o.IO.ErrOut, "\r\033[K")
		return
	}
	fmt.Fprint(o.IO.ErrOut, "\r"+msg)
}
