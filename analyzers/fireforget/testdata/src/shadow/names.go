// Package shadow checks that the fix never uses a name that means
// something else where it is used.
package shadow

func work()          {}
func use(int)        {}
func next() int      { return 0 }
func pass(any, bool) {}

// Parameters named task and context hide the packages the fix needs: the
// imports are added under other names.
func hidden(task int, context string) {
	go work() // want `goroutine is never waited for`
	_, _ = task, context
}

// A binding never takes a name that the goroutine's code or later code
// uses.
func taken() {
	v := next()
	go use(next()) // want `goroutine is never waited for`
	v1 := v
	_ = v1
}

// A local named context, declared after the go statement, is not hidden by
// a binding named after it.
func later(x struct{ context bool }) {
	go pass(nil, x.context) // want `goroutine is never waited for`
	context := 1
	_ = context
}
