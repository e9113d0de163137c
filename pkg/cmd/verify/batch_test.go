package verify_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
	"github.com/golang-jwt/jwt/v5"
)

func TestVerifyBatch(t *testing.T) {
	keys(t)
	dir := t.TempDir()
	jwks := filepath.Join(dir, "keys.json")
	os.WriteFile(jwks, set(rsaJWK(tenantKey, "tk1", v2iss)), 0o644)
	good := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(nil))
	expired := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() }))
	unknown := sign(t, jwt.SigningMethodRS256, appKey, "nope", idClaims(nil))
	lines := []string{good, "", "Bearer " + good, expired, "garbage", unknown, good}
	in := filepath.Join(dir, "tokens.txt")
	os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	r := clitest.Run(t, clitest.Options{}, append([]string{"verify", "--batch", "@" + in, "--jwks", "@" + jwks, "--expect-issuer", v2iss, "--audience", client, "--offline"}, nowFlag...)...)
	if r.Code != 1 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	type line struct {
		Line        int
		Fingerprint string
		Verdict     string
		Checks      []string
	}
	var got []line
	for _, l := range strings.Split(strings.TrimSpace(r.Stdout), "\n") {
		var x line
		if err := json.Unmarshal([]byte(l), &x); err != nil {
			t.Fatalf("%v: %q", err, l)
		}
		got = append(got, x)
	}
	want := []struct {
		line    int
		verdict string
		check   string
	}{{1, "valid", ""}, {3, "valid", ""}, {4, "invalid", "TOK006"}, {5, "malformed", "TOK001"}, {6, "invalid", "TOK004"}, {7, "valid", ""}}
	if len(got) != len(want) {
		t.Fatalf("got %d lines: %+v", len(got), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Line != w.line || g.Verdict != w.verdict || (w.check != "" && !contains(g.Checks, w.check)) || (w.check == "" && len(g.Checks) != 0) {
			t.Errorf("line %d: got %+v, want %+v", i, g, w)
		}
		if !strings.HasPrefix(g.Fingerprint, "sha256:") || len(g.Fingerprint) != 19 {
			t.Errorf("fingerprint %q", g.Fingerprint)
		}
	}
	if strings.Contains(r.Stdout+r.Stderr, strings.Split(good, ".")[2]) || strings.Contains(r.Stdout, good) {
		t.Error("a token or signature was printed")
	}
	if !strings.Contains(r.Stderr, "6 tokens") || !strings.Contains(r.Stderr, "3 valid") {
		t.Errorf("summary %q", r.Stderr)
	}
	// The keys are needed up front.
	if _, _, code := clitest.RunCLI(t, "verify", "--batch", "@"+in); code != 2 {
		t.Errorf("batch without keys: exit %d", code)
	}
}

func TestTokenBatch(t *testing.T) {
	keys(t)
	good := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(nil))
	r := clitest.Run(t, clitest.Options{Stdin: good + "\nxx\n" + good + "\n"}, append([]string{"token", "--batch"}, nowFlag...)...)
	if r.Code != 1 {
		t.Fatalf("exit %d %s", r.Code, r.Stderr)
	}
	ls := strings.Split(strings.TrimSpace(r.Stdout), "\n")
	if len(ls) != 3 || !strings.Contains(ls[0], `"verdict":"ok"`) || !strings.Contains(ls[1], `"TOK001"`) || !strings.Contains(ls[2], `"line":3`) {
		t.Fatalf("%q", ls)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
