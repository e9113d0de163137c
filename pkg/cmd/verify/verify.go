// Package verify implements `authdoctor verify`: decode and verify a
// token's signature and claims, and explain every issuer, tenant and key
// mismatch.
package verify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/issuer"
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
	IO           *cmdutil.IOStreams
	Args         []string
	Now          time.Time
	Leeway       time.Duration
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
	Output       string
	FailOn       func() engine.Severity
	Registry     func() *engine.Registry
	Emit         func(*engine.Report) error
	NewReport    func() *engine.Report
}

// NewCmd builds `authdoctor verify`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	o := &Options{}
	cmd := &cobra.Command{
		Use:   "verify [TOKEN|-|@FILE]",
		Short: "Verify a token's signature and claims, and explain issuer, tenant and key mismatches",
		Long: `Verify a JWT: signature (the key is looked up by kid), algorithm, expiry,
audience, issuer and tenant. Keys come from --jwks, from the discovery document
of --discovery or --issuer, or, when none is given, from the token's own iss —
which proves only that the token matches what that issuer publishes.`,
		Example: `  authdoctor verify @id_token.txt --issuer https://login.microsoftonline.com/<tenant>/v2.0 --audience <client-id>
  pbpaste | authdoctor verify --jwks @keys.json --expect-issuer https://idp.example.com/realms/x
  authdoctor verify @token --jwks https://login.microsoftonline.com/common/discovery/v2.0/keys --tenant contoso.onmicrosoft.com`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.IO, o.Args, o.Now, o.Leeway, o.Output = f.IO, args, f.G.Now, f.G.Leeway, f.G.Output
			o.Emit = f.Emit
			o.NewReport = func() *engine.Report { return f.NewReport("verify") }
			return Run(cmd.Context(), o)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.JWKS, "jwks", "", "key set: URL or @FILE")
	fs.StringVar(&o.Discovery, "discovery", "", "discovery document: URL or @FILE (its jwks_uri and issuer are used)")
	fs.StringVar(&o.Issuer, "issuer", "", "issuer URL: its /.well-known/openid-configuration is fetched")
	fs.StringArrayVar(&o.Audiences, "audience", nil, "accepted audience (repeatable; any one must match)")
	fs.StringVar(&o.ExpectIssuer, "expect-issuer", "", "the issuer the token must carry (default: the discovery document's)")
	fs.StringVar(&o.Tenant, "tenant", "", "Entra tenant the token must belong to: GUID or domain")
	fs.StringSliceVar(&o.Algs, "alg", nil, "allowed algorithms (default: the asymmetric ones; never none; HS* only with --secret-file)")
	fs.StringVar(&o.SecretFile, "secret-file", "", "file holding the shared secret for HS256/384/512 tokens (never printed)")
	fs.BoolVar(&o.Batch, "batch", false, "verify one token per line from stdin or @FILE; one JSON object per line out (line, fingerprint, verdict, check IDs); summary on stderr")
	netx.BindFlags(fs, &o.Net)
	o.FailOn = func() engine.Severity { return f.G.FailThreshold() }
	o.Registry = f.Registry
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

// session is what every token of one run is checked against: the keys,
// the metadata and the expectations, fetched once.
type session struct {
	client *netx.Client
	doc    *oidc.DocResult
	ks     *vfy.KeySet
	exp    issuer.Expectation
	vo     vfy.Options
	prober vfy.Prober
}

// Run verifies.
func Run(ctx context.Context, o *Options) error {
	if err := validate(o); err != nil {
		return err
	}
	if o.Batch {
		return runBatch(ctx, o)
	}
	in, err := cmdutil.ReadInput(o.IO, o.Args, "token")
	if err != nil {
		return err
	}
	rep := o.NewReport()
	rep.Scope(engine.StageToken, engine.StageDiscovery, engine.StageKeys)
	res := &Result{Tokens: []TokenResult{}, Insecure: o.Net.Insecure}
	rep.Result = res

	cands, notes, prob := tok.Extract(in.Data)
	for _, n := range notes {
		rep.Notices = append(rep.Notices, string(n))
	}
	if prob != nil {
		rep.Add("TOK001", prob.Message, engine.At(engine.Subject{Name: prob.Label}))
		return o.Emit(rep)
	}
	var decoded []*tok.Decoded
	for _, c := range cands {
		d, p := tok.Decode(c)
		if p != nil {
			rep.Add("TOK001", p.Message, engine.At(engine.Subject{Name: p.Label}))
			continue
		}
		decoded = append(decoded, d)
	}
	if len(decoded) == 0 {
		return o.Emit(rep)
	}
	s, err := newSession(ctx, o, rep, res, decoded[0].Claims.String("iss"))
	if err != nil {
		return err
	}
	defer s.client.Close()
	for _, d := range decoded {
		res.Tokens = append(res.Tokens, s.check(ctx, rep, d))
	}
	return o.Emit(rep)
}

