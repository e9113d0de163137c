// Package lint implements `authdoctor lint FILE...`: the static CFG/ROL
// checks of FAB config files, for people and for CI (SARIF).
package lint

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/projectfile"
	"github.com/authdoctor/authdoctor/pkg/providers"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/authdoctor/authdoctor/pkg/suppress"
	"github.com/spf13/cobra"
)

// Options of the lint command.
type Options struct {
	IO        *cmdutil.IOStreams
	NewReport func(string) *engine.Report
	Emit      func(*engine.Report) error

	Files  []string
	Read   config.LoadOptions
	Online bool
	// Diff prints the mechanical fixes as a patch instead of the report.
	Diff   bool
	Net    netx.Options
	Reg    *engine.Registry
	Now    time.Time
	Deploy config.DeployOptions

	// Ignore holds --ignore values (IDs or names, comma-separated).
	Ignore []string
	// ConfigFile is --config-file: the project file for every file
	// instead of the one found upward from each.
	ConfigFile string
	// StdinFilename names the config read from stdin ("-") in findings
	// and for flavour detection.
	StdinFilename string
	// FailOn is the global --fail-on, replaced by the project file's
	// fail-on when the flag was not given.
	FailOn *string
	// Changed reports whether a flag was given on the command line
	// (command-line flags win over the project file).
	Changed func(flag string) bool
}

