package triage

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"sync"

	"github.com/authdoctor/authdoctor/pkg/logscan"
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

// produce reads the inputs one after the other and sends the lines that
// may hold a token.
func (r *run) produce(send func(*chunk) bool) error {
	cur := &chunk{}
	flush := func() bool {
		if len(cur.lines) == 0 {
			return true
		}
		ok := send(cur)
		cur = &chunk{}
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
			whole := sha256.Sum256(m.Token)
			e, res := r.verdicts.judge(m.Token, m.Kind, whole, at)
			c.occs = append(c.occs, occurrence{file: l.file, line: l.n, at: at, lineTime: lineTime, e: e, res: res, whole: whole})
		}
	}
}

// signingDigest is the SHA-256 of a token's signing input (all before the
// last dot), which an RS256 signature signs.
func signingDigest(raw []byte) [32]byte {
	if j := bytes.LastIndexByte(raw, '.'); j >= 0 {
		raw = raw[:j]
	}
	return sha256.Sum256(raw)
}
