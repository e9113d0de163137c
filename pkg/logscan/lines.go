package logscan

import (
	"bytes"
)

// MaxLine bounds one line; a longer line is skipped (and counted, see
// Blocks), so an input without newlines cannot make memory grow.
const MaxLine = 4 << 20

// Line is a line that passed the pre-filter.
type Line struct {
	// N is the line's number in its input, from 1.
	N int
	// Text is the line without its end of line, a view of the block.
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

// Lines returns the lines of a block (Blocks.Next) that may hold a token.
// Lines without "eyJ" are never looked at one by one: the pre-filter runs
// over the whole block and the newlines before a hit are counted with a
// vectorised count, which is what makes the scan run at memory speed.
type Lines struct {
	data  []byte
	start int // unread data is data[start:]
	nl    int // newlines before data[start]
}

// LinesIn returns the lines of an in-memory block that may hold a token,
// numbered from 1 at the block's start. The block begins a line.
func LinesIn(block []byte) *Lines { return &Lines{data: block} }

// Next returns the next line holding "eyJ"; false at the end of the block.
func (l *Lines) Next() (Line, bool) {
	data := l.data[l.start:]
	k := bytes.Index(data, prefix)
	if k < 0 {
		l.start = len(l.data)
		return Line{}, false
	}
	ls := lineStart(data, k)
	l.nl += bytes.Count(data[:ls], []byte{'\n'})
	end, next := len(data), len(data) // the block's last line has no newline
	if le := bytes.IndexByte(data[k:], '\n'); le >= 0 {
		end, next = k+le, k+le+1
	}
	text := data[ls:end]
	if n := len(text); n > 0 && text[n-1] == '\r' {
		text = text[:n-1]
	}
	line := Line{N: l.nl + 1, Text: text, Hit: k - ls}
	if next > end {
		l.nl++
	}
	l.start += next
	return line, true
}
