package cmdutil

import (
	"bytes"
	"encoding/json"
	"strings"
)

// ReadJSONObject reads a flag's value given as @FILE or inline JSON (such
// as --userinfo); it must be a JSON object. from names it for reports
// ("--userinfo @me.json"). An unreadable file is exit 3, a value that is
// not a JSON object a usage error.
func ReadJSONObject(v, flag string) (data []byte, from string, err error) {
	data, from = []byte(v), flag+" (inline JSON)"
	if strings.HasPrefix(v, "@") {
		if data, err = ReadFile(v[1:]); err != nil {
			return nil, "", err
		}
		from = flag + " " + v
	}
	var m map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(data), &m); err != nil || m == nil {
		what := "null"
		if err != nil {
			what = err.Error()
		}
		return nil, "", Usagef("%s %s is not a JSON object: %s", flag, strings.TrimPrefix(from, flag+" "), what)
	}
	return data, from, nil
}
