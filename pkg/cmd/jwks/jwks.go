// Package jwks implements `authdoctor jwks URL|@FILE...`: fetch and
// validate JSON Web Key Sets and list their keys. Inspect and the text
// helpers are reused by `discovery` (and may be by `doctor`).
package jwks

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/authdoctor/authdoctor/pkg/sources"
	"github.com/spf13/cobra"
)

// Checks are the key-set checks (JWK001 fetch, JWK002 shape, then the
// keys), in the order Inspect runs them.
func Checks(reg *engine.Registry) []string { return reg.IDs(engine.StageKeys) }

// Options of the jwks command.
type Options struct {
	IO   *cmdutil.IOStreams
	G    *cmdutil.Globals
	Reg  *engine.Registry
	Net  netx.Options
	Args []string
}

// NewCmd builds `authdoctor jwks`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	o := &Options{IO: f.IO, G: f.G}
	cmd := &cobra.Command{
		Use:   "jwks URL|@FILE...",
		Short: "Fetch and validate JWK Sets; list their keys",
		Long: `Fetch and validate one or more JSON Web Key Sets (a provider's jwks_uri) and
list their keys: kid, type, size or curve, use, alg, certificate subject and
expiry, RFC 7638 thumbprint, and Entra's per-key issuer.

A failure to fetch is reported as JWK001 naming the stage that failed (DNS,
TCP connect, TLS, timeout, HTTP status, redirect, body size) with timings.
Several arguments are fetched concurrently.`,
		Example: `  authdoctor jwks https://login.microsoftonline.com/common/discovery/v2.0/keys
  authdoctor jwks @keys.json -o json
  authdoctor jwks https://idp.example.com/realms/x/protocol/openid-connect/certs --ca-file corp-root.pem`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Reg = f.Registry()
			o.Args = args
			return Run(cmd.Context(), o)
		},
	}
	netx.BindFlags(cmd.Flags(), &o.Net)
	return cmd
}

// Target is a URL|@FILE argument.
type Target struct {
	Raw  string
	URL  string
	File string
	// SchemeAdded is true when "https://" was put in front of a bare
	// host name.
	SchemeAdded bool
}

// ParseTarget reads a URL|@FILE argument; a bad one is a usage error.
func ParseTarget(arg string) (Target, error) {
	t := Target{Raw: arg}
	s := strings.TrimSpace(arg)
	switch {
	case strings.HasPrefix(s, "@"):
		if len(s) == 1 {
			return t, cmdutil.Usagef("argument %q: @ must be followed by a file name", arg)
		}
		t.File = s[1:]
		return t, nil
	case s == "":
		return t, cmdutil.Usagef("an empty argument: give a URL or @FILE")
	case strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://"):
	case strings.Contains(s, "://"):
		return t, cmdutil.Usagef("argument %q: only http:// and https:// URLs can be fetched", arg)
	default:
		if st, err := os.Stat(s); err == nil && !st.IsDir() {
			return t, cmdutil.Usagef("argument %q is a file: write @%s to read it", arg, s)
		}
		host := s
		if i := strings.IndexAny(host, "/?#"); i >= 0 {
			host = host[:i]
		}
		if !strings.Contains(host, ".") && !strings.HasPrefix(host, "localhost") || strings.ContainsAny(s, " \t") {
			return t, cmdutil.Usagef("argument %q is neither a URL nor @FILE", arg)
		}
		s = "https://" + s
		t.SchemeAdded = true
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return t, cmdutil.Usagef("argument %q is not a valid URL", arg)
	}
	t.URL = s
	return t, nil
}

// NewClient builds the network client, mapping its errors to exit codes.
func NewClient(o netx.Options) (*netx.Client, error) {
	c, err := netx.New(o)
	var fe *netx.FlagError
	var fi *netx.FileError
	switch {
	case errors.As(err, &fe):
		return nil, cmdutil.Usagef("%v", fe)
	case errors.As(err, &fi):
		return nil, cmdutil.Jobf("%v", fi)
	case err != nil:
		return nil, cmdutil.Jobf("%v", err)
	}
	return c, nil
}

// SetResult is one key set in the JSON result.
type SetResult struct {
	Input string `json:"input"`
	URL   string `json:"url,omitempty"`
	File  string `json:"file,omitempty"`
	// Fetch is the fetch record (URL inputs).
	Fetch *netx.Result `json:"fetch,omitempty"`
	// Skipped says why the set was not analysed.
	Skipped string      `json:"skipped,omitempty"`
	Keys    []*oidc.Key `json:"keys"`
	// UsableForSignatures counts the keys that can verify signatures.
	UsableForSignatures int      `json:"usableForSignatures"`
	Single              bool     `json:"single,omitempty"`
	Notes               []string `json:"notes,omitempty"`

	// Set is the analysed set (nil when not analysed).
	Set *oidc.JWKS `json:"-"`
	// Ran lists the checks that ran for this set; SkipReasons why the
	// others did not.
	Ran         map[string]bool   `json:"-"`
	SkipReasons map[string]string `json:"-"`
}

