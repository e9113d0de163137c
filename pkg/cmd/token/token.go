// Package token implements `authdoctor token`: decode without verifying.
package token

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/batch"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/render"
	tok "github.com/authdoctor/authdoctor/pkg/token"
	"github.com/spf13/cobra"
)

// Options of the token command.
type Options struct {
	IO     *cmdutil.IOStreams
	Args   []string
	Now    time.Time
	Leeway time.Duration
	Emit   func(*engine.Report) error
	Report func() *engine.Report
	Batch  bool
	FailOn engine.Severity
}

// NewCmd builds `authdoctor token`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token [TOKEN|-|@FILE]",
		Short: "Decode a token without verifying it: header, claims, times, what IdP it is from",
		Long: `Decode a JWT without verifying it. Reads stdin when piped (or given -), a file
with @FILE, or the token as an argument. Accepts "Bearer …", quotes, line breaks,
and a whole token-endpoint JSON response (each JWT in it is reported).
The signature is never printed.`,
		Example: `  pbpaste | authdoctor token
  authdoctor token @id_token.txt
  curl -s … /token | authdoctor token -o json | jq .findings`,
		Args: cobra.MaximumNArgs(1),
	}
	var batchMode bool
	cmd.Flags().BoolVar(&batchMode, "batch", false, "decode one token per line from stdin or @FILE; one JSON object per line out (line, fingerprint, verdict, check IDs); summary on stderr")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		return Run(cmd.Context(), &Options{IO: f.IO, Args: args, Now: f.G.Now, Leeway: f.G.Leeway, Batch: batchMode,
			FailOn: f.G.FailThreshold(), Emit: f.Emit, Report: func() *engine.Report { return f.NewReport("token") }})
	}
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

// Run decodes the input and reports.
func Run(ctx context.Context, o *Options) error {
	if o.Batch {
		return runBatch(ctx, o)
	}
	in, err := cmdutil.ReadInput(o.IO, o.Args, "token")
	if err != nil {
		return err
	}
	rep := o.Report()
	rep.Scope(engine.StageToken)
	res := &Result{Source: in.Source, Tokens: []Decoded{}, now: o.Now}
	rep.Result = res
	cands, notes, prob := tok.Extract(in.Data)
	for _, n := range notes {
		res.Notices = append(res.Notices, string(n))
		rep.Notices = append(rep.Notices, string(n))
	}
	if prob != nil {
		addProblem(rep, prob)
		return o.Emit(rep)
	}
	tc := tok.TimeContext{Now: o.Now, Leeway: o.Leeway}
	for _, c := range cands {
		d, p := tok.Decode(c)
		if p != nil {
			addProblem(rep, p)
			continue
		}
		id := tok.Identify(d)
		tok.CheckDecoded(rep, d, id, tc)
		res.Tokens = append(res.Tokens, Decoded{Label: d.Label, Header: d.Header, Claims: d.Claims, Identified: id,
			Signature: Signature{Bytes: d.SignatureLen, Value: engine.Redacted}, Times: times(d, o.Now)})
	}
	if len(res.Tokens) > 0 {
		res.Header, res.Claims, res.Identified = res.Tokens[0].Header, res.Tokens[0].Claims, &res.Tokens[0].Identified
	}
	return o.Emit(rep)
}

func addProblem(rep *engine.Report, p *tok.InputProblem) {
	opts := []engine.Opt{engine.At(engine.Subject{Name: p.Label}), engine.With("input", kindText(p.Kind))}
	if p.Part != "" {
		opts = append(opts, engine.With("part", p.Part))
	}
	rep.Add("TOK001", p.Message, opts...)
}

func kindText(k string) string {
	switch k {
	case "jwe":
		return "encrypted JWE (5 parts)"
	case "opaque":
		return "opaque token (1 part)"
	case "json":
		return "JSON"
	case "empty":
		return "empty"
	}
	return "malformed JWT (" + k + ")"
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
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + compact(x[k])
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
	reg := o.Report().Registry()
	tc := tok.TimeContext{Now: o.Now, Leeway: o.Leeway}
	job := func(line int, text string) batch.Out {
		out := batch.Out{Line: line, Fingerprint: tok.Fingerprint(text), Verdict: "ok"}
		rep := engine.NewReport(reg, "token")
		cands, _, prob := tok.Extract([]byte(text))
		var d *tok.Decoded
		if prob == nil {
			d, prob = tok.Decode(cands[0])
		}
		if prob != nil {
			addProblem(rep, prob)
			out.Verdict = "malformed"
		} else {
			tok.CheckDecoded(rep, d, tok.Identify(d), tc)
		}
		out.Record(rep.Findings)
		if out.Verdict == "ok" && out.Worst > 0 {
			out.Verdict = engine.Severity(out.Worst).String()
		}
		return out
	}
	return cmdutil.RunBatch(ctx, o.IO, r, job, o.FailOn)
}
