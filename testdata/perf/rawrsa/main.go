// Command rawrsa measures the raw RSA-2048 PKCS#1 v1.5 verification of a
// SHA-256 digest (what an RS256 signature check costs at least) and
// prints the wall time and the CPU time (getrusage) per verification in
// nanoseconds. With -workers W, W goroutines share the N verifications:
// the wall time per verification then says how RSA itself scales on this
// machine, the ceiling for any batch or scan. On a machine shared with
// other work the CPU time is the steadier figure; scan.sh reports both.
//
//	go run ./testdata/perf/rawrsa [-n N] [-workers W]
package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"flag"
	"fmt"
	"sync"
	"syscall"
	"time"
)

func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	n := flag.Int("n", 20000, "verifications")
	workers := flag.Int("workers", 1, "goroutines sharing them")
	flag.Parse()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	digest := sha256.Sum256([]byte("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		panic(err)
	}
	pub := &key.PublicKey
	for i := 0; i < 100; i++ { // warm up
		rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig)
	}
	c0, w0 := cpu(), time.Now()
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < *n; i += *workers {
				if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
					panic(err)
				}
			}
		}()
	}
	wg.Wait()
	wall, c := time.Since(w0), cpu()-c0
	fmt.Printf("%d %d\n", wall.Nanoseconds()/int64(*n), c.Nanoseconds()/int64(*n))
}