// sources resolves where the keys and the metadata come from: --jwks,
// --discovery or --issuer, else the token's own issuer iss (said loudly).
func sources(o *Options, res *Result, iss string, secret []byte) (keys, doc *oidc.Source, err error) {
	if o.JWKS != "" {
		s, _, err := cmdutil.ParseSource("--jwks", o.JWKS)
		if err != nil {
			return nil, nil, err
		}
		keys = &s
	}
	switch {
	case o.Discovery != "":
		s, _, err := cmdutil.ParseSource("--discovery", o.Discovery)
		if err != nil {
			return nil, nil, err
		}
		doc = &s
	case o.Issuer != "":
		t, err := cmdutil.ParseTarget("--issuer", o.Issuer)
		if err != nil {
			return nil, nil, err
		}
		if t.File != "" {
			return nil, nil, cmdutil.Usagef("--issuer takes the issuer's URL, not a file: use --discovery @FILE for a saved document")
		}
		doc = &oidc.Source{Input: t.URL, URL: t.URL}
	case keys == nil && secret == nil:
		if iss == "" {
			return nil, nil, cmdutil.Usagef("the token has no iss claim: give the keys with --jwks, --discovery or --issuer")
		}
		u := iss
		if !strings.Contains(u, "://") {
			u = "https://" + u
		}
		doc = &oidc.Source{Input: iss, URL: u}
		res.TrustNote = "keys were taken from the token's own issuer " + iss + ": this proves only that the token matches what that issuer publishes, not that it is the issuer you trust (give --issuer or --expect-issuer)"
	}
	return keys, doc, nil
}

// newSession resolves where the keys come from and loads them. iss is the
// first token's issuer, used when no key source was given.
func newSession(ctx context.Context, o *Options, rep *engine.Report, res *Result, iss string) (*session, error) {
	secret, err := readSecret(o.SecretFile)
	if err != nil {
		return nil, err
	}
	keysSrc, docSrc, err := sources(o, res, iss, secret)
	if err != nil {
		return nil, err
	}
	client, err := cmdutil.NewClient(o.Net)
	if err != nil {
		return nil, err
	}
	oidc.ReportInsecure(rep, o.Net.Insecure)
	if res.TrustNote != "" {
		rep.Notices = append(rep.Notices, res.TrustNote)
	}
	s := &session{client: client}
	io := oidc.InspectOptions{Now: o.Now, ForVerification: true}
	var covs []*engine.Coverage
	if keysSrc != nil {
		io.Keys = oidc.InspectKeys(ctx, rep, client, *keysSrc, io)
		covs = append(covs, io.Keys.Coverage)
	}
	ks := io.Keys
	if docSrc != nil {
		s.doc = oidc.InspectDiscovery(ctx, rep, client, *docSrc, io)
		covs = append(covs, s.doc.Coverage)
		res.DiscoveryFrom = s.doc.Where()
		if ks == nil {
			ks = s.doc.JWKS
		}
	}
	rep.SkipUncovered(covs...)
	if ks != nil {
		res.KeysFrom = ks.Where()
		if ks.Usable() {
			s.ks = vfy.KeySetOf(res.KeysFrom, ks.Set)
			for _, n := range ks.Notes {
				rep.Notices = append(rep.Notices, res.KeysFrom+": "+n)
			}
		}
	}
	s.exp = expectation(ctx, o, client, s.doc, res, iss)
	tc := tok.TimeContext{Now: o.Now, Leeway: o.Leeway}
	for _, r := range []*netx.Result{fetchOfKeys(ks), fetchOfDoc(s.doc)} {
		if skew, ok := r.ClockSkew(); ok && !tc.HaveSkew {
			tc.Skew, tc.HaveSkew, tc.SkewFrom = -skew, true, hostOf(r.URL)
		}
	}
	s.vo = vfy.Options{Now: o.Now, Leeway: o.Leeway, Audiences: o.Audiences, Algs: o.Algs, Secret: secret, Time: tc}
	if s.doc != nil && s.doc.Discovery != nil {
		s.vo.MetadataAlgs = s.doc.IDTokenSigningAlgValuesSupported
	}
	if ks != nil && ks.URL != "" {
		s.prober = tokenpipe.NewKidProber(client, ks.URL)
	} else {
		s.prober = tokenpipe.NewKidProber(client, "")
	}
	return s, nil
}

