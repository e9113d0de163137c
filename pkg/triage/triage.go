// Package triage reads logs, finds every token in them (pkg/logscan),
// judges each distinct token once per time class with a Checker (the
// verification of `verify` or the decode of `token`), and summarises the
// findings by cause: counts, distinct tokens, subjects, tenants and
// clients, where each cause was first and last seen, and the tokens' age
// at first use when lines carry times. Memory stays flat on endless input:
// the cache of verdicts (pkg/tokcache), the summary's lists and the lines
// in flight are all bounded.
package triage

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authdoctor/authdoctor/pkg/batch"
	"github.com/authdoctor/authdoctor/pkg/logscan"
	"github.com/authdoctor/authdoctor/pkg/tokcache"
	"github.com/authdoctor/authdoctor/pkg/token"
)

// Options of a run.
type Options struct {
	Inputs []logscan.Input
	Stdin  io.Reader
	// Now is --now: the instant for lines without a time (and for every
	// line when LineTime is off).
	Now    time.Time
	Leeway time.Duration
	// LineTime judges exp/nbf/iat as of each line's own timestamp when it
	// has one.
	LineTime bool
	// JSON writes one object per token occurrence, then the summary; else
	// the text summary only.
	JSON bool
	// Out receives the report: NDJSON, or text (through a writer that
	// neutralises terminal control sequences: the summary quotes values
	// from tokens).
	Out io.Writer
	// Every, when not zero, writes the text summary this often while the
	// input lasts (a stream on a terminal).
	Every time.Duration
	// Progress, when not nil, gets a progress line now and then (stderr
	// on a terminal).
	Progress io.Writer
	// Workers judging tokens (0: GOMAXPROCS).
	Workers int
	// CacheEntries and CacheBytes bound the cache of verdicts.
	CacheEntries int
	CacheBytes   int64
	// CheckName names a check ID in the summary.
	CheckName func(string) string
}

// Default cache bounds: an hour of a busy service's log holds a few
// thousand distinct tokens; an entry takes about 1 KiB (measured), so the
// cache stays under 32 MiB.
const (
	DefaultCacheEntries = 1 << 15
	DefaultCacheBytes   = 32 << 20
)

// run is the state of one scan.
type run struct {
	o        Options
	verdicts *verdicts
	agg      *aggregator
	out      *bufio.Writer
	werr     error
	read     atomic.Int64 // bytes read
	lines    atomic.Int64 // lines read (counted by the summary)
	file     int          // the input of the chunk being summed up
	lineBase int          // lines of that input before the chunk
	skipped  atomic.Int64 // over-long lines
	mu       sync.Mutex
	errs     []string // read errors, by the producer
	fileJSON [][]byte // the inputs' names as JSON strings
	buf      []byte   // an NDJSON line being written
	start    time.Time
	lastTick time.Time
	progress progressLine
}

// Run scans the inputs and writes the report. It returns the summary (also
// when interrupted: ctx's error is returned with it) and an error when an
// input could not be read or the output written.
func Run(ctx context.Context, o Options, check Checker) (*Summary, error) {
	if o.CacheEntries <= 0 {
		o.CacheEntries = DefaultCacheEntries
	}
	if o.CacheBytes <= 0 {
		o.CacheBytes = DefaultCacheBytes
	}
	r := &run{o: o, start: time.Now(), out: bufio.NewWriterSize(o.Out, 64<<10),
		verdicts: &verdicts{cache: tokcache.New[entry](o.CacheEntries, o.CacheBytes), check: check, leeway: o.Leeway}}
	r.agg = newAggregator(o.CheckName)
	for _, in := range o.Inputs {
		r.agg.files = append(r.agg.files, in.Name)
		j, _ := json.Marshal(in.Name)
		r.fileJSON = append(r.fileJSON, j)
	}
	pool := batch.Pool[*chunk]{Workers: o.Workers, Work: r.work, Consume: r.consume, Idle: r.flush}
	var tick *time.Ticker
	if o.Every > 0 || o.Progress != nil {
		tick = time.NewTicker(time.Second)
		defer tick.Stop()
		pool.Tick, pool.OnTick = tick.C, r.tick
	}
	r.lastTick = r.start
	err := pool.Run(ctx, r.produce)
	r.progress.clear(o.Progress)
	s := r.summary()
	s.Interrupted = ctx.Err() != nil
	if werr := r.writeSummary(s); err == nil {
		err = werr
	}
	if err == nil && len(s.Errors) > 0 {
		err = fmt.Errorf("%s", s.Errors[0])
	}
	return s, err
}

