package logscan_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/logscan"
)

// accessLog is n lines of an nginx access log without tokens: what most
// of a log is.
func accessLog(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `10.244.%d.%d - - [20/Nov/2026:09:%02d:%02d +0000] "GET /api/v1/dags/etl_%d/dagRuns?limit=25&offset=%d HTTP/1.1" 200 %d "https://airflow.example.com/home" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36" rt=0.%03d uct="0.000" urt="0.%03d"`+"\n",
			i%250, i%200, i/60%60, i%60, i%97, i%500, 1000+i%9000, i%1000, i%997)
	}
	return b.Bytes()
}

// The scanner's floor: reading lines that hold no token (blocks read,
// the pre-filter over each block, newlines counted). Reports MB/s.
func BenchmarkLinesNoToken(b *testing.B) {
	data := accessLog(200000)
	b.SetBytes(int64(len(data)))
	dst := make([]byte, 0, 256<<10)
	for b.Loop() {
		blocks, lines := logscan.NewBlocks(bytes.NewReader(data)), 0
		for {
			block, _, ok := blocks.Next(dst)
			if !ok {
				break
			}
			for l := logscan.LinesIn(block); ; {
				if _, ok := l.Next(); !ok {
					break
				}
			}
			lines += logscan.CountLines(block)
			dst = block[:0]
		}
		if lines != 200000 {
			b.Fatalf("%d lines", lines)
		}
	}
}

// Finding a token in a line that holds one (header judged once, then
// cached).
func BenchmarkFindOneToken(b *testing.B) {
	line := []byte(`10.244.1.17 - - [20/Nov/2026:09:00:17 +0000] "GET /api/v1/dags HTTP/1.1" 200 137 "-" "Mozilla/5.0" "Bearer ` + mint(b, 1) + `"`)
	f := logscan.NewFinder()
	var ms []logscan.Match
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if ms = f.Find(line, ms[:0]); len(ms) != 1 {
			b.Fatal(len(ms))
		}
	}
}
