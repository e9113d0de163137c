package logscan

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Input is one log to read: a file or stdin.
type Input struct {
	// Name is what reports call it: the path as given, or "stdin".
	Name string
	path string // empty for stdin
}

// Stdin is the name stdin goes by.
const Stdin = "stdin"

// Inputs resolves the arguments of a scan: file paths, "-" for stdin,
// @FILE as elsewhere in authdoctor, and glob patterns the shell did not
// expand (quoted, or from a shell without globbing). A pattern that
// matches nothing, a missing file and a directory are errors naming it.
// No argument means stdin.
func Inputs(args []string) ([]Input, error) {
	if len(args) == 0 {
		return []Input{{Name: Stdin}}, nil
	}
	var out []Input
	for _, a := range args {
		if a == "-" {
			out = append(out, Input{Name: Stdin})
			continue
		}
		if strings.HasPrefix(a, "@") && len(a) > 1 {
			if _, err := os.Stat(a); err != nil {
				a = a[1:]
			}
		}
		paths, err := expand(a)
		if err != nil {
			return nil, err
		}
		for _, p := range paths {
			out = append(out, Input{Name: p, path: p})
		}
	}
	return out, nil
}

// expand returns the file a names, or the files its glob matches.
func expand(a string) ([]string, error) {
	st, err := os.Stat(a)
	if err == nil {
		if st.IsDir() {
			return nil, fmt.Errorf("%s is a directory: give the log files in it (%s/*.log)", a, strings.TrimRight(a, "/"))
		}
		return []string{a}, nil
	}
	if !strings.ContainsAny(a, "*?[") {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such file", a)
		}
		return nil, fmt.Errorf("%s: %v", a, unwrapPath(err))
	}
	m, gerr := filepath.Glob(a)
	if gerr != nil {
		return nil, fmt.Errorf("%s: not a valid pattern: %v", a, gerr)
	}
	var files []string
	for _, p := range m {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			files = append(files, p)
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no file matches", a)
	}
	sort.Strings(files)
	return files, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Open opens the input; stdin is read from in. A gzip stream is
// recognised by its magic bytes, whatever the name, and decompressed
// (several members, as logrotate's and cat'ed .gz files have, are read
// one after the other).
func (in Input) Open(stdin io.Reader) (io.ReadCloser, error) {
	var r io.Reader
	closeFn := func() error { return nil }
	if in.path == "" {
		r = stdin
	} else {
		f, err := os.Open(in.path)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %v", in.path, unwrapPath(err))
		}
		r, closeFn = f, f.Close
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			closeFn()
			return nil, fmt.Errorf("cannot read %s: it starts like gzip but %v", in.Name, err)
		}
		return readCloser{zr, closeFn}, nil
	}
	return readCloser{br, closeFn}, nil
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }
