package logscan

import (
	"bytes"
	"io"
)

// MaxLine bounds one line; a longer line is skipped (and counted), so an
// input without newlines cannot make memory grow.
const MaxLine = 4 << 20

// Line is a line that passed the pre-filter.
type Line struct {
	// N is the line's number in its input, from 1.
	N int
	// Text is the line without its end of line; it is valid until the
	// next call to Next.
	Text []byte
	// Hit is where the first "eyJ" is in Text.
	Hit int
}

// lineStart is where the line holding data[k] starts. data begins a line,
// so it is just after the last newline before k, found going forwards
// with the vectorised IndexByte (LastIndexByte is a plain byte loop, and
// the part of a line before a token is long).
func lineStart(data []byte, k int) int {
	ls := 0
	for {
		j := bytes.IndexByte(data[ls:k], '\n')
		if j < 0 {
			return ls
		}
		ls += j + 1
	}
}

// Lines reads an input and returns only the lines that may hold a token.
// Lines without "eyJ" are never looked at one by one: the pre-filter runs
// over whole buffers and the newlines before a hit are counted with a
// vectorised count, which is what makes the scan run at memory speed.
type Lines struct {
	r          io.Reader
	buf        []byte
	start, end int // unread data is buf[start:end]
	nl         int // newlines before buf[start]
	skipping   bool
	eof        bool
	last       byte // the last byte read
	err        error
	// Read is the number of bytes read; Skipped counts lines over MaxLine.
	Read    int64
	Skipped int
}

// NewLines reads r.
func NewLines(r io.Reader) *Lines { return &Lines{r: r, buf: make([]byte, 256<<10)} }

// Err is the read error that ended the input, if any.
func (l *Lines) Err() error { return l.err }

// LinesRead is the number of lines consumed so far; at the end of the
// input it counts a last line without a newline too.
func (l *Lines) LinesRead() int {
	if l.eof && l.start >= l.end && l.Read > 0 && l.last != '\n' {
		return l.nl + 1
	}
	return l.nl
}

// Next returns the next line holding "eyJ"; false at the end of the input.
func (l *Lines) Next() (Line, bool) {
	for {
		data := l.buf[l.start:l.end]
		if l.skipping {
			if !l.skipLong(data) {
				if !l.fill() {
					return Line{}, false
				}
			}
			continue
		}
		if k := bytes.Index(data, prefix); k >= 0 {
			ls := lineStart(data, k)
			le := bytes.IndexByte(data[k:], '\n')
			if le >= 0 || l.eof {
				return l.take(data, ls, k, le), true
			}
			// The line goes on past the buffer: consume what is before
			// it and read more.
			l.consume(data, ls)
		} else if nl := bytes.LastIndexByte(data, '\n'); nl >= 0 {
			l.consume(data, nl+1)
		} else if l.eof {
			return Line{}, false
		}
		if !l.fill() {
			if l.start < l.end && !l.skipping {
				continue // the last line, without a newline
			}
			return Line{}, false
		}
	}
}

// take returns the line data[ls:...] whose hit is at k and newline at
// k+le (le < 0: the input's last line), and consumes it.
func (l *Lines) take(data []byte, ls, k, le int) Line {
	l.nl += bytes.Count(data[:ls], []byte{'\n'})
	end := len(data)
	next := len(data)
	if le >= 0 {
		end = k + le
		next = end + 1
	}
	text := data[ls:end]
	if n := len(text); n > 0 && text[n-1] == '\r' {
		text = text[:n-1]
	}
	line := Line{N: l.nl + 1, Text: text, Hit: k - ls}
	if le >= 0 {
		l.nl++
	}
	l.start += next
	return line
}

// consume drops data[:n], counting its newlines.
func (l *Lines) consume(data []byte, n int) {
	l.nl += bytes.Count(data[:n], []byte{'\n'})
	l.start += n
}

// skipLong drops the rest of an over-long line; true when its end was
// found.
func (l *Lines) skipLong(data []byte) bool {
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		l.start = l.end
		return false
	}
	l.nl++
	l.start += i + 1
	l.skipping = false
	return true
}

// fill reads more, keeping the unread data; false at the end of input.
func (l *Lines) fill() bool {
	if l.eof {
		return false
	}
	if l.start > 0 {
		n := copy(l.buf, l.buf[l.start:l.end])
		l.start, l.end = 0, n
	}
	if l.end == len(l.buf) {
		if len(l.buf) >= MaxLine {
			// One line fills the largest buffer: skip it.
			l.Skipped++
			l.skipping = true
			l.start, l.end = 0, 0
		} else {
			nb := make([]byte, min(2*len(l.buf), MaxLine))
			copy(nb, l.buf[:l.end])
			l.buf = nb
		}
	}
	n, err := l.r.Read(l.buf[l.end:])
	if n > 0 {
		l.last = l.buf[l.end+n-1]
	}
	l.end += n
	l.Read += int64(n)
	if err != nil {
		l.eof = true
		if err != io.EOF {
			l.err = err
		}
	}
	return n > 0 || !l.eof
}
