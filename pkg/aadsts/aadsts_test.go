package aadsts

import "testing"

func TestFindAndLookup(t *testing.T) {
	got := Find("AADSTS50011: The redirect URI ... AADSTS50011 again; AADSTS700016: no app. Trace ID: 123456789")
	if len(got) != 2 || got[0] != 50011 || got[1] != 700016 {
		t.Fatalf("Find = %v", got)
	}
	for _, in := range []string{"AADSTS50011", "aadsts50011", "50011", " AADSTS50011 "} {
		if c, ok := Lookup(in); !ok || c.Name != "InvalidReplyTo" || c.ID() != "AADSTS50011" {
			t.Errorf("Lookup(%q) = %+v %v", in, c, ok)
		}
	}
	if _, ok := Lookup("AADSTS1"); ok {
		t.Error("an unknown code was found")
	}
	seen := map[int]bool{}
	for _, c := range All() {
		if seen[c.Code] || c.Meaning == "" || c.Fix == "" {
			t.Errorf("code %d duplicated or incomplete", c.Code)
		}
		seen[c.Code] = true
	}
}
