package fix_test

import (
	"go/token"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/srctest"
)

func TestFreshName(t *testing.T) {
	src := `package p

var fn = 1

type T struct{ recv1 int }

func f(ctx int) {
	/*@*/
	{
		ctx1 := 2
		_ = ctx1
	}
	recv := T{recv1: 3}
	_ = recv.recv1
done:
	for {
		break done
	}
	_ = ctx
}

func g() {
	{
		other := 1
		_ = other
	}
	{
		/*@*/
	}
}
`
	p := srctest.Check(t, stubs, "example.com/p", src)
	file := p.Files[0]
	first := strings.Index(src, marker)
	second := first + 1 + strings.Index(src[first+1:], marker)
	for _, tc := range []struct {
		at         int
		base, want string
	}{
		{first, "fn", "fn1"},       // package-level fn visible at pos
		{first, "ctx", "ctx2"},     // parameter visible; ctx1 declared in a nested block
		{first, "recv", "recv1"},   // declared later in the scope; recv1 is only a field
		{first, "len", "len1"},     // predeclared
		{first, "done", "done"},    // only a label
		{first, "x", "x"},          // unused
		{second, "other", "other"}, // declared in a sibling block only
		{second, "fn", "fn1"},
		{second, "g", "g1"}, // the function itself
	} {
		pos := file.FileStart + token.Pos(tc.at+len(marker))
		if got := fix.FreshName(p.Info, file, pos, tc.base); got != tc.want {
			t.Errorf("FreshName(%s at offset %d) = %s, want %s", tc.base, tc.at, got, tc.want)
		}
	}
}

func TestFreshNameAvoid(t *testing.T) {
	src := "package p\n\nfunc f(arg int) {\n\t/*@*/\n\t_ = arg\n}\n"
	p := srctest.Check(t, stubs, "example.com/p", src)
	file := p.Files[0]
	pos := file.FileStart + token.Pos(strings.Index(src, marker)+len(marker))
	first := fix.FreshName(p.Info, file, pos, "arg")
	second := fix.FreshName(p.Info, file, pos, "arg", first)
	third := fix.FreshName(p.Info, file, pos, "arg", first, second)
	if first != "arg1" || second != "arg2" || third != "arg3" {
		t.Errorf("FreshName(arg) thrice = %s, %s, %s; want arg1, arg2, arg3", first, second, third)
	}
}

// TestFreshNameUse checks that a package-level name declared after pos
// counts as taken: a declaration at pos would capture the reference.
func TestFreshNameUse(t *testing.T) {
	src := `package p

func f() {
	func() {
		/*@*/
		_ = h
	}()
}

var h = 1
`
	p := srctest.Check(t, stubs, "example.com/p", src)
	file := p.Files[0]
	pos := file.FileStart + token.Pos(strings.Index(src, marker)+len(marker))
	if got := fix.FreshName(p.Info, file, pos, "h"); got != "h1" {
		t.Errorf("FreshName(h) = %s, want h1", got)
	}
}
