package cmdutil

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// OpenStream opens a line-oriented input as a stream (never read whole):
// @FILE, or stdin ("-" or nothing). what names the mode in messages.
func OpenStream(ios *IOStreams, args []string, what string) (io.Reader, func(), error) {
	arg := ""
	if len(args) > 0 {
		arg = args[0]
	}
	switch {
	case len(arg) > 1 && arg[0] == '@':
		f, err := os.Open(arg[1:])
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil, Jobf("cannot read %s: no such file", arg[1:])
			}
			return nil, nil, Jobf("cannot read %s: %v", arg[1:], err)
		}
		return f, func() { f.Close() }, nil
	case arg == "" || arg == "-":
		if ios.InTTY && arg == "" {
			return nil, nil, Usagef("%s reads one token per line from stdin or @FILE: pipe them in", what)
		}
		return ios.In, func() {}, nil
	}
	return nil, nil, Usagef("%s takes @FILE or stdin, not a token argument", what)
}
