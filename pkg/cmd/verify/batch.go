package verify

import (
	"context"
	"fmt"

	"github.com/authdoctor/authdoctor/pkg/batch"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/tokcache"
	tok "github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/tokenpipe"
	"github.com/authdoctor/authdoctor/pkg/triage"
	vfy "github.com/authdoctor/authdoctor/pkg/verify"
)

// runBatch verifies one token per line: keys are had once; valid tokens
// take the fast path, every other one the pipeline (without the network
// probes of TOK004, which would run per token).
func runBatch(ctx context.Context, o *Options) error {
	if o.G.Output != "json" && o.G.Output != "text" {
		return cmdutil.Usagef("--batch writes JSON lines; -o %s does not apply", o.G.Output)
	}
	r, closeIn, err := cmdutil.OpenStream(o.IO, o.Args, "--batch")
	if err != nil {
		return err
	}
	defer closeIn()
	keys, fast, closeKeys, err := streamKeys(ctx, o, "--batch")
	if keys == nil || err != nil {
		return err
	}
	defer closeKeys()
	quiet := keys.Quiet()
	// A line repeated (the same token logged again) is verified once; the
	// cache is bounded, so memory stays flat on endless input.
	cache := tokcache.New[batch.Out](triage.DefaultCacheEntries, triage.DefaultCacheBytes)
	outSize := func(out *batch.Out) int64 { return int64(320 + 16*len(out.Checks)) }
	job := func(line int, text string) batch.Out {
		signing, whole := vfy.TokenDigests(text)
		cached, _ := cache.Do(tokcache.Key(whole[:16]), func(out *batch.Out) {
			out.Fingerprint = tok.FingerprintOf(whole)
			if keys.Options.Secret == nil && fast.OKDigest(text, &signing) {
				out.Verdict = "valid"
				return
			}
			rep := engine.NewReport(o.Reg, "verify")
			if d := tokenpipe.DecodeLine(rep, text); d == nil {
				out.Verdict = "malformed"
			} else {
				out.Verdict = quiet.Check(ctx, rep, d).Verdict
			}
			out.Record(rep.Findings)
		}, outSize)
		out := *cached
		out.Line = line
		return out
	}
	return cmdutil.RunBatch(ctx, o.IO, r, job, o.G.FailThreshold())
}

// streamKeys has the keys once for a stream of tokens (--batch, --scan)
// and prepares the fast path. Nil keys with a nil error mean they could
// not be had and the report saying why was written.
func streamKeys(ctx context.Context, o *Options, mode string) (*tokenpipe.Keys, *vfy.Fast, func(), error) {
	if o.JWKS == "" && o.Discovery == "" && o.Issuer == "" && o.SecretFile == "" {
		return nil, nil, nil, cmdutil.Usagef("%s needs the keys up front: give --jwks, --discovery or --issuer", mode)
	}
	setup := engine.NewReport(o.Reg, "verify")
	res := &Result{}
	keys, client, err := load(ctx, o, setup, res, "")
	if err != nil {
		return nil, nil, nil, err
	}
	if keys.Set == nil && keys.Options.Secret == nil {
		// The keys could not be had: say why once, not once per token;
		// no token is valid when none can be verified.
		client.Close()
		setup.Add("TOK011", "verify "+mode+" can check no token's signature: "+keys.Missing,
			engine.At(engine.Subject{Name: mode}), engine.With("why", keys.Missing))
		setup.Result = res
		return nil, nil, nil, o.Emit(setup)
	}
	for _, n := range setup.Notices {
		fmt.Fprintln(o.IO.ErrOut, "authdoctor: note:", n)
	}
	fast := vfy.NewFast(keys.Set, keys.Options, keys.Expect.Issuer, keys.Expect.AltIssuers, o.Tenant)
	return keys, fast, func() { client.Close() }, nil
}
