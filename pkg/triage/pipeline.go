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

// A chunk is a block of whole lines (logscan.Blocks) travelling from the
// reader to a worker, which finds and judges its tokens, to the summary:
// the cost of handing work over is paid per block, not per line, and the
// reader only reads.
const chunkBytes = 256 << 10

type chunk struct {
	text []byte // the block
	file int    // the input it comes from
	// skipped counts the lines over logscan.MaxLine just before the
	// block; lines, the block's lines (set by the worker). The summary
	// numbers lines from them, in input order.
	skipped, lines int
	occs           []occurrence // the tokens found, judged (by a worker); lines numbered within the block
	term           byte         // the byte that ended the last token found (a worker's guess for the next)
	// misses counts the guesses the cache missed in a row; skip, the
	// tokens to read before guessing again.
	misses, skip int
}

// chunks are reused once consumed: a scan allocates per chunk in flight,
// not per line.
var chunks = sync.Pool{New: func() any {
	return &chunk{text: make([]byte, 0, chunkBytes+64<<10), occs: make([]occurrence, 0, 64)}
}}

func newChunk() *chunk { return chunks.Get().(*chunk) }

// release returns a consumed chunk for reuse.
func release(c *chunk) {
	if cap(c.text) > 4*chunkBytes {
		return // grown by a very long line: let it go
	}
	c.text, c.skipped, c.lines = c.text[:0], 0, 0
	clear(c.occs) // drop the references to cache entries
	c.occs = c.occs[:0]
	chunks.Put(c)
}

// produce reads the inputs one after the other and sends their blocks.
func (r *run) produce(send func(*chunk) bool) error {
	for fi, in := range r.o.Inputs {
		rc, err := in.Open(r.o.Stdin)
		if err != nil {
			r.addErr(err.Error())
			continue
		}
		src := readerFunc(func(p []byte) (int, error) {
			n, err := rc.Read(p)
			r.read.Add(int64(n))
			return n, err
		})
		blocks := logscan.NewBlocks(src)
		for {
			c := newChunk()
			text, skipped, ok := blocks.Next(c.text)
			if !ok {
				release(c)
				break
			}
			c.text, c.file, c.skipped = text, fi, skipped
			if !send(c) {
				rc.Close()
				return nil
			}
		}
		rc.Close()
		r.skipped.Add(int64(blocks.Skipped))
		if err := blocks.Err(); err != nil {
			r.addErr(fmt.Sprintf("reading %s: %v", in.Name, err))
		}
	}
	return nil
}

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
	c.lines = logscan.CountLines(c.text)
	lines := logscan.LinesIn(c.text)
	for {
		l, ok := lines.Next()
		if !ok {
			return
		}
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
func (r *run) line(f *logscan.Finder, c *chunk, l logscan.Line) {
	text := l.Text
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
	for i := l.Hit; ; {
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
		o.file, o.line, o.at, o.lineTime = c.file, l.N, at, lineTime
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
