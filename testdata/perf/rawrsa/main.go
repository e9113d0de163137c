// Command rawrsa measures the raw RSA-2048 PKCS#1 v1.5 verification of a
// SHA-256 digest (what an RS256 signature check costs at least) on one
// goroutine, and prints the wall time and the CPU time (getrusage) per
// verification in nanoseconds. On a machine shared with other work the
// CPU time is the steadier figure; scan.sh reports both.
//
//	go run ./testdata/perf/rawrsa [-n N]
package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"flag"
	"fmt"
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
	for i := 0; i < *n; i++ {
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
			panic(err)
		}
	}
	wall, c := time.Since(w0), cpu()-c0
	fmt.Printf("%d %d\n", wall.Nanoseconds()/int64(*n), c.Nanoseconds()/int64(*n))
}
