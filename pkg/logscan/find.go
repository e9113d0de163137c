// Package logscan finds compact JWS/JWE tokens anywhere in lines of log
// text, reads log files (plain or gzip, several, globs, stdin) line by line
// at the speed of a byte search, and reads the timestamp a log line
// carries. It verifies nothing.
package logscan

import (
	"bytes"
	"encoding/base64"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/token"
)

// Kind tells a signed token from an encrypted one.
type Kind uint8

const (
	// JWS is a compact JWS (a JWT): header.payload.signature.
	JWS Kind = iota + 1
	// JWE is a compact JWE: five segments, header with "enc".
	JWE
)

func (k Kind) String() string {
	if k == JWE {
		return "jwe"
	}
	return "jws"
}

// Match is one token found in a line.
type Match struct {
	// Start and End delimit the token's text in the line, as written
	// (escapes included).
	Start, End int
	// Token is the token with JSON \uXXXX escapes resolved. It shares
	// the line's bytes when the token had none.
	Token []byte
	Kind  Kind
}

// The candidate grammar. Every JOSE header starts with `{"`, which is
// "eyJ" in base64url: that is the pre-filter, found with a vectorised
// byte search. From there a token is a run of base64url characters and
// dots (a JSON \u escape of one counts as that character), which:
//   - starts at a boundary (not inside a longer base64url run);
//   - has three segments (JWS) or five (JWE); one trailing dot, as at
//     the end of a sentence, is not part of it;
//   - has a header that decodes to a JSON object with "alg" (and "enc"
//     for a JWE), read by the same decoder as the token command's;
//   - has a non-empty payload (JWS) and a signature, which may be empty
//     only for alg "none";
//   - has segments whose lengths base64url can have (never 1 mod 4).
// Random base64 in logs fails the header test; a JSON object that was
// base64-encoded without being a token fails the segment count.

// prefix is `{"` in base64url: how every JOSE header starts.
var prefix = []byte("eyJ")

// tokenByte marks base64url characters and the dot.
var tokenByte = func() (t [256]bool) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t['_'], t['.'] = true, true, true
	return t
}()

const (
	otherChar = iota
	b64Char
	dotChar
)

// class sorts bytes for plainRun.
var class = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c == '.':
			t[c] = dotChar
		case tokenByte[c]:
			t[c] = b64Char
		}
	}
	return t
}()

// Contains reports whether line may hold a token: the pre-filter alone.
func Contains(line []byte) bool { return bytes.Contains(line, prefix) }

// Finder finds tokens in lines. It remembers the headers it has judged
// (tokens in a log share a handful), so it is not safe for concurrent use:
// give each goroutine its own.
type Finder struct {
	headers map[string]headerInfo
}

type headerInfo struct{ ok, none, enc bool }

// maxHeaders bounds the memory of judged headers; the map starts over
// when full.
const maxHeaders = 4096

// NewFinder returns a Finder.
func NewFinder() *Finder { return &Finder{headers: map[string]headerInfo{}} }

// Find appends every token in line to dst, in order.
func (f *Finder) Find(line []byte, dst []Match) []Match {
	for i := 0; ; {
		s := NextStart(line, i)
		if s < 0 {
			return dst
		}
		m, end := f.At(line, s)
		if m.Kind != 0 {
			dst = append(dst, m)
		}
		i = end
	}
}

// NextStart returns where the next token may start at or after i: an
// "eyJ" at a boundary (-1: none).
func NextStart(line []byte, i int) int {
	for i < len(line) {
		k := bytes.Index(line[i:], prefix)
		if k < 0 {
			return -1
		}
		if s := i + k; boundaryBefore(line, s) {
			return s
		}
		i += k + 1
	}
	return -1
}

// At reads the candidate that starts at s (from NextStart). Its Kind is
// 0 when there is no token there; end is where the search goes on.
func (f *Finder) At(line []byte, s int) (m Match, end int) { return f.candidate(line, s) }

// boundaryBefore: the token at s does not continue a longer run. A JSON
// escape (\n) or a percent-encoded byte (%3D) just before it is a
// boundary although it ends in a letter or digit.
func boundaryBefore(line []byte, s int) bool {
	if s == 0 || !tokenByte[line[s-1]] {
		return true
	}
	if s >= 2 && line[s-2] == '\\' && strings.IndexByte("nrtbf", line[s-1]) >= 0 {
		return true
	}
	return s >= 3 && line[s-3] == '%' && isHex(line[s-2]) && isHex(line[s-1])
}

