package verify_test

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
	"github.com/golang-jwt/jwt/v5"
)

// signPayload signs payload bytes exactly as given (no re-encoding), so a
// hostile payload reaches the claim checks with a good signature.
func signPayload(t *testing.T, header, payload string) string {
	t.Helper()
	in := b64([]byte(header)) + "." + b64([]byte(payload))
	sig, err := jwt.SigningMethodRS256.Sign(in, tenantKey)
	if err != nil {
		t.Fatal(err)
	}
	return in + "." + b64(sig)
}

const goodHeader = `{"alg":"RS256","kid":"tk1","typ":"JWT"}`

// hostilePayloads are claims at the edge of what a JSON decoder accepts,
// around otherwise valid claims.
func hostilePayloads() []string {
	iat, exp := now.Add(-10*time.Minute).Unix(), now.Add(50*time.Minute).Unix()
	base := fmt.Sprintf(`"iss":%q,"aud":%q,"tid":%q,"sub":"s","iat":%d,"nbf":%d,"exp":%d`, v2iss, client, tenant, iat, iat, exp)
	deep := func(n int) string { return strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n) }
	return []string{
		"{" + base + "}",
		"{" + base + `,"note":"a\0b"}`,
		`{"":"\0",` + base + "}",
		"{" + base + `,"note":"a\x41"}`,
		"{" + base + `,"note":"\u12"}`,
		"{" + base + `,"note":"\ud800\u00e9\/\b\f\n\r\t\"\\"}`,
		"{" + base + ",\"note\":\"a\x01b\"}",
		"{" + base + ",\"note\":\"a\x7fb\"}",
		"{" + base + ",\"note\":\"\xff\xfe\"}",
		"{" + base + ",\"\xffkey\":1}",
		"{" + base + "}x",
		"{" + base + "}}",
		"{" + base + "} ",
		"\ufeff{" + base + "}",
		" \n{" + base + "}\t",
		"{" + base + `,"iss":"https://evil.example"}`,
		`{"iss":"https://evil.example",` + base + "}",
		"{" + base + fmt.Sprintf(`,"exp":%d}`, now.Add(-time.Hour).Unix()),
		fmt.Sprintf(`{"exp":%d,`, now.Add(-time.Hour).Unix()) + base + "}",
		"{" + base + `,"i\u0073s":"https://evil.example"}`,
		"{" + base + `,"e\u0078p":1}`,
		strings.Replace("{"+base+"}", fmt.Sprintf(`"exp":%d`, exp), fmt.Sprintf(`"exp":"%d"`, exp), 1),
		strings.Replace("{"+base+"}", fmt.Sprintf(`"exp":%d`, exp), fmt.Sprintf(`"exp":%d.75`, exp), 1),
		strings.Replace("{"+base+"}", fmt.Sprintf(`"exp":%d`, exp), `"exp":1e400`, 1),
		strings.Replace("{"+base+"}", fmt.Sprintf(`"exp":%d`, exp), `"exp":-1`, 1),
		strings.Replace("{"+base+"}", fmt.Sprintf(`"exp":%d`, exp), `"exp":true`, 1),
		strings.Replace("{"+base+"}", fmt.Sprintf(`"exp":%d`, exp), `"exp":null`, 1),
		strings.Replace("{"+base+"}", fmt.Sprintf(`"iat":%d`, iat), fmt.Sprintf(`"iat":%d.9`, now.Add(time.Minute).Unix()), 1),
		strings.Replace("{"+base+"}", fmt.Sprintf(`"aud":%q`, client), fmt.Sprintf(`"aud":[%q,1]`, client), 1),
		strings.Replace("{"+base+"}", fmt.Sprintf(`"aud":%q`, client), `"aud":null`, 1),
		strings.Replace("{"+base+"}", fmt.Sprintf(`"aud":%q`, client), `"aud":[]`, 1),
		strings.Replace("{"+base+"}", fmt.Sprintf(`"aud":%q`, client), fmt.Sprintf(`"aud":"%s\u0030"`, client[:len(client)-1]), 1),
		strings.Replace("{"+base+"}", fmt.Sprintf(`"tid":%q`, tenant), fmt.Sprintf(`"tid":%q`, strings.ToUpper(tenant)), 1),
		strings.Replace("{"+base+"}", fmt.Sprintf(`"tid":%q`, tenant), `"tid":7`, 1),
		strings.Replace("{"+base+"}", fmt.Sprintf(`"iss":%q`, v2iss), fmt.Sprintf(`"iss":"%s\xff"`, v2iss), 1),
		"{" + base + `,"hasgroups":"false"}`,
		"{" + base + `,"hasgroups":true}`,
		"{" + base + `,"_claim_names":{"groups":"src1"},"_claim_sources":{"src1":{"endpoint":"https://graph.windows.net/x"}}}`,
		"{" + base + `,"deep":` + deep(40) + "}",
		"{" + base + `,"deep":` + deep(70) + "}",
		"{" + base + `,"list":[1,2,]}`,
		"{" + base + `,"n":01}`,
		"{" + base + ",}",
		"{" + strings.Replace(base, `"exp"`, `"exp" `, 1) + "}",
		"[" + base + "]",
		"",
	}
}

