// Package verify implements `authdoctor verify`: decode and verify a
// token's signature and claims, and explain every issuer, tenant and key
// mismatch. The work is the token pipeline's (pkg/tokenpipe); this package
// is the command's flags, where the keys come from and the output.
package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/render"
	tok "github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/tokenpipe"
	vfy "github.com/authdoctor/authdoctor/pkg/verify"
	"github.com/spf13/cobra"
)

// Options of the verify command.
type Options struct {
	cmdutil.Base
	Args         []string
	Net          netx.Options
	JWKS         string
	Discovery    string
	Issuer       string
	Audiences    []string
	ExpectIssuer string
	Tenant       string
	Algs         []string
	SecretFile   string
	Batch        bool
	Scan         cmdutil.ScanFlags
}

// NewCmd builds `authdoctor verify`; runF replaces the run (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{}
	cmd := &cobra.Command{
		Use:   "verify [TOKEN|-|@FILE] | verify --scan [FILE...|-]",
		Short: "Verify a token's signature and claims, and explain issuer, tenant and key mismatches",
		Long: `Verify a JWT: signature (the key is looked up by kid), algorithm, expiry,
audience, issuer and tenant. Keys come from --jwks, from the discovery document
of --discovery or --issuer, or, when none is given, from the token's own iss —
which proves only that the token matches what that issuer publishes.

With --scan, verify reads logs: every JWT anywhere in each line (Authorization
headers, JSON strings, query strings and URL fragments, several per line; a JWE
is reported as encrypted) of the files given (globs and gzip included) or of
stdin, as it streams. Each distinct token is verified once, and again only when
a line's own time crosses its exp or nbf. The report is a summary by cause:
counts, distinct tokens, subjects, tenants and clients, where each cause was
first and last seen (file:line), grouped by kid, issuer or audience, and how old
tokens are when first seen. -o json writes one object per token found (file,
line, fingerprint, verdict, checks), then the summary. Tokens are never
printed: a fingerprint (a SHA-256 prefix) names them; subjects are only counted.`,
		Example: `  authdoctor verify @id_token.txt --issuer https://login.microsoftonline.com/<tenant>/v2.0 --audience <client-id>
  pbpaste | authdoctor verify --jwks @keys.json --expect-issuer https://idp.example.com/realms/x
  authdoctor verify @token --jwks https://login.microsoftonline.com/common/discovery/v2.0/keys --tenant contoso.onmicrosoft.com
  authdoctor verify --scan 'logs/access.log*' --jwks @keys.json --audience <client-id>
  kubectl logs -f deploy/airflow-web | authdoctor verify --scan - --issuer https://login.microsoftonline.com/<tenant>/v2.0
  authdoctor verify --scan app.log.gz --jwks @keys.json -o json | jq -c 'select(.verdict == "invalid")'`,
		Args: o.Scan.Args,
		RunE: cmdutil.Shape(f, o, &o.Base, &o.Args, runF, run),
	}
	fs := cmd.Flags()
	fs.StringVar(&o.JWKS, "jwks", "", "key set: URL or @FILE")
	fs.StringVar(&o.Discovery, "discovery", "", "discovery document: URL, issuer URL or @FILE (its jwks_uri and issuer are used)")
	fs.StringVar(&o.Issuer, "issuer", "", "issuer URL: its /.well-known/openid-configuration is fetched")
	fs.StringArrayVar(&o.Audiences, "audience", nil, "accepted audience (repeatable; any one must match)")
	fs.StringVar(&o.ExpectIssuer, "expect-issuer", "", "the issuer the token must carry (default: the discovery document's)")
	fs.StringVar(&o.Tenant, "tenant", "", "Entra tenant the token must belong to: GUID or domain")
	fs.StringSliceVar(&o.Algs, "alg", nil, "allowed algorithms (default: the asymmetric ones; never none; HS* only with --secret-file)")
	fs.StringVar(&o.SecretFile, "secret-file", "", "file holding the shared secret for HS256/384/512 tokens (never printed)")
	fs.BoolVar(&o.Batch, "batch", false, "verify one token per line from stdin or @FILE; one JSON object per line out (line, fingerprint, verdict, check IDs); summary on stderr")
	cmdutil.BindScanFlags(fs, &o.Scan, "verify")
	netx.BindFlags(fs, &o.Net)
	return cmd
}

