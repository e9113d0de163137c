package config

import (
	"fmt"
	"github.com/authdoctor/authdoctor/pkg/lazyre"
	"os"
	"sort"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/spf13/pflag"
)

// LoadOptions are the reader options shared by config show, lint, roles
// and doctor.
type LoadOptions struct {
	// Env holds --env KEY=VALUE values, in order.
	Env []string
	// EnvFiles holds --env-file paths, in order.
	EnvFiles []string
	// NoEnv leaves the process environment out.
	NoEnv bool
	// Flavor is the raw --flavor value ("auto" or "" to detect).
	Flavor string
	// FlavorFrom says where Flavor was set when not by --flavor (the
	// project file's line), for the flavour's reason.
	FlavorFrom string
	// FabProvider and FABVersion choose versions within the flavour
	// (--fab-provider, --fab-version).
	FabProvider, FABVersion string
	// Requirements is --requirements: a requirements.txt, constraints
	// file or `pip freeze` output whose pins tell the versions.
	Requirements string
	// ShowSecrets turns redaction off (config show only).
	ShowSecrets bool
	// Environ returns the process environment (os.Environ when nil).
	Environ func() []string
	// MaxSteps is passed to the reader (0: its default).
	MaxSteps int
	// Paths are --path directories where modules the config imports are
	// looked for after the config's own directory (PYTHONPATH's meaning).
	Paths []string
}

// usage wraps a bad option value (a malformed --env, a bad line in an
// --env-file, an unknown --flavor): a usage error, exit code 2.
func usage(err error) error { return &cmdutil.UsageError{Err: err} }

// BindFlags adds --env, --env-file, --no-env, --flavor, --fab-provider,
// --fab-version, --requirements and --path. showSecrets
// adds --show-secrets too (config show only).
func BindFlags(fs *pflag.FlagSet, o *LoadOptions, showSecrets bool) {
	fs.StringArrayVar(&o.Env, "env", nil, "KEY=VALUE seen by os.environ / os.getenv in the config (repeatable; wins over --env-file and the process)")
	fs.StringArrayVar(&o.EnvFiles, "env-file", nil, "a dotenv file of KEY=VALUE lines for os.environ (repeatable; export prefixes, quotes and # comments allowed)")
	fs.BoolVar(&o.NoEnv, "no-env", false, "do not use this process's environment for os.environ in the config")
	fs.StringVar(&o.Flavor, "flavor", "auto", "which FAB/Airflow behaviour to simulate: "+fab.FlavorChoices+" (auto detects and says why)")
	fs.StringVar(&o.FabProvider, "fab-provider", "", "apache-airflow-providers-fab version simulated: 1.x for airflow-2.9, 2.0.0 up to 4.0.0 for airflow3 (default: newest)")
	fs.StringVar(&o.FABVersion, "fab-version", "", "Flask-AppBuilder version simulated: "+fab.FABOldest+"–"+fab.FABNewest+" for superset and fab (default "+fab.FABNewest+"), "+fab.Airflow20FABOldest+"–"+fab.Airflow20FABNewest+" for airflow-2.0 (default: what the Airflow version installs, else "+fab.Airflow20FABDefault+")")
	fs.StringVar(&o.Requirements, "requirements", "", "a requirements.txt, constraints file or pip freeze output: its apache-airflow, flask-appbuilder, apache-airflow-providers-fab, apache-superset and authlib pins choose the versions simulated (flags win)")
	fs.StringArrayVar(&o.Paths, "path", nil, "a directory where modules the config imports (its security manager) are looked for after the config's own directory, like PYTHONPATH (repeatable)")
	if showSecrets {
		fs.BoolVar(&o.ShowSecrets, "show-secrets", false, "print client secrets, SECRET_KEY and passwords instead of <redacted> (to debug the reader on your own machine)")
	}
}

var envKeyRe = lazyre.New(`^[A-Za-z_][A-Za-z0-9_.\-]*$`)

// Environment builds the environment the Python sees and describes its
// sources (counts, never values).
func (o *LoadOptions) Environment() (map[string]string, []string, error) {
	env := map[string]string{}
	var sources []string
	if !o.NoEnv {
		environ := o.Environ
		if environ == nil {
			environ = os.Environ
		}
		n := 0
		for _, kv := range environ() {
			if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
				env[k] = v
				n++
			}
		}
		sources = append(sources, fmt.Sprintf("%d variables from the process environment", n))
	} else {
		sources = append(sources, "process environment not used (--no-env)")
	}
	for _, path := range o.EnvFiles {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, fmt.Errorf("cannot read --env-file: %w", err)
		}
		vars, err := ParseDotenv(path, string(data), env)
		if err != nil {
			return nil, nil, usage(err)
		}
		keys := make([]string, 0, len(vars))
		for k := range vars {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			env[k] = vars[k]
		}
		sources = append(sources, fmt.Sprintf("%d from --env-file %s", len(vars), path))
	}
	for _, kv := range o.Env {
		k, v, ok := strings.Cut(kv, "=")
		k = strings.TrimPrefix(strings.TrimSpace(k), "export ")
		if !ok || !envKeyRe.MatchString(k) {
			return nil, nil, usage(fmt.Errorf("--env %q: want KEY=VALUE", kv))
		}
		env[k] = v
	}
	if len(o.Env) > 0 {
		sources = append(sources, fmt.Sprintf("%d from --env", len(o.Env)))
	}
	return env, sources, nil
}