// candidate reads the run starting at s and judges it. end is where the
// search goes on.
func (f *Finder) candidate(line []byte, s int) (Match, int) {
	var dots [6]int
	n, nd := plainRun(line[s:], &dots)
	end, tok := s+n, line[s:s+n]
	if end < len(line) && escaped(line[end:]) != 0 {
		// Escapes inside the token (a JSON encoder that writes "." as
		// \u002e): read it again, resolving them.
		end, tok = resolved(line, s)
		_, nd = plainRun(tok, &dots)
	}
	if nd > len(dots) {
		return Match{}, end
	}
	if (nd == 3 || nd == 5) && dots[nd-1] == len(tok)-1 {
		// A trailing dot ends a sentence; it is not part of the token.
		tok, nd = tok[:len(tok)-1], nd-1
		end = trimDot(line, s, end)
	}
	var kind Kind
	switch nd {
	case 2:
		kind = JWS
	case 4:
		kind = JWE
	default:
		return Match{}, end
	}
	// seg(i) is the length of segment i.
	seg := func(i int) int {
		from, to := 0, len(tok)
		if i > 0 {
			from = dots[i-1] + 1
		}
		if i < nd {
			to = dots[i]
		}
		return to - from
	}
	for i := 0; i <= nd; i++ {
		if seg(i)%4 == 1 {
			return Match{}, end
		}
	}
	h := f.header(tok[:dots[0]])
	switch {
	case !h.ok:
		return Match{}, end
	case kind == JWS && (seg(1) == 0 || (seg(2) == 0 && !h.none)):
		return Match{}, end
	case kind == JWE && (!h.enc || seg(2) == 0 || seg(3) == 0 || seg(4) == 0):
		return Match{}, end
	}
	return Match{Start: s, End: end, Token: tok, Kind: kind}, end
}

// plainRun returns the length of the run of base64url characters and dots
// at the start of b, its number of dots and where the first ones are, in
// one pass: this loop is most of the cost of a line with a token. (Eight
// bytes at a time with word arithmetic measured slower than this table.)
func plainRun(b []byte, dots *[6]int) (n, nd int) {
	for i, c := range b {
		switch class[c] {
		case b64Char:
		case dotChar:
			if nd < len(dots) {
				dots[nd] = i
			}
			nd++
		default:
			return i, nd
		}
	}
	return len(b), nd
}

// resolved reads the run at s resolving \u escapes of base64url
// characters and dots; it returns the run's end in the line and its text.
func resolved(line []byte, s int) (int, []byte) {
	var out []byte
	j := s
	for j < len(line) {
		if c := line[j]; tokenByte[c] {
			out = append(out, c)
			j++
			continue
		}
		c := escaped(line[j:])
		if c == 0 {
			break
		}
		out = append(out, c)
		j += 6
	}
	return j, out
}

// escaped returns the base64url character or dot that a \uXXXX escape at
// the start of b stands for, or 0.
func escaped(b []byte) byte {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' || b[2] != '0' || b[3] != '0' || !isHex(b[4]) || !isHex(b[5]) {
		return 0
	}
	c := unhex(b[4])<<4 | unhex(b[5])
	if !tokenByte[c] {
		return 0
	}
	return c
}

// trimDot moves end back over the trailing dot (written plainly or as an
// escape).
func trimDot(line []byte, s, end int) int {
	if end-1 >= s && line[end-1] == '.' {
		return end - 1
	}
	return end - 6
}

// header judges a header segment once: it must decode to a JSON object
// with "alg", as token.Decode requires.
func (f *Finder) header(seg []byte) headerInfo {
	if h, ok := f.headers[string(seg)]; ok {
		return h
	}
	var h headerInfo
	if b, err := base64.RawURLEncoding.DecodeString(string(seg)); err == nil {
		if o, _, err := token.ParseObject(b); err == nil {
			if alg, ok := o.Get("alg"); ok {
				s, _ := alg.(string)
				_, enc := o.Get("enc")
				h = headerInfo{ok: true, none: strings.EqualFold(s, "none"), enc: enc}
			}
		}
	}
	if len(f.headers) >= maxHeaders {
		clear(f.headers)
	}
	f.headers[string(seg)] = h
	return h
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
