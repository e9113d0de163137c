package batch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestOutputKeepsInputOrderUnderConcurrency(t *testing.T) {
	var in strings.Builder
	for i := 1; i <= 2000; i++ {
		fmt.Fprintf(&in, "t%d\n", i)
		if i%100 == 0 {
			in.WriteString("\n# comment\n")
		}
	}
	var inflight, peak atomic.Int64
	job := func(line int, text string) Out {
		n := inflight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(time.Duration(rand.Intn(200)) * time.Microsecond)
		inflight.Add(-1)
		return Out{Line: line, Fingerprint: text, Verdict: "ok"}
	}
	var out bytes.Buffer
	sum, err := Run(context.Background(), strings.NewReader(in.String()), &out, 4, job)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Lines != 2000 || sum.Verdicts["ok"] != 2000 {
		t.Fatalf("summary %+v", sum)
	}
	dec := json.NewDecoder(&out)
	want := 1
	prevLine := 0
	for dec.More() {
		var o Out
		if err := dec.Decode(&o); err != nil {
			t.Fatal(err)
		}
		if o.Fingerprint != fmt.Sprintf("t%d", want) || o.Line <= prevLine {
			t.Fatalf("out of order: got %s line %d, want t%d", o.Fingerprint, o.Line, want)
		}
		prevLine = o.Line
		want++
	}
	if peak.Load() < 2 {
		t.Errorf("work did not run concurrently (peak %d)", peak.Load())
	}
}

func TestTooLongLineIsAnError(t *testing.T) {
	in := "a\n" + strings.Repeat("x", MaxLine+10) + "\n"
	_, err := Run(context.Background(), strings.NewReader(in), &bytes.Buffer{}, 2, func(l int, s string) Out { return Out{Line: l} })
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("err = %v", err)
	}
}

func TestCancelStopsReading(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r, w := ioPipe()
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, r, &bytes.Buffer{}, 2, func(l int, s string) Out { return Out{Line: l} })
		done <- err
	}()
	w.Write([]byte("a\nb\n"))
	cancel() // the reader is now blocked on the pipe, which never gets more data
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("cancelled run returned no error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancellation")
	}
	w.Close()
}

// The hand-written line encoding is what encoding/json writes for the
// same value (fingerprints, verdicts and IDs are plain ASCII).
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	for _, o := range []Out{
		{Line: 1, Fingerprint: "sha256:0123456789ab", Verdict: "valid", Checks: []string{}},
		{Line: 123456, Fingerprint: "sha256:ffffffffffff", Verdict: "invalid", Checks: []string{"TOK004", "TOK006"}},
	} {
		want, _ := json.Marshal(o)
		if got := string(o.appendJSON(nil)); got != string(want)+"\n" {
			t.Errorf("got %s want %s", got, want)
		}
	}
}

// A stream that pauses (tail -f | authdoctor verify --batch) gets the
// answers for the lines it sent without waiting for a full chunk or for
// the end of input: the input here stays open until all three answers
// have been read.
func TestAnswersArriveWhileInputStaysOpen(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), inR, outW, 2, func(l int, s string) Out { return Out{Line: l, Verdict: s} })
		outW.Close()
		done <- err
	}()
	go inW.Write([]byte("one\ntwo\nthree\n"))
	got := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(outR)
		var lines []string
		for len(lines) < 3 && sc.Scan() {
			lines = append(lines, sc.Text())
		}
		got <- strings.Join(lines, "\n")
	}()
	select {
	case out := <-got:
		for i, v := range []string{"one", "two", "three"} {
			if want := fmt.Sprintf(`{"line":%d,"fingerprint":"","verdict":%q,"checks":[]}`, i+1, v); !strings.Contains(out, want) {
				t.Errorf("answer %d missing: want %s in\n%s", i+1, want, out)
			}
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no answers while the input stayed open")
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
