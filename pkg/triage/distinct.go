package triage

import (
	"hash/maphash"
	"math"
	"math/bits"
)

// distinct counts distinct values in bounded memory: exactly while they
// are few (a set of 64-bit hashes up to exactCap), then as a HyperLogLog
// estimate (about 1.6% error at precision 12, 0.8% at 14), which every
// value has fed from the start.
type distinct struct {
	exact    map[uint64]struct{}
	exactCap int
	p        uint8
	regs     []uint8 // allocated when the exact set overflows
}

func newDistinct(exactCap int, precision uint8) *distinct {
	return &distinct{exact: map[uint64]struct{}{}, exactCap: exactCap, p: precision}
}

// add counts the value whose 64-bit hash is h (a uniform hash).
func (d *distinct) add(h uint64) {
	if d.regs == nil {
		if len(d.exact) < d.exactCap {
			d.exact[h] = struct{}{} // one map operation: a repeat is a no-op
			return
		}
		if _, ok := d.exact[h]; ok {
			return
		}
		// Over the cap: switch to the estimate, feeding it what the set
		// held.
		d.regs = make([]uint8, 1<<d.p)
		for x := range d.exact {
			d.hll(x)
		}
		d.exact = nil
	}
	d.hll(h)
}

func (d *distinct) hll(h uint64) {
	idx := h >> (64 - d.p)
	rank := uint8(bits.LeadingZeros64(h<<d.p|1<<(d.p-1)) + 1)
	if rank > d.regs[idx] {
		d.regs[idx] = rank
	}
}

// count returns the number of distinct values and whether it is an
// estimate.
func (d *distinct) count() (int, bool) {
	if d.regs == nil {
		return len(d.exact), false
	}
	m := float64(len(d.regs))
	sum, zeros := 0.0, 0
	for _, r := range d.regs {
		sum += math.Ldexp(1, -int(r))
		if r == 0 {
			zeros++
		}
	}
	est := 0.7213 / (1 + 1.079/m) * m * m / sum
	if est <= 2.5*m && zeros > 0 {
		est = m * math.Log(m/float64(zeros))
	}
	return int(est + 0.5), true
}

// seed keys the hashes of strings (subjects, tenants) for one run.
var seed = maphash.MakeSeed()

func hashString(s string) uint64 { return maphash.String(seed, s) }