// fuzzCorpus reads the inputs of a `go test fuzz v1` corpus directory
// (one []byte or string value per file).
func fuzzCorpus(t *testing.T, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	sort.Strings(files)
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n")[1:] {
			l = strings.TrimSpace(l)
			l = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(l, "[]byte("), "string("), ")")
			if s, err := strconv.Unquote(l); err == nil {
				out = append(out, s)
			}
		}
	}
	return out
}

// agreementCorpus is every token the agreement test runs: the hostile
// payloads re-signed, the token decoder's hostile fuzz seeds (as they are,
// and their payloads re-signed), the claim scanner's fuzz corpus
// re-signed, and the shapes the other tests generate.
func agreementCorpus(t *testing.T) []string {
	keys(t)
	var toks []string
	for _, p := range hostilePayloads() {
		toks = append(toks, signPayload(t, goodHeader, p))
	}
	root := testkit.RepoRoot(t)
	for _, s := range fuzzCorpus(t, filepath.Join(root, "pkg", "token", "testdata", "fuzz", "FuzzTokenInput")) {
		if strings.ContainsAny(s, "\r\n") || strings.HasPrefix(strings.TrimSpace(s), "{") {
			continue // one token per line in a batch; JSON responses hold several
		}
		toks = append(toks, s)
		if parts := strings.Split(s, "."); len(parts) == 3 {
			if p, err := b64dec(parts[1]); err == nil {
				toks = append(toks, signPayload(t, goodHeader, string(p)))
			}
		}
	}
	for _, p := range fuzzCorpus(t, filepath.Join(root, "pkg", "verify", "testdata", "fuzz", "FuzzScanClaims")) {
		toks = append(toks, signPayload(t, goodHeader, p))
	}
	es := sign(t, jwt.SigningMethodES256, ecKey, "ec1", idClaims(nil))
	for _, mod := range []func(jwt.MapClaims){
		nil,
		func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() },
		func(c jwt.MapClaims) { c["exp"] = now.Add(-30 * time.Second).Unix() },
		func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() },
		func(c jwt.MapClaims) { c["iat"] = now.Add(time.Hour).Unix() },
		func(c jwt.MapClaims) { c["aud"] = "api://" + client },
		func(c jwt.MapClaims) { c["aud"] = []string{client, "https://graph.microsoft.com"} },
		func(c jwt.MapClaims) { delete(c, "aud") },
		func(c jwt.MapClaims) { delete(c, "exp") },
		func(c jwt.MapClaims) { c["iss"] = v2iss + "/" },
		func(c jwt.MapClaims) { c["iss"] = v1iss; c["ver"] = "1.0" },
		func(c jwt.MapClaims) { c["tid"] = other },
		func(c jwt.MapClaims) { c["hasgroups"] = true },
	} {
		toks = append(toks, sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(mod)))
	}
	good := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(nil))
	p := strings.Split(good, ".")
	toks = append(toks,
		sign(t, jwt.SigningMethodRS256, appKey, "nope", idClaims(nil)),
		sign(t, jwt.SigningMethodRS256, appKey, "tk1", idClaims(nil)),
		sign(t, jwt.SigningMethodRS256, tenantKey, "", idClaims(nil)),
		sign(t, jwt.SigningMethodHS256, []byte("shared-secret-value"), "tk1", idClaims(nil)),
		sign(t, jwt.SigningMethodPS256, tenantKey, "tk1", idClaims(nil)),
		es,
		b64([]byte(`{"alg":"none"}`))+"."+p[1]+".",
		p[0]+"."+p[1]+".",
		p[0]+"."+p[1]+"."+p[2][:len(p[2])-4]+"AAAA",
		p[0]+"."+p[1]+"=."+p[2],
		p[0]+"."+p[1],
		p[0]+"."+p[1]+"."+p[2]+".x.y",
		"Bearer "+good,
		`"`+good+`"`,
		"garbage",
		"a.b.c",
	)
	return toks
}