// TokenResult is the verification of one token.
type TokenResult struct {
	Label      string         `json:"label"`
	Identified tok.Identified `json:"identified"`
	Issuer     string         `json:"iss"`
	Audience   []string       `json:"aud"`
	Outcome    vfy.Outcome    `json:"outcome"`
	Verdict    string         `json:"verdict"`
}

func tokenResult(c tokenpipe.Checked) TokenResult {
	d := c.Decoded
	return TokenResult{Label: d.Label, Identified: c.Identified, Issuer: d.Claims.String("iss"),
		Audience: tok.Audiences(d.Claims), Outcome: c.Outcome, Verdict: c.Verdict}
}

// Result is the JSON result.
type Result struct {
	KeysFrom       string        `json:"keysFrom"`
	DiscoveryFrom  string        `json:"discoveryFrom,omitempty"`
	ExpectedIssuer string        `json:"expectedIssuer,omitempty"`
	IssuerSource   string        `json:"expectedIssuerFrom,omitempty"`
	TrustNote      string        `json:"trustNote,omitempty"`
	Insecure       bool          `json:"insecure,omitempty"`
	Tokens         []TokenResult `json:"tokens"`
}

// run verifies every token of the input.
func run(ctx context.Context, o *Options) error {
	if err := validate(o); err != nil {
		return err
	}
	if ran, err := o.Scan.Stream(o.Batch, func() error { return runBatch(ctx, o) }, func() error { return runScan(ctx, o) }); ran {
		return err
	}
	in, err := cmdutil.ReadInput(o.IO, o.Args, "token")
	if err != nil {
		return err
	}
	rep := engine.NewReport(o.Reg, "verify")
	rep.Scope(engine.StageToken, engine.StageDiscovery, engine.StageKeys)
	res := &Result{Tokens: []TokenResult{}, Insecure: o.Net.Insecure}
	rep.Result = res
	decoded := tokenpipe.Decode(rep, in.Data)
	if len(decoded) == 0 {
		return o.Emit(rep)
	}
	keys, client, err := load(ctx, o, rep, res, decoded[0].Claims.String("iss"))
	if err != nil {
		return err
	}
	defer client.Close()
	for _, d := range decoded {
		res.Tokens = append(res.Tokens, tokenResult(keys.Check(ctx, rep, d)))
	}
	return o.Emit(rep)
}

// load resolves where the keys come from and has them, once. iss is the
// first token's issuer, used when no key source was given.
func load(ctx context.Context, o *Options, rep *engine.Report, res *Result, iss string) (*tokenpipe.Keys, *netx.Client, error) {
	req, err := request(o, res, iss)
	if err != nil {
		return nil, nil, err
	}
	client, err := cmdutil.NewClient(o.Net)
	if err != nil {
		return nil, nil, err
	}
	oidc.ReportInsecure(rep, o.Net.Insecure)
	if res.TrustNote != "" {
		rep.Notices = append(rep.Notices, res.TrustNote)
	}
	l := tokenpipe.Load(ctx, rep, client, req)
	res.KeysFrom = l.From
	if l.Doc != nil {
		res.DiscoveryFrom = l.Doc.Where()
	}
	res.ExpectedIssuer, res.IssuerSource = l.Expect.Issuer, l.Expect.Source
	return l.Keys, client, nil
}

