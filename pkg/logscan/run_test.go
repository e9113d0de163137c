package logscan

import (
	"math/rand/v2"
	"testing"
)

// plainRun's eight-bytes-at-a-time path agrees with a byte-by-byte loop.
func TestPlainRunAgreesWithByteLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	alphabet := []byte("ABCXYZabcxyz0189-_.@[`{/:\\\"& \x00\x7f\x80\xff")
	for n := 0; n < 20000; n++ {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			if rng.IntN(4) == 0 {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			} else {
				b[i] = byte(rng.IntN(256))
				if rng.IntN(2) == 0 {
					b[i] = "Zz09-_"[rng.IntN(6)]
				}
			}
		}
		var dots [6]int
		gotN, gotD := plainRun(b, &dots)
		wantN, wantD := 0, 0
		var wantDots [6]int
		for _, c := range b {
			if !tokenByte[c] {
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
	for c := 0; c < 256; c++ {
		w := uint64(c) * ones
		if b64Word(w) != (tokenByte[c] && c != '.') {
			t.Errorf("b64Word of 8×%q = %v", byte(c), b64Word(w))
		}
	}
}
