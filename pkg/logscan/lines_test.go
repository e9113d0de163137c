package logscan_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/logscan"
)

// buildLog writes a log of n lines (and a last one without newline)
// whose candidate lines are known.
func buildLog(t *testing.T, n int) (string, map[int]string) {
	tok := mint(t, 1)
	var b strings.Builder
	want := map[int]string{}
	add := func(i int, s string) {
		b.WriteString(s)
		b.WriteByte('\n')
		if strings.Contains(s, "eyJ") {
			want[i] = strings.TrimSuffix(s, "\r")
		}
	}
	for i := 1; i <= n; i++ {
		switch {
		case i%997 == 0:
			add(i, `10.0.0.1 - - [26/Oct/2024:12:00:00 +0000] "GET / HTTP/1.1" 200 "Bearer `+tok+`"`)
		case i%1231 == 0:
			add(i, `{"msg":"crlf line `+tok+`"}`+"\r")
		case i%401 == 0:
			add(i, "")
		default:
			add(i, `10.0.0.2 - - [26/Oct/2024:12:00:00 +0000] "GET /static/app.js HTTP/1.1" 200 5123 "-" "Mozilla/5.0"`)
		}
	}
	b.WriteString("last line eyJ without newline")
	want[n+1] = "last line eyJ without newline"
	return b.String(), want
}

func keys(m map[int]string) []int {
	var k []int
	for n := range m {
		k = append(k, n)
	}
	return k
}

// Inputs: files, "-", @FILE, globs the shell left alone; a gzip file is
// read decompressed whatever its name (several members too).
func TestInputsAndGzip(t *testing.T) {
	dir := t.TempDir()
	tok := mint(t, 3)
	plain := filepath.Join(dir, "app.log")
	os.WriteFile(plain, []byte("x\nBearer "+tok+"\n"), 0o644)
	var gz bytes.Buffer
	for _, part := range []string{"one\n", "two " + tok + "\n"} {
		zw := gzip.NewWriter(&gz)
		zw.Write([]byte(part))
		zw.Close()
	}
	os.WriteFile(filepath.Join(dir, "app.log.1"), gz.Bytes(), 0o644) // rotated, no .gz suffix
	os.WriteFile(filepath.Join(dir, "app.log.2.gz"), gz.Bytes(), 0o644)
	os.Mkdir(filepath.Join(dir, "sub.log"), 0o755)

	ins, err := logscan.Inputs([]string{filepath.Join(dir, "app.log*"), "-", "@" + plain})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range ins {
		names = append(names, filepath.Base(in.Name))
	}
	if strings.Join(names, ",") != "app.log,app.log.1,app.log.2.gz,stdin,app.log" {
		t.Fatalf("inputs %v", names)
	}
	for _, in := range ins[:3] {
		rc, err := in.Open(nil)
		if err != nil {
			t.Fatal(err)
		}
		got, _, _ := blockCandidates(t, rc, 256<<10)
		rc.Close()
		if len(got) != 1 || got[2] == "" {
			t.Errorf("%s: %v", in.Name, got)
		}
	}
	rc, _ := ins[3].Open(strings.NewReader("from stdin " + tok))
	if got, _, _ := blockCandidates(t, rc, 256<<10); got[1] == "" {
		t.Errorf("stdin: %v", got)
	}
	for _, bad := range [][]string{{filepath.Join(dir, "nope.log")}, {filepath.Join(dir, "*.txt")}, {filepath.Join(dir, "sub.log")}, {"[x"}} {
		if _, err := logscan.Inputs(bad); err == nil || !strings.Contains(err.Error(), filepath.Base(bad[0])) {
			t.Errorf("%v: error %v should name it", bad, err)
		}
	}
	// A file that starts like gzip but is not.
	os.WriteFile(filepath.Join(dir, "bad.gz"), []byte{0x1f, 0x8b, 0, 0}, 0o644)
	in, _ := logscan.Inputs([]string{filepath.Join(dir, "bad.gz")})
	if _, err := in[0].Open(nil); err == nil || !strings.Contains(err.Error(), "bad.gz") {
		t.Errorf("corrupt gzip: %v", err)
	}
}

func TestLineTime(t *testing.T) {
	ref := time.Date(2024, 10, 26, 12, 0, 0, 0, time.UTC)
	cases := map[string]string{
		`2024-10-26T11:59:58.250Z INFO request`:                                                   "2024-10-26T11:59:58.25Z",
		`{"time":"2024-10-26T13:59:58+02:00","msg":"x"}`:                                          "2024-10-26T11:59:58Z",
		`{"ts":"2024-10-26 11:59:58,5+0000"}`:                                                     "2024-10-26T11:59:58.5Z",
		`2024/10/26 11:59:58 [error] 7#7: *1 upstream`:                                            "2024-10-26T11:59:58Z",
		`10.0.0.1 - - [26/Oct/2024:04:59:58 -0700] "GET / HTTP/1.1" 200`:                          "2024-10-26T11:59:58Z",
		`Oct 26 11:59:58 host app[123]: token`:                                                    "2024-10-26T11:59:58Z",
		`<34>Oct  6 11:59:58 host app: x`:                                                         "2024-10-06T11:59:58Z",
		`Dec 31 23:59:58 host app: x`:                                                             "2023-12-31T23:59:58Z",
		`2024-02-30T00:00:00Z is no date, 2024-10-26T11:59:58Z is`:                                "2024-10-26T11:59:58Z",
		`request 12024-10-26T11:59:58Z`:                                                           "",
		`no time here, only 12:00:00 and 2024-10-26`:                                              "",
		`[26/Foo/2024:04:59:58 -0700]`:                                                            "",
		`2024-10-26T25:00:00Z`:                                                                    "",
		`kubectl: 2024-10-26T11:59:58.123456789Z stdout F {"level":"info"}`:                       "2024-10-26T11:59:58.123456789Z",
		`2024-10-26T11:59:58-0230 local`:                                                          "2024-10-26T14:29:58Z",
		`eyJhbGciOiJSUzI1NiJ9.eyJpYXQiOjE3MDAwMDAwMDB9.c2ln 2024-10-26T11:59:58Z at the end`:      "2024-10-26T11:59:58Z",
		`{"msg":"x","time":"2024-10-26T11:59:58.000000001Z","authorization":"Bearer eyJhbGciOi"}`: "2024-10-26T11:59:58.000000001Z",
	}
	for line, want := range cases {
		got, ok := logscan.LineTime([]byte(line), ref)
		s := ""
		if ok {
			s = got.UTC().Format(time.RFC3339Nano)
		}
		if s != want {
			t.Errorf("%q: got %q, want %q", line, s, want)
		}
	}
}