// request reads the flags: --jwks, --discovery or --issuer, else the
// token's own issuer iss (said loudly).
func request(o *Options, res *Result, iss string) (tokenpipe.Request, error) {
	req := tokenpipe.Request{ExpectIssuer: o.ExpectIssuer, Tenant: o.Tenant, Audiences: o.Audiences, Algs: o.Algs,
		Now: o.G.Now, Leeway: o.G.Leeway, Issuer: iss}
	var err error
	if req.Secret, err = readSecret(o.SecretFile); err != nil {
		return req, err
	}
	if o.JWKS != "" {
		s, _, err := cmdutil.ParseSource("--jwks", o.JWKS)
		if err != nil {
			return req, err
		}
		req.Keys = &s
	}
	switch {
	case o.Discovery != "":
		s, _, err := cmdutil.ParseSource("--discovery", o.Discovery)
		if err != nil {
			return req, err
		}
		req.Doc = &s
	case o.Issuer != "":
		t, err := cmdutil.ParseTarget("--issuer", o.Issuer)
		if err != nil {
			return req, err
		}
		if t.File != "" {
			return req, cmdutil.Usagef("--issuer takes the issuer's URL, not a file: use --discovery @FILE for a saved document")
		}
		req.Doc = &oidc.Source{Input: t.URL, URL: t.URL}
	case req.Keys == nil && req.Secret == nil:
		if iss == "" {
			return req, cmdutil.Usagef("the token has no iss claim: give the keys with --jwks, --discovery or --issuer")
		}
		u := iss
		if !strings.Contains(u, "://") {
			u = "https://" + u
		}
		req.Doc, req.OwnIssuer = &oidc.Source{Input: iss, URL: u}, true
		res.TrustNote = "keys were taken from the token's own issuer " + iss + ": this proves only that the token matches what that issuer publishes, not that it is the issuer you trust (give --issuer or --expect-issuer)"
	}
	return req, nil
}

func readSecret(path string) ([]byte, error) {
	if path == "" {
		return nil, nil
	}
	b, err := cmdutil.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return []byte(strings.TrimRight(string(b), "\r\n")), nil
}

func validate(o *Options) error {
	if o.Discovery != "" && o.Issuer != "" {
		return cmdutil.Usagef("give --discovery or --issuer, not both")
	}
	for _, a := range o.Algs {
		if strings.EqualFold(a, "none") {
			return cmdutil.Usagef("--alg none is never allowed")
		}
		if strings.HasPrefix(strings.ToUpper(a), "HS") && o.SecretFile == "" {
			return cmdutil.Usagef("--alg %s needs --secret-file: HMAC tokens are verified with a shared secret, not a key set", a)
		}
	}
	if o.Net.Offline && o.JWKS != "" && !strings.HasPrefix(strings.TrimSpace(o.JWKS), "@") {
		return cmdutil.Usagef("--offline with a --jwks URL: give the key set as @FILE")
	}
	if o.Net.Timeout < 0 {
		return cmdutil.Usagef("--timeout must be positive")
	}
	return nil
}

// WriteText prints the verification for people.
func (r *Result) WriteText(p *render.Printer) {
	p.Section("Verification")
	if r.DiscoveryFrom != "" {
		p.KV(2, 16, "discovery", r.DiscoveryFrom)
	}
	p.KV(2, 16, "keys", orDash(r.KeysFrom))
	if r.ExpectedIssuer != "" {
		p.KV(2, 16, "expected issuer", r.ExpectedIssuer+p.Dim("  ("+r.IssuerSource+")"))
	}
	for _, t := range r.Tokens {
		p.Printf("\n  %s  %s\n", p.Bold(t.Label), t.Identified.Summary)
		verdict := p.Green(t.Verdict)
		switch t.Verdict {
		case "invalid":
			verdict = p.Red(t.Verdict)
		case "unverified":
			verdict = p.Red("NOT VERIFIED")
		}
		p.KV(4, 10, "verdict", verdict)
		sig := t.Outcome.Signature
		if t.Outcome.Reason != "" {
			sig += " (" + t.Outcome.Reason + ")"
		}
		p.KV(4, 10, "signature", fmt.Sprintf("%s, %s, kid %s", sig, t.Outcome.Alg, orDash(t.Outcome.Kid)))
		p.KV(4, 10, "iss", t.Issuer)
		p.KV(4, 10, "aud", strings.Join(t.Audience, ", "))
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
