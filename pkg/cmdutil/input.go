package cmdutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MaxInput bounds what is read from stdin or an @FILE argument.
const MaxInput = 16 << 20

// Input is what a TOKEN|-|@FILE argument resolved to.
type Input struct {
	Data []byte
	// Source names where it came from: "argument", "stdin" or the file path.
	Source string
}

// ReadInput resolves a TOKEN|-|@FILE argument. With no argument it reads
// stdin when stdin is not a terminal; on a terminal it refuses rather than
// wait for typing.
func ReadInput(io_ *IOStreams, args []string, what string) (*Input, error) {
	arg := ""
	if len(args) > 0 {
		arg = args[0]
	}
	switch {
	case arg == "" && io_.InTTY:
		return nil, Usagef("no %s given: pass it as an argument, as @FILE, or pipe it on stdin (-)", what)
	case arg == "" || arg == "-":
		b, err := readCapped(io_.In)
		if err != nil {
			return nil, Jobf("reading stdin: %v", err)
		}
		return &Input{Data: b, Source: "stdin"}, nil
	case len(arg) > 1 && arg[0] == '@':
		b, err := ReadFile(arg[1:])
		if err != nil {
			return nil, err
		}
		return &Input{Data: b, Source: arg[1:]}, nil
	}
	if err := notAFile(what, arg); err != nil {
		return nil, err // a path where a token belongs: the user meant @FILE
	}
	return &Input{Data: []byte(arg), Source: "argument"}, nil
}

// ReadFile reads a named input file, capped, with a JobError naming the
// file when it cannot be read.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, Jobf("cannot read %s: no such file", path)
		}
		return nil, Jobf("cannot read %s: %v", path, unwrapPath(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, Jobf("cannot read %s: it is a directory", path)
	}
	b, err := readCapped(f)
	if err != nil {
		return nil, Jobf("cannot read %s: %v", path, err)
	}
	return b, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func readCapped(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxInput {
		return nil, fmt.Errorf("input is larger than %d MiB", MaxInput>>20)
	}
	return b, nil
}
