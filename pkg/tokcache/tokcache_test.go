package tokcache_test

import (
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/tokcache"
)

func key(i int) tokcache.Key {
	h := sha256.Sum256([]byte(fmt.Sprint(i)))
	return tokcache.Key(h[:16])
}

// Endless distinct keys: the cache never holds more than its bounds.
func TestBoundsHoldOnEndlessKeys(t *testing.T) {
	c := tokcache.New[int](1024, 64<<10)
	for i := 0; i < 100000; i++ {
		k := key(i)
		if _, computed := c.Do(k, func(v *int) { *v = i }, func(*int) int64 { return 32 }); !computed {
			t.Fatalf("key %d was already there", i)
		}
		c.Resize(k, 32+int64(i%200))
		if st := c.Stats(); st.Entries > 1024 || st.Bytes > 64<<10 {
			t.Fatalf("after %d keys: %+v", i+1, st)
		}
	}
	if st := c.Stats(); st.Evicted < 100000-1024 || st.Entries == 0 {
		t.Fatalf("%+v", st)
	}
}

// What was used recently stays; what was not falls out first.
func TestLeastRecentlyUsedGoesFirst(t *testing.T) {
	c := tokcache.New[int](16*4, 1<<30) // 4 per shard
	var same []tokcache.Key             // keys of one shard
	for i := 0; len(same) < 6; i++ {
		if k := key(i); k[0]%16 == 0 {
			same = append(same, k)
		}
	}
	one := func(*int) int64 { return 1 }
	set := func(n int) func(*int) { return func(v *int) { *v = n } }
	for i, k := range same[:4] {
		c.Do(k, set(i), one)
	}
	if v, computed := c.Do(same[0], set(-1), one); computed || *v != 0 { // used: now the most recent
		t.Fatalf("key 0: %d, computed %v", *v, computed)
	}
	c.Do(same[4], set(4), one)
	c.Do(same[5], set(5), one)
	// Keys 1 and 2 (least recently used) fell out; 0, 3, 4, 5 stay.
	for _, i := range []int{0, 3, 4, 5} {
		if v, computed := c.Do(same[i], set(-1), one); computed || *v != i {
			t.Errorf("key %d: %d, computed %v", i, *v, computed)
		}
		if v, ok := c.Peek(same[i]); !ok || *v != i {
			t.Errorf("Peek of key %d: %v", i, ok)
		}
	}
	if _, ok := c.Peek(same[1]); ok {
		t.Error("Peek found a dropped key")
	}
	if _, computed := c.Do(same[1], set(-1), one); !computed {
		t.Error("key 1 should have been dropped")
	}
}

// Callers asking for a key being computed wait for that value: it is
// computed once.
func TestComputedOncePerKey(t *testing.T) {
	c := tokcache.New[int](1024, 1<<20)
	var calls sync.WaitGroup
	var mu sync.Mutex
	computes := 0
	for w := 0; w < 16; w++ {
		calls.Add(1)
		go func() {
			defer calls.Done()
			c.Do(key(7), func(v *int) {
				mu.Lock()
				computes++
				mu.Unlock()
				*v = 7
			}, func(*int) int64 { return 1 })
		}()
	}
	calls.Wait()
	if computes != 1 {
		t.Fatalf("computed %d times", computes)
	}
}

// Concurrent use (run with -race): one value per key, bounds kept.
func TestConcurrentGetOrAdd(t *testing.T) {
	c := tokcache.New[int](256, 1<<20)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20000; i++ {
				k := key(i % 300)
				v, _ := c.Do(k, func(v *int) { *v = i % 300 }, func(*int) int64 { return 100 })
				if *v != i%300 {
					t.Errorf("key %d holds %d", i%300, *v)
					return
				}
			}
		}()
	}
	wg.Wait()
	if st := c.Stats(); st.Entries > 256 {
		t.Fatalf("%+v", st)
	}
}
