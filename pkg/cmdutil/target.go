package cmdutil

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
)

// Target is a URL|@FILE argument or flag value (a discovery document, an
// issuer, a key set), parsed the same way in every command.
type Target struct {
	Raw  string
	URL  string
	File string
	// SchemeAdded is true when "https://" was put in front of a bare
	// host name.
	SchemeAdded bool
}

// ParseTarget reads a URL|@FILE value; a bad one is a usage error naming
// what (`argument "x"`, `--jwks "x"`): another scheme, a bare word, a file
// name without @ ("did you mean @FILE"), a URL that still holds a
// documentation placeholder.
func ParseTarget(what, arg string) (Target, error) {
	t := Target{Raw: arg}
	s := strings.TrimSpace(arg)
	switch {
	case strings.HasPrefix(s, "@"):
		if len(s) == 1 {
			return t, Usagef("%s %q: @ must be followed by a file name", what, arg)
		}
		t.File = s[1:]
		return t, nil
	case s == "":
		return t, Usagef("%s is empty: give a URL or @FILE", what)
	case strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://"):
	case strings.Contains(s, "://"):
		return t, Usagef("%s %q: only http:// and https:// URLs can be fetched", what, arg)
	default:
		if err := notAFile(what, s); err != nil {
			return t, err
		}
		host := s
		if i := strings.IndexAny(host, "/?#"); i >= 0 {
			host = host[:i]
		}
		if !strings.Contains(host, ".") && !strings.HasPrefix(host, "localhost") || strings.ContainsAny(s, " \t") {
			return t, Usagef("%s %q is neither a URL nor @FILE", what, arg)
		}
		s = "https://" + s
		t.SchemeAdded = true
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return t, Usagef("%s %q is not a valid URL", what, arg)
	}
	if p := idp.Placeholder(s); p != "" {
		return t, Usagef("%s %q still holds the placeholder %q: put your own value (tenant, realm, domain) in its place", what, arg, p)
	}
	t.URL = s
	return t, nil
}

// notAFile refuses a value that names an existing file without @ (a JWT
// or a URL is never a file name).
func notAFile(what, s string) error {
	if len(s) > 4096 || strings.ContainsAny(s, "\x00\n") {
		return nil
	}
	if st, err := os.Stat(s); err == nil && !st.IsDir() {
		return Usagef("%s %q is a file: did you mean @%s?", what, s, s)
	}
	return nil
}

// Source reads a file target (a job error naming the file when it cannot
// be read) and returns what the inspection takes.
func (t Target) Source() (oidc.Source, error) {
	if t.File == "" {
		return oidc.Source{Input: t.Raw, URL: t.URL}, nil
	}
	b, err := ReadFile(t.File)
	if err != nil {
		return oidc.Source{}, err
	}
	return oidc.Source{Input: t.Raw, File: t.File, Data: b}, nil
}

// ParseSource is ParseTarget then Source.
func ParseSource(what, arg string) (oidc.Source, Target, error) {
	t, err := ParseTarget(what, arg)
	if err != nil {
		return oidc.Source{}, t, err
	}
	src, err := t.Source()
	return src, t, err
}

// NewClient builds the network client, mapping its errors to exit codes
// the same way in every command: a bad flag value is a usage error (2), a
// file a flag names that cannot be used (--ca-file, --from-file) a job
// error (3).
func NewClient(o netx.Options) (*netx.Client, error) {
	c, err := netx.New(o)
	var fe *netx.FlagError
	var fi *netx.FileError
	switch {
	case errors.As(err, &fe):
		return nil, Usagef("%v", fe)
	case errors.As(err, &fi):
		return nil, Jobf("%v", fi)
	case err != nil:
		return nil, Jobf("%v", err)
	}
	return c, nil
}

// ParseSources parses and reads every URL|@FILE argument, stopping at the
// first bad one.
func ParseSources(what string, args []string) ([]oidc.Source, []Target, error) {
	srcs := make([]oidc.Source, len(args))
	targets := make([]Target, len(args))
	for i, a := range args {
		t, err := ParseTarget(what, a)
		if err != nil {
			return nil, nil, err
		}
		targets[i] = t
	}
	for i, t := range targets {
		s, err := t.Source()
		if err != nil {
			return nil, nil, err
		}
		srcs[i] = s
	}
	return srcs, targets, nil
}

// SchemeNotices say which bare host names got https:// in front.
func SchemeNotices(targets []Target) []string {
	var out []string
	for _, t := range targets {
		if t.SchemeAdded {
			out = append(out, fmt.Sprintf("%q has no scheme: fetched %s", t.Raw, t.URL))
		}
	}
	return out
}
