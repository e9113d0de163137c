// Command startup measures whole-process wall time of several commands,
// interleaved run by run so that a change in machine load shifts every
// command alike, and prints medians, ratios to the first command and the
// median count of minor page faults (from getrusage of the child).
//
//	go run ./testdata/perf/startup [-runs N] [-warmup N] NAME='CMD ARGS[ < FILE]' ...
//
// CMD ARGS is split on spaces (no quoting); "< FILE" feeds FILE on stdin,
// the way a shell would, without the cost of a shell. Output of the
// commands is discarded. A command that exits non-zero is reported: a
// timing of a usage error is not a timing of the command.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"time"
)

type command struct {
	name, stdin string
	argv        []string
	wall        []time.Duration
	faults      []int64
}

func parse(spec string) (*command, error) {
	name, line, ok := strings.Cut(spec, "=")
	if !ok || name == "" {
		return nil, fmt.Errorf("%q: want NAME='CMD ARGS[ < FILE]'", spec)
	}
	c := &command{name: name}
	if before, after, ok := strings.Cut(line, "<"); ok {
		line, c.stdin = before, strings.TrimSpace(after)
	}
	c.argv = strings.Fields(line)
	if len(c.argv) == 0 {
		return nil, fmt.Errorf("%q: no command", spec)
	}
	return c, nil
}

func (c *command) run() (time.Duration, int64, error) {
	cmd := exec.Command(c.argv[0], c.argv[1:]...)
	if c.stdin != "" {
		f, err := os.Open(c.stdin)
		if err != nil {
			return 0, 0, err
		}
		defer f.Close()
		cmd.Stdin = f
	}
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %v", c.name, err)
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	var flt int64
	if ru != nil {
		flt = ru.Minflt + ru.Majflt
	}
	return d, flt, nil
}

func median[T int64 | time.Duration](xs []T) T {
	s := append([]T(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func main() {
	runs := flag.Int("runs", 200, "timed runs of each command")
	warmup := flag.Int("warmup", 10, "untimed runs of each command first")
	flag.Parse()
	var cmds []*command
	for _, a := range flag.Args() {
		c, err := parse(a)
		if err != nil {
			fmt.Fprintln(os.Stderr, "startup:", err)
			os.Exit(2)
		}
		cmds = append(cmds, c)
	}
	if len(cmds) == 0 {
		fmt.Fprintln(os.Stderr, "usage: startup [-runs N] NAME='CMD ARGS[ < FILE]' ...")
		os.Exit(2)
	}
	for i := 0; i < *warmup+*runs; i++ {
		for _, c := range cmds {
			d, flt, err := c.run()
			if err != nil {
				fmt.Fprintln(os.Stderr, "startup:", err)
				os.Exit(1)
			}
			if i >= *warmup {
				c.wall = append(c.wall, d)
				c.faults = append(c.faults, flt)
			}
		}
	}
	base := median(cmds[0].wall)
	fmt.Printf("%-34s %9s %7s %7s\n", "command", "median", "ratio", "faults")
	for _, c := range cmds {
		m := median(c.wall)
		fmt.Printf("%-34s %7.2fms %6.2fx %7d\n", c.name, float64(m)/1e6, float64(m)/float64(base), median(c.faults))
	}
}
