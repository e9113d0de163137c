package logscan_test

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/authdoctor/authdoctor/pkg/logscan"
)

// blockCandidates reads r in blocks of dst's capacity, as a scan does,
// and numbers each block's candidate lines (LinesIn) from the lines of
// the blocks and the skipped lines before them.
func blockCandidates(t *testing.T, r io.Reader, capacity int) (map[int]string, int, *logscan.Blocks) {
	t.Helper()
	b := logscan.NewBlocks(r)
	got, base := map[int]string{}, 0
	dst := make([]byte, 0, capacity)
	for {
		block, skipped, ok := b.Next(dst)
		if !ok {
			break
		}
		if n := len(block); n > 0 && block[n-1] != '\n' && b.Err() == nil {
			if more, _, again := b.Next(dst); again {
				t.Fatalf("a block ends inside a line (%.20q…) and another follows (%.20q…)", block[max(n-20, 0):], more)
			}
		}
		base += skipped
		lines := logscan.LinesIn(block)
		for {
			l, ok := lines.Next()
			if !ok {
				break
			}
			if _, dup := got[base+l.N]; dup {
				t.Fatalf("line %d returned twice", base+l.N)
			}
			if !strings.HasPrefix(string(l.Text[l.Hit:]), "eyJ") {
				t.Fatalf("line %d: Hit %d is not at eyJ", base+l.N, l.Hit)
			}
			got[base+l.N] = string(l.Text)
		}
		base += logscan.CountLines(block)
		dst = block[:0]
	}
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	return got, base, b
}

// Blocks and LinesIn find the same lines, with the same numbers, as the
// log was written with (buildLog), whatever the reads return and however
// small the block (it grows for a long line).
func TestBlocksFindTheCandidateLinesWithTheirNumbers(t *testing.T) {
	big, wantBig := buildLog(t, 30000)
	small, wantSmall := buildLog(t, 2500)
	cases := []struct {
		name     string
		r        io.Reader
		capacity int
		data     string
		want     map[int]string
	}{
		{"whole", strings.NewReader(big), 256 << 10, big, wantBig},
		{"half reads", iotest.HalfReader(strings.NewReader(big)), 256 << 10, big, wantBig},
		{"small blocks", strings.NewReader(big), 100, big, wantBig},
		{"byte by byte", iotest.OneByteReader(strings.NewReader(small)), 256 << 10, small, wantSmall},
		{"error with the last data", iotest.DataErrReader(strings.NewReader(small)), 4 << 10, small, wantSmall},
	}
	for _, c := range cases {
		got, lines, b := blockCandidates(t, c.r, c.capacity)
		if len(got) != len(c.want) {
			t.Fatalf("%s: %d lines, want %d", c.name, len(got), len(c.want))
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Fatalf("%s: line %d = %.60q, want %.60q", c.name, k, got[k], v)
			}
		}
		if want := strings.Count(c.data, "\n") + 1; lines != want { // buildLog ends with a line without newline
			t.Errorf("%s: %d lines counted, want %d", c.name, lines, want)
		}
		if b.Read != int64(len(c.data)) {
			t.Errorf("%s: read %d bytes, want %d", c.name, b.Read, len(c.data))
		}
	}
}

// A line longer than MaxLine is skipped and counted; the numbering of the
// lines after it stays right, also when the input ends inside one.
func TestBlocksSkipOverlongLines(t *testing.T) {
	data := "a eyJ\n" + strings.Repeat("x", logscan.MaxLine+10) + "eyJ\nb eyJ\n" + strings.Repeat("y", 3*logscan.MaxLine) + "\nc eyJ\n" + strings.Repeat("z", logscan.MaxLine+1)
	got, lines, b := blockCandidates(t, strings.NewReader(data), 256<<10)
	if len(got) != 3 || got[1] != "a eyJ" || got[3] != "b eyJ" || got[5] != "c eyJ" || b.Skipped != 3 || lines != 6 {
		t.Fatalf("got %v, skipped %d, %d lines", keys(got), b.Skipped, lines)
	}
}

// trickle returns its lines one read at a time and fails the test when it
// is read again before the last block came back: a stream's lines must
// be judged before the next read, which may wait for minutes.
type trickle struct {
	t        *testing.T
	lines    []string
	returned *bool
}

func (s *trickle) Read(p []byte) (int, error) {
	if !*s.returned {
		s.t.Fatalf("read again before the lines already read were returned (left %q)", s.lines)
	}
	if len(s.lines) == 0 {
		return 0, io.EOF
	}
	*s.returned = false
	n := copy(p, s.lines[0])
	if s.lines[0] = s.lines[0][n:]; s.lines[0] == "" {
		s.lines = s.lines[1:]
	}
	return n, nil
}

func TestBlocksReturnWhatAStreamGave(t *testing.T) {
	returned := true
	b := logscan.NewBlocks(&trickle{t: t, lines: []string{"one eyJ\n", "two eyJ\nthree", " eyJ\n"}, returned: &returned})
	var got []string
	for {
		block, _, ok := b.Next(nil)
		if !ok {
			break
		}
		returned = true
		got = append(got, string(block))
	}
	if strings.Join(got, "|") != "one eyJ\n|two eyJ\n|three eyJ\n" {
		t.Errorf("blocks %q", got)
	}
}
