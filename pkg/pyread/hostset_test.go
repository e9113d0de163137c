package pyread

import (
	"reflect"
	"testing"
)

// settable is a host whose attributes the code may set.
type settable struct {
	testHost
	fields map[string]Value
}

func (s *settable) GetAttr(name string, line int) (Value, bool) {
	v, ok := s.fields[name]
	return v, ok
}

func (s *settable) SetAttr(name string, v Value, line int) bool {
	s.fields[name] = v
	return true
}

// In a caller's call, an attribute assignment a host takes is seen by
// later reads; one it does not take makes the outcome unknown (the old
// value would be read), naming the line.
func TestCallHostAttributeAssignment(t *testing.T) {
	m := Read("config.py", []byte(`
def promote(user):
    user.roles = user.roles + ["Admin"]
    return user.roles

def untracked(obj):
    obj.roles = ["Admin"]
    return 1
`), Options{})
	u := &settable{testHost: testHost{typ: "User"}, fields: map[string]Value{"roles": FromGo([]any{"Viewer"}, 0)}}
	o := m.CallFunction(m.Function("promote"), []Value{NewHost(u)}, nil)
	if o.Kind != Returned || !reflect.DeepEqual(ToGo(o.Value), []any{"Viewer", "Admin"}) {
		t.Fatalf("promote: %s", describeOutcome(o))
	}
	o = m.CallFunction(m.Function("untracked"), []Value{NewHost(&testHost{typ: "Thing"})}, nil)
	if o.Kind != Unknown || o.Cause.Line != 7 {
		t.Fatalf("untracked: %s %+v", describeOutcome(o), o.Cause)
	}
}
