package triage

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/logscan"
	"github.com/authdoctor/authdoctor/pkg/token"
)

// Recognising a repeated token from the cache without reading it byte by
// byte gives exactly what reading it gives: the same occurrences, lines,
// verdicts and summary, on a log whose tokens end in every way (quote,
// ampersand, space, end of line, sentence dot, escaped dots, glued to a
// longer run, extended by a character).
func TestQuickPathGivesWhatTheFinderGives(t *testing.T) {
	b64 := base64.RawURLEncoding.EncodeToString
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	var toks []string
	for i := 0; i < 40; i++ {
		toks = append(toks, b64([]byte(`{"alg":"RS256","kid":"k1"}`))+"."+b64([]byte(fmt.Sprintf(`{"sub":"u%d","exp":%d}`, i, now.Add(time.Duration(i-20)*time.Minute).Unix())))+"."+b64([]byte(fmt.Sprintf("sig-%d", i))))
	}
	forms := []func(string) string{
		func(t string) string { return `"Bearer ` + t + `"` },
		func(t string) string { return "?id_token=" + t + "&state=1" },
		func(t string) string { return "token " + t + " ok" },
		func(t string) string { return "at the end " + t },
		func(t string) string { return "sentence " + t + "." },
		func(t string) string { return `{"t":"` + strings.ReplaceAll(t, ".", `\u002e`) + `"}` },
		func(t string) string { return "glued x" + t },
		func(t string) string { return "extended " + t + "Q\"" },
		func(t string) string { return "two " + t + "&" + t + " " },
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var log strings.Builder
	for n := 0; n < 3000; n++ {
		ts := now.Add(time.Duration(n) * time.Second).Format(time.RFC3339)
		fmt.Fprintf(&log, "%s %s\n", ts, forms[rng.IntN(len(forms))](toks[rng.IntN(len(toks))]))
	}
	check := func(tk Token, at time.Time) Result {
		d, p := token.Decode(token.Candidate{Label: "token", Raw: tk.Raw})
		if p != nil {
			return Result{Verdict: "malformed", Checks: []string{"TOK001"}, Worst: 3}
		}
		f := token.FactsOf(d)
		if f.Exp.Set && !at.Before(f.Exp.T) {
			return Result{Verdict: "invalid", Checks: []string{"TOK006"}, Worst: 3, Facts: f}
		}
		return Result{Verdict: "valid", Facts: f}
	}
	scan := func(quick bool) string {
		quickPath = quick
		defer func() { quickPath = true }()
		var out bytes.Buffer
		o := Options{Inputs: []logscan.Input{{Name: logscan.Stdin}}, Stdin: strings.NewReader(log.String()), Out: &out, Now: now,
			LineTime: true, JSON: true, CheckName: func(id string) string { return id }}
		if _, err := Run(context.Background(), o, check); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	// The cache's byte count depends on which worker judged a token
	// first: left out.
	cacheStats := regexp.MustCompile(`"cache":\{[^}]*\}`)
	slow, quick := cacheStats.ReplaceAllString(scan(false), ""), cacheStats.ReplaceAllString(scan(true), "")
	if slow != quick {
		a, b := strings.Split(slow, "\n"), strings.Split(quick, "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("line %d of the output differs:\nfinder: %s\nquick:  %s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("%d lines from the finder, %d with the quick path", len(a), len(b))
	}
	if n := strings.Count(slow, `"fingerprint"`); n < 2500 {
		t.Fatalf("only %d tokens found", n)
	}
}
