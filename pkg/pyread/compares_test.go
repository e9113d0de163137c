package pyread

import (
	"reflect"
	"testing"
)

// The string literals a method compares a parameter with, wherever they
// are (if, elif, conditional expressions, comprehensions, nested
// functions), with their lines; other names and non-literals are not.
func TestStringComparisons(t *testing.T) {
	m := Read("config.py", []byte(`
class SM:
    def get_oauth_user_info(self, provider, resp):
        if provider == "azure":
            return {}
        elif "okta" == provider or provider in ("keycloak", "Keycloak", other):
            pass
        name = "x" if provider != "github" else "y"
        names = [p for p in resp if provider not in {"google"}]
        if other == "ignored" or provider == other or provider.lower() == "auth0":
            pass
        def inner():
            return provider == "authentik"
        return name
`), Options{})
	got := m.Class("SM").Method("get_oauth_user_info").StringComparisons("provider")
	want := []Comparison{{"azure", 4}, {"okta", 6}, {"keycloak", 6}, {"Keycloak", 6}, {"github", 8}, {"google", 9}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
