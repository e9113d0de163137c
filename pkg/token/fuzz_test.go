package token_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/cli"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/authdoctor/authdoctor/pkg/token"
)

// fuzzNow is a fixed clock inside the lifetime of none of the fixture
// tokens, so the time checks fire.
var fuzzNow = time.Date(2024, 10, 26, 12, 0, 0, 0, time.UTC)

// addTokenSeeds adds every real fixture token and the input forms the
// token command accepts (Bearer, Authorization header, quotes, wrapped
// lines, token-endpoint responses, flattened JWS JSON); testdata/fuzz
// holds more.
func addTokenSeeds(f *testing.F) {
	dir := testkit.FixturesDir(f)
	var toks []string
	for _, pat := range []string{"tokens/*.jwt", "rfc/*.jws", "rfc/*.jwt"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		sort.Strings(m)
		for _, p := range m {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			toks = append(toks, strings.TrimSpace(string(b)))
			f.Add(b)
		}
	}
	if len(toks) == 0 {
		f.Fatalf("no fixture tokens under %s", dir)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "rfc", "rfc7515-A7-flattened-json-es256.json")); err == nil {
		f.Add(b)
	}
	t := toks[0]
	half := len(t) / 2
	for _, s := range []string{
		"Bearer " + t,
		"Authorization: Bearer " + t,
		`"` + t + `"`,
		"'Bearer " + t + "'",
		t[:half] + "\n  " + t[half:],
		`{"token_type":"Bearer","id_token":"` + t + `","access_token":"` + toks[len(toks)-1] + `","refresh_token":"0.ARoA-opaque"}`,
		`{"access_token":"EwBwA8l6BAAU-opaque-access-token","expires_in":3599}`,
		`{"payload":"eyJhIjoxfQ","signatures":[{"protected":"eyJhbGciOiJSUzI1NiJ9","signature":"AAAA"}]}`,
		"eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d",
		"\ufeff" + t,
		"",
		"   ",
		"{",
		"eyJhbGciOiJub25lIn0.eyJleHAiOjF9.",
		"eyJhbGciOiJSUzI1NiJ9.eyJleHAiOiIxIn0=.c2ln",
		"eyJ.eyJ.c2lnbmF0dXJl",
		"a+b/c.d.e",
		strings.Repeat("A", 100),
	} {
		f.Add([]byte(s))
	}
}

// FuzzTokenInput runs the token command's decoding path (Extract, Decode,
// Identify, CheckDecoded, then the text and JSON renderers) over any
// input. Beyond "no panic" it asserts that no signature segment is ever
// printed, and that the JSON output is one valid document.
func FuzzTokenInput(f *testing.F) {
	addTokenSeeds(f)
	reg := catalog.Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		// The library path, as verify and the batch modes use it.
		cands, _, prob := token.Extract(data)
		if prob == nil && len(cands) == 0 {
			t.Fatal("Extract returned neither a candidate nor a problem")
		}
		for _, c := range cands {
			d, p := token.Decode(c)
			if (d == nil) == (p == nil) {
				t.Fatalf("Decode returned %v and %v", d, p)
			}
			if d == nil {
				continue
			}
			rep := engine.NewReport(reg, "token")
			id := token.Identify(d)
			token.CheckDecoded(rep, d, id, token.TimeContext{Now: fuzzNow, Leeway: time.Minute})
			if !strings.HasPrefix(d.Fingerprint(), "sha256:") {
				t.Fatalf("fingerprint %q", d.Fingerprint())
			}
		}

		// The command, in both output formats.
		for _, format := range []string{"text", "json"} {
			out, errOut := runTokenCommand(t, data, format)
			if format == "json" && !json.Valid([]byte(out)) {
				t.Fatalf("-o json output is not JSON:\n%s", out)
			}
			for _, c := range cands {
				sig, ok := plantedSignature(c)
				if !ok {
					continue
				}
				for name, s := range map[string]string{"stdout": out, "stderr": errOut} {
					if strings.Contains(s, sig) {
						t.Fatalf("-o %s: the signature segment %q of %s appears in %s:\n%s", format, sig, c.Label, name, s)
					}
				}
			}
		}
	})
}

// runTokenCommand runs `authdoctor token -` with data on stdin, through
// the CLI in process (the command's own run and the shared emitter).
func runTokenCommand(t *testing.T, data []byte, format string) (string, string) {
	var out, errOut bytes.Buffer
	ios := &cmdutil.IOStreams{In: bytes.NewReader(data), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }}
	code := cli.Run(t.Context(), []string{"token", "-", "-o", format, "--fail-on", "never", "--color", "never", "--leeway", "1m"},
		ios, func() time.Time { return fuzzNow })
	if code != 0 {
		// The only failure allowed is the input-size cap (a job error);
		// every malformed token is a finding.
		if code != cmdutil.ExitJob || len(data) <= cmdutil.MaxInput {
			t.Fatalf("token -o %s: exit %d: %s", format, code, errOut.String())
		}
	}
	return out.String(), errOut.String()
}

// plantedSignature returns the signature segment of a three-part
// candidate when it can be told apart from the rest of the output: at
// least 16 characters, and not also the text of a header or claim member
// (a token may legitimately carry the same string in a claim).
func plantedSignature(c token.Candidate) (string, bool) {
	parts := strings.Split(c.Raw, ".")
	if len(parts) != 3 {
		return "", false
	}
	sig := strings.TrimRight(parts[2], "=")
	if len(sig) < 16 {
		return "", false
	}
	// The header and payload segments as written, and every string the
	// decoded objects hold (escapes resolved), may be printed.
	if strings.Contains(parts[0], sig) || strings.Contains(parts[1], sig) {
		return "", false
	}
	d, p := token.Decode(c)
	if p == nil {
		for _, o := range []*token.Object{d.Header, d.Claims} {
			for _, m := range o.Members {
				if strings.Contains(m.Key, sig) || containsDeep(m.Value, sig) {
					return "", false
				}
			}
		}
	}
	return sig, true
}

// TestFuzzTokenInput_PropertyArmed makes sure the signature property of
// FuzzTokenInput is not vacuous: it applies to every real fixture token,
// and it would catch a command that printed the token whole.
func TestFuzzTokenInput_PropertyArmed(t *testing.T) {
	m, _ := filepath.Glob(filepath.Join(testkit.FixturesDir(t), "tokens", "*.jwt"))
	if len(m) < 5 {
		t.Fatalf("%d fixture tokens", len(m))
	}
	for _, p := range m {
		b, _ := os.ReadFile(p)
		cands, _, prob := token.Extract(b)
		if prob != nil || len(cands) != 1 {
			t.Fatalf("%s: %v", p, prob)
		}
		sig, ok := plantedSignature(cands[0])
		if !ok {
			t.Errorf("%s: the signature property does not apply", filepath.Base(p))
			continue
		}
		if !strings.Contains(string(b), sig) {
			t.Errorf("%s: %q is not the token's signature", filepath.Base(p), sig)
		}
		out, _ := runTokenCommand(t, b, "text")
		if !strings.Contains(out, "<redacted>") || strings.Contains(out, sig) {
			t.Errorf("%s: text output does not redact the signature:\n%s", filepath.Base(p), out)
		}
	}
}

func containsDeep(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, s)
	case json.Number:
		return strings.Contains(string(x), s)
	case []any:
		for _, e := range x {
			if containsDeep(e, s) {
				return true
			}
		}
	case map[string]any:
		for k, e := range x {
			if strings.Contains(k, s) || containsDeep(e, s) {
				return true
			}
		}
	}
	return false
}
