package token_test

import (
	"encoding/base64"
	"os/exec"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/token"
)

// payloadCases are JSON payloads at the edge of what a decoder accepts:
// escapes, control characters, trailing data, duplicates, nesting.
var payloadCases = []string{
	`{"a":1}`,
	`{"a":1}x`,
	`{"a":1}}`,
	`{"a":1}]`,
	`{"a":1},`,
	`{"a":1} 1`,
	"{\"a\":1} \t\r\n",
	`{"note":"a\0b"}`,
	`{"":"\0"}`,
	`{"a":"\x41"}`,
	`{"a":"\u00e9\/\b\f\n\r\t\"\\"}`,
	`{"a":"\u12"}`,
	`{"a":"\u12g4"}`,
	`{"a":"\ud800"}`,
	"{\"a\":\"x\x01y\"}",
	"{\"a\":\"x\x7fy\"}",
	`{"a":1,"a":2}`,
	`{"exp":1,"exp":"2"}`,
	`{"a":[1,2,]}`,
	`{"a":01}`,
	`{"a":1.}`,
	`{"a":-0}`,
	`{"a":1e400}`,
	`{"a":tru}`,
	`{"a" 1}`,
	`{'a':1}`,
	`[]`,
	`"a"`,
	``,
	` {"a":{"b":{"c":[null,true,false,"x"]}}} `,
}

// The payload decoder accepts and refuses what PyJWT 2.6 (CPython's json)
// accepts and refuses. Invalid UTF-8 is left out on purpose: PyJWT
// refuses it, the decoder reads it with U+FFFD (see the report).
func TestPayloadDecodingAgreesWithPyJWT(t *testing.T) {
	if _, err := exec.LookPath("/usr/bin/python3"); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	b64 := base64.RawURLEncoding.EncodeToString
	var toks []string
	for _, p := range payloadCases {
		toks = append(toks, b64([]byte(`{"alg":"RS256"}`))+"."+b64([]byte(p))+"."+b64([]byte("sig")))
	}
	const script = `
import sys, jwt
for line in sys.stdin.read().split("\n"):
    if not line:
        continue
    try:
        jwt.decode(line, options={"verify_signature": False})
        print("ok")
    except jwt.DecodeError:
        print("refused")
`
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Stdin = strings.NewReader(strings.Join(toks, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("PyJWT unavailable: %v", err)
	}
	verdicts := strings.Fields(string(out))
	if len(verdicts) != len(toks) {
		t.Fatalf("PyJWT answered %d lines for %d tokens: %s", len(verdicts), len(toks), out)
	}
	for i, p := range payloadCases {
		_, prob := token.Decode(token.Candidate{Label: "token", Raw: toks[i]})
		ours := "ok"
		if prob != nil {
			ours = "refused"
		}
		if ours != verdicts[i] {
			t.Errorf("payload %q: PyJWT %s, token.Decode %s (%v)", p, verdicts[i], ours, prob)
		}
	}
}
