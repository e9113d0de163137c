package tokenpipe

import (
	"context"
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/issuer"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/verify"
)

// The pipeline, in order:
//
//	input ──Decode──▶ []*token.Decoded                       (TOK001 for what is not a token)
//	      ──Inspect──▶ token.Identified + decode-only checks  (token stops here)
//	      ──Keys.Check──▶ verify.Verify (signature, alg, kid: TOK002–TOK005)
//	                    ─▶ claims (times, audience: TOK006–TOK008)
//	                    ─▶ issuer.Check (ISS)
//
// Keys are had once per run (Load for verify, providers.Run.Keys for
// doctor) and every token goes through the same Check.

// Decode extracts and decodes every token of an input (a bare token,
// "Bearer …", a token-endpoint response, a flattened JWS), reporting
// TOK001 for each part that is not a token and the input's notices.
func Decode(rep *engine.Report, input []byte) []*token.Decoded {
	cands, notes, prob := token.Extract(input)
	for _, n := range notes {
		rep.Notices = append(rep.Notices, string(n))
	}
	if prob != nil {
		prob.Report(rep)
		return nil
	}
	var out []*token.Decoded
	for _, c := range cands {
		d, p := token.Decode(c)
		if p != nil {
			p.Report(rep)
			continue
		}
		out = append(out, d)
	}
	return out
}

// DecodeLine decodes the first token of one line of a batch (nil and
// TOK001 when there is none).
func DecodeLine(rep *engine.Report, text string) *token.Decoded {
	cands, _, prob := token.Extract([]byte(text))
	var d *token.Decoded
	if prob == nil {
		d, prob = token.Decode(cands[0])
	}
	if prob != nil {
		prob.Report(rep)
		return nil
	}
	return d
}

// Inspect identifies a decoded token and makes the findings a decode alone
// can make. The token command stops here; Check starts here.
func Inspect(rep *engine.Report, d *token.Decoded, tc token.TimeContext) token.Identified {
	id := token.Identify(d)
	token.CheckDecoded(rep, d, id, tc)
	return id
}

// Keys is what tokens are checked against, had once per run.
type Keys struct {
	// Set is the key set to verify with (nil: none could be had, and
	// Missing says why).
	Set     *verify.KeySet
	Missing string
	// From names where the keys came from (a URL or a file).
	From string
	// Metadata is the discovery document consulted, when there was one.
	Metadata *oidc.Discovery
	// Expect is what the token's issuer and tenant must be.
	Expect issuer.Expectation
	// Options are the verification's expectations (time, leeway,
	// audiences, algorithms, a shared secret).
	Options verify.Options
	// Prober looks for a kid the set lacks (nil: nowhere).
	Prober verify.Prober
	// ClientID is the app's client ID: the audience an ID token must name
	// (an access token's audience is its API's: not checked then). Set
	// when the expectation comes from a config (doctor), not --audience.
	ClientID string
	// Strict says that verifying is the run's job (verify): a token whose
	// signature could not be checked for want of keys is an error
	// (TOK011), never valid. doctor, whose job is the login, records the
	// check as skipped with the reason (offline is not a login failure).
	Strict bool
}

// Checked is one token through the pipeline.
type Checked struct {
	Decoded    *token.Decoded
	Identified token.Identified
	Outcome    verify.Outcome
	// Verdict: valid, invalid (an error finding), unverified (nothing
	// wrong was found, but the signature was not checked).
	Verdict string
}

// keyChecks are the checks that need a key: skipped, with the reason,
// when there is none.
var keyChecks = []string{"TOK003", "TOK004", "TOK005"}

// notVerified is TOK011: the check that says a signature was not checked.
const notVerified = "TOK011"

// Check runs one decoded token through the pipeline: identification and
// decode checks, the signature (when there are keys or a secret), the
// claims and the issuer. Times are judged once, by the verification.
func (k *Keys) Check(ctx context.Context, rep *engine.Report, d *token.Decoded) Checked {
	noTimes := k.Options.Time
	noTimes.SkipTimes = true
	before := len(rep.Findings)
	c := Checked{Decoded: d, Identified: Inspect(rep, d, noTimes)}
	opts := k.Options
	if k.ClientID != "" && c.Identified.Kind != "access" {
		opts.Audiences = []string{k.ClientID}
	}
	if k.Set != nil || opts.Secret != nil {
		c.Outcome = verify.Verify(ctx, rep, d, c.Identified, k.Set, opts, k.Prober)
	} else {
		c.Outcome = verify.Outcome{Kid: d.Kid(), Alg: d.Alg(), Signature: "not-checked", Reason: k.Missing}
		for _, id := range keyChecks {
			rep.Skip(id, k.Missing)
		}
		k.unverified(rep, d)
		verify.CheckClaims(rep, d, c.Identified, opts)
	}
	e := k.Expect
	e.KeyIssuer, e.KeyID = c.Outcome.KeyIssuer, d.Kid()
	issuer.Check(rep, d, e)
	c.Verdict = verdict(rep.Findings[before:], c.Outcome)
	return c
}

// unverified reports (Strict) or skips TOK011 for a token checked without
// keys.
func (k *Keys) unverified(rep *engine.Report, d *token.Decoded) {
	if !k.Strict {
		rep.Skip(notVerified, k.Missing)
		return
	}
	rep.Add(notVerified, fmt.Sprintf("the signature of the %s was NOT VERIFIED: %s; its claims may have been written by anyone", d.Label, k.Missing),
		engine.At(engine.Subject{Name: d.Label + " signature"}), engine.With("alg", d.Alg()), engine.With("kid", orNone(d.Kid())),
		engine.With("why", k.Missing))
}

// verdict of one token from its findings: invalid when something is
// proven wrong (an error other than "not verified"), unverified when
// nothing is but the signature was not checked, else valid.
func verdict(fs []engine.Finding, out verify.Outcome) string {
	for _, f := range fs {
		if f.Severity == engine.SeverityError && f.ID != notVerified {
			return "invalid"
		}
	}
	if out.Signature != "verified" {
		return "unverified"
	}
	return "valid"
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// Quiet is the same keys without the network probes of TOK004 (a batch
// would run them once per token).
func (k *Keys) Quiet() *Keys {
	q := *k
	q.Prober = nil
	return &q
}

// hostOf is the host of a URL (for the clock-skew evidence).
func hostOf(u string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	if i := strings.IndexAny(s, "/?"); i >= 0 {
		s = s[:i]
	}
	return s
}
