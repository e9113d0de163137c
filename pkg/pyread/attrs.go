package pyread

import "strings"

// publicAttrs lists, per built-in type, the attributes that do not start
// with an underscore (dir() of CPython 3.11): an attribute of a known value
// that is not among them raises AttributeError, as in CPython.
func publicAttrs() map[string]map[string]bool { return publicAttrsOnce.get(newPublicAttrs) }

var publicAttrsOnce lazy[map[string]map[string]bool]

func newPublicAttrs() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for t, names := range publicAttrNames() {
		out[t] = map[string]bool{}
		for _, n := range strings.Fields(names) {
			out[t][n] = true
		}
	}
	return out
}

func publicAttrNames() map[string]string {
	return map[string]string{
		"str":       "capitalize casefold center count encode endswith expandtabs find format format_map index isalnum isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle isupper join ljust lower lstrip maketrans partition removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip swapcase title translate upper zfill",
		"bytes":     "capitalize center count decode endswith expandtabs find fromhex hex index isalnum isalpha isascii isdigit islower isspace istitle isupper join ljust lower lstrip maketrans partition removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip swapcase title translate upper zfill",
		"list":      "append clear copy count extend index insert pop remove reverse sort",
		"tuple":     "count index",
		"dict":      "clear copy fromkeys get items keys pop popitem setdefault update values",
		"set":       "add clear copy difference difference_update discard intersection intersection_update isdisjoint issubset issuperset pop remove symmetric_difference symmetric_difference_update union update",
		"frozenset": "copy difference intersection isdisjoint issubset issuperset symmetric_difference union",
		"int":       "as_integer_ratio bit_count bit_length conjugate denominator from_bytes imag numerator real to_bytes",
		"float":     "as_integer_ratio conjugate fromhex hex imag is_integer real",
		"bool":      "as_integer_ratio bit_count bit_length conjugate denominator from_bytes imag numerator real to_bytes",
	}
}

// noSuchAttr reports whether a value of built-in type t certainly has no
// attribute attr (names starting with an underscore are not decided).
func noSuchAttr(t, attr string) bool {
	names, ok := publicAttrs()[t]
	return ok && !strings.HasPrefix(attr, "_") && !names[attr]
}