func b64dec(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// verdictOf is what single-token `verify -o json` says of one token:
// its verdict ("malformed" when nothing could be decoded) and the IDs of
// its findings, in order.
func verdictOf(t *testing.T, tok string, args []string) (string, []string) {
	t.Helper()
	r := clitest.Run(t, clitest.Options{Stdin: tok}, append([]string{"verify", "-", "-o", "json"}, args...)...)
	var o out
	if err := json.Unmarshal([]byte(r.Stdout), &o); err != nil {
		t.Fatalf("verify of %q: exit %d, not JSON: %v\n%s", tok, r.Code, err, r.Stderr)
	}
	v := "malformed"
	if len(o.Result.Tokens) == 1 {
		v = o.Result.Tokens[0].Verdict
	}
	return v, o.ids()
}

// sortedIDs: the report sorts findings by severity for output, a batch
// line keeps them in the order they were found.
func sortedIDs(ids []string) string {
	s := append([]string(nil), ids...)
	sort.Strings(s)
	return strings.Join(s, ",")
}

// Every token of the corpus gets the same verdict and the same check IDs
// from `verify` and from `verify --batch` (whose valid
// tokens take the fast path), under a strict and a loose configuration
// and, for the real tokens, their own key sets.
func TestBatchAgreesWithVerifyOnEveryToken(t *testing.T) {
	toks := agreementCorpus(t)
	dir := t.TempDir()
	ec := map[string]any{"kty": "EC", "crv": "P-256", "kid": "ec1", "x": b64(ecKey.X.FillBytes(make([]byte, 32))), "y": b64(ecKey.Y.FillBytes(make([]byte, 32)))}
	jwks := filepath.Join(dir, "keys.json")
	os.WriteFile(jwks, set(rsaJWK(tenantKey, "tk1", v2iss), ec), 0o644)
	single := filepath.Join(dir, "single.json")
	os.WriteFile(single, set(rsaJWK(tenantKey, "tk1", "")), 0o644)
	configs := map[string][]string{
		"strict": append([]string{"--jwks", "@" + jwks, "--expect-issuer", v2iss, "--audience", client, "--tenant", tenant, "--offline"}, nowFlag...),
		"loose":  append([]string{"--jwks", "@" + single, "--offline"}, nowFlag...),
		"alg":    append([]string{"--jwks", "@" + jwks, "--alg", "RS256", "--audience", client, "--offline"}, nowFlag...),
	}
	for name, args := range configs {
		t.Run(name, func(t *testing.T) { compareBatch(t, toks, args) })
	}
	var manifest []struct {
		File        string
		JWKS        *string
		ExpectedIss string `json:"expected_iss"`
		ExpectedAud string `json:"expected_aud"`
		At          *int64 `json:"validate_at_unix"`
	}
	if err := json.Unmarshal(testkit.Fixture(t, "tokens/tokens-manifest.json"), &manifest); err != nil {
		t.Fatal(err)
	}
	var fixtures []string
	for _, m := range manifest {
		b := testkit.Fixture(t, m.File)
		fixtures = append(fixtures, strings.TrimSpace(string(b)))
	}
	rfc, _ := filepath.Glob(filepath.Join(testkit.FixturesDir(t), "rfc", "*.jw[st]"))
	for _, f := range rfc {
		b, _ := os.ReadFile(f)
		fixtures = append(fixtures, strings.TrimSpace(string(b)))
	}
	for _, m := range manifest {
		if m.JWKS == nil {
			continue
		}
		args := []string{"--jwks", "@" + testkit.FixturePath(t, *m.JWKS), "--expect-issuer", m.ExpectedIss, "--audience", m.ExpectedAud,
			"--offline", "--now", time.Unix(*m.At+30, 0).UTC().Format(time.RFC3339)}
		t.Run(filepath.Base(m.File), func(t *testing.T) { compareBatch(t, append(fixtures, toks...), args) })
	}
}

func compareBatch(t *testing.T, toks []string, args []string) {
	in := filepath.Join(t.TempDir(), "tokens.txt")
	if err := os.WriteFile(in, []byte(strings.Join(toks, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := clitest.Run(t, clitest.Options{}, append([]string{"verify", "--batch", "@" + in}, args...)...)
	if r.Code != 0 && r.Code != 1 {
		t.Fatalf("verify --batch: exit %d: %s", r.Code, r.Stderr)
	}
	type line struct {
		Line    int
		Verdict string
		Checks  []string
	}
	got := map[int]line{}
	sc := bufio.NewScanner(strings.NewReader(r.Stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%v: %q", err, sc.Text())
		}
		got[l.Line] = l
	}
	valid := 0
	for i, tok := range toks {
		if strings.TrimSpace(tok) == "" {
			continue
		}
		b, ok := got[i+1]
		if !ok {
			t.Errorf("line %d: no batch output", i+1)
			continue
		}
		v, ids := verdictOf(t, tok, args)
		if b.Verdict != v || sortedIDs(b.Checks) != sortedIDs(ids) {
			t.Errorf("line %d (%.60s…): verify says %s %v, --batch says %s %v", i+1, tok, v, ids, b.Verdict, b.Checks)
		}
		if v == "valid" {
			valid++
		}
	}
	if valid == 0 {
		t.Errorf("no token of the corpus is valid under %v: the fast path was never exercised", args)
	}
}
