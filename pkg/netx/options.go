// Package netx is the only package of authdoctor that talks to the network.
//
// It has one HTTP client (Client) whose Fetch returns a record of what
// happened (Result): the final URL, status, headers, a capped body, per-stage
// timings, the redirects followed and, on failure, the stage that failed and
// the reason in words. Every operation (DNS, TCP connect, TLS handshake,
// waiting for response headers, reading the body) is bounded by
// Options.Timeout, and a whole fetch by a multiple of it, so nothing hangs.
// Results are memoised per URL for the life of a Client: the same URL
// fetched twice in one run reaches the network once.
package netx

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/version"
	"github.com/spf13/pflag"
)

// Defaults.
const (
	DefaultTimeout = 10 * time.Second
	// DefaultMaxBody caps the bytes read from a response body (after gzip
	// decoding). Discovery documents are a few kB, key sets tens of kB.
	DefaultMaxBody = 4 << 20
	// MaxRedirects is the number of redirects followed before giving up.
	MaxRedirects = 5
	// overallFactor bounds a whole fetch (all stages and redirects) to
	// this many times the per-operation timeout.
	overallFactor = 3
)

// Options configure a Client. The zero value of each field means its
// default.
type Options struct {
	// Timeout bounds each network operation; the whole fetch is bounded
	// by 3×Timeout.
	Timeout time.Duration
	// CAFile names a PEM file of extra trusted roots (added to the
	// system's).
	CAFile string
	// Insecure turns TLS certificate verification off. Results say so.
	Insecure bool
	// ConnectTo holds curl-style HOST1:PORT1:HOST2:PORT2 rules: a request
	// for HOST1:PORT1 connects to HOST2:PORT2 while the URL's host stays
	// in SNI, certificate verification and the Host header. An empty
	// HOST1 or PORT1 matches any; an empty HOST2 or PORT2 keeps the
	// original.
	ConnectTo []string
	// Offline forbids all network access: every Fetch returns a result
	// whose error stage is "offline".
	Offline bool
	// UserAgent defaults to "authdoctor/<version>".
	UserAgent string
	// FromFile holds URL=FILE rules: a fetch of exactly URL is answered
	// from FILE without the network (saved documents, offline runs).
	FromFile []string

	// MaxBody overrides DefaultMaxBody (tests).
	MaxBody int64
	// Proxy overrides http.ProxyFromEnvironment (tests; nil means the
	// environment: HTTPS_PROXY, HTTP_PROXY, NO_PROXY).
	Proxy ProxyFunc
}

// BindFlags binds the network flags every network command understands:
// --timeout, --ca-file, --insecure, --connect-to (repeatable), --offline.
func BindFlags(fs *pflag.FlagSet, o *Options) {
	fs.DurationVar(&o.Timeout, "timeout", DefaultTimeout, "bound on each network operation (DNS, connect, TLS, response, body); a whole fetch gets 3× this")
	fs.StringVar(&o.CAFile, "ca-file", "", "PEM file of extra trusted root certificates (a corporate or private CA)")
	fs.BoolVar(&o.Insecure, "insecure", false, "skip TLS certificate verification (reported in the output)")
	fs.StringArrayVar(&o.ConnectTo, "connect-to", nil, "HOST1:PORT1:HOST2:PORT2: connect to HOST2:PORT2 for HOST1:PORT1 URLs, keeping the URL's host for TLS and the Host header (repeatable; as curl)")
	fs.BoolVar(&o.Offline, "offline", false, "never touch the network; what needs it is skipped with the reason")
	fs.StringArrayVar(&o.FromFile, "from-file", nil, "URL=FILE: answer a fetch of URL from a saved FILE instead of the network (repeatable; works with --offline); @LIST reads URL=FILE lines from LIST, paths relative to it")
}

// FlagError is a bad value of a network flag (a usage error).
type FlagError struct {
	Flag string
	Err  error
}

