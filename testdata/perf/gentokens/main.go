// Command gentokens writes RS256 ID tokens and the public key set that
// verifies them, for the batch and scan measurements (batch.sh, scan.sh):
//
//   - tokens.txt: N distinct tokens, one per line (verify --batch verifies
//     a repeated line once, so repeats would measure the cache);
//   - with -logs: distinct.log (nginx access-log lines, each token once),
//     repeat.log (the first D tokens, each R times, shuffled: what a log of
//     busy users looks like) and notoken.log (about M MB of access-log
//     lines without a token); with -unsigned K, unsigned.log: K distinct
//     tokens that differ in their payload and share one signature (for
//     token --scan, which only decodes: the cache on endless distinct
//     input).
//
// Tokens are signed on every core.
//
//	go run ./testdata/perf/gentokens -n 30000 -out /tmp/perf -logs
package main

import (
	"bufio"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var iat = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func main() {
	n := flag.Int("n", 30000, "distinct tokens to sign")
	out := flag.String("out", ".", "directory for the files")
	logs := flag.Bool("logs", false, "also write distinct.log, repeat.log and notoken.log")
	distinct := flag.Int("repeat-distinct", 10000, "repeat.log: distinct tokens")
	repeats := flag.Int("repeats", 100, "repeat.log: occurrences of each")
	notokenMB := flag.Int("notoken-mb", 500, "notoken.log: size in MB")
	unsigned := flag.Int("unsigned", 0, "unsigned.log: distinct tokens (not validly signed)")
	flag.Parse()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	toks := sign(key, *n)
	write(filepath.Join(*out, "tokens.txt"), func(w *bufio.Writer) {
		for _, t := range toks {
			w.WriteString(t + "\n")
		}
	})
	b64 := base64.RawURLEncoding.EncodeToString
	set, _ := json.Marshal(map[string]any{"keys": []any{map[string]any{"kty": "RSA", "kid": "perf-1", "use": "sig", "alg": "RS256",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes())}}})
	must(os.WriteFile(filepath.Join(*out, "jwks.json"), set, 0o644))
	if !*logs {
		return
	}
	write(filepath.Join(*out, "distinct.log"), func(w *bufio.Writer) {
		for i, t := range toks {
			accessLine(w, i, "Bearer "+t)
		}
	})
	order := make([]int, 0, *distinct**repeats)
	for r := 0; r < *repeats; r++ {
		for i := 0; i < min(*distinct, len(toks)); i++ {
			order = append(order, i)
		}
	}
	rng := mrand.New(mrand.NewPCG(1, 2))
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	write(filepath.Join(*out, "repeat.log"), func(w *bufio.Writer) {
		for i, t := range order {
			accessLine(w, i, "Bearer "+toks[t])
		}
	})
	if *unsigned > 0 {
		head := toks[0][:strings.IndexByte(toks[0], '.')]
		sig := toks[0][strings.LastIndexByte(toks[0], '.'):]
		write(filepath.Join(*out, "unsigned.log"), func(w *bufio.Writer) {
			for i := 0; i < *unsigned; i++ {
				p := fmt.Sprintf(`{"iss":"https://idp.example.com","aud":"app","sub":"user-%d","tid":"tenant-%d","iat":%d,"exp":%d}`, i, i%50, iat.Unix(), iat.Add(time.Hour).Unix())
				accessLine(w, i, "Bearer "+head+"."+b64([]byte(p))+sig)
			}
		})
	}
	write(filepath.Join(*out, "notoken.log"), func(w *bufio.Writer) {
		for i, size := 0, 0; size < *notokenMB<<20; i++ {
			size += accessLine(w, i, "-")
		}
	})
}

// sign signs n distinct ID tokens on every core.
func sign(key *rsa.PrivateKey, n int) []string {
	toks := make([]string, n)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				c := jwt.MapClaims{"iss": "https://idp.example.com", "aud": "app", "sub": fmt.Sprintf("user-%d", i),
					"email": fmt.Sprintf("user%d@example.com", i), "roles": []string{"viewer"},
					"iat": iat.Unix(), "nbf": iat.Unix(), "exp": iat.Add(time.Hour).Unix()}
				t := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
				t.Header["kid"] = "perf-1"
				s, err := t.SignedString(key)
				must(err)
				toks[i] = s
			}
		}()
	}
	wg.Wait()
	return toks
}

// accessLine writes an nginx access-log line (combined format with
// $http_authorization last) timed within the tokens' validity, and
// returns its length.
func accessLine(w *bufio.Writer, i int, auth string) int {
	t := iat.Add(10*time.Minute + time.Duration(i%1800)*time.Second)
	n, _ := fmt.Fprintf(w, `10.244.%d.%d - - [%s] "GET /api/v1/dags/etl_%d/dagRuns?limit=25&offset=%d HTTP/1.1" 200 %d "https://airflow.example.com/home" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36" "%s"`+"\n",
		i%250, i%200, t.Format("02/Jan/2006:15:04:05 -0700"), i%97, i%500, 1000+i%9000, auth)
	return n
}

func write(path string, fill func(*bufio.Writer)) {
	f, err := os.Create(path)
	must(err)
	w := bufio.NewWriterSize(f, 1<<20)
	fill(w)
	must(w.Flush())
	must(f.Close())
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
