package logscan

import (
	"bytes"
	"io"
)

// Blocks reads an input as blocks of whole lines, so that the reading
// goroutine only reads and the lines are split where they are judged
// (LinesIn, on another core): on a log where every line holds a repeated
// token, a reader that also split and copied lines was the bottleneck of
// two cores.
type Blocks struct {
	r        io.Reader
	rest     []byte // the start of a line whose end is not read yet
	skipping bool   // dropping the rest of a line over MaxLine
	eof      bool
	err      error
	// Read is the number of bytes read; Skipped counts lines over MaxLine.
	Read    int64
	Skipped int
}

// NewBlocks reads r.
func NewBlocks(r io.Reader) *Blocks { return &Blocks{r: r} }

// Err is the read error that ended the input, if any.
func (b *Blocks) Err() error { return b.err }

// Next reads the next block into dst's storage (growing it for a line
// longer than dst's capacity, up to MaxLine) and returns it with the
// number of lines skipped just before it (over MaxLine). A block ends
// with a newline, except the input's last line. It comes back after the
// first read that completes a line: a stream that trickles (kubectl logs
// -f) gets each line judged before the next read waits, and a file gives
// blocks of dst's capacity.
// ok is false at the end of the input, when there is nothing to return.
func (b *Blocks) Next(dst []byte) (block []byte, skipped int, ok bool) {
	dst = append(dst[:0], b.rest...)
	b.rest = b.rest[:0]
	for !b.eof {
		// There is no newline in dst (there would have been a return):
		// it holds the start of one line.
		if len(dst) == cap(dst) && cap(dst) >= MaxLine {
			b.Skipped++
			skipped++
			b.skipping, dst = true, dst[:0]
		} else if cap(dst)-len(dst) < 4<<10 && cap(dst) < MaxLine {
			dst = append(make([]byte, 0, min(max(2*cap(dst), 64<<10), MaxLine)), dst...)
		}
		from := len(dst)
		n, err := b.r.Read(dst[from:cap(dst)])
		dst = dst[:from+n]
		b.Read += int64(n)
		if err != nil {
			b.eof = true
			if err != io.EOF {
				b.err = err
			}
		}
		if b.skipping {
			i := bytes.IndexByte(dst[from:], '\n')
			if i < 0 {
				dst = dst[:0]
				continue
			}
			dst = dst[:copy(dst, dst[from+i+1:])]
			b.skipping = false
		}
		if nl := bytes.LastIndexByte(dst, '\n'); nl >= 0 && !b.eof {
			b.rest = append(b.rest, dst[nl+1:]...)
			return dst[:nl+1], skipped, true
		}
	}
	if b.skipping {
		dst = dst[:0] // the input ended inside the skipped line
	}
	return dst, skipped, len(dst) > 0 || skipped > 0
}

// CountLines is the number of lines in a block: its newlines, and its
// last line when it has no newline (the input's last line).
func CountLines(block []byte) int {
	n := bytes.Count(block, []byte{'\n'})
	if len(block) > 0 && block[len(block)-1] != '\n' {
		n++
	}
	return n
}
