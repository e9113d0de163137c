// Package interrupt arms Ctrl-C handling when a command is about to wait
// on something: the network, or a stream of tokens. Until then Ctrl-C
// keeps its default meaning (the process ends at once), which is right for
// work that never blocks, and start-up is spared the signal watcher's
// goroutine and thread (#9).
package interrupt

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

type key struct{}

type watcher struct {
	once   sync.Once
	cancel context.CancelFunc
	stop   func()
}

// WithWatcher returns a context that Arm can make end on SIGINT or
// SIGTERM, and a function that releases the signal handling.
func WithWatcher(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	w := &watcher{cancel: cancel}
	return context.WithValue(ctx, key{}, w), func() {
		// Once.Do orders this read of stop after an Arm on another
		// goroutine (a fetch still finishing); unarmed, it disarms.
		w.once.Do(func() {})
		if w.stop != nil {
			w.stop()
		}
		cancel()
	}
}

// Arm starts watching for Ctrl-C, once, when ctx came from WithWatcher;
// from then on an interrupt cancels ctx. It does nothing otherwise.
func Arm(ctx context.Context) {
	w, ok := ctx.Value(key{}).(*watcher)
	if !ok {
		return
	}
	w.once.Do(func() {
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt, syscall.SIGTERM)
		done := make(chan struct{})
		w.stop = func() { signal.Stop(c); close(done) }
		go func() {
			select {
			case <-c:
				w.cancel()
			case <-done:
			}
		}()
	})
}
