package pyread

import "sync"

// lazy holds a table built on first use. Its zero value is ready, so a
// package-level lazy costs nothing at start-up (every command pays for
// package initialisation, see the integration test on init allocations),
// and unlike sync.OnceValue in a variable initialiser it may be reached
// from the functions the table refers to.
type lazy[T any] struct {
	once sync.Once
	v    T
}

func (l *lazy[T]) get(build func() T) T {
	l.once.Do(func() { l.v = build() })
	return l.v
}
