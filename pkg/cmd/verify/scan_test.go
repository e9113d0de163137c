package verify_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
	tok "github.com/authdoctor/authdoctor/pkg/token"
	"github.com/golang-jwt/jwt/v5"
)

// scanLine is one NDJSON object of verify --scan -o json.
type scanLine struct {
	File        string
	Line        int
	Fingerprint string
	Verdict     string
	Checks      []string
	Summary     *scanSummary
}

type scanSummary struct {
	Tokens         int
	DistinctTokens int
	Verdicts       map[string]int
	Causes         []struct {
		Check          string
		Name           string
		Count          int
		DistinctTokens int
		First, Last    struct {
			File string
			Line int
		}
		By     string
		Values []struct {
			Value string
			Count int
			From  string
		}
	}
	DistinctSubjects int
	Tenants          struct{ Distinct int }
	Clients          struct{ Distinct int }
	Lines            int
	Cache            struct{ Entries int }
}

func runScan(t *testing.T, stdin string, args ...string) ([]scanLine, *scanSummary, clitest.Result) {
	t.Helper()
	r := clitest.Run(t, clitest.Options{Stdin: stdin}, append([]string{"verify", "--scan", "-o", "json", "--offline"}, args...)...)
	var lines []scanLine
	var sum *scanSummary
	sc := bufio.NewScanner(strings.NewReader(r.Stdout))
	for sc.Scan() {
		var l scanLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("exit %d, not JSON: %v: %q\n%s", r.Code, err, sc.Text(), r.Stderr)
		}
		if l.Summary != nil {
			sum = l.Summary
			continue
		}
		lines = append(lines, l)
	}
	if sum == nil && (r.Code == 0 || r.Code == 1) {
		t.Fatalf("no summary object (exit %d): %s", r.Code, r.Stderr)
	}
	return lines, sum, r
}

func keyFile(t *testing.T) string {
	keys(t)
	p := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(p, set(rsaJWK(tenantKey, "tk1", v2iss)), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(t *testing.T, s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

// Logs as servers write them, in several files (one gzipped and named
// without .gz, reached through a glob the shell did not expand): verify
// --scan finds exactly the tokens in them, at their file and line.
func TestScanFindsExactlyTheTokensInRealisticLogs(t *testing.T) {
	jwks := keyFile(t)
	a := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(nil))
	b := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) { c["sub"] = "other" }))
	dir := t.TempDir()
	files := map[string]string{
		"access.log": `10.1.2.3 - - [20/Nov/2026:09:19:01 +0000] "GET /api/v1/dags HTTP/1.1" 200 61 "-" "python-requests/2.31" "Bearer ` + a + `"
10.1.2.3 - - [20/Nov/2026:09:19:02 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29" "-"
192.0.2.7 - - [20/Nov/2026:09:19:03 +0000] "GET /oauth2/callback#id_token=` + b + `&state=af0ifjsldkj HTTP/1.1" 302 0
`,
		"app.json": `{"time":"2026-11-20T09:19:04Z","level":"info","msg":"login","user":"x"}
{"time":"2026-11-20T09:19:05Z","level":"warn","msg":"token for ` + strings.ReplaceAll(a, ".", `\u002e`) + `","status":401}
{"time":"2026-11-20T09:19:06Z","redirect":"https:\/\/app.example.com\/cb?id_token=` + a + `&access_token=` + b + `"}
`,
	}
	for name, content := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
	}
	rotated := "Nov 20 09:19:07 web app[42]: Authorization: Bearer " + b + "\nNov 20 09:19:08 web app[42]: done\n"
	os.WriteFile(filepath.Join(dir, "access.log.1"), gz(t, rotated), 0o644)

	lines, sum, r := runScan(t, "", append([]string{filepath.Join(dir, "access.log*"), filepath.Join(dir, "app.json"), "--jwks", "@" + jwks,
		"--expect-issuer", v2iss, "--audience", client}, nowFlag...)...)
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	fa, fb := tok.Fingerprint(a), tok.Fingerprint(b)
	var got []string
	for _, l := range lines {
		got = append(got, fmt.Sprintf("%s:%d %s %s", filepath.Base(l.File), l.Line, l.Fingerprint, l.Verdict))
	}
	want := []string{
		"access.log:1 " + fa + " valid", "access.log:3 " + fb + " valid",
		"access.log.1:1 " + fb + " valid",
		"app.json:2 " + fa + " valid", "app.json:3 " + fa + " valid", "app.json:3 " + fb + " valid",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("found:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if sum.Tokens != 6 || sum.DistinctTokens != 2 || sum.Lines != 8 || sum.Cache.Entries != 2 {
		t.Errorf("summary %+v", sum)
	}
	if strings.Contains(r.Stdout+r.Stderr, a) || strings.Contains(r.Stdout+r.Stderr, strings.Split(b, ".")[2]) {
		t.Error("a token or signature was printed")
	}
	if strings.Contains(r.Stderr, "scanned") || strings.Contains(r.Stderr, "\r") {
		t.Errorf("a progress line although stderr is not a terminal: %q", r.Stderr)
	}
	// The same from stdin.
	lines, _, _ = runScan(t, files["access.log"], append([]string{"-", "--jwks", "@" + jwks}, nowFlag...)...)
	if len(lines) != 2 || lines[0].File != "stdin" || lines[1].Line != 3 {
		t.Errorf("stdin: %+v", lines)
	}
}

