package authlib

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/authdoctor/authdoctor/pkg/netx"
)

// Metadata is authlib's server_metadata: the remote_app keys that are not
// client parameters (OAuth2Base.__init__'s **kwargs), then the fetched
// server_metadata_url document merged over them with dict.update
// (OAuth2Mixin.load_server_metadata). A key keeps its first position when
// replaced, as a Python dict does.
type Metadata struct {
	keys []string
	vals map[string]any
	from map[string]string
	// Overridden are the remote_app values the fetched document replaced
	// (spec/user-code.md §8: jwks_uri, userinfo_endpoint, issuer given in
	// remote_app are ignored once the document has them).
	Overridden []Override `json:"overridden,omitempty"`
	// Loaded says the document was fetched and merged (from FetchedFrom).
	Loaded      bool   `json:"loaded"`
	FetchedFrom string `json:"fetchedFrom,omitempty"`
}

// Override is one remote_app value the fetched document replaced.
type Override struct {
	Key        string `json:"key"`
	RemoteApp  any    `json:"remoteApp"`
	Document   any    `json:"document"`
	Unchanged  bool   `json:"unchanged"`
	RemoteLine int    `json:"remoteLine,omitempty"`
}

// Get returns a metadata value.
func (m *Metadata) Get(k string) (any, bool) {
	if m == nil {
		return nil, false
	}
	v, ok := m.vals[k]
	return v, ok
}

// Str returns a metadata string ("" when absent or not a string).
func (m *Metadata) Str(k string) string {
	v, _ := m.Get(k)
	s, _ := v.(string)
	return s
}

// From says where a key's value came from: "remote_app" or the URL of
// the fetched document.
func (m *Metadata) From(k string) string {
	if m == nil {
		return ""
	}
	return m.from[k]
}

// Keys lists the keys in dict order.
func (m *Metadata) Keys() []string {
	if m == nil {
		return nil
	}
	return append([]string(nil), m.keys...)
}

func (m *Metadata) set(k string, v any, from string) {
	if m.vals == nil {
		m.vals, m.from = map[string]any{}, map[string]string{}
	}
	if _, ok := m.vals[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.vals[k], m.from[k] = v, from
}

// MarshalJSON writes the metadata in dict order with each key's origin.
func (m *Metadata) MarshalJSON() ([]byte, error) {
	type entry struct {
		Key   string `json:"key"`
		Value any    `json:"value"`
		From  string `json:"from"`
	}
	out := struct {
		Entries     []entry    `json:"entries"`
		Overridden  []Override `json:"overridden,omitempty"`
		Loaded      bool       `json:"loaded"`
		FetchedFrom string     `json:"fetchedFrom,omitempty"`
	}{Entries: []entry{}, Overridden: m.Overridden, Loaded: m.Loaded, FetchedFrom: m.FetchedFrom}
	for _, k := range m.keys {
		out.Entries = append(out.Entries, entry{k, m.vals[k], m.from[k]})
	}
	return json.Marshal(out)
}

// Load merges a fetched server_metadata_url document the way
// load_server_metadata does: resp.raise_for_status(), resp.json(), then
// server_metadata.update(document). A failure is what authlib raises; FAB
// meets it in its login view, before any redirect (Failure at the
// authorize step). A client without server_metadata_url never fetches.
func (c *Client) Load(r *netx.Result) *Raised {
	if c.ServerMetadataURL == "" || c.Metadata.Loaded {
		return nil
	}
	if r == nil {
		return &Raised{Class: "(not fetched)", Message: "the server_metadata_url document was not fetched", Approximate: true, Where: whereMeta}
	}
	if err := RequestsError(r, whereMeta); err != nil {
		return err
	}
	doc, err := decodeJSONObject(r.Body)
	if err != nil {
		return err
	}
	c.mergeMetadata(doc, c.ServerMetadataURL)
	return nil
}

// mergeMetadata is server_metadata.update(doc) (plus authlib's own
// "_loaded_at" marker, which nothing reads but load_server_metadata).
func (c *Client) mergeMetadata(doc *ordered, from string) {
	m := c.Metadata
	for _, k := range doc.keys {
		v := doc.vals[k]
		if old, ok := m.vals[k]; ok && m.from[k] == "remote_app" {
			m.Overridden = append(m.Overridden, Override{Key: k, RemoteApp: old, Document: v,
				Unchanged: fmt.Sprint(old) == fmt.Sprint(v), RemoteLine: c.lines[k]})
		}
		m.set(k, v, from)
	}
	m.Loaded, m.FetchedFrom = true, from
}

// ordered is a JSON object with its member order.
type ordered struct {
	keys []string
	vals map[string]any
}

// decodeJSONObject reads a body as resp.json() then dict.update would:
// not JSON → JSONDecodeError; JSON that is not an object cannot update a
// dict (a list of pairs aside, which no IdP serves): ValueError/TypeError.
func decodeJSONObject(body []byte) (*ordered, *Raised) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, JSONDecodeError(body, whereMeta)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		var v any
		if json.Unmarshal(body, &v) != nil {
			return nil, JSONDecodeError(body, whereMeta)
		}
		return nil, &Raised{Class: "TypeError", Message: fmt.Sprintf("the document is a JSON %s, not an object: dict.update() cannot take it", jsonKind(v)), Approximate: true, Where: whereMeta}
	}
	o := &ordered{vals: map[string]any{}}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, JSONDecodeError(body, whereMeta)
		}
		k, _ := kt.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, JSONDecodeError(body, whereMeta)
		}
		if _, dup := o.vals[k]; !dup {
			o.keys = append(o.keys, k)
		}
		o.vals[k] = v // a repeated member: the last wins, as in json.loads
	}
	if _, err := dec.Token(); err != nil {
		return nil, JSONDecodeError(body, whereMeta)
	}
	if _, err := dec.Token(); err != io.EOF {
		// json.loads: "Extra data: line …"
		return nil, &Raised{Class: "JSONDecodeError", Message: "Extra data after the JSON object", Approximate: true, Where: whereMeta}
	}
	return o, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "value"
}
