package pyread

import (
	"encoding/base64"
	"strings"
)

// base64 and binascii as CPython 3.11 has them: the decoder is
// binascii.a2b_base64, whose leniency (characters outside the alphabet
// are skipped, data after the padding ignored) and whose messages
// ("Incorrect padding") code decoding a JWT payload by hand depends on.

// a2bBase64 is binascii.a2b_base64(s, strict_mode=strict); msg is the
// binascii.Error message when it fails.
func a2bBase64(s string, strict bool) (out string, msg string) {
	if strict && len(s) > 0 && s[0] == '=' {
		return "", "Leading padding not allowed"
	}
	var buf []byte
	quad, pads := 0, 0
	var left byte
	padding := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '=' {
			padding = true
			if quad >= 2 {
				pads++
				if quad+pads >= 4 {
					if strict && i+1 < len(s) {
						return "", "Excess data after padding"
					}
					return string(buf), ""
				}
			}
			continue
		}
		v := b64Value(c)
		if v < 0 {
			if strict {
				return "", "Only base64 data is allowed"
			}
			continue
		}
		if strict && padding {
			return "", "Discontinuous padding not allowed"
		}
		pads = 0
		switch quad {
		case 0:
			quad, left = 1, byte(v)
		case 1:
			buf = append(buf, left<<2|byte(v)>>4)
			quad, left = 2, byte(v)&0x0f
		case 2:
			buf = append(buf, left<<4|byte(v)>>2)
			quad, left = 3, byte(v)&0x03
		default:
			buf = append(buf, left<<6|byte(v))
			quad, left = 0, 0
		}
	}
	switch quad {
	case 0:
		return string(buf), ""
	case 1:
		return "", "Invalid base64-encoded string: number of data characters (" +
			itoa(len(buf)/3*4+1) + ") cannot be 1 more than a multiple of 4"
	}
	return "", "Incorrect padding"
}

func b64Value(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	}
	return -1
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// b64Input is base64's _bytes_from_decode_data: bytes, or a str of ASCII
// characters.
func (ev *evaluator) b64Input(v Value, line int) (string, Value) {
	switch x := v.(type) {
	case *Bytes:
		return x.V, nil
	case *Str:
		if !isASCII(x.V) {
			return "", ev.raise("ValueError", "string argument should contain only ASCII characters", line)
		}
		return x.V, nil
	case *Unresolved:
		return "", propagate(x)
	}
	return "", ev.raise("TypeError", "argument should be a bytes-like object or ASCII string, not '"+v.Type()+"'", line)
}

// stdBase64 is base64.b64decode, urlsafe_b64decode, standard_b64decode
// and the matching encoders.
func (ev *evaluator) stdBase64(qual string, ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "s")
	if !ok {
		return nil
	}
	name := qual[strings.LastIndexByte(qual, '.')+1:]
	if strings.HasSuffix(name, "encode") {
		b, isBytes := v.(*Bytes)
		if !isBytes {
			if u, ok := v.(*Unresolved); ok {
				return propagate(u)
			}
			return ev.raise("TypeError", "a bytes-like object is required, not '"+v.Type()+"'", line)
		}
		out := base64.StdEncoding.EncodeToString([]byte(b.V))
		if name == "urlsafe_b64encode" {
			out = strings.NewReplacer("+", "-", "/", "_").Replace(out)
		}
		return &Bytes{V: out, L: line}
	}
	s, bad := ev.b64Input(v, line)
	if bad != nil {
		return bad
	}
	strict := false
	switch name {
	case "urlsafe_b64decode":
		s = strings.NewReplacer("-", "+", "_", "/").Replace(s)
	case "b64decode":
		if alt, ok := ca.arg(1, "altchars"); ok {
			if _, isNone := alt.(*NoneValue); !isNone {
				a, bad := ev.b64Input(alt, line)
				if bad != nil {
					return bad
				}
				if len(a) != 2 {
					return ev.unres(line, "b64decode() with altchars not of length 2 is not evaluated")
				}
				s = strings.NewReplacer(a[:1], "+", a[1:], "/").Replace(s)
			}
		}
		if val, ok := ca.arg(2, "validate"); ok {
			t, known := truth(val)
			if !known {
				return ev.unres(line, "b64decode() with validate= not known statically is not evaluated")
			}
			strict = t
		}
	}
	out, msg := a2bBase64(s, strict)
	if msg != "" {
		return ev.raise("binascii.Error", msg, line)
	}
	return &Bytes{V: out, L: line}
}
