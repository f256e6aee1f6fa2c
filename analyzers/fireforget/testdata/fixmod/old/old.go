//go:build go1.21

// Package old checks the fix against the file's Go version: before Go
// 1.22 one loop variable serves every iteration, so a go statement's
// argument that is a loop variable must be copied when it runs.
package old

func use(int, string) {}

func old(xs []string) {
	for i := 0; i < len(xs); i++ {
		go use(i, xs[i])
	}
	for _, x := range xs {
		go use(0, x)
	}
}