// expectation is what the token's issuer and tenant are compared with.
func expectation(ctx context.Context, o *Options, client *netx.Client, doc *oidc.DocResult, res *Result, iss string) issuer.Expectation {
	exp := issuer.Expectation{Tenant: o.Tenant}
	if o.ExpectIssuer != "" {
		exp.Issuer, exp.Source = o.ExpectIssuer, "--expect-issuer"
	} else if doc != nil && doc.Discovery != nil {
		exp.Issuer, exp.Source = doc.Issuer, "discovery "+doc.Where()
		if res.TrustNote != "" {
			exp.Source += " (the token's own issuer)"
		}
		if doc.AccessTokenIssuer != "" {
			exp.AltIssuers = append(exp.AltIssuers, doc.AccessTokenIssuer)
		}
	}
	res.ExpectedIssuer, res.IssuerSource = exp.Issuer, exp.Source
	if kind := idp.TenantKind(o.Tenant); o.Tenant != "" && (kind == "domain" || kind == "name") {
		exp.TenantGUID = oidc.ResolveTenant(ctx, client, o.Tenant, idp.Parse(iss).Cloud)
	}
	return exp
}

func fetchOfDoc(d *oidc.DocResult) *netx.Result {
	if d == nil {
		return nil
	}
	return d.Fetch
}

func fetchOfKeys(k *oidc.KeySetResult) *netx.Result {
	if k == nil {
		return nil
	}
	return k.Fetch
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

// check verifies one token and records its findings.
func (s *session) check(ctx context.Context, rep *engine.Report, d *tok.Decoded) TokenResult {
	id := tok.Identify(d)
	noTimes := s.vo.Time
	noTimes.SkipTimes = true
	tok.CheckDecoded(rep, d, id, noTimes)
	tr := TokenResult{Label: d.Label, Identified: id, Issuer: d.Claims.String("iss"), Audience: tok.Audiences(d.Claims)}
	before := len(rep.Findings)
	if s.ks != nil || s.vo.Secret != nil {
		tr.Outcome = vfy.Verify(ctx, rep, d, id, s.ks, s.vo, s.prober)
	} else {
		tr.Outcome = vfy.Outcome{Kid: d.Kid(), Alg: d.Alg(), Signature: "not-checked", Reason: "no usable key set"}
		for _, id := range []string{"TOK003", "TOK004", "TOK005"} {
			rep.Skip(id, "no usable key set (see the findings above)")
		}
		vfy.CheckClaims(rep, d, id, s.vo)
	}
	e := s.exp
	e.KeyIssuer, e.KeyID = tr.Outcome.KeyIssuer, d.Kid()
	issuer.Check(rep, d, e)
	tr.Verdict = "valid"
	for _, f := range rep.Findings[before:] {
		if f.Severity == engine.SeverityError {
			tr.Verdict = "invalid"
		}
	}
	if tr.Outcome.Signature != "verified" && tr.Verdict == "valid" {
		tr.Verdict = "unverified"
	}
	return tr
}

func validate(o *Options) error {
	n := 0
	for _, s := range []string{o.JWKS, o.Discovery, o.Issuer} {
		if s != "" {
			n++
		}
	}
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
	_ = n
	return nil
}

func hostOf(u string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	if i := strings.IndexAny(s, "/?"); i >= 0 {
		s = s[:i]
	}
	return s
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
		if t.Verdict == "invalid" {
			verdict = p.Red(t.Verdict)
		} else if t.Verdict == "unverified" {
			verdict = p.Yellow(t.Verdict)
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
