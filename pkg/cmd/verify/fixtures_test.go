package verify_test

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
)

// Every real token in ../shared/fixtures/tokens gives the outcome that
// tokens-manifest.json records when verified at its validation time
// against its paired key set; the two whose key is gone get TOK004.
func TestRealTokensAgainstTheirKeySets(t *testing.T) {
	var manifest []struct {
		File        string `json:"file"`
		JWKS        *string
		ExpectedIss string `json:"expected_iss"`
		ExpectedAud string `json:"expected_aud"`
		At          *int64 `json:"validate_at_unix"`
		Signature   string `json:"signature"`
	}
	if err := json.Unmarshal(testkit.Fixture(t, "tokens/tokens-manifest.json"), &manifest); err != nil {
		t.Fatal(err)
	}
	for _, m := range manifest {
		t.Run(filepath.Base(m.File), func(t *testing.T) {
			args := []string{"verify", "@" + testkit.FixturePath(t, m.File), "-o", "json", "--offline",
				"--audience", m.ExpectedAud, "--expect-issuer", m.ExpectedIss}
			if m.JWKS == nil {
				// The signing key of 2019 is in no fixture: use the
				// current common set, as an operator would.
				args = append(args, "--jwks", "@"+testkit.FixturePath(t, "azure/entra-v2-common-jwks.2024-10-26.json"), "--now", "2019-01-30T00:00:00Z")
			} else {
				args = append(args, "--jwks", "@"+testkit.FixturePath(t, *m.JWKS), "--now", time.Unix(*m.At+30, 0).UTC().Format(time.RFC3339))
			}
			stdout, stderr, code := clitest.RunCLI(t, args...)
			var o out
			if err := json.Unmarshal([]byte(stdout), &o); err != nil {
				t.Fatalf("%v: %s", err, stderr)
			}
			if strings.HasPrefix(m.Signature, "verifies") {
				want := 0
				if strings.Contains(m.File, "overage") {
					want = 1 // the groups overage marker is a real warning (ROL008)
					if !o.has("ROL008") {
						t.Errorf("overage token without ROL008: %v", o.ids())
					}
				}
				if code != 0 || len(o.Findings) != want || o.Result.Tokens[0].Outcome.Signature != "verified" {
					t.Fatalf("manifest says it verifies; exit %d findings %v outcome %+v", code, o.ids(), o.Result.Tokens[0].Outcome)
				}
				return
			}
			if !o.has("TOK004") {
				t.Fatalf("key not in the fixtures: want TOK004, got %v", o.ids())
			}
			if strings.Contains(m.Signature, "Graph") {
				if c := o.evidence("TOK004", "cause 1"); !strings.Contains(c, "Microsoft Graph") {
					t.Errorf("a Graph token's first cause should be Graph, got %q", c)
				}
				if !o.has("TOK009") {
					t.Errorf("Graph token without TOK009: %v", o.ids())
				}
			}
		})
	}
}

// The RFC 7515 appendix A vectors verify (A.1 with its shared secret).
func TestRFC7515Vectors(t *testing.T) {
	dir := t.TempDir()
	var oct struct{ K string }
	if err := json.Unmarshal(testkit.Fixture(t, "rfc/rfc7515-A1-hs256.oct-key.json"), &oct); err != nil {
		t.Fatal(err)
	}
	secret, err := base64.RawURLEncoding.DecodeString(oct.K)
	if err != nil {
		t.Fatal(err)
	}
	sf := filepath.Join(dir, "secret")
	if err := os.WriteFile(sf, secret, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := [][]string{
		{"@" + testkit.FixturePath(t, "rfc/rfc7515-A1-hs256.jws"), "--secret-file", sf, "--alg", "HS256"},
		{"@" + testkit.FixturePath(t, "rfc/rfc7515-A2-rs256.jws"), "--jwks", "@" + testkit.FixturePath(t, "rfc/rfc7515-A2-rs256.public-key.json")},
		{"@" + testkit.FixturePath(t, "rfc/rfc7515-A3-es256.jws"), "--jwks", "@" + testkit.FixturePath(t, "rfc/rfc7515-A3-es256.public-key.json")},
	}
	for _, c := range cases {
		stdout, stderr, code := clitest.RunCLI(t, append(append([]string{"verify"}, c...), "-o", "json", "--offline", "--now", "2011-03-22T18:00:00Z")...)
		var o out
		if err := json.Unmarshal([]byte(stdout), &o); err != nil {
			t.Fatalf("%v: %s", err, stderr)
		}
		if code != 0 || o.Result.Tokens[0].Outcome.Signature != "verified" {
			t.Errorf("%s: exit %d, %v, %+v", filepath.Base(c[0]), code, o.ids(), o.Result.Tokens[0].Outcome)
		}
		if strings.Contains(stdout+stderr, string(secret)) || strings.Contains(stdout+stderr, oct.K) {
			t.Errorf("the shared secret appeared in the output")
		}
	}
	// Altering one byte of the A.2 payload breaks it.
	raw := string(testkit.Fixture(t, "rfc/rfc7515-A2-rs256.jws"))
	p := strings.Split(strings.TrimSpace(raw), ".")
	p[1] = p[1][:10] + flip(p[1][10]) + p[1][11:]
	stdout, _, _ := clitest.RunCLI(t, "verify", strings.Join(p, "."), "--jwks", "@"+testkit.FixturePath(t, "rfc/rfc7515-A2-rs256.public-key.json"), "-o", "json", "--offline", "--now", "2011-03-22T18:00:00Z")
	var o out
	json.Unmarshal([]byte(stdout), &o)
	if !o.has("TOK005") && !o.has("TOK001") {
		t.Errorf("a flipped payload byte must not verify: %v", o.ids())
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}
