package logscan

import (
	"math/rand/v2"
	"testing"
)

// plainRun reads exactly the run of base64url characters and dots and
// where its dots are, on random bytes.
func TestPlainRunAgreesWithTheGrammar(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for n := 0; n < 20000; n++ {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = byte(rng.IntN(256))
			if rng.IntN(3) > 0 {
				b[i] = "Zz09-_.eyJ"[rng.IntN(10)]
			}
		}
		var dots, wantDots [6]int
		gotN, gotD := plainRun(b, &dots)
		wantN, wantD := 0, 0
		for _, c := range b {
			isB64 := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
			if !isB64 && c != '.' {
				break
			}
			if c == '.' {
				if wantD < 6 {
					wantDots[wantD] = wantN
				}
				wantD++
			}
			wantN++
		}
		if gotN != wantN || gotD != wantD || dots != wantDots {
			t.Fatalf("%q: got %d, %d dots %v; want %d, %d dots %v", b, gotN, gotD, dots, wantN, wantD, wantDots)
		}
	}
}
