// Package batch runs a per-line job over a stream of tokens on every core,
// writing one JSON object per line in input order, in constant memory.
package batch

import (
	"bufio"
	"context"
	"fmt"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"io"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
)

// MaxLine bounds one input line (a token); longer lines are reported, not
// buffered.
const MaxLine = 1 << 20

// Out is one output line. It never holds the token, only a fingerprint.
type Out struct {
	Line        int      `json:"line"`
	Fingerprint string   `json:"fingerprint"`
	Verdict     string   `json:"verdict"`
	Checks      []string `json:"checks"`
	// Worst is the highest severity among Checks (0 none, 1 info, 2
	// warning, 3 error); not printed.
	Worst int `json:"-"`
}

// Summary counts what was processed.
type Summary struct {
	Lines    int
	Verdicts map[string]int
	Checks   map[string]int
	Worst    int
}

// String is the closing line for stderr.
func (s Summary) String() string {
	var v []string
	for k, n := range s.Verdicts {
		v = append(v, fmt.Sprintf("%d %s", n, k))
	}
	sort.Strings(v)
	var c []string
	for k, n := range s.Checks {
		c = append(c, fmt.Sprintf("%s ×%d", k, n))
	}
	sort.Strings(c)
	out := fmt.Sprintf("%d tokens: %s", s.Lines, strings.Join(v, ", "))
	if len(c) > 0 {
		out += " (" + strings.Join(c, ", ") + ")"
	}
	return out
}

// Job handles one line; it must be safe for concurrent use.
type Job func(line int, text string) Out

// chunkSize lines travel together: synchronisation per line would cost
// more than a fast verification.
const chunkSize = 64

type line struct {
	n    int
	text string
}

type chunk struct {
	lines []line
	outs  []Out
}

// Run reads lines from r, runs job on `workers` goroutines (0: GOMAXPROCS)
// and writes results to w in input order. At most a window of chunks is in
// flight (Pool), so memory does not grow with the input.
func Run(ctx context.Context, r io.Reader, w io.Writer, workers int, job Job) (Summary, error) {
	// The live heap of a batch is small and constant (a window of chunks):
	// collecting less often trades a few MiB for CPU spent on the tokens.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	sum := Summary{Verdicts: map[string]int{}, Checks: map[string]int{}}
	bw := bufio.NewWriterSize(w, 64<<10)
	var werr error
	buf := make([]byte, 0, 256)
	pool := Pool[*chunk]{Workers: workers,
		Work: func(c *chunk) {
			c.outs = make([]Out, len(c.lines))
			for i, l := range c.lines {
				c.outs[i] = job(l.n, l.text)
			}
		},
		Consume: func(c *chunk) {
			for _, o := range c.outs {
				sum.add(o)
				if werr == nil {
					buf = o.appendJSON(buf[:0])
					_, werr = bw.Write(buf)
				}
			}
		},
		// The output is flushed whenever the writer has no chunk to wait
		// for: in large blocks while results pour in, at once when the
		// input falls behind.
		Idle: func() {
			if werr == nil {
				werr = bw.Flush()
			}
		},
	}
	err := pool.Run(ctx, func(send func(*chunk) bool) error { return readLines(ctx, r, send) })
	if ferr := bw.Flush(); werr == nil {
		werr = ferr
	}
	if err != nil {
		return sum, err
	}
	return sum, werr
}

func (s *Summary) add(o Out) {
	s.Lines++
	s.Verdicts[o.Verdict]++
	for _, id := range o.Checks {
		s.Checks[id]++
	}
	if o.Worst > s.Worst {
		s.Worst = o.Worst
	}
}

// readLines sends the non-empty, non-comment lines of r, trimmed and
// numbered, in chunks.
func readLines(ctx context.Context, r io.Reader, send func(*chunk) bool) error {
	cur := &chunk{}
	flush := func() bool {
		ok := send(cur)
		cur = &chunk{}
		return ok
	}
	// When the last read came short, the input is a stream that
	// trickles (`tail -f log | ...`) and the next read may wait: the
	// lines already read go out first, so answers come as tokens
	// arrive, not 64 at a time. A file fills every read and keeps
	// whole chunks.
	short := false
	in := readerFunc(func(p []byte) (int, error) {
		if short && len(cur.lines) > 0 && !flush() {
			return 0, ctx.Err()
		}
		n, err := r.Read(p)
		short = n < len(p)
		return n, err
	})
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), MaxLine)
	n := 0
	for sc.Scan() {
		n++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cur.lines = append(cur.lines, line{n, text})
		if len(cur.lines) == chunkSize && !flush() {
			return ctx.Err()
		}
	}
	if ctx.Err() != nil || (len(cur.lines) > 0 && !flush()) {
		return ctx.Err()
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			err = fmt.Errorf("line %d is longer than %d bytes: not a token", n+1, MaxLine)
		}
		return err
	}
	return nil
}

// readerFunc adapts a function to io.Reader.
type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// appendJSON writes the line's JSON object without reflection (the same
// document encoding/json makes; a test keeps them equal).
func (o Out) appendJSON(b []byte) []byte {
	b = append(b, `{"line":`...)
	b = strconv.AppendInt(b, int64(o.Line), 10)
	b = append(b, `,"fingerprint":`...)
	b = strconv.AppendQuote(b, o.Fingerprint)
	b = append(b, `,"verdict":`...)
	b = strconv.AppendQuote(b, o.Verdict)
	b = append(b, `,"checks":[`...)
	for i, c := range o.Checks {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, c)
	}
	return append(b, "]}\n"...)
}

// Record adds a report's findings to the line: their IDs in order and the
// worst severity.
func (o *Out) Record(findings []engine.Finding) {
	for _, f := range findings {
		o.Checks = append(o.Checks, f.ID)
		if int(f.Severity) > o.Worst {
			o.Worst = int(f.Severity)
		}
	}
}
