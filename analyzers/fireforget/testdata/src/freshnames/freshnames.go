// Package freshnames has several go statements in one function whose fixes
// bind values to fresh locals: each fix must choose names no other fix of
// the pass chose, since the driver applies them together.
package freshnames

func next() int  { return 1 }
func use(int)    {}
func record(int) {}

type sink struct{}

func (sink) recorder(int) {}

var s sink

func twice() {
	go use(next()) // want `goroutine is never waited for`
	go use(next()) // want `goroutine is never waited for`
}

// The second fix binds the method value too: reusing the first fix's v
// there (recorder, v := s.recorder, next()) would compile and hand the first
// task the second value.
func mixed() {
	go record(next())     // want `goroutine is never waited for`
	go s.recorder(next()) // want `goroutine is never waited for`
}
