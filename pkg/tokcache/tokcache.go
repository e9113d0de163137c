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
	"sync/atomic"
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

// node is an entry: its place in the shard's list and its value, in one
// object (a lookup follows as few pointers as it can).
type node[V any] struct {
	key        Key
	size       int64
	stamp      uint64 // the shard's tick when the node last went to the front
	prev, next *node[V]
	// The value, computed once; callers that find it while it is being
	// computed wait for it.
	once sync.Once
	v    V
	done atomic.Bool // v is computed (Peek reads it only then)
}

type shard[V any] struct {
	mu         sync.Mutex
	m          map[Key]*node[V]
	head, tail *node[V] // head: most recently used
	bytes      int64
	tick       uint64 // lookups so far
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
// fills a new one in place with fill, once: callers asking for the same
// key meanwhile wait for it instead of filling it again. computed reports
// that this call filled it. size gives the bytes to account for it. The
// value lives in the cache's own entry (one object to reach, not two);
// the pointer stays valid after the entry is dropped.
func (c *Cache[V]) Do(k Key, fill func(*V), size func(*V) int64) (v *V, computed bool) {
	n, added := c.node(k)
	do := func() { fill(&n.v); n.done.Store(true) }
	if added {
		n.once.Do(do)
		c.Resize(k, size(&n.v))
		return &n.v, true
	}
	n.once.Do(do) // the entry was dropped before it was filled
	return &n.v, false
}

// Peek returns the value under k, marking it used, when there is one and
// it is filled; it never adds.
func (c *Cache[V]) Peek(k Key) (*V, bool) {
	s := c.shard(k)
	s.mu.Lock()
	n, ok := s.m[k]
	if ok {
		s.tick++
		s.touch(n)
	}
	s.mu.Unlock()
	if !ok || !n.done.Load() {
		return nil, false
	}
	return &n.v, true
}

func (c *Cache[V]) node(k Key) (*node[V], bool) {
	s := c.shard(k)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tick++
	if n, ok := s.m[k]; ok {
		s.touch(n)
		return n, false
	}
	n := &node[V]{key: k, size: slotSize, stamp: s.tick}
	s.m[k] = n
	s.pushFront(n)
	s.bytes += slotSize
	s.evict(n)
	return n, true
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

// touch moves a node to the front, unless it went there so recently that
// it is still in the front half (fewer than half the shard's capacity of
// lookups have happened since, and each moves at most one node in front
// of it): a working set that fits costs no list surgery, and what is used
// stays far from eviction.
func (s *shard[V]) touch(n *node[V]) {
	if s.tick-n.stamp <= uint64(s.maxEntries/2) {
		return
	}
	n.stamp = s.tick
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
