// Package configshow implements `authdoctor config show FILE`: what the
// static reader extracted from a FAB config file (webserver_config.py,
// superset_config.py, Helm values, a ConfigMap), every upper-case
// module-level name with its line, what could not be resolved and why,
// with secrets redacted unless --show-secrets.
package configshow

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/pyread"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/spf13/cobra"
)

// Options of config show.
type Options struct {
	NewReport func(string) *engine.Report
	Emit      func(*engine.Report) error

	File string
	Read config.LoadOptions
}

// NewCmd builds `authdoctor config` with its `show` subcommand. runF
// replaces the run of `show` (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	parent := &cobra.Command{
		Use:   "config",
		Short: "Inspect FAB config files (webserver_config.py, superset_config.py, Helm values, ConfigMaps)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmdutil.Usagef("missing subcommand: use `authdoctor config show FILE`")
		},
	}
	o := &Options{NewReport: f.NewReport, Emit: f.Emit}
	show := &cobra.Command{
		Use:   "show FILE",
		Short: "Show what the static reader extracted from a FAB config: settings with file:line, and what it could not resolve",
		Long: `Reads the config without executing it (nothing is imported, opened, run or
fetched) and shows every setting Flask-AppBuilder reads and every other
upper-case module-level name, with the line it was set on. FILE may be a
.py file, a Helm values file (webserver.webserverConfig for Airflow 2,
apiServer.apiServerConfig for Airflow 3, configOverrides for Superset) or
a Kubernetes ConfigMap manifest; line numbers are lines of FILE.

Values the reader cannot compute (an unset environment variable, a call it
does not evaluate, a condition it cannot decide) are reported with the
reason (CFG002) and how to supply them; a syntax error is CFG001, and what
can be read around it is still shown. os.environ is this process's
environment plus --env-file and --env (--no-env leaves the process out).
Secrets are shown as <redacted> unless --show-secrets.`,
		Example: `  authdoctor config show webserver_config.py
  authdoctor config show --env AZURE_TENANT_ID=… values.yaml
  authdoctor config show --no-env --env-file prod.env -o json superset_config.py | jq .result.settings`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.File = args[0]
			if runF != nil {
				return runF(o)
			}
			return run(cmd.Context(), o)
		},
	}
	config.BindFlags(show.Flags(), &o.Read, true)
	parent.AddCommand(show)
	return parent
}

