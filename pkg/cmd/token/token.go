// Package token implements `authdoctor token`: decode without verifying
// (the token pipeline up to tokenpipe.Inspect).
package token

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/batch"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/render"
	tok "github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/tokenpipe"
	"github.com/authdoctor/authdoctor/pkg/triage"
	"github.com/spf13/cobra"
)

// Options of the token command.
type Options struct {
	cmdutil.Base
	Args  []string
	Batch bool
	Scan  cmdutil.ScanFlags
}

// NewCmd builds `authdoctor token`; runF replaces the run (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{}
	cmd := &cobra.Command{
		Use:   "token [TOKEN|-|@FILE] | token --scan [FILE...|-]",
		Short: "Decode a token without verifying it: header, claims, times, what IdP it is from",
		Long: `Decode a JWT without verifying it. Reads stdin when piped (or given -), a file
with @FILE, or the token as an argument. Accepts "Bearer …", quotes, line breaks,
and a whole token-endpoint JSON response (each JWT in it is reported).
The signature is never printed.

With --scan, decode every token found in logs, as verify --scan finds them,
and summarise what a decode alone can tell (expired or not yet valid as of each
line's own time, unsigned, no exp, Graph tokens, groups overage); no keys needed.`,
		Example: `  pbpaste | authdoctor token
  authdoctor token @id_token.txt
  curl -s … /token | authdoctor token -o json | jq .findings
  authdoctor token --scan /var/log/nginx/access.log*`,
		Args: o.Scan.Args,
		RunE: cmdutil.Shape(f, o, &o.Base, &o.Args, runF, run),
	}
	cmd.Flags().BoolVar(&o.Batch, "batch", false, "decode one token per line from stdin or @FILE; one JSON object per line out (line, fingerprint, verdict, check IDs); summary on stderr")
	cmdutil.BindScanFlags(cmd.Flags(), &o.Scan, "decode")
	return cmd
}

// Decoded is one token in the result.
type Decoded struct {
	Label      string         `json:"label"`
	Header     *tok.Object    `json:"header"`
	Claims     *tok.Object    `json:"claims"`
	Identified tok.Identified `json:"identified"`
	Signature  Signature      `json:"signature"`
	Times      []TimeClaim    `json:"times"`
}

// Signature describes the signature without showing it.
type Signature struct {
	Bytes int    `json:"bytes"`
	Value string `json:"value"`
}

// TimeClaim is a time claim in UTC and relative to --now.
type TimeClaim struct {
	Claim    string `json:"claim"`
	UTC      string `json:"utc"`
	Relative string `json:"relative"`
}

// Result is the JSON result: the first token's header, claims and
// identification at the top, every token in Tokens.
type Result struct {
	Source     string          `json:"source"`
	Header     *tok.Object     `json:"header,omitempty"`
	Claims     *tok.Object     `json:"claims,omitempty"`
	Identified *tok.Identified `json:"identified,omitempty"`
	Tokens     []Decoded       `json:"tokens"`
	Notices    []string        `json:"notices,omitempty"`
	now        time.Time
}

// run decodes the input and reports: the token pipeline up to Inspect.
func run(ctx context.Context, o *Options) error {
	if ran, err := o.Scan.Stream(o.Batch, func() error { return runBatch(ctx, o) }, func() error { return runScan(ctx, o) }); ran {
		return err
	}
	in, err := cmdutil.ReadInput(o.IO, o.Args, "token")
	if err != nil {
		return err
	}
	rep := engine.NewReport(o.Reg, "token")
	rep.Scope(engine.StageToken)
	res := &Result{Source: in.Source, Tokens: []Decoded{}, now: o.G.Now}
	rep.Result = res
	tc := tok.TimeContext{Now: o.G.Now, Leeway: o.G.Leeway}
	for _, d := range tokenpipe.Decode(rep, in.Data) {
		id := tokenpipe.Inspect(rep, d, tc)
		res.Tokens = append(res.Tokens, Decoded{Label: d.Label, Header: d.Header, Claims: d.Claims, Identified: id,
			Signature: Signature{Bytes: d.SignatureLen, Value: engine.Redacted}, Times: times(d, o.G.Now)})
	}
	res.Notices = append(res.Notices, rep.Notices...)
	if len(res.Tokens) > 0 {
		res.Header, res.Claims, res.Identified = res.Tokens[0].Header, res.Tokens[0].Claims, &res.Tokens[0].Identified
	}
	return o.Emit(rep)
}