// composition is a generated log whose content is known: how many times
// each kind of token occurs and on which lines.
type composition struct {
	log   strings.Builder
	n     int              // lines written
	lines map[string][]int // token → the lines it is on
}

func (c *composition) add(format string, toks ...string) {
	c.n++
	args := make([]any, len(toks))
	for i, x := range toks {
		args[i] = x
		c.lines[x] = append(c.lines[x], c.n)
	}
	fmt.Fprintf(&c.log, format+"\n", args...)
}

// The summary's counts, distinct counts, first and last lines and the
// grouping by kid and audience match a log whose composition is known.
func TestScanSummaryCountsMatchAKnownLog(t *testing.T) {
	jwks := keyFile(t)
	var valid []string
	for i := 0; i < 5; i++ {
		valid = append(valid, sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) {
			c["oid"], c["azp"] = fmt.Sprintf("00000000-0000-0000-0000-00000000000%d", i%3), "app-"+fmt.Sprint(i%2)
		})))
	}
	expired := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() }))
	rotated := sign(t, jwt.SigningMethodRS256, rotatedKey, "rotated-kid", idClaims(nil))
	wrongAud := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) { c["aud"] = "api://other-app" }))
	p := strings.Split(valid[0], ".")
	badSig := p[0] + "." + strings.Split(expired, ".")[1] + "." + p[2]
	notJSON := p[0] + "." + b64([]byte("not json")) + "." + p[2]
	c := &composition{lines: map[string][]int{}}
	for i := 0; i < 400; i++ {
		switch {
		case i%10 == 3:
			c.add(`{"level":"info","msg":"GET /api","auth":"Bearer %s"}`, valid[(i/10)%5])
		case i%25 == 7:
			c.add(`10.0.0.9 - - "GET /x?access_token=%s&id_token=%s HTTP/1.1"`, expired, wrongAud)
		case i == 50 || i == 351:
			c.add(`upstream said 401 for Bearer %s`, rotated)
		case i == 120:
			c.add(`tampered %s and junk %s`, badSig, notJSON)
		default:
			c.add(`10.0.0.2 - - "GET /static/app.js HTTP/1.1" 200 5123`)
		}
	}
	lines, sum, r := runScan(t, c.log.String(), append([]string{"-", "--jwks", "@" + jwks, "--expect-issuer", v2iss, "--audience", client}, nowFlag...)...)
	if r.Code != 1 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	occ := func(toks ...string) (n int) {
		for _, x := range toks {
			n += len(c.lines[x])
		}
		return n
	}
	total := occ(valid...) + occ(expired, rotated, wrongAud, badSig, notJSON)
	if sum.Tokens != total || len(lines) != total || sum.DistinctTokens != 10 || sum.Lines != 400 {
		t.Errorf("tokens %d (NDJSON %d), distinct %d, lines %d; want %d, %d, 10, 400", sum.Tokens, len(lines), sum.DistinctTokens, sum.Lines, total, total)
	}
	if sum.Verdicts["valid"] != occ(valid...) || sum.Verdicts["invalid"] != occ(expired, rotated, wrongAud, badSig) || sum.Verdicts["malformed"] != occ(notJSON) {
		t.Errorf("verdicts %v", sum.Verdicts)
	}
	if sum.DistinctSubjects != 3+1 || sum.Clients.Distinct != 2 { // the other tokens share idClaims' oid and have no azp
		t.Errorf("subjects %d, clients %d", sum.DistinctSubjects, sum.Clients.Distinct)
	}
	type want struct {
		count, distinct, first, last int
		value                        string
	}
	first := func(x string) int { return c.lines[x][0] }
	last := func(x string) int { return c.lines[x][len(c.lines[x])-1] }
	wants := map[string]want{
		"TOK006": {occ(expired, badSig), 2, first(expired), last(expired), ""},
		"TOK004": {occ(rotated), 1, first(rotated), last(rotated), "rotated-kid"},
		"TOK008": {occ(wrongAud), 1, first(wrongAud), last(wrongAud), "api://other-app"},
		"TOK005": {occ(badSig), 1, first(badSig), last(badSig), "tk1"},
		"TOK001": {occ(notJSON), 1, first(notJSON), last(notJSON), ""},
	}
	var ids []string
	for _, cs := range sum.Causes {
		ids = append(ids, cs.Check)
		w, ok := wants[cs.Check]
		if !ok {
			t.Errorf("unexpected cause %+v", cs)
			continue
		}
		if cs.Count != w.count || cs.DistinctTokens != w.distinct || cs.First.Line != w.first || cs.Last.Line != w.last {
			t.Errorf("%s: %+v, want %+v", cs.Check, cs, w)
		}
		if w.value != "" && (len(cs.Values) != 1 || cs.Values[0].Value != w.value || cs.Values[0].Count != w.count) {
			t.Errorf("%s by %s: %+v, want %q ×%d", cs.Check, cs.By, cs.Values, w.value, w.count)
		}
	}
	sort.Strings(ids)
	if strings.Join(ids, ",") != "TOK001,TOK004,TOK005,TOK006,TOK008" {
		t.Errorf("causes %v", ids)
	}
	if sum.Causes[0].Check != "TOK006" || sum.Causes[0].Name != "token-expired" {
		t.Errorf("the most frequent cause first: %+v", sum.Causes[0])
	}
	// The text report says the same, summary first.
	r = clitest.Run(t, clitest.Options{Stdin: c.log.String()}, append([]string{"verify", "--scan", "--offline", "--jwks", "@" + jwks, "--expect-issuer", v2iss, "--audience", client}, nowFlag...)...)
	head := fmt.Sprintf("%d tokens (10 distinct) in 400 lines of 1 input: %d valid; %d invalid; %d malformed", total, occ(valid...), occ(expired, rotated, wrongAud, badSig), occ(notJSON))
	if !strings.HasPrefix(r.Stdout, head) || !strings.Contains(r.Stdout, `kid "rotated-kid": 2, tenant `+tenant+", first at stdin:") {
		t.Errorf("text report:\n%s\nwant it to start with %q", r.Stdout, head)
	}
}

