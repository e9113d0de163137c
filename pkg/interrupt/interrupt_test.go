//go:build unix

package interrupt_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/interrupt"
)

func TestArmedContextEndsOnSIGINT(t *testing.T) {
	ctx, release := interrupt.WithWatcher(context.Background())
	defer release()
	interrupt.Arm(ctx)
	interrupt.Arm(ctx) // twice is once
	if ctx.Err() != nil {
		t.Fatal("cancelled before any signal")
	}
	// Safe to send to ourselves: Arm made the process catch SIGINT.
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(20 * time.Second):
		t.Fatal("SIGINT did not cancel the armed context")
	}
}

func TestArmIgnoresOtherContexts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	interrupt.Arm(ctx) // no watcher: nothing happens, nothing panics
	if ctx.Err() != nil {
		t.Fatal("a plain context was cancelled")
	}
}

func TestReleaseEndsTheContext(t *testing.T) {
	ctx, release := interrupt.WithWatcher(context.Background())
	interrupt.Arm(ctx)
	release()
	if ctx.Err() == nil {
		t.Fatal("context still live after release")
	}
}
