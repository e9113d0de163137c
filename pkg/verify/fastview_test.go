package verify

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// Check may be given a view of a buffer that is then reused (a log
// line's bytes, triage.Token.Raw): the header segment it keeps as the key
// of its parsed headers must be its own copy, or the key would change
// with the buffer and the cache would hold text that is no header.
func TestFastCheckKeepsNoViewOfItsInput(t *testing.T) {
	const first, second = "eyJhbGciOiJSUzI1NiIsImtpZCI6InIxIn0", "eyJhbGciOiJFUzI1NiIsImtpZCI6ImUxIn0" // {"alg":"RS256","kid":"r1"}, {"alg":"ES256","kid":"e1"}
	f := NewFast(nil, Options{Now: time.Now()}, "", nil, "")
	buf := []byte(first + ".e30.c2ln")
	f.Check(unsafe.String(unsafe.SliceData(buf), len(buf)), nil, time.Now(), nil)
	copy(buf, second) // the buffer is reused for the next line
	f.headers.Range(func(k, _ any) bool {
		if k.(string) != first {
			t.Errorf("the parsed headers are keyed by %q, not by the header %q that was parsed", k, first)
		}
		return true
	})
	if !strings.HasPrefix(string(buf), second) {
		t.Fatal("test setup: the buffer was not overwritten")
	}
}

// The parsed headers are bounded: a log whose every token carries its own
// header (here its own kid) does not make them grow past maxHeaders.
func TestFastKeepsBoundedHeaders(t *testing.T) {
	f := NewFast(nil, Options{Now: time.Now()}, "", nil, "")
	for i := 0; i < 3*maxHeaders; i++ {
		h := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"alg":"RS256","kid":"k%d"}`, i)))
		f.Check(h+".e30.c2ln", nil, time.Now(), nil)
	}
	n := 0
	f.headers.Range(func(_, _ any) bool { n++; return true })
	if n == 0 || n > maxHeaders {
		t.Errorf("%d parsed headers kept after %d distinct ones, want 1..%d", n, 3*maxHeaders, maxHeaders)
	}
}
