package verify

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/token"
)

// scanClaims agrees with the full diagnosis's decoder (token.ParseObject)
// where it answers, and gives up on what it does not handle.
func TestScanClaimsAgreesWithTheStandardDecoder(t *testing.T) {
	good := []string{
		`{"iss":"https://idp.example.com","aud":"app","exp":1795168800,"nbf":1795165200,"iat":1795165200}`,
		`{ "aud" : ["a","b"], "exp": 1795168800.5, "tid":"t", "x": {"y":[1,2,{"z":null}]}, "hasgroups": false }`,
		`{"_claim_names":{"groups":"src1"},"exp":1,"s":"a\"b\\c\u00e9"}`,
		`{"x":"\ud800 \/\b\f\n\r\t","exp":1}`,
		"{\"iss\":\"https://idp\xff.example\",\"tid\":\"\xc3\",\"exp\":1}",
		`{"a":1,"a":2,"exp":1}`,
		`{}`,
	}
	for _, in := range good {
		got, ok := scanClaims([]byte(in))
		if !ok {
			t.Errorf("gave up on %s", in)
			continue
		}
		want, err := standard([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(norm(got), norm(want)) {
			t.Errorf("%s:\n got %+v\nwant %+v", in, norm(got), norm(want))
		}
	}
	// Refused by the standard decoder (invalid JSON), or outside what the
	// scanner handles (then the full diagnosis decides).
	bad := []string{``, `[]`, `{"exp":1,}`, `{"exp":"1"}`, `{"exp":1`, `{"exp":1}x`, `{"a\u0062":1}`, `{"exp":1,"exp":2}`, `{"iss":tru}`, `{"x":[1,]}`, `{"x":"a` + "\n" + `"}`,
		`{"note":"a\0b","exp":1}`, `{"":"\0"}`, `{"x":"\x41"}`, `{"x":"\u12"}`, `{"x":"\u12g4"}`, `{"x":"\`, `{"x":"\u"}`, "{\"x\":\"\x01\"}", `{"x":{"a":"\q"}}`, `{"x":["\0"]}`}
	for _, in := range bad {
		if _, ok := scanClaims([]byte(in)); ok {
			t.Errorf("accepted %q", in)
		}
	}
}

// standard decodes the members as the full diagnosis does: token.ParseObject
// (exact, case-sensitive names; the last of duplicate members wins;
// numbers kept as written). Members the scanner reads as strings or
// numbers must be strings or numbers here too.
func standard(b []byte) (fastClaims, error) {
	var c fastClaims
	o, _, err := token.ParseObject(b)
	if err != nil {
		return c, err
	}
	str := func(k string, dst *string) error {
		if v, ok := o.Get(k); ok {
			s, isStr := v.(string)
			if !isStr {
				return fmt.Errorf("%s is not a string", k)
			}
			*dst = s
		}
		return nil
	}
	num := func(k string) ([]byte, error) {
		v, ok := o.Get(k)
		if !ok {
			return nil, nil
		}
		n, isNum := v.(json.Number)
		if !isNum {
			return nil, fmt.Errorf("%s is not a number", k)
		}
		return []byte(n), nil
	}
	raw := func(k string) json.RawMessage {
		v, ok := o.Get(k)
		if !ok {
			return nil
		}
		r, _ := json.Marshal(v)
		return r
	}
	if err := str("iss", &c.Iss); err != nil {
		return c, err
	}
	if err := str("tid", &c.Tid); err != nil {
		return c, err
	}
	c.Aud, c.ClaimNames, c.HasGroups = raw("aud"), raw("_claim_names"), raw("hasgroups")
	for k, dst := range map[string]*[]byte{"exp": &c.Exp, "nbf": &c.Nbf, "iat": &c.Iat} {
		if *dst, err = num(k); err != nil {
			return c, err
		}
	}
	return c, nil
}

type normClaims struct {
	Iss, Aud, Exp, Nbf, Iat, Tid, ClaimNames, HasGroups string
}

func norm(c fastClaims) normClaims {
	s := func(n []byte) string {
		if n == nil {
			return "<nil>"
		}
		return string(n)
	}
	return normClaims{c.Iss, compact(c.Aud), s(c.Exp), s(c.Nbf), s(c.Iat), c.Tid, compact(c.ClaimNames), compact(c.HasGroups)}
}

func compact(r json.RawMessage) string {
	if r == nil {
		return "<nil>"
	}
	var v any
	json.Unmarshal(r, &v)
	b, _ := json.Marshal(v)
	return string(b)
}

// FuzzScanClaims: whatever scanClaims accepts, the standard decoder
// accepts with the same member values.
func FuzzScanClaims(f *testing.F) {
	f.Add([]byte(`{"iss":"x","aud":["a"],"exp":1,"nbf":2,"iat":3,"tid":"t","hasgroups":false}`))
	f.Add([]byte(`{"a":{"b":[1,"2",null,true]}}`))
	f.Add([]byte(`{"":"\0"}`))
	f.Add([]byte("{\"iss\":\"\xff\",\"exp\":1}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := scanClaims(b)
		if !ok {
			return
		}
		want, err := standard(b)
		if err != nil {
			t.Fatalf("scanClaims accepted what the standard decoder refuses (%v): %q", err, b)
		}
		if !reflect.DeepEqual(norm(got), norm(want)) {
			t.Fatalf("%q:\n got %+v\nwant %+v", b, norm(got), norm(want))
		}
	})
}
