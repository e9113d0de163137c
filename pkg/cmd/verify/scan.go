package verify

import (
	"context"
	"time"

	"github.com/authdoctor/authdoctor/pkg/batch"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/logscan"
	tok "github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/tokenpipe"
	"github.com/authdoctor/authdoctor/pkg/triage"
)

// runScan verifies every token found in logs (pkg/triage): each distinct
// token once per time class, as verify would on its own with --now set
// to its line's time (the fast path, else the pipeline without the
// network probes of TOK004).
func runScan(ctx context.Context, o *Options) error {
	ins, err := cmdutil.ScanInputs(o.IO, o.Args)
	if err != nil {
		return err
	}
	keys, fast, closeKeys, err := streamKeys(ctx, o, "--scan")
	if keys == nil || err != nil {
		return err
	}
	defer closeKeys()
	quiet := keys.Quiet()
	check := func(t triage.Token, at time.Time) triage.Result {
		var facts tok.Facts
		if keys.Options.Secret == nil && t.Kind == logscan.JWS && fast.Check(t.Raw, &t.Signing, at, &facts) {
			return triage.Result{Verdict: "valid", Facts: facts}
		}
		rep := engine.NewReport(o.Reg, "verify")
		res := triage.Result{Verdict: "malformed"}
		if d := tokenpipe.DecodeLine(rep, t.Raw); d != nil {
			k := *quiet
			k.Options.Now, k.Options.Time.Now = at, at
			res.Verdict, res.Facts = k.Check(ctx, rep, d).Verdict, tok.FactsOf(d)
		}
		var out batch.Out
		out.Record(rep.Findings)
		res.Checks, res.Worst = out.Checks, out.Worst
		return res
	}
	return cmdutil.RunScan(ctx, o.Base, o.Scan, ins, check)
}
