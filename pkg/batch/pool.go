package batch

import (
	"context"
	"runtime"
	"time"
)

// Pool runs Work on items on every core and hands them to Consume in the
// order they were produced, with a bounded number in flight: the shape of
// every streaming job (a batch of tokens, a scan of logs). An item is
// usually a chunk of lines, so that synchronisation costs little per line.
type Pool[T any] struct {
	// Workers is the number of goroutines running Work (0: GOMAXPROCS).
	Workers int
	// Work processes one item; it runs concurrently with other items.
	Work func(T)
	// Consume receives the items in order, on one goroutine.
	Consume func(T)
	// Idle, if set, is called when Consume would have to wait (the place
	// to flush output, so a slow stream's answers are not held back).
	Idle func()
	// Tick, if set, calls OnTick on the consuming goroutine each time it
	// fires (a progress line, a periodic summary), even while waiting.
	Tick   <-chan time.Time
	OnTick func()
}

type pending[T any] struct {
	item T
	done chan struct{}
}

// Run calls produce on its own goroutine; produce hands items to send,
// which blocks while the window is full and returns false once ctx has
// ended. Run returns produce's error after every item was consumed, or
// ctx.Err() as soon as ctx ends: it does not wait for a produce blocked
// in a read that may never return (a terminal, a pipe), nor for items
// still in work.
func (p Pool[T]) Run(ctx context.Context, produce func(send func(T) bool) error) error {
	workers := p.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	window := workers * 4
	work := make(chan *pending[T], window)
	order := make(chan *pending[T], window)
	for i := 0; i < workers; i++ {
		go func() {
			for it := range work {
				p.Work(it.item)
				close(it.done)
			}
		}()
	}
	perr := make(chan error, 1)
	go func() {
		defer close(work)
		defer close(order)
		perr <- produce(func(item T) bool {
			it := &pending[T]{item: item, done: make(chan struct{})}
			select {
			case order <- it:
			case <-ctx.Done():
				return false
			}
			work <- it
			return true
		})
	}()
	for {
		it, ok, err := p.next(ctx, order)
		if err != nil {
			return err
		}
		if !ok {
			return <-perr
		}
		if err := p.wait(ctx, it.done); err != nil {
			return err
		}
		p.Consume(it.item)
	}
}

// next returns the next item in order, calling Idle when none is ready
// and OnTick at each tick.
func (p Pool[T]) next(ctx context.Context, order chan *pending[T]) (*pending[T], bool, error) {
	select {
	case it, ok := <-order:
		return it, ok, nil
	default:
	}
	if p.Idle != nil {
		p.Idle()
	}
	for {
		select {
		case it, ok := <-order:
			return it, ok, nil
		case <-p.Tick:
			p.OnTick()
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
	}
}

func (p Pool[T]) wait(ctx context.Context, done chan struct{}) error {
	for {
		select {
		case <-done:
			return nil
		case <-p.Tick:
			p.OnTick()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
