package token

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Member is one key/value of a JSON object, in document order.
type Member struct {
	Key   string
	Value any
}

// Object is a JSON object that keeps its members in document order, so a
// decoded token reads the way the IdP wrote it. Nested values are plain
// Go values (map[string]any, []any, json.Number, string, bool, nil).
type Object struct {
	Members []Member
	index   map[string]int
}

// Get returns a member's value.
func (o *Object) Get(key string) (any, bool) {
	if o == nil {
		return nil, false
	}
	i, ok := o.index[key]
	if !ok {
		return nil, false
	}
	return o.Members[i].Value, true
}

// String returns a member when it is a string.
func (o *Object) String(key string) string {
	v, _ := o.Get(key)
	s, _ := v.(string)
	return s
}

// Map returns the members as a map.
func (o *Object) Map() map[string]any {
	m := make(map[string]any, len(o.Members))
	for _, mb := range o.Members {
		m[mb.Key] = mb.Value
	}
	return m
}

// MarshalJSON writes the members in order.
func (o *Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o.Members {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.Key)
		b.Write(k)
		b.WriteByte(':')
		var vb bytes.Buffer
		enc := json.NewEncoder(&vb)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(m.Value); err != nil {
			return nil, err
		}
		b.Write(bytes.TrimRight(vb.Bytes(), "\n"))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// maxDepth bounds nesting in token JSON: real tokens nest two or three
// levels; a hostile one must not exhaust the stack.
const maxDepth = 64

// ParseObject decodes a JSON object keeping member order. Numbers stay
// exact (json.Number). Duplicate keys: the last one wins, as in most JOSE
// libraries, and the duplicate is reported.
func ParseObject(data []byte) (*Object, []string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	t, err := dec.Token()
	if err != nil {
		return nil, nil, jsonErr(err)
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return nil, nil, fmt.Errorf("not a JSON object (starts with %s)", describeJSON(t))
	}
	o := &Object{index: map[string]int{}}
	var dups []string
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, nil, jsonErr(err)
		}
		k, _ := kt.(string)
		v, err := parseValue(dec, 1)
		if err != nil {
			return nil, nil, err
		}
		if i, dup := o.index[k]; dup {
			dups = append(dups, k)
			o.Members[i].Value = v
			continue
		}
		o.index[k] = len(o.Members)
		o.Members = append(o.Members, Member{k, v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, jsonErr(err)
	}
	// Anything but white space after the object is an error, as in
	// PyJWT's json.loads ("Extra data"); asking the decoder for another
	// token would let through text that is not a JSON token ("}", "x").
	if rest := bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return nil, nil, errors.New("extra data after the JSON object")
	}
	return o, dups, nil
}

func parseValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("JSON nested deeper than %d levels", maxDepth)
	}
	t, err := dec.Token()
	if err != nil {
		return nil, jsonErr(err)
	}
	switch d := t.(type) {
	case json.Delim:
		switch d {
		case '{':
			m := map[string]any{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, jsonErr(err)
				}
				v, err := parseValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				m[kt.(string)] = v
			}
			if _, err := dec.Token(); err != nil {
				return nil, jsonErr(err)
			}
			return m, nil
		case '[':
			a := []any{}
			for dec.More() {
				v, err := parseValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, jsonErr(err)
			}
			return a, nil
		}
		return nil, fmt.Errorf("unexpected %q", d)
	}
	return t, nil
}

func jsonErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("truncated JSON")
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

func describeJSON(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return string(v)
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "something else"
}
