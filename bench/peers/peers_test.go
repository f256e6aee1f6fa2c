package main

import "testing"

func TestWantRE(t *testing.T) {
	for line, want := range map[string]string{
		`	f3() // want "Function ` + "`f3`" + ` should pass"`:                         `"Function ` + "`f3`" + ` should pass"`,
		"	db.Begin() // want `\\(\\*database/sql\\.DB\\)\\.Begin must not be called`": "`\\(\\*database/sql\\.DB\\)\\.Begin must not be called`",
		`	x() // want "a" "b\"c"`:              `"a" "b\"c"`,
		`package a // want package:"ctxCheck"`: "", // a fact, not a diagnostic
		`	y() // wanted`:                       "",
	} {
		got := ""
		if m := wantRE.FindStringSubmatch(line); m != nil {
			got = m[1]
		}
		if got != want {
			t.Errorf("%s: got %q, want %q", line, got, want)
		}
	}
}
