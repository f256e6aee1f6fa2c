package driver

import (
	"fmt"
	"slices"
	"strings"
)

// unifiedDiff returns the unified diff (3 lines of context) that turns a
// into b, with the given file labels, or "" if they are equal.
func unifiedDiff(labelA, labelB, a, b string) string {
	if a == b {
		return ""
	}
	x, y := splitLines(a), splitLines(b)
	ops := diffLines(x, y)

	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", labelA, labelB)
	const ctx = 3
	for i := 0; i < len(ops); {
		for i < len(ops) && ops[i].kind == ' ' {
			i++ // skip to the next change
		}
		if i == len(ops) {
			break
		}
		// A hunk runs from ctx lines before the change to ctx lines after
		// the last change that follows within 2*ctx equal lines.
		start, end := max(i-ctx, 0), i
		for {
			for end < len(ops) && ops[end].kind != ' ' {
				end++
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*ctx {
				end = min(end+ctx, len(ops))
				break
			}
			end = run
		}
		aLen, bLen := 0, 0
		var body strings.Builder
		for _, op := range ops[start:end] {
			if op.kind != '+' {
				aLen++
			}
			if op.kind != '-' {
				bLen++
			}
			body.WriteByte(op.kind)
			body.WriteString(op.line)
			if !strings.HasSuffix(op.line, "\n") {
				body.WriteString("\n\\ No newline at end of file\n")
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n%s", hunkRange(ops[start].ai, aLen), hunkRange(ops[start].bi, bLen), body.String())
		i = end
	}
	return out.String()
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start) // the line before an empty range
	}
	if n == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// A diffOp is one line of an edit script; ai and bi are the line's index in
// a and b (for '-' the index in b where it would be, and vice versa).
type diffOp struct {
	kind   byte // ' ', '-', '+'
	line   string
	ai, bi int
}

// diffLines returns a shortest edit script from x to y (Myers' algorithm,
// O((N+M)·D) time, which suits the few changes a fix makes).
func diffLines(x, y []string) []diffOp {
	n, m := len(x), len(y)
	off := n + m + 1
	v := make([]int, 2*off+1)
	var trace [][]int // trace[d] is v before step d
search:
	for d := 0; d <= n+m; d++ {
		trace = append(trace, slices.Clone(v))
		for k := -d; k <= d; k += 2 {
			var i int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				i = v[off+k+1] // from k+1: an insertion
			} else {
				i = v[off+k-1] + 1 // from k-1: a deletion
			}
			j := i - k
			for i < n && j < m && x[i] == y[j] {
				i, j = i+1, j+1
			}
			v[off+k] = i
			if i >= n && j >= m {
				break search
			}
		}
	}
	var ops []diffOp // in reverse
	i, j := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		vd := trace[d]
		k := i - j
		pk := k - 1
		if k == -d || (k != d && vd[off+k-1] < vd[off+k+1]) {
			pk = k + 1
		}
		pi := vd[off+pk]
		pj := pi - pk
		for i > pi && j > pj {
			i, j = i-1, j-1
			ops = append(ops, diffOp{' ', x[i], i, j})
		}
		if d == 0 {
			break
		}
		if i == pi {
			ops = append(ops, diffOp{'+', y[pj], pi, pj})
		} else {
			ops = append(ops, diffOp{'-', x[pi], pi, pj})
		}
		i, j = pi, pj
	}
	slices.Reverse(ops)
	return ops
}
