package batch_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/batch"
	"github.com/authdoctor/authdoctor/pkg/cli"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
)

// A real RS256 ID token (RFC 7515 A.2) and a few shapes batch input takes.
const (
	rfcToken = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
)

// expectedLines is what the batch reader must hand to the job: every
// line (bufio.ScanLines: \n separated, a final \r dropped), trimmed,
// without empty lines and # comments, numbered from 1.
func expectedLines(data []byte) (map[int]string, []int, bool) {
	want := map[int]string{}
	var order []int
	tooLong := false
	n := 0
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		var line []byte
		if i < 0 {
			line, data = data, nil
		} else {
			line, data = data[:i], data[i+1:]
		}
		n++
		if len(line) >= batch.MaxLine-1 { // at the bound the scanner's buffer decides

			tooLong = true
			break
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		s := strings.TrimSpace(string(line))
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		want[n] = s
		order = append(order, n)
	}
	return want, order, tooLong
}

// FuzzBatchRun feeds arbitrary input to batch.Run with 1 to 4 workers and
// checks that every non-empty, non-comment line reaches the job once,
// trimmed, and comes out once, in input order, as one JSON object per
// line; that it returns (no hang); and that the real `token --batch` job
// never prints a token's signature.
func FuzzBatchRun(f *testing.F) {
	for _, s := range []string{
		rfcToken + "\n",
		"# tokens from the gateway log\n\n" + rfcToken + "\r\n  Bearer " + rfcToken + "  \nnot-a-token\n",
		"a\nb\nc",
		"\n\n\n",
		"#\n#x\n   #y\n",
		"\r\n\r",
		"x\x00y\n\xff\xfe\n",
		strings.Repeat("t\n", 300),
		"eyJhbGciOiJub25lIn0.eyJleHAiOjF9.\n" + `{"id_token":"` + rfcToken + `"}` + "\n",
	} {
		f.Add([]byte(s), uint8(2))
	}
	f.Fuzz(func(t *testing.T, data []byte, w uint8) {
		workers := int(w%4) + 1
		want, order, tooLong := expectedLines(data)

		var mu sync.Mutex
		seen := map[int]string{}
		job := func(line int, text string) batch.Out {
			mu.Lock()
			if _, dup := seen[line]; dup {
				mu.Unlock()
				panic("line handed to the job twice")
			}
			seen[line] = text
			mu.Unlock()
			return batch.Out{Line: line, Fingerprint: "f", Verdict: "ok", Checks: []string{"TOK001"}, Worst: 3}
		}
		var out bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		sum, err := batch.Run(ctx, bytes.NewReader(data), &out, workers, job)
		if ctx.Err() != nil {
			t.Fatalf("batch.Run did not finish within 20s (%d bytes)", len(data))
		}
		if tooLong {
			return // TestTooLongLineIsAnError covers the error
		}
		if err != nil {
			t.Fatalf("batch.Run: %v", err)
		}
		if len(seen) != len(want) {
			t.Fatalf("the job saw %d lines, want %d", len(seen), len(want))
		}
		for n, s := range want {
			if seen[n] != s {
				t.Fatalf("line %d reached the job as %q, want %q", n, seen[n], s)
			}
		}
		if sum.Lines != len(want) || sum.Verdicts["ok"] != len(want) || (len(want) > 0 && (sum.Worst != 3 || sum.Checks["TOK001"] != len(want))) {
			t.Fatalf("summary %+v for %d lines", sum, len(want))
		}
		sc := bufio.NewScanner(&out)
		i := 0
		for sc.Scan() {
			var o batch.Out
			if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
				t.Fatalf("output line %d is not JSON: %v: %q", i+1, err, sc.Text())
			}
			if i >= len(order) || o.Line != order[i] {
				t.Fatalf("output line %d is for input line %d, want %v", i+1, o.Line, order)
			}
			i++
		}
		if i != len(order) {
			t.Fatalf("%d output lines, want %d", i, len(order))
		}

		// The real job of `token --batch`.
		tout, terr := runTokenBatch(t, data)
		if terr != nil {
			t.Fatalf("token --batch: %v", terr)
		}
		for _, s := range want {
			parts := strings.Split(s, ".")
			if len(parts) == 3 && len(parts[2]) >= 16 && !strings.Contains(parts[0]+"."+parts[1], parts[2]) && strings.Contains(tout, parts[2]) {
				t.Fatalf("token --batch printed a signature segment %q:\n%s", parts[2], tout)
			}
		}
		if n := strings.Count(tout, "\n"); n != len(want) {
			t.Fatalf("token --batch printed %d lines for %d tokens:\n%s", n, len(want), tout)
		}
	})
}

func runTokenBatch(t *testing.T, data []byte) (string, error) {
	var out, errOut bytes.Buffer
	ios := &cmdutil.IOStreams{In: bytes.NewReader(data), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }}
	now := time.Date(2024, 10, 26, 12, 0, 0, 0, time.UTC)
	code := cli.Run(t.Context(), []string{"token", "--batch", "-", "--fail-on", "never", "--leeway", "1m"}, ios, func() time.Time { return now })
	if code != 0 {
		return out.String(), fmt.Errorf("exit %d: %s", code, errOut.String())
	}
	return out.String(), nil
}
