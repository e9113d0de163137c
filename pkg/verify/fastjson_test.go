package verify

import (
	"encoding/json"
	"reflect"
	"testing"
)

// scanClaims agrees with encoding/json where it answers, and gives up on
// what it does not handle.
func TestScanClaimsAgreesWithEncodingJSON(t *testing.T) {
	good := []string{
		`{"iss":"https://idp.example.com","aud":"app","exp":1795168800,"nbf":1795165200,"iat":1795165200}`,
		`{ "aud" : ["a","b"], "exp": 1795168800.5, "tid":"t", "x": {"y":[1,2,{"z":null}]}, "hasgroups": false }`,
		`{"_claim_names":{"groups":"src1"},"exp":1,"s":"a\"b\\c\u00e9"}`,
		`{}`,
	}
	for _, in := range good {
		got, ok := scanClaims([]byte(in))
		if !ok {
			t.Errorf("gave up on %s", in)
			continue
		}
		want, err := exact([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(norm(got), norm(want)) {
			t.Errorf("%s:\n got %+v\nwant %+v", in, norm(got), norm(want))
		}
	}
	bad := []string{``, `[]`, `{"exp":1,}`, `{"exp":"1"}`, `{"exp":1`, `{"exp":1}x`, `{"a\u0062":1}`, `{"exp":1,"exp":2}`, `{"iss":tru}`, `{"x":[1,]}`, `{"x":"a` + "\n" + `"}`}
	for _, in := range bad {
		if _, ok := scanClaims([]byte(in)); ok {
			t.Errorf("accepted %q", in)
		}
	}
}

// exact decodes the members by their exact (case-sensitive) names, as the
// full diagnosis does: JWT claim names are case-sensitive, unlike
// encoding/json's struct field matching.
func exact(b []byte) (fastClaims, error) {
	var m map[string]json.RawMessage
	var c fastClaims
	if err := json.Unmarshal(b, &m); err != nil {
		return c, err
	}
	if m == nil {
		return c, errNotObject
	}
	num := func(k string) *json.Number {
		if r, ok := m[k]; ok {
			n := json.Number(r)
			return &n
		}
		return nil
	}
	if r, ok := m["iss"]; ok {
		if err := json.Unmarshal(r, &c.Iss); err != nil {
			return c, err
		}
	}
	if r, ok := m["tid"]; ok {
		if err := json.Unmarshal(r, &c.Tid); err != nil {
			return c, err
		}
	}
	c.Aud, c.ClaimNames, c.HasGroups = m["aud"], m["_claim_names"], m["hasgroups"]
	c.Exp, c.Nbf, c.Iat = num("exp"), num("nbf"), num("iat")
	return c, nil
}

var errNotObject = json.Unmarshal([]byte(`1`), &map[string]any{})

type normClaims struct {
	Iss, Aud, Exp, Nbf, Iat, Tid, ClaimNames, HasGroups string
}

func norm(c fastClaims) normClaims {
	s := func(n *json.Number) string {
		if n == nil {
			return "<nil>"
		}
		return string(*n)
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

func FuzzScanClaims(f *testing.F) {
	f.Add([]byte(`{"iss":"x","aud":["a"],"exp":1,"nbf":2,"iat":3,"tid":"t","hasgroups":false}`))
	f.Add([]byte(`{"a":{"b":[1,"2",null,true]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := scanClaims(b)
		if !ok {
			return
		}
		want, err := exact(b)
		if err != nil {
			t.Fatalf("scanClaims accepted what encoding/json refuses (%v): %q", err, b)
		}
		if !reflect.DeepEqual(norm(got), norm(want)) {
			t.Fatalf("%q:\n got %+v\nwant %+v", b, norm(got), norm(want))
		}
	})
}
