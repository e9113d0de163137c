package logscan_test

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/logscan"
	"github.com/authdoctor/authdoctor/pkg/token"
)

// resolve undoes the \u00XX escapes the finder accepts inside a token.
func resolve(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+6 <= len(s) && s[i+1] == 'u' {
			if v, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				b.WriteByte(byte(v))
				i += 5
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// FuzzFind: on any line the finder does not panic, and every token it
// reports is the text at its position (escapes resolved), in order and
// without overlap, with 3 or 5 base64url segments and a header the token
// decoder reads as a JSON object with "alg".
func FuzzFind(f *testing.F) {
	a := mint(f, 1)
	for _, s := range []string{
		`10.1.2.3 - - [10/Oct/2024:13:55:36 -0700] "GET / HTTP/1.1" 401 61 "Bearer ` + a + `"`,
		`{"msg":"` + escapeDots(a) + `"}`,
		`/cb#id_token=` + a + `&access_token=` + a + `.`,
		jwe() + " " + unsigned(),
		`eyJ eyJhbGciOiJub25lIn0.eyJ9. eyJ\u002e`,
		"x%3D" + a + "\\n" + a,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		ms := logscan.NewFinder().Find(line, nil)
		last := 0
		for _, m := range ms {
			if m.Start < last || m.End <= m.Start || m.End > len(line) {
				t.Fatalf("match [%d:%d] out of order or bounds (previous end %d, line %d bytes)", m.Start, m.End, last, len(line))
			}
			last = m.End
			tok := string(m.Token)
			if resolve(string(line[m.Start:m.End])) != tok {
				t.Fatalf("token %q is not the text at [%d:%d] %q", tok, m.Start, m.End, line[m.Start:m.End])
			}
			parts := strings.Split(tok, ".")
			if (m.Kind == logscan.JWS) != (len(parts) == 3) || (m.Kind == logscan.JWE) != (len(parts) == 5) {
				t.Fatalf("%v token with %d segments: %q", m.Kind, len(parts), tok)
			}
			for _, p := range parts {
				if _, err := base64.RawURLEncoding.DecodeString(p); err != nil {
					t.Fatalf("segment %q is not base64url: %v", p, err)
				}
			}
			h, _ := base64.RawURLEncoding.DecodeString(parts[0])
			o, _, err := token.ParseObject(h)
			if err != nil {
				t.Fatalf("header %q: %v", h, err)
			}
			if _, ok := o.Get("alg"); !ok {
				t.Fatalf("header %q has no alg", h)
			}
			if m.Kind == logscan.JWS {
				if _, prob := token.Decode(token.Candidate{Label: "token", Raw: tok}); prob != nil && prob.Kind == "header" {
					t.Fatalf("token.Decode refuses the header the finder accepted: %v", prob)
				}
			}
		}
	})
}
