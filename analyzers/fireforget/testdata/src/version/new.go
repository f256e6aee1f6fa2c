//go:build go1.22

package version

// From Go 1.22 each iteration has its own loop variables: i and x are left
// as they are.
func current(xs []string) {
	for i := 0; i < len(xs); i++ {
		go use(i, xs[i]) // want `goroutine is never waited for`
	}
	for _, x := range xs {
		go use(0, x) // want `goroutine is never waited for`
	}
}
