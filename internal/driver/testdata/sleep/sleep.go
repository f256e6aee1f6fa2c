package sleep

import (
	"fmt"
	"time"
)

type clock struct{}

func (clock) Now() int { return 0 }

func pause(int) {}

func F() {
	time.Sleep(1)
	fmt.Println()
}

// G's time is a local: it is no use of package time.
func G() int {
	time := clock{}
	return time.Now()
}
