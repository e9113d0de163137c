package triage_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/logscan"
	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/triage"
)

var (
	b64    = base64.RawURLEncoding.EncodeToString
	header = b64([]byte(`{"alg":"RS256","kid":"k1"}`))
	now    = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
)

// tok makes a token whose payload is claims (not signed: the test
// checker below only decodes).
func tok(claims string) string {
	return header + "." + b64([]byte(claims)) + "." + b64([]byte("signature-"+claims))
}

// checker judges like a tiny verify: expired (TOK006) or valid, and
// counts its calls per token.
type checker struct {
	mu    sync.Mutex
	calls map[string]int
}

func (c *checker) check(t triage.Token, at time.Time) triage.Result {
	c.mu.Lock()
	c.calls[t.Raw]++
	c.mu.Unlock()
	d, p := token.Decode(token.Candidate{Label: "token", Raw: t.Raw})
	if p != nil {
		return triage.Result{Verdict: "malformed", Checks: []string{"TOK001"}, Worst: 3}
	}
	f := token.FactsOf(d)
	if f.Exp.Set && !at.Before(f.Exp.T) {
		return triage.Result{Verdict: "invalid", Checks: []string{"TOK006"}, Worst: 3, Facts: f}
	}
	return triage.Result{Verdict: "valid", Facts: f}
}

func scan(t *testing.T, log string, o triage.Options) (*triage.Summary, []map[string]any, *checker) {
	t.Helper()
	c := &checker{calls: map[string]int{}}
	s, lines := scanWith(t, log, o, c.check)
	return s, lines, c
}

// scanWith scans log (stdin, NDJSON out) with check as the judge.
func scanWith(t *testing.T, log string, o triage.Options, check triage.Checker) (*triage.Summary, []map[string]any) {
	t.Helper()
	var out bytes.Buffer
	o.Inputs, o.Stdin, o.Out, o.JSON = []logscan.Input{{Name: logscan.Stdin}}, strings.NewReader(log), &out, true
	if o.Now.IsZero() {
		o.Now = now
	}
	o.CheckName = func(id string) string { return strings.ToLower(id) }
	s, err := triage.Run(context.Background(), o, check)
	if err != nil {
		t.Fatal(err)
	}
	var lines []map[string]any
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not JSON: %q", sc.Text())
		}
		lines = append(lines, m)
	}
	return s, lines
}

// A token is judged once per time class: repeats at times on the same
// side of exp reuse the verdict, a line past exp is judged again.
func TestRepeatsAreJudgedOncePerTimeClass(t *testing.T) {
	exp := now.Add(time.Hour)
	a := tok(fmt.Sprintf(`{"sub":"alice","tid":"t1","iat":%d,"exp":%d}`, now.Unix(), exp.Unix()))
	b := tok(fmt.Sprintf(`{"sub":"bob","tid":"t1","iat":%d,"exp":%d}`, now.Unix(), exp.Unix()))
	var log strings.Builder
	for i := 0; i < 50; i++ {
		ts := now.Add(time.Duration(i) * 2 * time.Minute) // past exp from i = 30
		fmt.Fprintf(&log, "%s GET /api Authorization: Bearer %s\n", ts.Format(time.RFC3339), a)
		fmt.Fprintf(&log, "%s GET /x ?access_token=%s&y=1 and %s\n", ts.Format(time.RFC3339), b, a)
	}
	s, lines, c := scan(t, log.String(), triage.Options{LineTime: true})
	if c.calls[a] != 2 || c.calls[b] != 2 {
		t.Errorf("checker calls: a %d, b %d; want 2 each (before and after exp)", c.calls[a], c.calls[b])
	}
	if s.Tokens != 150 || s.DistinctTokens != 2 || s.Verdicts["valid"] != 90 || s.Verdicts["invalid"] != 60 || s.Subjects != 2 || s.LineTimes != 150 {
		t.Errorf("summary %+v", s)
	}
	if len(s.Causes) != 1 || s.Causes[0].Count != 60 || s.Causes[0].DistinctTokens != 2 || s.Causes[0].First != (triage.Location{File: "stdin", Line: 61}) || s.Causes[0].Last.Line != 100 {
		t.Errorf("causes %+v", s.Causes)
	}
	if len(lines) != 151 || lines[150]["summary"] == nil {
		t.Fatalf("%d NDJSON lines", len(lines))
	}
	if l := lines[1]; l["line"] != 2.0 || l["file"] != "stdin" || l["verdict"] != "valid" || !strings.HasPrefix(l["fingerprint"].(string), "sha256:") {
		t.Errorf("line 2, first token: %v", l)
	}
	// Without line times every occurrence is judged at --now: one call;
	// no cause, and the summary's list of causes is empty, not null.
	_, lines, c = scan(t, log.String(), triage.Options{LineTime: false})
	if causes, ok := lines[len(lines)-1]["summary"].(map[string]any)["causes"].([]any); !ok || len(causes) != 0 {
		t.Errorf("summary causes %#v, want []", lines[len(lines)-1]["summary"].(map[string]any)["causes"])
	}
	if c.calls[a] != 1 {
		t.Errorf("without line times: %d calls", c.calls[a])
	}
}

