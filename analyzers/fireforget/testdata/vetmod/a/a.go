// Package a declares a launcher.
package a

// SafeGo starts f on a goroutine that nothing waits for.
func SafeGo(f func()) {
	go func() {
		defer func() { recover() }()
		f()
	}()
}