// Unresolved is a setting (or a value inside it) the reader could not
// compute.
type Unresolved struct {
	Name   string `json:"name"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
	// Env lists environment variables that would resolve it.
	Env []string `json:"env,omitempty"`
	// Alternatives are the possible values of a conditional setting.
	Alternatives []Alternative `json:"alternatives,omitempty"`
}

// Alternative is one branch of a conditional setting.
type Alternative struct {
	Condition string `json:"condition"`
	Line      int    `json:"line"`
	// Value is nil when the setting is not set on that path (Set is
	// false then).
	Value any  `json:"value"`
	Set   bool `json:"set"`
}

// Result is the JSON result of config show.
type Result struct {
	File         string         `json:"file"`
	Kind         config.Kind    `json:"kind"`
	Origin       string         `json:"origin,omitempty"`
	Flavor       fab.Flavor     `json:"flavor"`
	FlavorReason string         `json:"flavorReason"`
	Settings     *pyread.Object `json:"settings"`
	Lines        map[string]int `json:"lines"`
	Known        []string       `json:"known"`
	Unresolved   []Unresolved   `json:"unresolved"`
	SyntaxErrors []SyntaxError  `json:"syntaxErrors"`
	Environment  []string       `json:"environment"`
	SecretsShown bool           `json:"secretsShown"`
	Notes        []string       `json:"notes,omitempty"`
	Clients      []Client       `json:"clients,omitempty"`
	rows         []row
	unresolvedBy map[string][]int
}

// SyntaxError is a CFG001 location.
type SyntaxError struct {
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

type row struct {
	name, value string
	line        int
	known       bool
	imported    bool
	cond        bool
}

// run reads the file and reports.
func run(ctx context.Context, o *Options) error {
	f, err := config.Load(o.File, o.Read)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rep := o.NewReport("config show")
	rep.Scope(engine.StageRead)
	res := build(f, o.Read.ShowSecrets)
	rep.Result = res
	if o.Read.ShowSecrets {
		rep.Notices = append(rep.Notices, "--show-secrets: client secrets, SECRET_KEY and passwords are printed in clear; do not share this output")
	}
	for _, n := range f.Notes {
		rep.Notices = append(rep.Notices, n)
	}
	for _, is := range f.ReadIssues() {
		is.AddTo(rep)
	}
	return o.Emit(rep)
}

// build makes the result of a loaded file; secrets are redacted unless
// showSecrets.
func build(f *config.File, showSecrets bool) *Result {
	res := &Result{File: f.Path, Kind: f.Kind, Origin: f.Origin, Flavor: f.Profile.Flavor, FlavorReason: f.Profile.Reason,
		Settings: &pyread.Object{Values: map[string]any{}}, Lines: map[string]int{}, Known: []string{},
		Unresolved: []Unresolved{}, SyntaxErrors: []SyntaxError{}, Environment: f.EnvSources,
		SecretsShown: showSecrets, Notes: f.Notes, unresolvedBy: map[string][]int{}}
	redact := func(name string, v any) any {
		if showSecrets {
			return v
		}
		return config.RedactJSON(name, v)
	}
	settings := f.Config.Settings
	for _, name := range f.Config.Order {
		s, b := settings[name], binding(f, name)
		j := redact(s.Name, pyread.ToJSON(b))
		if b == nil {
			j = redact(s.Name, fabJSON(s.Value)) // a setting the app object holds (app.secret_key)
		}
		res.Settings.Keys = append(res.Settings.Keys, s.Name)
		res.Settings.Values[s.Name] = j
		res.Lines[s.Name] = s.Line
		if s.Known {
			res.Known = append(res.Known, s.Name)
		}
		res.rows = append(res.rows, row{name: s.Name, value: textValue(j, 0), line: s.Line, known: s.Known, imported: s.Imported, cond: s.Conditional})
	}
	alts := map[string][]Alternative{}
	for _, name := range f.Config.Order {
		u, ok := binding(f, name).(*pyread.Unresolved)
		if !ok || len(u.Alternatives) == 0 {
			continue
		}
		for _, a := range u.Alternatives {
			alt := Alternative{Condition: a.Condition, Line: a.Line}
			if a.Value != nil {
				alt.Value, alt.Set = redact(name, pyread.ToJSON(a.Value)), true
			}
			alts[name] = append(alts[name], alt)
		}
	}
	for _, d := range f.Unresolved {
		u := Unresolved{Name: d.Name, Line: d.Line, Reason: d.Reason, Env: d.Env}
		if d.Whole {
			u.Alternatives = alts[d.Name]
		}
		res.unresolvedBy[d.Name] = append(res.unresolvedBy[d.Name], len(res.Unresolved))
		res.Unresolved = append(res.Unresolved, u)
	}
	for _, d := range f.SyntaxErrors {
		res.SyntaxErrors = append(res.SyntaxErrors, SyntaxError{Line: d.Line, Col: d.Col, Message: d.Msg})
	}
	res.Clients = clientsOf(f, showSecrets)
	return res
}

// binding is the reader's value of a module-level name.
func binding(f *config.File, name string) pyread.Value {
	if b, ok := f.Module.Lookup(name); ok {
		return b.Value
	}
	return nil
}

// WriteText shows the settings for people: name, line, value.
func (r *Result) WriteText(p *render.Printer) {
	title := r.File
	if r.Origin != "" {
		title += " (" + r.Origin + ")"
	} else {
		title += " (" + string(r.Kind) + ")"
	}
	p.Section(title)
	p.KV(2, 9, "flavour", string(r.Flavor))
	p.KV(2, 9, "because", r.FlavorReason)
	p.KV(2, 9, "env", strings.Join(r.Environment, "; "))
	if r.SecretsShown {
		p.KV(2, 9, "secrets", p.Yellow("shown (--show-secrets)"))
	} else {
		p.KV(2, 9, "secrets", "redacted (--show-secrets to print them)")
	}
	if len(r.SyntaxErrors) > 0 {
		p.KV(2, 9, "syntax", p.Red(fmt.Sprintf("%d error(s); CPython would refuse the file, the rest was read around them", len(r.SyntaxErrors))))
	}
	width := 0
	for _, rw := range r.rows {
		if len(rw.name) > width {
			width = len(rw.name)
		}
	}
	if width > 40 {
		width = 40
	}
	section := func(title string, pick func(row) bool) {
		var rows []row
		for _, rw := range r.rows {
			if pick(rw) {
				rows = append(rows, rw)
			}
		}
		if len(rows) == 0 {
			return
		}
		p.Section(title)
		for _, rw := range rows {
			pad := width - len(rw.name)
			if pad < 0 {
				pad = 0
			}
			lead := fmt.Sprintf("  %s%s  %s  ", p.Bold(rw.name), strings.Repeat(" ", pad), p.Dim(fmt.Sprintf("line %-4d", rw.line)))
			indent := strings.Repeat(" ", 2+width+2+9+2)
			p.Printf("%s%s\n", lead, strings.ReplaceAll(rw.value, "\n", "\n"+indent))
			for _, i := range r.unresolvedBy[rw.name] {
				u := r.Unresolved[i]
				for _, a := range u.Alternatives {
					v := "(not set)"
					if a.Set {
						v = textValue(a.Value, 0)
					}
					p.Printf("%s%s %s\n", indent, p.Dim("· "+a.Condition+":"), strings.ReplaceAll(v, "\n", "\n"+indent+"  "))
				}
			}
		}
	}
	section("Settings Flask-AppBuilder reads", func(rw row) bool { return rw.known })
	section("Other upper-case names (copied into the Flask config)", func(rw row) bool { return !rw.known && !rw.imported })
	section("Imported upper-case names", func(rw row) bool { return !rw.known && rw.imported })
	if len(r.rows) == 0 {
		p.Printf("  %s\n", p.Dim("no upper-case module-level names"))
	}
	r.writeClients(p)
}

// textValue renders a ToJSON tree in Python syntax for people: small
// values on one line, larger ones indented; long lists and dicts show
// their first maxShown items and say how many more there are (a config
// may hold a list of 100,000 items, which nobody reads on a terminal).
func textValue(v any, depth int) string {
	if s := compact(v); len(s) <= 72 || depth > 20 {
		return s
	}
	ind := strings.Repeat("  ", depth+1)
	end := strings.Repeat("  ", depth)
	var sb strings.Builder
	switch x := v.(type) {
	case []any:
		sb.WriteString("[\n")
		for i, e := range x {
			if i == maxShown {
				fmt.Fprintf(&sb, "%s… %d more\n", ind, len(x)-i)
				break
			}
			sb.WriteString(ind + textValue(e, depth+1) + ",\n")
		}
		sb.WriteString(end + "]")
		return sb.String()
	case *pyread.Object:
		sb.WriteString("{\n")
		for i, k := range x.Keys {
			if i == maxShown {
				fmt.Fprintf(&sb, "%s… %d more\n", ind, len(x.Keys)-i)
				break
			}
			sb.WriteString(ind + strconv.Quote(k) + ": " + textValue(x.Values[k], depth+1) + ",\n")
		}
		sb.WriteString(end + "}")
		return sb.String()
	}
	return compact(v)
}

const (
	// maxShown is how many items of a list or dict the text shows.
	maxShown = 50
	// maxCompact bounds a one-line rendering, in bytes.
	maxCompact = 4096
)

// compact renders a ToJSON tree on one line, cut with "…" past
// maxCompact bytes.
func compact(v any) string {
	var b strings.Builder
	writeCompact(&b, v)
	if b.Len() > maxCompact {
		s := b.String()[:maxCompact]
		for len(s) > 0 && !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		return s + "…"
	}
	return b.String()
}

// writeCompact writes v on one line and stops once past maxCompact.
func writeCompact(b *strings.Builder, v any) {
	if b.Len() > maxCompact {
		return
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		b.WriteString(map[bool]string{true: "True", false: "False"}[x])
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case json.Number:
		b.WriteString(string(x))
	case string:
		b.WriteString(strconv.Quote(x))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			if b.Len() > maxCompact {
				break
			}
			writeCompact(b, e)
		}
		b.WriteByte(']')
	case *pyread.Object:
		b.WriteByte('{')
		for i, k := range x.Keys {
			if i > 0 {
				b.WriteString(", ")
			}
			if b.Len() > maxCompact {
				break
			}
			b.WriteString(strconv.Quote(k) + ": ")
			writeCompact(b, x.Values[k])
		}
		b.WriteByte('}')
	case map[string]any:
		b.WriteString(compactMap(x))
	default:
		fmt.Fprint(b, v)
	}
}

// compactMap renders the reader's special objects (unresolved, Python
// source) or a plain map with sorted keys.
func compactMap(x map[string]any) string {
	if r, ok := x["unresolved"].(string); ok {
		// the CFG002 finding says how to supply it
		if i := strings.Index(r, "; supply it with --env"); i > 0 {
			r = r[:i]
		}
		return fmt.Sprintf("<unresolved: %s>", r)
	}
	if s, ok := x["python"].(string); ok {
		return s
	}
	keys := make([]string, 0, len(x))
	for k := range x {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = strconv.Quote(k) + ": " + compact(x[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