func (e *FlagError) Error() string { return "--" + e.Flag + ": " + e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FileError means a file named by a flag (--ca-file) cannot be used (the
// job cannot be done).
type FileError struct {
	Flag, Path string
	Err        error
}

func (e *FileError) Error() string {
	return fmt.Sprintf("cannot use --%s %s: %v", e.Flag, e.Path, e.Err)
}
func (e *FileError) Unwrap() error { return e.Err }

// connectRule is one parsed --connect-to value.
type connectRule struct {
	raw          string
	host1, port1 string // empty: any
	host2, port2 string // empty: unchanged
}

// ParseConnectTo parses one --connect-to value as curl does:
// HOST1:PORT1:HOST2:PORT2, IPv6 addresses in brackets, each part may be
// empty (except that a rule must change something).
func ParseConnectTo(s string) (connectRule, error) {
	parts, err := splitColons(s)
	if err != nil {
		return connectRule{}, err
	}
	if len(parts) != 4 {
		return connectRule{}, fmt.Errorf("%q must have the form HOST1:PORT1:HOST2:PORT2 (e.g. login.microsoftonline.com:443:127.0.0.1:8443)", s)
	}
	r := connectRule{raw: s, host1: unbracket(parts[0]), port1: parts[1], host2: unbracket(parts[2]), port2: parts[3]}
	for _, p := range []string{r.port1, r.port2} {
		if p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return connectRule{}, fmt.Errorf("%q: port %q is not a number between 1 and 65535", s, p)
		}
	}
	if r.host2 == "" && r.port2 == "" {
		return connectRule{}, fmt.Errorf("%q names no target: HOST2 and PORT2 are both empty", s)
	}
	return r, nil
}

func splitColons(s string) ([]string, error) {
	var parts []string
	cur := strings.Builder{}
	depth := 0
	for _, r := range s {
		switch {
		case r == '[':
			depth++
			cur.WriteRune(r)
		case r == ']':
			if depth == 0 {
				return nil, fmt.Errorf("%q: unbalanced ']'", s)
			}
			depth--
			cur.WriteRune(r)
		case r == ':' && depth == 0:
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("%q: unbalanced '['", s)
	}
	return append(parts, cur.String()), nil
}

func unbracket(h string) string {
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		return h[1 : len(h)-1]
	}
	return h
}

// match returns the address to dial for host:port, or "" when the rule
// does not apply.
func (r connectRule) match(host, port string) string {
	if r.host1 != "" && !strings.EqualFold(r.host1, host) {
		return ""
	}
	if r.port1 != "" && r.port1 != port {
		return ""
	}
	h, p := r.host2, r.port2
	if h == "" {
		h = host
	}
	if p == "" {
		p = port
	}
	return net.JoinHostPort(h, p)
}

// validate checks the options and fills defaults.
func (o *Options) validate() ([]connectRule, error) {
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Timeout < 0 {
		return nil, &FlagError{"timeout", errors.New("must be positive")}
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.UserAgent == "" {
		o.UserAgent = "authdoctor/" + version.Get().Version
	}
	rules2, err := expandFromFile(o.FromFile)
	if err != nil {
		return nil, err
	}
	o.FromFile = rules2
	var rules []connectRule
	for _, s := range o.ConnectTo {
		r, err := ParseConnectTo(s)
		if err != nil {
			return nil, &FlagError{"connect-to", err}
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// ParseFromFile splits a URL=FILE rule (at the last '=', so the URL may
// carry a query).
func ParseFromFile(s string) (rawURL, file string, err error) {
	i := strings.LastIndexByte(s, '=')
	if i <= 0 || i == len(s)-1 {
		return "", "", fmt.Errorf("%q: want URL=FILE", s)
	}
	rawURL, file = s[:i], strings.TrimPrefix(s[i+1:], "@")
	if !strings.HasPrefix(rawURL, "https://") && !strings.HasPrefix(rawURL, "http://") {
		return "", "", fmt.Errorf("%q: the URL must start with https:// or http://", s)
	}
	return rawURL, file, nil
}

// expandFromFile reads @LIST values and checks every rule: a malformed
// one is a usage error, a list or a saved file that cannot be read a
// FileError (the job cannot be done), never a fetch failure reported as if
// the IdP were down.
func expandFromFile(values []string) ([]string, error) {
	var out []string
	for _, s := range values {
		if strings.HasPrefix(s, "@") {
			if _, err := os.Stat(s[1:]); err != nil {
				return nil, &FileError{Flag: "from-file", Path: s[1:], Err: fileProblem(err)}
			}
			listed, err := readFromFileList(s[1:])
			if err != nil {
				return nil, &FlagError{"from-file", err}
			}
			out = append(out, listed...)
			continue
		}
		if _, _, err := ParseFromFile(s); err != nil {
			return nil, &FlagError{"from-file", err}
		}
		out = append(out, s)
	}
	for _, s := range out {
		_, f, _ := ParseFromFile(s)
		if st, err := os.Stat(f); err != nil {
			return nil, &FileError{Flag: "from-file", Path: f, Err: fileProblem(err)}
		} else if st.IsDir() {
			return nil, &FileError{Flag: "from-file", Path: f, Err: errors.New("it is a directory")}
		}
	}
	return out, nil
}

// fileProblem says why a file cannot be used, without repeating its path.
func fileProblem(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, os.ErrNotExist) {
		return errors.New("no such file")
	}
	return err
}

// readFromFileList reads URL=FILE lines (# comments, blank lines allowed);
// relative FILEs are relative to the list's directory.
func readFromFileList(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the list %s: %v", path, err)
	}
	var out []string
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		u, f, err := ParseFromFile(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, i+1, err)
		}
		if !filepath.IsAbs(f) {
			f = filepath.Join(filepath.Dir(path), f)
		}
		out = append(out, u+"="+f)
	}
	return out, nil
}

// TLSVerification says, for a result, whether certificates were checked:
// "on", or "off (--insecure)".
func (o Options) TLSVerification() string {
	if o.Insecure {
		return "off (--insecure)"
	}
	return "on"
}