// A line's own time decides exp: the same token is valid on a line
// before its expiry and expired on a line after, whatever --now says.
func TestScanJudgesTimesAtTheLinesTime(t *testing.T) {
	jwks := keyFile(t)
	a := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(nil)) // exp = now + 50m
	log := now.Add(10*time.Minute).Format(time.RFC3339) + " Bearer " + a + "\n" +
		"[" + now.Add(2*time.Hour).Format("02/Jan/2006:15:04:05 -0700") + "] Bearer " + a + "\n" +
		"no time Bearer " + a + "\n"
	lines, _, _ := runScan(t, log, append([]string{"-", "--jwks", "@" + jwks}, nowFlag...)...)
	if len(lines) != 3 || lines[0].Verdict != "valid" || lines[1].Verdict != "invalid" || strings.Join(lines[1].Checks, ",") != "TOK006" || lines[2].Verdict != "valid" {
		t.Errorf("%+v", lines)
	}
	lines, _, _ = runScan(t, log, append([]string{"-", "--jwks", "@" + jwks, "--line-time=false"}, nowFlag...)...)
	if len(lines) != 3 || lines[1].Verdict != "valid" {
		t.Errorf("--line-time=false: %+v", lines)
	}
}

func TestScanUsageAndInputErrors(t *testing.T) {
	jwks := keyFile(t)
	dir := t.TempDir()
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"verify", "--scan", filepath.Join(dir, "missing.log"), "--jwks", "@" + jwks}, 3, "missing.log: no such file"},
		{[]string{"verify", "--scan", filepath.Join(dir, "*.log"), "--jwks", "@" + jwks}, 3, "no file matches"},
		{[]string{"verify", "--scan", dir, "--jwks", "@" + jwks}, 3, "is a directory"},
		{[]string{"verify", "--scan", "-"}, 2, "needs the keys up front"},
		{[]string{"verify", "--scan", "--batch", "-", "--jwks", "@" + jwks}, 2, "not both"},
		{[]string{"verify", "--scan", "-", "--jwks", "@" + jwks, "-o", "sarif"}, 2, ""},
		{[]string{"token", "--scan", filepath.Join(dir, "missing.log")}, 3, "missing.log"},
	}
	for _, c := range cases {
		r := clitest.Run(t, clitest.Options{}, c.args...)
		if r.Code != c.code || !strings.Contains(r.Stderr, c.msg) {
			t.Errorf("%v: exit %d %q, want %d %q", c.args, r.Code, r.Stderr, c.code, c.msg)
		}
	}
	os.WriteFile(filepath.Join(dir, "bad.log.gz"), []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2}, 0o644)
	r := clitest.Run(t, clitest.Options{}, "token", "--scan", filepath.Join(dir, "bad.log.gz"))
	if r.Code != 3 || !strings.Contains(r.Stderr, "bad.log.gz") {
		t.Errorf("corrupt gzip: exit %d %q", r.Code, r.Stderr)
	}
}

