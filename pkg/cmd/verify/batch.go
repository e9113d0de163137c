package verify

import (
	"context"
	"fmt"

	"github.com/authdoctor/authdoctor/pkg/batch"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	tok "github.com/authdoctor/authdoctor/pkg/token"
	vfy "github.com/authdoctor/authdoctor/pkg/verify"
)

// runBatch verifies one token per line: keys are fetched once; valid
// tokens take the fast path, every other one the full diagnosis.
func runBatch(ctx context.Context, o *Options) error {
	if o.JWKS == "" && o.Discovery == "" && o.Issuer == "" && o.SecretFile == "" {
		return cmdutil.Usagef("--batch needs the keys up front: give --jwks, --discovery or --issuer")
	}
	if o.Output != "" && o.Output != "json" && o.Output != "text" {
		return cmdutil.Usagef("--batch writes JSON lines; -o %s does not apply", o.Output)
	}
	r, closeIn, err := cmdutil.OpenStream(o.IO, o.Args, "--batch")
	if err != nil {
		return err
	}
	defer closeIn()
	setup := o.NewReport()
	res := &Result{}
	s, err := newSession(ctx, o, setup, res, "")
	if err != nil {
		return err
	}
	defer s.client.Close()
	if s.ks == nil && s.vo.Secret == nil {
		// The keys could not be had: say why once, not once per token.
		setup.Result = res
		return o.Emit(setup)
	}
	for _, n := range setup.Notices {
		fmt.Fprintln(o.IO.ErrOut, "authdoctor: note:", n)
	}
	fast := vfy.NewFast(s.ks, s.vo, s.exp.Issuer, s.exp.AltIssuers, o.Tenant)
	reg := o.Registry()
	job := func(line int, text string) batch.Out {
		signing, whole := vfy.TokenDigests(text)
		out := batch.Out{Line: line, Fingerprint: tok.FingerprintOf(whole)}
		if s.vo.Secret == nil && fast.OKDigest(text, &signing) {
			out.Verdict = "valid"
			return out
		}
		rep := engine.NewReport(reg, "verify")
		cands, _, prob := tok.Extract([]byte(text))
		var d *tok.Decoded
		if prob == nil {
			d, prob = tok.Decode(cands[0])
		}
		if prob != nil {
			rep.Add("TOK001", prob.Message)
			out.Verdict = "malformed"
		} else {
			tr := s.checkQuiet(ctx, rep, d)
			out.Verdict = tr.Verdict
		}
		out.Record(rep.Findings)
		return out
	}
	return cmdutil.RunBatch(ctx, o.IO, r, job, o.FailOn())
}

// checkQuiet is check without the network probes of TOK004: in a batch
// they would run per token.
func (s *session) checkQuiet(ctx context.Context, rep *engine.Report, d *tok.Decoded) TokenResult {
	quiet := *s
	quiet.prober = nil
	return quiet.check(ctx, rep, d)
}