// ParseDotenv reads dotenv syntax: KEY=VALUE lines, blank lines and #
// comments, an optional `export ` prefix, unquoted values (trimmed, with
// " #" starting a comment), 'single-quoted' values (literal), and
// "double-quoted" values (\n \t \" \\ escapes, may span lines). ${VAR}
// and ${VAR:-default} are expanded in unquoted and double-quoted values
// from earlier lines, then from base. name is used in error messages.
func ParseDotenv(name, data string, base map[string]string) (map[string]string, error) {
	out := map[string]string{}
	lookup := func(k string) (string, bool) {
		if v, ok := out[k]; ok {
			return v, true
		}
		v, ok := base[k]
		return v, ok
	}
	data = strings.TrimPrefix(data, "\ufeff")
	data = strings.ReplaceAll(data, "\r\n", "\n")
	lines := strings.Split(data, "\n")
	for i := 0; i < len(lines); i++ {
		lineNo := i + 1
		line := strings.TrimSpace(lines[i])
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "export ") || strings.HasPrefix(line, "export\t") {
			line = strings.TrimSpace(line[len("export"):])
		}
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || !envKeyRe.MatchString(k) {
			return nil, fmt.Errorf("%s:%d: want KEY=VALUE", name, lineNo)
		}
		v = strings.TrimLeft(v, " \t")
		switch {
		case strings.HasPrefix(v, "'"):
			end := strings.IndexByte(v[1:], '\'')
			for end < 0 && i+1 < len(lines) {
				i++
				v += "\n" + lines[i]
				end = strings.IndexByte(v[1:], '\'')
			}
			if end < 0 {
				return nil, fmt.Errorf("%s:%d: unterminated single-quoted value", name, lineNo)
			}
			if rest := strings.TrimSpace(v[end+2:]); rest != "" && !strings.HasPrefix(rest, "#") {
				return nil, fmt.Errorf("%s:%d: unexpected text after the closing quote", name, lineNo)
			}
			out[k] = v[1 : end+1]
		case strings.HasPrefix(v, "\""):
			val, rest, ok := scanDouble(v[1:])
			for !ok && i+1 < len(lines) {
				i++
				v += "\n" + lines[i]
				val, rest, ok = scanDouble(v[1:])
			}
			if !ok {
				return nil, fmt.Errorf("%s:%d: unterminated double-quoted value", name, lineNo)
			}
			if rest = strings.TrimSpace(rest); rest != "" && !strings.HasPrefix(rest, "#") {
				return nil, fmt.Errorf("%s:%d: unexpected text after the closing quote", name, lineNo)
			}
			out[k] = expand(val, lookup)
		default:
			if j := strings.Index(v, " #"); j >= 0 {
				v = v[:j]
			} else if j := strings.Index(v, "\t#"); j >= 0 {
				v = v[:j]
			}
			out[k] = expand(strings.TrimSpace(v), lookup)
		}
	}
	return out, nil
}

// scanDouble reads a double-quoted value up to its closing quote.
func scanDouble(s string) (val, rest string, ok bool) {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			return sb.String(), s[i+1:], true
		case '\\':
			if i+1 < len(s) {
				i++
				switch s[i] {
				case 'n':
					sb.WriteByte('\n')
				case 't':
					sb.WriteByte('\t')
				case 'r':
					sb.WriteByte('\r')
				case '"', '\\', '$':
					sb.WriteByte(s[i])
				default:
					sb.WriteByte('\\')
					sb.WriteByte(s[i])
				}
				continue
			}
			sb.WriteByte(c)
		default:
			sb.WriteByte(c)
		}
	}
	return "", "", false
}

var expandRe = lazyre.New(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}`)

func expand(s string, lookup func(string) (string, bool)) string {
	if !strings.Contains(s, "${") {
		return s
	}
	return expandRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := expandRe.FindStringSubmatch(m)
		if v, ok := lookup(sub[1]); ok && (v != "" || sub[2] == "") {
			return v
		}
		return sub[3]
	})
}