// endless is a reader of log lines each with a new token, up to n lines.
type endless struct {
	n, i int
	buf  []byte
}

func (e *endless) Read(p []byte) (int, error) {
	for len(e.buf) < len(p) && e.i < e.n {
		e.i++
		line := fmt.Sprintf(`{"time":"2026-11-20T09:00:00Z","msg":"call","auth":"Bearer %s"}`+"\n",
			tok(fmt.Sprintf(`{"sub":"user-%d","tid":"tenant-%d","kid":"k%d","exp":%d}`, e.i, e.i, e.i, now.Add(time.Hour).Unix())))
		e.buf = append(e.buf, line...)
	}
	if len(e.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, e.buf)
	e.buf = e.buf[n:]
	return n, nil
}

// On an input of endless distinct tokens the cache stays within its
// bounds (entries and bytes), and so do the summary's lists; distinct
// counts become estimates close to the truth.
func TestMemoryStaysBoundedOnEndlessInput(t *testing.T) {
	const n = 70000
	var out bytes.Buffer
	c := &checker{calls: map[string]int{}}
	o := triage.Options{Inputs: []logscan.Input{{Name: logscan.Stdin}}, Stdin: &endless{n: n}, Out: &out, Now: now,
		CacheEntries: 2048, CacheBytes: 1 << 20, CheckName: func(id string) string { return id }}
	s, err := triage.Run(context.Background(), o, c.check)
	if err != nil {
		t.Fatal(err)
	}
	if s.Tokens != n || s.Verdicts["valid"] != n {
		t.Fatalf("%d tokens, verdicts %v", s.Tokens, s.Verdicts)
	}
	if s.Cache.Entries > 2048 || s.Cache.Bytes > 1<<20 || s.Cache.Evicted < n-2048 {
		t.Errorf("cache %+v: over its bounds (2048 entries, 1 MiB) or not evicting", s.Cache)
	}
	if len(s.Tenants.Top) > 20 || s.Tenants.Other != n-20 {
		t.Errorf("tenants listed %d, other %d", len(s.Tenants.Top), s.Tenants.Other)
	}
	for name, got := range map[string]int{"tokens": s.DistinctTokens, "subjects": s.Subjects, "tenants": s.Tenants.Distinct} {
		if got < n*97/100 || got > n*103/100 {
			t.Errorf("distinct %s ≈ %d, want %d ± 3%%", name, got, n)
		}
	}
	if !s.Estimated {
		t.Error("70,000 distinct tokens (over the exact cap) should be an estimate")
	}
}

// Every summary field that names a location names the file and line of
// the occurrence, and JWEs are "encrypted".
func TestSummaryOfAKnownLog(t *testing.T) {
	ok := tok(fmt.Sprintf(`{"sub":"a","azp":"app-1","iss":"https://idp","iat":%d,"exp":%d}`, now.Add(-10*time.Second).Unix(), now.Add(time.Hour).Unix()))
	old := tok(fmt.Sprintf(`{"sub":"b","azp":"app-2","iss":"https://idp","iat":%d,"exp":%d}`, now.Add(-2*time.Hour).Unix(), now.Add(-time.Hour).Unix()))
	skewed := tok(fmt.Sprintf(`{"sub":"c","azp":"app-1","iss":"https://idp","iat":%d,"exp":%d}`, now.Add(3*time.Minute).Unix(), now.Add(time.Hour).Unix()))
	jwe := b64([]byte(`{"alg":"RSA-OAEP","enc":"A256GCM"}`)) + ".a2V5.aXY.Y3Q.dGFn"
	log := strings.Join([]string{
		now.Format(time.RFC3339) + " " + ok,
		"no token here",
		now.Format(time.RFC3339) + " " + old + " " + ok,
		now.Format(time.RFC3339) + " " + skewed,
		"cookie " + jwe,
		now.Format(time.RFC3339) + " " + old,
	}, "\n")
	s, lines, _ := scan(t, log, triage.Options{LineTime: true})
	want := map[string]float64{"valid": 3, "invalid": 2, "encrypted": 1}
	for v, n := range want {
		if float64(s.Verdicts[v]) != n {
			t.Errorf("verdict %s: %d, want %v", v, s.Verdicts[v], n)
		}
	}
	if s.Tokens != 6 || s.DistinctTokens != 4 || s.Subjects != 3 || s.Clients.Distinct != 2 || s.Issuers.Distinct != 1 || s.Lines != 6 {
		t.Errorf("summary %+v", s)
	}
	if c := s.Causes[0]; c.Check != "TOK006" || c.Count != 2 || c.DistinctTokens != 1 || c.First.Line != 3 || c.Last.Line != 6 {
		t.Errorf("cause %+v", c)
	}
	if a := s.TokenAge; a == nil || a.Tokens != 3 || a.Min != "-3m" || a.Max != "2h" {
		t.Errorf("token age %+v", a)
	}
	var got []string
	for _, l := range lines[:len(lines)-1] {
		got = append(got, fmt.Sprintf("%v:%v", l["line"], l["verdict"]))
	}
	if strings.Join(got, " ") != "1:valid 3:invalid 3:valid 4:valid 5:encrypted 6:invalid" {
		t.Errorf("occurrences %v", got)
	}
	var text bytes.Buffer
	s.WriteText(&text)
	for _, w := range []string{"6 tokens (4 distinct) in 6 lines of 1 input: 3 valid; 2 invalid; 1 encrypted", "first at stdin:3, last at stdin:6", "token age at first use", "IdP's clock runs ahead"} {
		if !strings.Contains(text.String(), w) {
			t.Errorf("text summary lacks %q:\n%s", w, text.String())
		}
	}
	if strings.Contains(text.String()+fmt.Sprint(lines), `"a"`) {
		t.Error("a subject was printed")
	}
}

