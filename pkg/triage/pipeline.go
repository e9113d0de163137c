package triage

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"time"

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
	term  byte         // the byte that ended the last token found (a worker's guess for the next)
	// misses counts the guesses the cache missed in a row; skip, the
	// tokens to read before guessing again.
	misses, skip int
}

type chunkLine struct{ file, n, off, end, hit int }

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
			cur.lines = append(cur.lines, chunkLine{fi, l.N, off, len(cur.text), l.Hit})
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
	for _, l := range c.lines {
		r.line(f, c, l)
	}
}

// line finds and judges the tokens of one line. A token seen before is
// recognised without reading it byte by byte: the text up to the byte
// that ended the last token found (a quote, an &, a space...) is hashed
// and looked up; only when the cache does not hold it is the candidate
// read and checked character by character. A hit is exact: the cache key
// is a 128-bit keyed hash, so equal keys mean the text is a token the
// finder accepted before.
func (r *run) line(f *logscan.Finder, c *chunk, l chunkLine) {
	text := c.text[l.off:l.end]
	var at time.Time
	var lineTime, timed bool
	when := func() time.Time { // the line's time, read once and only for a line with a token
		if !timed {
			timed, at = true, r.o.Now
			if r.o.LineTime {
				if t, ok := logscan.LineTime(text, r.o.Now); ok {
					at, lineTime = t, true
				}
			}
		}
		return at
	}
	for i := l.hit; ; {
		s := logscan.NextStart(text, i)
		if s < 0 {
			return
		}
		var o occurrence
		if end, key, e := r.known(c, text, s); e != nil {
			o.e, o.key, i = e, key, end
			o.res = r.verdicts.at(e, text[s:end], key, when())
		} else {
			m, end := f.At(text, s)
			if i = end; m.Kind == 0 {
				continue
			}
			o.key = tokcache.KeyOf(m.Token)
			o.e, o.res = r.verdicts.judge(m.Token, m.Kind, o.key, when())
			c.term = terminator(text, m.End)
		}
		o.file, o.line, o.at, o.lineTime = l.file, l.n, at, lineTime
		c.occs = append(c.occs, o)
	}
}

// quickPath is off only in the test that compares the two paths.
var quickPath = true

// known guesses where the token at s ends (at the next byte like the one
// that ended the last token, or at the end of the line) and returns the
// cache's entry for that text, if it has one. After a few misses in a row
// (a log of tokens seen once) it guesses only now and then.
func (r *run) known(c *chunk, text []byte, s int) (int, tokcache.Key, *entry) {
	if c.skip > 0 {
		c.skip--
		return 0, tokcache.Key{}, nil
	}
	if !quickPath {
		return 0, tokcache.Key{}, nil
	}
	end := len(text)
	if c.term != 0 {
		j := bytes.IndexByte(text[s:], c.term)
		if j < 0 {
			return 0, tokcache.Key{}, nil
		}
		end = s + j
	}
	if end-s < 16 {
		return 0, tokcache.Key{}, nil
	}
	key := tokcache.KeyOf(text[s:end])
	e, _ := r.verdicts.cache.Peek(key)
	if e == nil {
		if c.misses++; c.misses >= 4 {
			c.misses, c.skip = 0, 16
		}
		return 0, key, nil
	}
	c.misses = 0
	return end, key, e
}

// terminator is the byte that ended a token: the guess for the next one
// (0: the end of the line; also after a sentence's dot, which a token's
// text holds too).
func terminator(text []byte, end int) byte {
	if end < len(text) && text[end] != '.' {
		return text[end]
	}
	return 0
}
