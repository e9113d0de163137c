package pyread

import (
	"encoding/json"
	"math/rand"
	"os/exec"
	"strings"
	"testing"
)

// TestBase64DecoderAgreesWithBinascii runs 4000 random strings over a
// small alphabet (data, padding, the URL-safe characters, noise) through
// CPython's binascii.a2b_base64, lenient and strict, and the reader's.
func TestBase64DecoderAgreesWithBinascii(t *testing.T) {
	if _, err := exec.LookPath("/usr/bin/python3"); err != nil {
		t.Skip("CPython (/usr/bin/python3) is not installed: the differential test needs it")
	}
	r := rand.New(rand.NewSource(1))
	alpha := "ABCab09+/=-_ *\n"
	var ins []string
	for i := 0; i < 4000; i++ {
		n := r.Intn(12)
		var sb strings.Builder
		for j := 0; j < n; j++ {
			sb.WriteByte(alpha[r.Intn(len(alpha))])
		}
		ins = append(ins, sb.String())
	}
	in, _ := json.Marshal(ins)
	py := `
import json, sys, binascii
out = []
for s in json.loads(sys.stdin.read()):
    row = []
    for strict in (False, True):
        try:
            row.append(["ok", binascii.a2b_base64(s.encode(), strict_mode=strict).hex()])
        except binascii.Error as e:
            row.append(["err", str(e)])
    out.append(row)
print(json.dumps(out))
`
	cmd := exec.Command("/usr/bin/python3", "-c", py)
	cmd.Stdin = strings.NewReader(string(in))
	o, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var want [][][2]string
	if err := json.Unmarshal(o, &want); err != nil {
		t.Fatal(err)
	}
	bad := 0
	for i, s := range ins {
		for k, strict := range []bool{false, true} {
			got, msg := a2bBase64(s, strict)
			g := [2]string{"ok", hexs(got)}
			if msg != "" {
				g = [2]string{"err", msg}
			}
			if g != want[i][k] {
				bad++
				if bad < 20 {
					t.Errorf("%q strict=%v: got %v want %v", s, strict, g, want[i][k])
				}
			}
		}
	}
}

func hexs(s string) string {
	const h = "0123456789abcdef"
	var b []byte
	for i := 0; i < len(s); i++ {
		b = append(b, h[s[i]>>4], h[s[i]&15])
	}
	return string(b)
}
