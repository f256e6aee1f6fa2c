package driver

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestDiffLinesScript checks on random inputs that the edit script turns a
// into b and is no longer than the trivial one.
func TestDiffLinesScript(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"a\n", "b\n", "c\n", "d\n"}
	gen := func() []string {
		n := r.IntN(12)
		lines := make([]string, n)
		for i := range lines {
			lines[i] = words[r.IntN(len(words))]
		}
		return lines
	}
	for i := 0; i < 2000; i++ {
		x, y := gen(), gen()
		ops := diffLines(x, y)
		var gotX, gotY []string
		changes := 0
		for _, op := range ops {
			if op.kind != '+' {
				gotX = append(gotX, op.line)
			}
			if op.kind != '-' {
				gotY = append(gotY, op.line)
			}
			if op.kind != ' ' {
				changes++
			}
		}
		if strings.Join(gotX, "") != strings.Join(x, "") || strings.Join(gotY, "") != strings.Join(y, "") {
			t.Fatalf("script for %q → %q does not reproduce them: %v", x, y, ops)
		}
		if changes > len(x)+len(y) {
			t.Fatalf("script for %q → %q has %d changes", x, y, changes)
		}
		if want := len(x) + len(y) - 2*lcs(x, y); changes != want {
			t.Fatalf("script for %q → %q has %d changes, shortest has %d", x, y, changes, want)
		}
	}
}

func lcs(x, y []string) int {
	dp := make([][]int, len(x)+1)
	for i := range dp {
		dp[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func TestUnifiedDiff(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n"
	b := "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\nseventeen"
	want := `--- x (old)
+++ x (new)
@@ -1,6 +1,6 @@
 1
 2
-3
+three
 4
 5
 6
@@ -14,3 +14,4 @@
 14
 15
 16
+seventeen
\ No newline at end of file
`
	if got := unifiedDiff("x (old)", "x (new)", a, b); got != want {
		t.Errorf("unifiedDiff:\n%s\nwant:\n%s", got, want)
	}
	if got := unifiedDiff("x", "x", a, a); got != "" {
		t.Errorf("unifiedDiff of equal texts = %q", got)
	}
}
