package verify_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cli"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
)

// writeLog writes an nginx access log with the tokens at the given
// indices, one per line, and returns its path.
func writeLog(b *testing.B, c *batchCorpus, name string, order []int) string {
	p := filepath.Join(c.dir, name)
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for n, i := range order {
		fmt.Fprintf(w, `10.244.%d.%d - - [20/Nov/2026:09:15:%02d +0000] "GET /api/v1/dags HTTP/1.1" 200 137 "-" "Mozilla/5.0" "Bearer %s"`+"\n", n%250, n%200, n%60, c.toks[i])
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return p
}

// scanOnce runs verify --scan over path in process and checks the summary
// counted every line's token as valid.
func scanOnce(b *testing.B, c *batchCorpus, path string, want int) time.Duration {
	var out strings.Builder
	ios := &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: io.Discard, Getenv: func(string) string { return "" }}
	args := []string{"verify", "--scan", path, "--jwks", "@" + filepath.Join(c.dir, "jwks.json"),
		"--expect-issuer", v2iss, "--audience", client, "--offline", "--now", "2026-11-20T09:20:00Z"}
	start := time.Now()
	code := cli.Run(context.Background(), args, ios, time.Now)
	d := time.Since(start)
	head := fmt.Sprintf("%s tokens", commas(want))
	if code != 0 || !strings.HasPrefix(out.String(), head) || !strings.Contains(out.String(), commas(want)+" valid") {
		b.Fatalf("verify --scan: exit %d, want %q:\n%s", code, head, out.String())
	}
	return d
}

func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// BenchmarkScanVsRawRS256 measures verify --scan in process, interleaved
// with the raw RSA-2048 verification of the same tokens on one core:
//   - distinct: 5,000 log lines, each with a different token; reports the
//     scan's rate per core as a percentage of the raw rate (budget ≥ 90%;
//     run with -cpu 1,2 for the scaling, budget ≥ 1.85×);
//   - repeated: 100,000 lines, 1,000 tokens each repeated 100 times in a
//     shuffled order; reports how many times faster the scan is than
//     verifying every occurrence with RSA (budget ≥ 20×).
func BenchmarkScanVsRawRS256(b *testing.B) {
	c := loadBatchCorpus(b)
	distinct := make([]int, c.lines)
	for i := range distinct {
		distinct[i] = i
	}
	var repeated []int
	for r := 0; r < 100; r++ {
		for i := 0; i < 1000; i++ {
			repeated = append(repeated, i)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(repeated), func(i, j int) { repeated[i], repeated[j] = repeated[j], repeated[i] })
	logs := map[string]string{"distinct": writeLog(b, c, "distinct.log", distinct), "repeated": writeLog(b, c, "repeated.log", repeated)}
	b.Run("distinct", func(b *testing.B) {
		// Read here, not in the parent: the parent's first call, which
		// finds the sub-benchmarks, does not run with -cpu's value.
		procs := float64(runtime.GOMAXPROCS(0))
		var scan, raw time.Duration
		for b.Loop() {
			scan += scanOnce(b, c, logs["distinct"], c.lines)
			raw += c.rawVerify(b)
		}
		b.ReportMetric(float64(c.lines*b.N)/scan.Seconds(), "tokens/s")
		b.ReportMetric(100*raw.Seconds()/scan.Seconds()/procs, "%raw/core")
		b.ReportMetric(procs, "procs")
	})
	b.Run("repeated", func(b *testing.B) {
		var scan, raw time.Duration
		for b.Loop() {
			scan += scanOnce(b, c, logs["repeated"], len(repeated))
			raw += c.rawVerify(b)
		}
		perVerify := raw.Seconds() / float64(c.lines*b.N)
		b.ReportMetric(float64(len(repeated)*b.N)/scan.Seconds(), "occurrences/s")
		b.ReportMetric(perVerify*float64(len(repeated)*b.N)/scan.Seconds(), "x-vs-raw")
	})
}
