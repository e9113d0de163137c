// Package tokcache is a bounded least-recently-used cache keyed by a
// 128-bit digest of a token, safe for concurrent use. Logs repeat the same tokens
// hundreds of times: a verdict is computed once and looked up after. The
// cache holds at most a number of entries and of accounted bytes, so memory
// stays flat on endless input; what falls out is computed again if it
// comes back.
package tokcache

import (
	"encoding/binary"
	"hash/maphash"
	"sync"
)

var seeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// KeyOf is a token's key without SHA-256: hashing a log's every token
// occurrence with maphash costs a tenth of SHA-256 (AES hardware).
func KeyOf(tok []byte) Key {
	var k Key
	binary.LittleEndian.PutUint64(k[:8], maphash.Bytes(seeds[0], tok))
	binary.LittleEndian.PutUint64(k[8:], maphash.Bytes(seeds[1], tok))
	return k
}

// Key is a 128-bit digest of a token: the first half of its SHA-256, or
// two independently seeded maphash values (KeyOf). Either way two
// distinct tokens share a key with probability 2^-128, and no one can
// aim for it: the maphash seeds are random per process.
type Key = [16]byte

// shards spread the keys over independent locks, so workers looking up
// different tokens do not queue on one mutex.
const shards = 16

// Cache maps keys to values of type V.
type Cache[V any] struct {
	shards [shards]shard[V]
}

type node[V any] struct {
	key        Key
	val        *slot[V]
	size       int64
	prev, next *node[V]
}

// slot holds a value computed once; callers that find it while it is
// being computed wait for it.
type slot[V any] struct {
	once sync.Once
	v    V
}

type shard[V any] struct {
	mu         sync.Mutex
	m          map[Key]*node[V]
	head, tail *node[V] // head: most recently used
	bytes      int64
	maxEntries int
	maxBytes   int64
	evicted    int64
}

// New returns a cache of at most maxEntries entries and maxBytes accounted
// bytes (each at least 16; both are split evenly between the shards).
func New[V any](maxEntries int, maxBytes int64) *Cache[V] {
	c := &Cache[V]{}
	for i := range c.shards {
		c.shards[i] = shard[V]{m: map[Key]*node[V]{}, maxEntries: max(maxEntries/shards, 1), maxBytes: max(maxBytes/shards, 1)}
	}
	return c
}

func (c *Cache[V]) shard(k Key) *shard[V] { return &c.shards[k[0]%shards] }

// Do returns the value under k, marking it used. When there is none it
// computes it with compute, once: callers asking for the same key
// meanwhile wait for that value instead of computing it again. computed
// reports that this call computed it. size gives the bytes to account for
// the value.
func (c *Cache[V]) Do(k Key, compute func() V, size func(V) int64) (v V, computed bool) {
	sl, added := c.slot(k)
	if added {
		sl.once.Do(func() { sl.v = compute() })
		c.Resize(k, size(sl.v))
		return sl.v, true
	}
	sl.once.Do(func() { sl.v = compute() }) // the entry was dropped before it was filled
	return sl.v, false
}

func (c *Cache[V]) slot(k Key) (*slot[V], bool) {
	s := c.shard(k)
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.m[k]; ok {
		s.touch(n)
		return n.val, false
	}
	n := &node[V]{key: k, val: &slot[V]{}, size: slotSize}
	s.m[k] = n
	s.pushFront(n)
	s.bytes += slotSize
	s.evict(n)
	return n.val, true
}

// slotSize is what an entry costs before its value is known.
const slotSize = 128

// Resize changes the accounted size of k's entry, if it is still there
// (an entry grows once its value is filled in).
func (c *Cache[V]) Resize(k Key, size int64) {
	s := c.shard(k)
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.m[k]; ok {
		s.bytes += size - n.size
		n.size = size
		s.evict(n)
	}
}

// Stats are the cache's size and how many entries it dropped.
type Stats struct {
	Entries int   `json:"entries"`
	Bytes   int64 `json:"bytes"`
	Evicted int64 `json:"evicted"`
}

// Stats adds up the shards.
func (c *Cache[V]) Stats() Stats {
	var st Stats
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		st.Entries += len(s.m)
		st.Bytes += s.bytes
		st.Evicted += s.evicted
		s.mu.Unlock()
	}
	return st
}

// evict drops least recently used entries while the shard is over a
// bound, keeping keep (the entry just used) unless it alone is over.
func (s *shard[V]) evict(keep *node[V]) {
	for (len(s.m) > s.maxEntries || s.bytes > s.maxBytes) && s.tail != nil {
		n := s.tail
		if n == keep && len(s.m) > 1 {
			n = n.prev
		}
		s.unlink(n)
		delete(s.m, n.key)
		s.bytes -= n.size
		s.evicted++
	}
}

func (s *shard[V]) touch(n *node[V]) {
	if s.head != n {
		s.unlink(n)
		s.pushFront(n)
	}
}

func (s *shard[V]) pushFront(n *node[V]) {
	n.prev, n.next = nil, s.head
	if s.head != nil {
		s.head.prev = n
	}
	s.head = n
	if s.tail == nil {
		s.tail = n
	}
}

func (s *shard[V]) unlink(n *node[V]) {
	if n.prev != nil {
		n.prev.next = n.next
	} else {
		s.head = n.next
	}
	if n.next != nil {
		n.next.prev = n.prev
	} else {
		s.tail = n.prev
	}
	n.prev, n.next = nil, nil
}