// A stream that stays open (kubectl logs -f) gets a summary while it
// lasts, a progress line when asked for one, and, when it is interrupted,
// the summary of what was read.
func TestStreamGetsSummariesAsItGoesAndAtInterrupt(t *testing.T) {
	exp := now.Add(time.Hour)
	a := tok(fmt.Sprintf(`{"sub":"alice","exp":%d}`, exp.Unix()))
	in, feed := io.Pipe()
	var out, progress testkit.SyncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	c := &checker{calls: map[string]int{}}
	o := triage.Options{Inputs: []logscan.Input{{Name: logscan.Stdin}}, Stdin: in, Out: &out, Now: now, Every: time.Second,
		Progress: &progress, CheckName: func(id string) string { return id }}
	type result struct {
		s   *triage.Summary
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := triage.Run(ctx, o, c.check)
		done <- result{s, err}
	}()
	go feed.Write([]byte("GET /x Bearer " + a + "\nGET /y Bearer " + a + "\n"))
	deadline := time.Now().Add(30 * time.Second) // a guard against a hang, not a measurement
	for !strings.Contains(out.String(), "2 tokens (1 distinct)") {
		if time.Now().After(deadline) {
			t.Fatalf("no summary while the stream stayed open:\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	for !strings.Contains(progress.String(), "2 tokens (1 distinct)") {
		if time.Now().After(deadline) {
			t.Fatalf("no progress line: %q", progress.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel() // Ctrl-C: the reader is blocked on the open pipe
	r := <-done
	if r.err == nil || !r.s.Interrupted || r.s.Tokens != 2 {
		t.Fatalf("interrupted run: %v, %+v", r.err, r.s)
	}
	if !strings.HasSuffix(strings.TrimSpace(out.String()), "at --now") || !strings.Contains(out.String(), "(interrupted: this covers the input read so far)") {
		t.Errorf("no final summary after the interrupt:\n%s", out.String())
	}
	if !strings.HasSuffix(progress.String(), "\r\x1b[K") {
		t.Errorf("the progress line was not cleared: %q", progress.String())
	}
	feed.Close()
}

// A cause grouped by kid says where the kid's first token came from: its
// tenant (tid) when it has one, whatever its shape, else its issuer, and
// names which of the two it is.
func TestCauseValuesNameTheirTenantOrIssuer(t *testing.T) {
	withTenant := tok(`{"sub":"a","iss":"https://idp-a","tid":"tenant-0"}`)
	withIssuer := tok(`{"sub":"b","iss":"https://idp-b"}`)
	kidNotFound := func(tk triage.Token, _ time.Time) triage.Result {
		d, p := token.Decode(token.Candidate{Label: "token", Raw: tk.Raw})
		if p != nil {
			t.Fatal(p)
		}
		f := token.FactsOf(d)
		f.Kid = f.Subject // one kid per token, to get one value each
		return triage.Result{Verdict: "invalid", Checks: []string{"TOK004"}, Worst: 3, Facts: f}
	}
	s, _ := scanWith(t, withTenant+"\n"+withIssuer+"\n", triage.Options{}, kidNotFound)
	if len(s.Causes) != 1 || len(s.Causes[0].Values) != 2 {
		t.Fatalf("causes %+v", s.Causes)
	}
	from := map[string]string{}
	for _, v := range s.Causes[0].Values {
		from[v.Value] = v.FromKind + " " + v.From
	}
	if from["a"] != "tenant tenant-0" || from["b"] != "issuer https://idp-b" {
		t.Errorf("from %v", from)
	}
	var text bytes.Buffer
	s.WriteText(&text)
	for _, w := range []string{`kid "a": 1, tenant tenant-0,`, `kid "b": 1, issuer https://idp-b,`} {
		if !strings.Contains(text.String(), w) {
			t.Errorf("text summary lacks %q:\n%s", w, text.String())
		}
	}
}