// Inspect fetches (or takes data read from a file) and analyses one key
// set, adding findings to rep. data is used for file targets.
func Inspect(ctx context.Context, rep *engine.Report, client *netx.Client, t Target, data []byte, now time.Time) *SetResult {
	sr := &SetResult{Input: t.Raw, URL: t.URL, File: t.File, Keys: []*oidc.Key{}, Ran: map[string]bool{}, SkipReasons: map[string]string{}}
	opts := []oidc.Option{oidc.WithNow(now)}
	checks := Checks(rep.Registry())
	skipAll := func(reason string, from int) {
		for _, id := range checks[from:] {
			sr.SkipReasons[id] = reason
		}
	}
	if t.File != "" {
		skipAll("the key set was read from a file", 0)
		delete(sr.SkipReasons, "JWK002")
		opts = append(opts, oidc.WithFile(t.File))
	} else {
		res := client.Fetch(ctx, t.URL)
		sr.Fetch = res
		ok := oidc.ReportFetch(rep, "JWK001", "the key set", res)
		if res.Err != nil && res.Err.Stage == netx.StageOffline {
			sr.Skipped = "offline (--offline)"
			skipAll("offline (--offline): "+t.URL+" was not fetched", 0)
			return sr
		}
		sr.Ran["JWK001"] = true
		if !ok {
			sr.Skipped = "the key set could not be fetched (JWK001)"
			skipAll("the key set could not be fetched (JWK001)", 1)
			return sr
		}
		data = res.Body
		opts = append(opts, oidc.WithURL(t.URL), oidc.WithContentType(res.ContentType))
	}
	for _, id := range checks[1:] {
		sr.Ran[id] = true
		delete(sr.SkipReasons, id)
	}
	set := oidc.AnalyzeJWKS(rep, data, opts...)
	if set == nil {
		sr.Skipped = "not a JWK Set (JWK002)"
		for _, id := range checks[2:] {
			sr.Ran[id] = false
			sr.SkipReasons[id] = "the body is not a JWK Set (JWK002)"
		}
		return sr
	}
	sr.Set = set
	sr.Keys = set.Keys
	sr.UsableForSignatures = set.Usable
	sr.Single = set.Single
	sr.Notes = set.Notes
	return sr
}

// Result is the JSON result of `jwks`.
type Result struct {
	// TLSVerification is "on", or "off (--insecure)".
	TLSVerification string       `json:"tlsVerification"`
	Sets            []*SetResult `json:"sets"`
	now             time.Time
}

// WriteText renders the key sets for people.
func (r *Result) WriteText(p *render.Printer) {
	for _, s := range r.Sets {
		WriteSet(p, s, r.now)
	}
}

// TLSWord is the tlsVerification value for the options.
func TLSWord(o netx.Options) string {
	if o.Insecure {
		return "off (--insecure)"
	}
	return "on"
}

// InsecureNotice is the notice shown when --insecure is used.
const InsecureNotice = "TLS certificate verification is OFF (--insecure): anyone on the path could have served these documents; the findings say nothing about the certificates"

// Run fetches and analyses every argument concurrently.
func Run(ctx context.Context, o *Options) error {
	var targets []Target
	for _, a := range o.Args {
		t, err := ParseTarget(a)
		if err != nil {
			return err
		}
		targets = append(targets, t)
	}
	data := make([][]byte, len(targets))
	for i, t := range targets {
		if t.File != "" {
			b, err := cmdutil.ReadFile(t.File)
			if err != nil {
				return err
			}
			data[i] = b
		}
	}
	client, err := NewClient(o.Net)
	if err != nil {
		return err
	}
	defer client.Close()

	rep := engine.NewReport(o.Reg, "jwks")
	rep.Scope(engine.StageKeys)
	subs := make([]*engine.Report, len(targets))
	results := make([]*SetResult, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			subs[i] = engine.NewReport(o.Reg, "jwks")
			results[i] = Inspect(ctx, subs[i], client, t, data[i], o.G.Now)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return cmdutil.ErrInterrupted
	}
	var tracks []Track
	for i, t := range targets {
		Merge(rep, subs[i])
		tracks = append(tracks, Track{Ran: results[i].Ran, Reasons: results[i].SkipReasons})
		if t.SchemeAdded {
			rep.Notices = append(rep.Notices, fmt.Sprintf("%q has no scheme: fetched %s", t.Raw, t.URL))
		}
	}
	ApplySkips(rep, Checks(o.Reg), tracks)
	if o.Net.Insecure {
		sources.ReportInsecure(rep, true)
		rep.Notices = append(rep.Notices, InsecureNotice)
	}
	rep.Result = &Result{TLSVerification: TLSWord(o.Net), Sets: results, now: o.G.Now}
	return cmdutil.Emit(o.IO, o.G, rep)
}

// Merge appends a sub-report's findings and notices (not its skips: see
// ApplySkips).
func Merge(dst, src *engine.Report) {
	dst.Findings = append(dst.Findings, src.Findings...)
	dst.Notices = append(dst.Notices, src.Notices...)
}

// Track is what one input ran and why it skipped the rest.
type Track struct {
	Ran     map[string]bool
	Reasons map[string]string
}

// ApplySkips marks as skipped each check that ran for no input, with the
// first input's reason; a check that ran anywhere is not "skipped".
func ApplySkips(rep *engine.Report, ids []string, tracks []Track) {
	for _, id := range ids {
		ran := false
		reason := ""
		for _, t := range tracks {
			if t.Ran[id] {
				ran = true
				break
			}
			if reason == "" {
				reason = t.Reasons[id]
			}
		}
		if !ran && reason != "" {
			if c, ok := rep.Registry().Get(id); ok && !c.Implemented {
				continue // already skipped as "not implemented"
			}
			rep.Skip(id, reason)
		}
	}
}
