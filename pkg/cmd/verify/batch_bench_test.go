package verify_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cli"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/golang-jwt/jwt/v5"
)

// batchCorpus is 5,000 distinct RS256 ID tokens (verify --batch verifies a
// repeated line once, so a repeat would measure the cache, not the
// verification) in a file, the key set that verifies them, and each
// token's digest and signature for the raw RSA figure.
type batchCorpus struct {
	dir     string
	lines   int
	pub     *rsa.PublicKey
	toks    []string
	digests [][]byte
	sigs    [][]byte
}

var (
	corpusOnce sync.Once
	corpus     *batchCorpus
	corpusErr  error
)

func loadBatchCorpus(b *testing.B) *batchCorpus {
	corpusOnce.Do(func() { corpus, corpusErr = newBatchCorpus(5000) })
	if corpusErr != nil {
		b.Fatal(corpusErr)
	}
	return corpus
}

// signMany signs n distinct ID tokens on every core.
func signMany(key *rsa.PrivateKey, n int) ([]string, error) {
	iat := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	toks := make([]string, n)
	errs := make(chan error, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := 0; w < cap(errs); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += cap(errs) {
				t := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
					"iss": v2iss, "aud": client, "tid": tenant, "sub": fmt.Sprintf("user-%d", i), "oid": fmt.Sprintf("00000000-0000-0000-0000-%012d", i),
					"preferred_username": fmt.Sprintf("user%d@contoso.example", i), "roles": []string{"airflow_viewer"},
					"iat": iat.Unix(), "nbf": iat.Unix(), "exp": iat.Add(time.Hour).Unix(), "ver": "2.0"})
				t.Header["kid"] = "bench-1"
				s, err := t.SignedString(key)
				if err != nil {
					errs <- err
					return
				}
				toks[i] = s
			}
		}()
	}
	wg.Wait()
	close(errs)
	return toks, <-errs
}

func newBatchCorpus(n int) (*batchCorpus, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "authdoctor-batch-bench-")
	if err != nil {
		return nil, err
	}
	c := &batchCorpus{dir: dir, lines: n, pub: &key.PublicKey}
	if c.toks, err = signMany(key, n); err != nil {
		return nil, err
	}
	for _, tok := range c.toks {
		dot := strings.LastIndexByte(tok, '.')
		d := sha256.Sum256([]byte(tok[:dot]))
		sig, _ := base64.RawURLEncoding.DecodeString(tok[dot+1:])
		c.digests, c.sigs = append(c.digests, d[:]), append(c.sigs, sig)
	}
	if err := os.WriteFile(filepath.Join(dir, "tokens.txt"), []byte(strings.Join(c.toks, "\n")+"\n"), 0o644); err != nil {
		return nil, err
	}
	b64 := base64.RawURLEncoding.EncodeToString
	set, _ := json.Marshal(map[string]any{"keys": []any{map[string]any{"kty": "RSA", "kid": "bench-1", "use": "sig",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes())}}})
	return c, os.WriteFile(filepath.Join(dir, "jwks.json"), set, 0o644)
}

// rawVerify is the floor: the RSA-2048 PKCS#1 v1.5 verification of every
// token's digest, on one core.
func (c *batchCorpus) rawVerify(b *testing.B) time.Duration {
	start := time.Now()
	for i := range c.sigs {
		if err := rsa.VerifyPKCS1v15(c.pub, crypto.SHA256, c.digests[i], c.sigs[i]); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start)
}

// lineCounter counts output lines and valid verdicts as they stream by,
// like a file the output would go to, without keeping them.
type lineCounter struct {
	lines, valid int
	partial      []byte // the unfinished last line of the previous write
}

func (w *lineCounter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.partial = append(w.partial, p...)
			break
		}
		line := p[:i]
		if len(w.partial) > 0 {
			line = append(w.partial, line...)
			w.partial = w.partial[:0]
		}
		w.lines++
		if bytes.Contains(line, []byte(`"verdict":"valid"`)) {
			w.valid++
		}
		p = p[i+1:]
	}
	return n, nil
}

// BenchmarkBatchVsRawRS256 measures, in one run and interleaved,
// `verify --batch` over 5,000 distinct RS256 tokens (the whole command in
// process: reading, the worker pool, output) and the raw RSA-2048
// PKCS#1 v1.5 verification of the same tokens' digests on one core. It
// reports both rates and the batch rate per core as a percentage of the
// raw rate (budget ≥ 85%). Run with -cpu 1,2 for the scaling figure.
func BenchmarkBatchVsRawRS256(b *testing.B) {
	c := loadBatchCorpus(b)
	args := []string{"verify", "--batch", "@" + filepath.Join(c.dir, "tokens.txt"), "--jwks", "@" + filepath.Join(c.dir, "jwks.json"),
		"--expect-issuer", v2iss, "--audience", client, "--offline", "--now", "2026-11-20T09:20:00Z"}
	var batchTime, rawTime time.Duration
	for b.Loop() {
		out := &lineCounter{}
		ios := &cmdutil.IOStreams{In: strings.NewReader(""), Out: out, ErrOut: io.Discard, Getenv: func(string) string { return "" }}
		start := time.Now()
		code := cli.Run(context.Background(), args, ios, time.Now)
		batchTime += time.Since(start)
		lines, valid := out.lines, out.valid
		if code != 0 || lines != c.lines || valid != c.lines {
			b.Fatalf("verify --batch: exit %d, %d lines, %d valid; want 0, %d, %d", code, lines, valid, c.lines, c.lines)
		}
		rawTime += c.rawVerify(b)
	}
	batchRate := float64(c.lines*b.N) / batchTime.Seconds()
	rawRate := float64(c.lines*b.N) / rawTime.Seconds()
	b.ReportMetric(batchRate, "batch-tokens/s")
	b.ReportMetric(rawRate, "raw-verifies/s")
	procs := runtime.GOMAXPROCS(0)
	b.ReportMetric(float64(procs), "procs")
	b.ReportMetric(100*batchRate/float64(procs)/rawRate, "%raw/core")
}

// BenchmarkVerifyCommandLocalJWKS is everything `authdoctor verify @TOKEN
// --jwks @FILE --offline` does after the process has started, warm: the
// part of the single-token figure of #9 that authdoctor's own code costs
// (the rest is Go's start-up and package initialisation; see
// testdata/perf/measure.sh). Profile with -cpuprofile.
func BenchmarkVerifyCommandLocalJWKS(b *testing.B) {
	root := filepath.Join("..", "..", "..", "testdata", "examples")
	args := []string{"verify", "@" + filepath.Join(root, "azure-id-token.jwt"), "--jwks", "@" + filepath.Join(root, "azure-tenant-jwks.json"),
		"--offline", "--now", "2026-11-20T09:20:00Z"}
	for b.Loop() {
		var out bytes.Buffer
		ios := &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: io.Discard, Getenv: func(string) string { return "" }}
		if code := cli.Run(context.Background(), args, ios, time.Now); code != 0 || !strings.Contains(out.String(), "verdict:     valid") {
			b.Fatalf("exit %d:\n%s", code, out.String())
		}
	}
}
