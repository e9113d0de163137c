package triage_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/logscan"
	"github.com/authdoctor/authdoctor/pkg/triage"
)

// BenchmarkRepeatedTokens is the cost per token occurrence of a log whose
// tokens repeat (1,000 tokens × 100, shuffled, in access-log lines), with
// a checker that costs nothing: reading, finding, the cache, the
// summary. Reports ns and allocations per occurrence.
func BenchmarkRepeatedTokens(b *testing.B) {
	var toks []string
	for i := 0; i < 1000; i++ {
		pad := bytes.Repeat([]byte("x"), 300)
		toks = append(toks, tok(fmt.Sprintf(`{"iss":"https://idp.example.com","aud":"app","sub":"user-%d","pad":"%s","iat":%d,"exp":%d}`, i, pad, now.Unix(), now.Add(time.Hour).Unix())))
	}
	order := make([]int, 0, 100000)
	for r := 0; r < 100; r++ {
		for i := range toks {
			order = append(order, i)
		}
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	var log bytes.Buffer
	for n, i := range order {
		fmt.Fprintf(&log, `10.244.1.%d - - [20/Nov/2026:09:15:%02d +0000] "GET /api/v1/dags HTTP/1.1" 200 137 "-" "Mozilla/5.0" "Bearer %s"`+"\n", n%250, n%60, toks[i])
	}
	data := log.Bytes()
	c := &checker{calls: map[string]int{}}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		o := triage.Options{Inputs: []logscan.Input{{Name: logscan.Stdin}}, Stdin: bytes.NewReader(data), Out: io.Discard, Now: now,
			LineTime: true, CheckName: func(id string) string { return id }}
		s, err := triage.Run(context.Background(), o, c.check)
		if err != nil || s.Tokens != len(order) {
			b.Fatalf("%v, %d tokens", err, s.Tokens)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(order)), "ns/occurrence")
}