func (r *run) summary() *Summary {
	s := r.agg.summary()
	s.Lines, s.Bytes, s.LongLines = int(r.lines.Load()), r.read.Load(), int(r.skipped.Load())
	s.Cache = r.verdicts.cache.Stats()
	r.mu.Lock()
	s.Errors = append([]string(nil), r.errs...)
	r.mu.Unlock()
	return s
}

func (r *run) writeSummary(s *Summary) error {
	if r.o.JSON {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(map[string]*Summary{"summary": s}); err != nil {
			return err
		}
		r.write(b.Bytes())
	} else if r.werr == nil {
		r.werr = s.WriteText(r.out)
	}
	r.flush()
	return r.werr
}

func (r *run) write(b []byte) {
	if r.werr == nil {
		_, r.werr = r.out.Write(b)
	}
}

func (r *run) flush() {
	if r.werr == nil {
		r.werr = r.out.Flush()
	}
}

// tick runs on the consuming goroutine once a second: the progress line,
// and the periodic summary when one is due.
func (r *run) tick() {
	now := time.Now()
	if r.o.Every > 0 && now.Sub(r.lastTick) >= r.o.Every && !r.o.JSON {
		r.lastTick = now
		r.progress.clear(r.o.Progress)
		s := r.summary()
		r.write([]byte(fmt.Sprintf("— %s —\n", now.Format("15:04:05"))))
		r.writeSummary(s)
	}
	if r.o.Progress != nil {
		el := now.Sub(r.start).Seconds()
		r.progress.show(r.o.Progress, fmt.Sprintf("scanned %s in %s (%.0f MB/s), %s (%s distinct)",
			bytesText(r.read.Load()), plural(int(r.lines.Load()), "line"), float64(r.read.Load())/1e6/max(el, 1e-3), plural(r.agg.tokens, "token"), distinctText(r.agg.distinct)))
	}
}

func distinctText(d *distinct) string {
	n, est := d.count()
	if est {
		return "≈" + count(n)
	}
	return count(n)
}

func bytesText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d kB", n>>10)
}

// progressLine is one line of stderr rewritten in place.
type progressLine struct{ shown bool }

func (p *progressLine) show(w io.Writer, s string) {
	fmt.Fprintf(w, "\r%s\x1b[K", s)
	p.shown = true
}

func (p *progressLine) clear(w io.Writer) {
	if p.shown && w != nil {
		fmt.Fprint(w, "\r\x1b[K")
		p.shown = false
	}
}

// consume adds a chunk's occurrences to the summary and, with -o json,
// writes them, in input order.
func (r *run) consume(c *chunk) {
	if c.file != r.file {
		r.file, r.lineBase = c.file, 0
	}
	r.lineBase += c.skipped
	for i := range c.occs {
		o := &c.occs[i]
		o.line += r.lineBase // numbered within the block by the worker
		r.agg.add(o)
		if r.o.JSON && r.werr == nil {
			r.buf = appendOccurrence(r.buf[:0], r.fileJSON[o.file], o)
			r.write(r.buf)
		}
	}
	r.lineBase += c.lines
	r.lines.Add(int64(c.skipped + c.lines))
	release(c)
}

// appendOccurrence writes one NDJSON line: the file (already JSON), and
// the fields of a --batch line (line, fingerprint, verdict, checks), whose
// values are plain ASCII.
func appendOccurrence(b []byte, fileJSON []byte, o *occurrence) []byte {
	b = append(b, `{"file":`...)
	b = append(b, fileJSON...)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, int64(o.line), 10)
	b = append(b, `,"fingerprint":`...)
	b = append(token.AppendFingerprint(append(b, '"'), o.e.fingerprint), '"') // hex: nothing to escape
	b = append(b, `,"verdict":`...)
	b = strconv.AppendQuote(b, o.res.Verdict)
	b = append(b, `,"checks":[`...)
	for i, c := range o.res.Checks {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, c)
	}
	return append(b, "]}\n"...)
}