func times(d *tok.Decoded, now time.Time) []TimeClaim {
	var out []TimeClaim
	for _, m := range d.Claims.Members {
		switch m.Key {
		case "exp", "nbf", "iat", "auth_time":
			t, ok, err := tok.NumericDate(d.Claims, m.Key)
			if !ok || err != nil {
				continue
			}
			rel := tok.Relative(t, now)
			if m.Key == "exp" {
				if t.After(now) {
					rel = "expires " + rel
				} else {
					rel = "expired " + rel
				}
			}
			out = append(out, TimeClaim{m.Key, t.Format(time.RFC3339), rel})
		}
	}
	return out
}

// WriteText prints each token for people.
func (r *Result) WriteText(p *render.Printer) {
	for i, t := range r.Tokens {
		title := "Decoded token"
		if len(r.Tokens) > 1 {
			title = fmt.Sprintf("%s (%d of %d)", t.Label, i+1, len(r.Tokens))
		}
		p.Section(title)
		p.Printf("  %s %s\n", p.Dim("looks like:"), p.Bold(t.Identified.Summary))
		p.Printf("  %s\n", p.Dim("header:"))
		writeObject(p, t.Header, nil)
		p.Printf("  %s\n", p.Dim("claims:"))
		tm := map[string]TimeClaim{}
		for _, x := range t.Times {
			tm[x.Claim] = x
		}
		writeObject(p, t.Claims, tm)
		if t.Signature.Bytes == 0 {
			p.Printf("  %s none (empty)\n", p.Dim("signature:"))
		} else {
			p.Printf("  %s %d bytes, %s (not verified: run 'authdoctor verify' to check it)\n", p.Dim("signature:"), t.Signature.Bytes, engine.Redacted)
		}
	}
}

func writeObject(p *render.Printer, o *tok.Object, times map[string]TimeClaim) {
	width := 0
	for _, m := range o.Members {
		if len(m.Key) > width && len(m.Key) < 24 {
			width = len(m.Key)
		}
	}
	for _, m := range o.Members {
		v := compact(m.Value)
		if tc, ok := times[m.Key]; ok {
			v += "  " + p.Cyan(tc.UTC+" ("+tc.Relative+")")
		}
		p.KV(4, width, m.Key, v)
	}
}

func compact(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return "null"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = compact(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, k+": "+compact(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// runBatch decodes one token per line on every core.
func runBatch(ctx context.Context, o *Options) error {
	r, closeIn, err := cmdutil.OpenStream(o.IO, o.Args, "--batch")
	if err != nil {
		return err
	}
	defer closeIn()
	job := func(line int, text string) batch.Out {
		out, _ := inspectLine(o, text, o.G.Now)
		out.Line, out.Fingerprint = line, tok.Fingerprint(text)
		return out
	}
	return cmdutil.RunBatch(ctx, o.IO, r, job, o.G.FailThreshold())
}

// inspectLine decodes a token and makes the findings a decode alone can
// make as of now: the verdict is "ok", the worst finding's severity, or
// "malformed".
func inspectLine(o *Options, text string, now time.Time) (batch.Out, *tok.Decoded) {
	out := batch.Out{Verdict: "ok"}
	rep := engine.NewReport(o.Reg, "token")
	d := tokenpipe.DecodeLine(rep, text)
	if d == nil {
		out.Verdict = "malformed"
	} else {
		tokenpipe.Inspect(rep, d, tok.TimeContext{Now: now, Leeway: o.G.Leeway})
	}
	out.Record(rep.Findings)
	if out.Verdict == "ok" && out.Worst > 0 {
		out.Verdict = engine.Severity(out.Worst).String()
	}
	return out, d
}

// runScan decodes every token found in logs (pkg/triage), each distinct
// one once per time class.
func runScan(ctx context.Context, o *Options) error {
	ins, err := cmdutil.ScanInputs(o.IO, o.Args)
	if err != nil {
		return err
	}
	check := func(t triage.Token, at time.Time) triage.Result {
		out, d := inspectLine(o, t.Raw, at)
		r := triage.Result{Verdict: out.Verdict, Checks: out.Checks, Worst: out.Worst}
		if d != nil {
			r.Facts = tok.FactsOf(d)
		}
		return r
	}
	return cmdutil.RunScan(ctx, o.Base, o.Scan, ins, check)
}
