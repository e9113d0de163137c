package pyread

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// Python's str.upper/lower/casefold use Unicode's full case mappings
// ("ß".upper() == "SS"); strings.ToUpper maps one rune to one rune.
func pyUpper(s string) string {
	if isASCII(s) {
		return strings.ToUpper(s)
	}
	return cases.Upper(language.Und).String(s)
}

func pyLower(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	return cases.Lower(language.Und).String(s)
}

func pyFold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	return cases.Fold().String(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func clampSplit(n int64) int64 {
	if n < 0 {
		return -1
	}
	if n > maxSeqLen {
		return maxSeqLen
	}
	return n + 1
}

func clampRange(lo, hi int64, n int) (int, int) {
	N := int64(n)
	if lo < 0 {
		lo += N
	}
	if hi < 0 {
		hi += N
	}
	lo = max(0, min(lo, N))
	hi = max(0, min(hi, N))
	if hi < lo {
		hi = lo
	}
	return int(lo), int(hi)
}

func rsplitN(s, sep string, n int) []string {
	var out []string
	for n > 0 {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			break
		}
		out = append(out, s[i+len(sep):])
		s = s[:i]
		n--
	}
	out = append(out, s)
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// splitWhitespace is str.split() / rsplit() without a separator.
func splitWhitespace(s string, maxsplit int, fromRight bool) []string {
	if !fromRight {
		var out []string
		rest := strings.TrimLeftFunc(s, isPySpace)
		for rest != "" {
			if maxsplit >= 0 && len(out) == maxsplit {
				out = append(out, rest)
				return out
			}
			i := strings.IndexFunc(rest, isPySpace)
			if i < 0 {
				out = append(out, rest)
				break
			}
			out = append(out, rest[:i])
			rest = strings.TrimLeftFunc(rest[i:], isPySpace)
		}
		return out
	}
	var out []string
	rest := strings.TrimRightFunc(s, isPySpace)
	for rest != "" {
		if maxsplit >= 0 && len(out) == maxsplit {
			out = append(out, rest)
			break
		}
		i := strings.LastIndexFunc(rest, isPySpace)
		if i < 0 {
			out = append(out, rest)
			break
		}
		_, n := utf8.DecodeRuneInString(rest[i:])
		out = append(out, rest[i+n:])
		rest = strings.TrimRightFunc(rest[:i], isPySpace)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// isCase is str.isupper()/islower(): at least one cased character and no
// cased character of the other case.
func isCase(s string, upper bool) bool {
	cased := false
	for _, r := range s {
		if unicode.IsUpper(r) || unicode.IsTitle(r) {
			if !upper {
				return false
			}
			cased = true
		} else if unicode.IsLower(r) {
			if upper {
				return false
			}
			cased = true
		}
	}
	return cased
}

// IsUpperName reports whether a name is upper case in Python's sense
// (str.isupper): what Flask's from_object copies into the config.
func IsUpperName(s string) bool { return isCase(s, true) }
