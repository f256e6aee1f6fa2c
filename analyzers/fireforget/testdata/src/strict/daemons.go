package strict

import (
	"log"
	"os"
	"os/signal"
	"sync"
	"time"
)

var janitorOnce sync.Once

func janitor() {
	for {
		time.Sleep(time.Minute)
	}
}

// Started at most once per process: a daemon by design, still untracked.
func startJanitor() {
	janitorOnce.Do(func() {
		go janitor() // want `goroutine is never waited for`
	})
}

// A signal handler serves the whole process; signal.Notify has its channel,
// which may stop it: unjoined, which the strict profile switches on.
func handleSignals() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	go func() { // want `goroutine can be stopped but is never waited for`
		for range ch {
			log.Print("interrupt")
		}
	}()
}

// A hook stored in a field: its supplier owns it, but it runs untracked.
type Hooks struct{ OnEvent func() }

func (h *Hooks) fire() {
	go h.OnEvent() // want `goroutine is never waited for`
}
