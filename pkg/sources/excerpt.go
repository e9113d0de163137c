package sources

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/netx"
)

// BodyEvidence shows what an unusable body is without printing what may
// be secret: the first bytes of a page or of text, but only the member
// names of JSON, since a key set (or a single JWK) may hold private
// members (d, p, q, dp, dq, qi, k) first.
func BodyEvidence(b []byte) engine.Opt {
	t := bytes.TrimSpace(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return engine.With("first bytes", netx.Excerpt(b, 80))
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(t, &m) != nil {
		return engine.With("body", fmt.Sprintf("%d bytes of JSON-like text, not shown (it may hold key material)", len(b)))
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) > 12 {
		names = append(names[:12], fmt.Sprintf("… (%d members)", len(m)))
	}
	return engine.With("members", strings.Join(names, ", "))
}
