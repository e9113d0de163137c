package triage

import (
	"fmt"
	"io"
	"sync"

	"github.com/authdoctor/authdoctor/pkg/logscan"
	"github.com/authdoctor/authdoctor/pkg/tokcache"
)

// A chunk is up to chunkLines candidate lines (or chunkBytes of them)
// travelling together from the reader to a worker to the summary: the
// cost of handing work over is paid per chunk, not per line.
const (
	chunkLines = 64
	chunkBytes = 256 << 10
)

type chunk struct {
	text  []byte // the lines, back to back
	lines []chunkLine
	occs  []occurrence // the tokens found, judged (by a worker)
}

type chunkLine struct{ file, n, off, end int }

// chunks are reused once consumed: a scan allocates per chunk in flight,
// not per line.
var chunks = sync.Pool{New: func() any {
	return &chunk{text: make([]byte, 0, chunkBytes+64<<10), lines: make([]chunkLine, 0, chunkLines), occs: make([]occurrence, 0, chunkLines)}
}}

func newChunk() *chunk { return chunks.Get().(*chunk) }

// release returns a consumed chunk for reuse.
func release(c *chunk) {
	if cap(c.text) > 4*chunkBytes {
		return // grown by a very long line: let it go
	}
	c.text, c.lines = c.text[:0], c.lines[:0]
	clear(c.occs) // drop the references to cache entries
	c.occs = c.occs[:0]
	chunks.Put(c)
}

// produce reads the inputs one after the other and sends the lines that
// may hold a token.
func (r *run) produce(send func(*chunk) bool) error {
	cur := newChunk()
	flush := func() bool {
		if len(cur.lines) == 0 {
			return true
		}
		ok := send(cur)
		cur = newChunk()
		return ok
	}
	for fi, in := range r.o.Inputs {
		rc, err := in.Open(r.o.Stdin)
		if err != nil {
			r.addErr(err.Error())
			continue
		}
		// After a short read the input is a stream that trickles (kubectl
		// logs -f) and the next read may wait: what was read goes out
		// first, so the summary keeps up with the stream.
		short := false
		src := readerFunc(func(p []byte) (int, error) {
			if short && !flush() {
				return 0, errStopped
			}
			n, err := rc.Read(p)
			r.read.Add(int64(n))
			short = n < len(p)
			return n, err
		})
		lines := logscan.NewLines(src)
		before := r.lines.Load()
		for {
			l, ok := lines.Next()
			r.lines.Store(before + int64(lines.LinesRead()))
			if !ok {
				break
			}
			off := len(cur.text)
			cur.text = append(cur.text, l.Text...)
			cur.lines = append(cur.lines, chunkLine{fi, l.N, off, len(cur.text)})
			if (len(cur.lines) == chunkLines || len(cur.text) >= chunkBytes) && !flush() {
				rc.Close()
				return nil
			}
		}
		rc.Close()
		r.skipped.Add(int64(lines.Skipped))
		if err := lines.Err(); err != nil {
			if err == errStopped {
				return nil
			}
			r.addErr(fmt.Sprintf("reading %s: %v", in.Name, err))
		}
	}
	flush()
	return nil
}

var errStopped = fmt.Errorf("stopped")

func (r *run) addErr(s string) {
	r.mu.Lock()
	r.errs = append(r.errs, s)
	r.mu.Unlock()
}

// readerFunc adapts a function to io.Reader.
type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

var _ io.Reader = readerFunc(nil)

// finders keep each worker's judged headers between chunks.
var finders = sync.Pool{New: func() any { return logscan.NewFinder() }}

// work finds the tokens in a chunk's lines and judges them.
func (r *run) work(c *chunk) {
	f := finders.Get().(*logscan.Finder)
	defer finders.Put(f)
	var ms []logscan.Match
	for _, l := range c.lines {
		text := c.text[l.off:l.end]
		if ms = f.Find(text, ms[:0]); len(ms) == 0 {
			continue
		}
		at, lineTime := r.o.Now, false
		if r.o.LineTime {
			if t, ok := logscan.LineTime(text, r.o.Now); ok {
				at, lineTime = t, true
			}
		}
		for _, m := range ms {
			key := tokcache.KeyOf(m.Token)
			e, res := r.verdicts.judge(m.Token, m.Kind, key, at)
			c.occs = append(c.occs, occurrence{file: l.file, line: l.n, at: at, lineTime: lineTime, e: e, res: res, key: key})
		}
	}
}