// token --scan decodes only: expiry from the line's time, no keys.
func TestTokenScan(t *testing.T) {
	keys(t)
	a := sign(t, jwt.SigningMethodRS256, appKey, "unknown-kid", idClaims(nil))
	log := "2026-11-20T09:15:00Z ok " + a + "\n2026-11-20T12:00:00Z late " + a + "\n"
	r := clitest.Run(t, clitest.Options{Stdin: log}, "token", "--scan", "-o", "json", "--now", now.Format(time.RFC3339))
	if r.Code != 1 || !strings.Contains(r.Stdout, `"line":1,"fingerprint":"`+tok.Fingerprint(a)+`","verdict":"ok"`) || !strings.Contains(r.Stdout, `"line":2,"fingerprint":"`+tok.Fingerprint(a)+`","verdict":"error","checks":["TOK006"]`) {
		t.Errorf("exit %d:\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
}

// Values from tokens reach the text summary (a kid that was not found):
// terminal control sequences in them are neutralised.
func TestScanTextIsTerminalSafe(t *testing.T) {
	jwks := keyFile(t)
	evil := sign(t, jwt.SigningMethodRS256, appKey, "k\x1b]0;pwned\x07\x1b[2J", idClaims(nil))
	r := clitest.Run(t, clitest.Options{Stdin: "Bearer " + evil + "\n"}, append([]string{"verify", "--scan", "-", "--offline", "--jwks", "@" + jwks}, nowFlag...)...)
	if r.Code != 1 || !strings.Contains(r.Stdout, "kid-not-found") || strings.ContainsAny(r.Stdout, "\x1b\x07") {
		t.Errorf("exit %d:\n%q", r.Code, r.Stdout)
	}
}
