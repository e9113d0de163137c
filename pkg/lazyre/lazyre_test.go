package lazyre

import "testing"

func TestLazy(t *testing.T) {
	r := New(`^a(\d+)$`)
	if r.re != nil {
		t.Fatal("compiled before use")
	}
	if !r.MatchString("a12") || r.FindStringSubmatch("a7")[1] != "7" || r.ReplaceAllString("a1", "x") != "x" {
		t.Fatal("wrong answers")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a bad expression must panic on use")
		}
	}()
	New(`(`).MatchString("x")
}
