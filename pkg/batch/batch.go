// Package batch runs a per-line job over a stream of tokens on every core,
// writing one JSON object per line in input order, in constant memory.
package batch

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"
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

type item struct {
	line int
	text string
	done chan Out
}

// Run reads lines from r, runs job on `workers` goroutines (0: GOMAXPROCS)
// and writes results to w in input order. At most window lines are in
// flight, so memory does not grow with the input.
func Run(ctx context.Context, r io.Reader, w io.Writer, workers int, job Job) (Summary, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	window := workers * 64
	sum := Summary{Verdicts: map[string]int{}, Checks: map[string]int{}}
	work := make(chan *item, window)
	order := make(chan *item, window)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				it.done <- job(it.line, it.text)
			}
		}()
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(order)
		defer close(work)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), MaxLine)
		n := 0
		for sc.Scan() {
			n++
			text := strings.TrimSpace(sc.Text())
			if text == "" || strings.HasPrefix(text, "#") {
				continue
			}
			it := &item{line: n, text: text, done: make(chan Out, 1)}
			select {
			case order <- it:
			case <-ctx.Done():
				readErr <- ctx.Err()
				return
			}
			work <- it
		}
		if err := sc.Err(); err != nil {
			if err == bufio.ErrTooLong {
				err = fmt.Errorf("line %d is longer than %d bytes: not a token", n+1, MaxLine)
			}
			readErr <- err
			return
		}
		readErr <- nil
	}()
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var werr error
	for {
		var it *item
		var ok bool
		select {
		case it, ok = <-order:
		case <-ctx.Done():
			// The reader may be blocked on a read that never returns
			// (a terminal, a pipe): do not wait for it.
			bw.Flush()
			return sum, ctx.Err()
		}
		if !ok {
			break
		}
		var o Out
		select {
		case o = <-it.done:
		case <-ctx.Done():
			bw.Flush()
			return sum, ctx.Err()
		}
		sum.Lines++
		sum.Verdicts[o.Verdict]++
		for _, c := range o.Checks {
			sum.Checks[c]++
		}
		if o.Worst > sum.Worst {
			sum.Worst = o.Worst
		}
		if o.Checks == nil {
			o.Checks = []string{}
		}
		if werr == nil {
			werr = enc.Encode(o)
		}
	}
	wg.Wait()
	if err := bw.Flush(); werr == nil {
		werr = err
	}
	if err := <-readErr; err != nil {
		return sum, err
	}
	return sum, werr
}