// NewCmd builds `authdoctor lint`. Its findings carry file:line
// locations, so it accepts --output sarif. runF replaces the run (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{IO: f.IO, NewReport: f.NewReport, Emit: f.Emit}
	cmd := &cobra.Command{
		Use:   "lint FILE...|-",
		Short: "Check FAB config files (webserver_config.py, superset_config.py, Helm values, ConfigMaps) without a token",
		Long: `Runs every CFG and ROL check that needs no token on each file: how FAB and
Airflow will read the OAuth settings, the provider branches, the role
mapping, the callback URL and the Airflow 3 / newest-provider pitfalls.
Nothing is fetched from the network unless --online: then each provider's
discovery document and key sets are fetched too (concurrently) and checked
(DSC, JWK, and ISS005 across the configured endpoints). "-" reads one
config from stdin (--stdin-filename names it).

Silencing findings, as linters do:
  --ignore CFG006,csrf-disabled      every finding of these checks
  # authdoctor: ignore[CFG006] why   in the file, on the finding's line or
                                     alone on the line above; several IDs
                                     allowed (ignore[CFG006,ROL001]); the
                                     reason is required
  .authdoctor.yaml                   the project file (below)
Suppressed findings never fail the run: they are counted in the summary,
listed under "suppressed" in JSON and marked with suppressions in SARIF.
An inline or project-file ignore that matched nothing is reported (CFG017),
and so is a directive that cannot be used (CFG018).

The project file .authdoctor.yaml is found upward from each file, up to
the repository root (a directory holding .git); --config-file names one.
Command-line flags win over it. Paths in it are relative to its directory.
  ignore:
    - CFG009                        # in every file
    - path: "deploy/*.py"           # "**" spans directories
      checks: [CFG006]
      reason: the chart mounts the real secret
  flavor: airflow3
  env: [AIRFLOW__WEBSERVER__BASE_URL=https://airflow.example.com, TENANT_ID]
  env-file: deploy/lint.env
  roles-file: deploy/roles.json
  fail-on: warning
See docs/silencing.md.

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage error
(a bad flag, an unknown check in --ignore, a malformed project file),
3 a file cannot be read (or the --config-file named does not exist).`,
		Example: `  authdoctor lint webserver_config.py
  authdoctor lint --flavor airflow3 values.yaml
  authdoctor lint -o sarif deploy/*.py > authdoctor.sarif
  authdoctor lint --ignore CFG006 --ignore csrf-disabled webserver_config.py
  helm get values airflow -o yaml | authdoctor lint --stdin-filename values.yaml -
  authdoctor lint --diff webserver_config.py | patch -p0`,
		Args:        cobra.MinimumNArgs(1),
		Annotations: map[string]string{cmdutil.OutputsAnnotation: "text,json,sarif"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFlags(cmd, o, args); err != nil {
				return err
			}
			o.Reg, o.Now = f.Registry(), f.G.Now
			o.Files, o.FailOn, o.Changed = args, &f.G.FailOn, cmd.Flags().Changed
			if o.Diff {
				o.Emit = func(r *engine.Report) error { return cmdutil.EmitDiff(f.IO, f.G, r) }
			}
			if runF != nil {
				return runF(o)
			}
			return run(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	config.BindDeployFlags(fl, &o.Deploy)
	fl.BoolVar(&o.Diff, "diff", false, "print the mechanical fixes as a unified diff (apply with patch -p0) instead of the report")
	fl.BoolVar(&o.Online, "online", false, "also fetch each provider's discovery document and key sets and check them (DSC, JWK, ISS005)")
	fl.StringSliceVar(&o.Ignore, "ignore", nil, "silence the findings of these checks (IDs or names, comma-separated, repeatable)")
	fl.StringVar(&o.ConfigFile, "config-file", "", "the project file to use for every file (default: "+projectfile.Name+" found upward from each file, up to the repository root)")
	fl.StringVar(&o.StdinFilename, "stdin-filename", "", "the name of the config read from stdin (-), used in findings, for flavour detection and to find the project file (default <stdin>)")
	netx.BindFlags(fl, &o.Net)
	config.BindFlags(fl, &o.Read, false)
	return cmd
}

// checkFlags refuses contradictory or orphan flags (usage errors, exit 2).
func checkFlags(cmd *cobra.Command, o *Options, args []string) error {
	if !o.Online {
		// --offline alone asks for what lint already does: accepted (a
		// CI job may pass it to every command to be sure).
		for _, name := range []string{"timeout", "ca-file", "insecure", "connect-to", "from-file"} {
			if cmd.Flags().Changed(name) {
				return cmdutil.Usagef("--%s needs --online: lint does not use the network otherwise", name)
			}
		}
	} else if o.Net.Offline {
		return cmdutil.Usagef("--offline and --online contradict each other: lint is offline unless --online")
	}
	stdin := 0
	for _, a := range args {
		if a == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return cmdutil.Usagef("- (stdin) can be given once")
	}
	if cmd.Flags().Changed("stdin-filename") && stdin == 0 {
		return cmdutil.Usagef("--stdin-filename names the config read from stdin: give - among the files")
	}
	return nil
}

// Result is the JSON result of lint: one summary per file.
type Result struct {
	Files []fab.FileSummary `json:"files"`
	// Skipped are the files that hold no FAB config (another chart's
	// values, a config kept elsewhere), each with the reason.
	Skipped []SkippedFile `json:"skippedFiles,omitempty"`
	// Unreadable are the files of a multi-file run that could not be
	// read (the run exits 3 after reporting the others).
	Unreadable []SkippedFile `json:"unreadableFiles,omitempty"`
}

// SkippedFile is a file lint found no config in.
type SkippedFile struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// run lints every file into one report, then applies the ignores.
func run(ctx context.Context, o *Options) error {
	rules := suppress.NewRules(o.Reg)
	if err := rules.Flag(o.Ignore); err != nil {
		return cmdutil.Usagef("--ignore: %v", err)
	}
	rep := o.NewReport("lint")
	rep.Scope(engine.StageRead, engine.StageConfig, engine.StageRoles)
	var client *netx.Client
	if o.Online {
		c, err := cmdutil.NewClient(o.Net)
		if err != nil {
			return err
		}
		defer c.Close()
		client = c
		oidc.ReportInsecure(rep, o.Net.Insecure)
	}
	l := &linter{o: o, rep: rep, rules: rules, client: client,
		projects: &projectfile.Finder{Named: o.ConfigFile, Reg: o.Reg}}
	res := &Result{Files: []fab.FileSummary{}}
	for _, path := range o.Files {
		if err := ctx.Err(); err != nil {
			return err
		}
		sum, err := l.file(ctx, path)
		switch {
		case errors.Is(err, config.ErrNoConfig) && len(o.Files) > 1:
			// Another chart's values among several files (a pre-commit
			// pattern caught it): the other files still count.
			sk := SkippedFile{File: path, Reason: strings.TrimPrefix(err.Error(), path+": ")}
			res.Skipped = append(res.Skipped, sk)
			rep.Notices = append(rep.Notices, sk.File+" skipped, nothing checked: "+sk.Reason)
		case err != nil && (len(o.Files) == 1 || errors.As(err, new(*cmdutil.UsageError))):
			// One file with no config: nothing was checked, so the run
			// must not pass (exit 3, with the reason).
			return err
		case err != nil:
			// One unreadable file among several (a template that is not
			// YAML in a pre-commit run): the others are still checked and
			// reported; the run then exits 3 naming it.
			res.Unreadable = append(res.Unreadable, SkippedFile{File: path, Reason: strings.TrimPrefix(err.Error(), path+": ")})
		case sum != nil:
			res.Files = append(res.Files, *sum)
		}
	}
	if len(res.Files) == 0 && len(res.Unreadable) > 0 {
		return cmdutil.Jobf("%s", unreadable(res.Unreadable))
	}
	if len(res.Files) == 0 && len(res.Skipped) > 0 {
		var why []string
		for _, sk := range res.Skipped {
			why = append(why, sk.File+": "+sk.Reason)
		}
		return fmt.Errorf("no file holds a FAB config, nothing was checked: %s", strings.Join(why, "; "))
	}
	for _, sk := range fab.MergeSkips(l.skips) {
		rep.Skip(sk.ID, sk.Reason)
	}
	rules.Apply(rep, true)
	l.failOn()
	rep.Result = res
	if err := o.Emit(rep); err != nil && len(res.Unreadable) == 0 {
		return err
	}
	if len(res.Unreadable) > 0 {
		return cmdutil.Jobf("%d of %d files could not be read (the others are reported above): %s", len(res.Unreadable), len(o.Files), unreadable(res.Unreadable))
	}
	return nil
}

// unreadable names the files that could not be read, with why.
func unreadable(files []SkippedFile) string {
	var why []string
	for _, f := range files {
		why = append(why, f.File+": "+f.Reason)
	}
	return strings.Join(why, "; ")
}

// linter carries what the files of one run share.
type linter struct {
	o        *Options
	rep      *engine.Report
	rules    *suppress.Rules
	client   *netx.Client
	projects *projectfile.Finder
	// used are the project files that governed a file, in order.
	used []*projectfile.File
	// skips are the checks that could not run, with the file named.
	skips []fab.SkippedCheck
}

// file lints one file (or stdin for "-") into the report; nil summary
// when the file holds no FAB config.
func (l *linter) file(ctx context.Context, path string) (*fab.FileSummary, error) {
	o := l.o
	name := path
	if path == "-" {
		name = o.StdinFilename
		if name == "" {
			name = "<stdin>"
		}
	}
	pf, err := l.projects.For(name)
	if err != nil {
		return nil, err
	}
	read, deploy := o.Read, o.Deploy
	if pf != nil {
		read = pf.ReadOptions(o.Read, l.changed)
		if pf.RolesFile.V != "" && !l.changed("roles-file") {
			deploy.RolesFile = pf.RolesFile.V
		}
		l.rules.AddProject(name, pf.EntriesFor(name))
		l.use(pf)
	}
	roles, err := deploy.Declared()
	if err != nil {
		return nil, err
	}
	file, err := load(o, path, name, read)
	if err != nil {
		return nil, err
	}
	issues, sum := fab.LintPlausible(file.Config, file.Plausible, fab.LintOptions{
		Roles: roles, BaseURL: deploy.BaseURL, SyntaxErrors: file.SyntaxErrors, UserCode: file.Code.Linter(file.Config)})
	if file.Kind != config.KindPython {
		sum.Notes = append([]string{"read from " + file.Describe()}, sum.Notes...)
	}
	if pf != nil {
		sum.Notes = append(sum.Notes, "settings and ignores from the project file "+pf.Path)
	}
	for _, is := range append(file.ReadIssues(), issues...) {
		is.AddTo(l.rep)
	}
	for _, sk := range sum.Skipped {
		l.skips = append(l.skips, fab.SkippedCheck{ID: sk.ID, Reason: name + ": " + sk.Reason})
	}
	l.rules.AddFile(name, file.Comments())
	if l.client != nil {
		runs := providers.FetchAll(ctx, l.client, o.Reg, file.Config.Providers(), o.Now)
		providers.Merge(l.rep, runs, name)
	} else if oauthInUse(file.Config) || len(file.Config.Clients) > 0 {
		// What can be judged without the network is judged offline.
		providers.CheckConfigured(l.rep, file.Config)
	}
	return &sum, nil
}

// load reads a config file, or stdin for "-" under name.
func load(o *Options, path, name string, read config.LoadOptions) (*config.File, error) {
	if path != "-" {
		return config.Load(path, read)
	}
	in, err := cmdutil.ReadInput(o.IO, []string{"-"}, "config")
	if err != nil {
		return nil, err
	}
	return config.Parse(name, in.Data, read)
}

// changed reports whether a flag was given on the command line.
func (l *linter) changed(flag string) bool { return l.o.Changed != nil && l.o.Changed(flag) }

func (l *linter) use(pf *projectfile.File) {
	for _, u := range l.used {
		if u == pf {
			return
		}
	}
	l.used = append(l.used, pf)
}

// failOn takes the project files' fail-on when --fail-on was not given;
// when the files linted have project files that disagree, the strictest
// wins (the run must fail whenever one of them says so), with a notice.
func (l *linter) failOn() {
	if l.o.FailOn == nil || l.changed("fail-on") {
		return
	}
	rank := map[string]int{"info": 0, "warning": 1, "error": 2, "never": 3}
	best, from := "", []string{}
	for _, pf := range l.used {
		if v := pf.FailOn.V; v != "" {
			from = append(from, pf.Path+": "+v)
			if best == "" || rank[v] < rank[best] {
				best = v
			}
		}
	}
	if best == "" {
		return
	}
	if len(from) > 1 {
		l.rep.Notices = append(l.rep.Notices, "the project files set different fail-on values ("+strings.Join(from, "; ")+"): the strictest, "+best+", applies")
	}
	*l.o.FailOn = best
}

// WriteText shows, per file, the flavour and the providers with their
// predicted callbacks.
func (r *Result) WriteText(p *render.Printer) {
	for _, sk := range r.Skipped {
		p.Section(sk.File)
		p.Printf("  %s no FAB config here, nothing checked: %s\n", p.Yellow("skipped:"), sk.Reason)
	}
	for _, f := range r.Files {
		p.Section(f.File)
		if f.PlainApp {
			p.KV(2, 9, "kind", "a Flask app with its own OAuth client; FAB's rules ("+f.FlavorTitle+") apply only to FAB settings it has")
		} else {
			p.KV(2, 9, "flavour", f.FlavorTitle)
		}
		if f.FlavorReason != "" && !f.PlainApp {
			p.KV(2, 9, "because", f.FlavorReason)
		}
		for _, pr := range f.Providers {
			switch {
			case pr.Client != "":
				p.Printf("  client %s → %s, registered by the app itself (not a FAB login)\n", p.Bold(fmt.Sprintf("%q", pr.Name)), pr.Client)
			case pr.UserInfo != "":
				p.Printf("  provider %s → user-info from %s (in place of FAB's %s branch), role keys: %s\n", p.Bold(fmt.Sprintf("%q", pr.Name)), pr.UserInfo, pr.Branch, pr.RoleKeys)
			default:
				p.Printf("  provider %s → branch %s, role keys: %s\n", p.Bold(fmt.Sprintf("%q", pr.Name)), pr.Branch, pr.RoleKeys)
			}
			if pr.Callback.URL == "" {
				continue
			}
			p.Printf("    callback: %s\n", pr.Callback.URL)
			if pr.Callback.BehindProxy != "" && pr.Callback.BehindProxy != pr.Callback.URL {
				p.Printf("    %s\n", p.Dim("behind a TLS-terminating proxy without "+strings.TrimSpace(pr.Callback.ProxyFixSetting)+": "+pr.Callback.BehindProxy))
			}
		}
		for _, n := range f.Notes {
			p.Printf("  %s %s\n", p.Dim("note:"), n)
		}
	}
}

// oauthInUse: AUTH_TYPE is AUTH_OAUTH, or not known.
func oauthInUse(cfg *fab.Config) bool {
	at, known, _ := cfg.AuthType()
	return !known || at == fab.AuthOAuth
}
