package coord_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/resilvet/resilvet/runtime/coord"
)

func ExampleSetEnv() {
	os.Unsetenv("NODE_BOOTING")
	boot := func() error {
		// Restores the variable on every return, and on a panic.
		defer coord.SetEnv("NODE_BOOTING", "1")()
		fmt.Println("during boot:", os.Getenv("NODE_BOOTING"))
		return fmt.Errorf("disk not found") // one of the seven exception paths
	}
	fmt.Println("boot:", boot())
	_, set := os.LookupEnv("NODE_BOOTING")
	fmt.Println("after boot, set:", set)
	// Output:
	// during boot: 1
	// boot: disk not found
	// after boot, set: false
}

// Restoring a call that a later one overrode hands its old state to the later
// call, so nothing stale is written back.
func ExampleSetEnv_outOfOrder() {
	os.Unsetenv("NODE_MODE")
	restoreBoot := coord.SetEnv("NODE_MODE", "booting")
	restoreDrain := coord.SetEnv("NODE_MODE", "draining")
	restoreBoot()
	fmt.Println(os.Getenv("NODE_MODE"))
	restoreDrain()
	_, set := os.LookupEnv("NODE_MODE")
	fmt.Println("set:", set)
	// Output:
	// draining
	// set: false
}

// booting is shared by the boot sequence and the components that must not
// start work until it is over.
var booting = coord.Flag{Name: "node.booting"}

func ExampleFlag() {
	done := make(chan struct{})
	scheduler := func() { // must not start VMs during a boot
		defer close(done)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := booting.Wait(ctx); err != nil {
			fmt.Println("boot still in progress:", err)
			return
		}
		fmt.Println("scheduler: boot over, up:", booting.Up())
	}

	func() { // the boot
		lower := booting.Raise()
		defer lower() // on every exit path, a panic included
		go scheduler()
		fmt.Println("booting, up:", booting.Up())
	}()
	<-done
	// Output:
	// booting, up: true
	// scheduler: boot over, up: false
}

func ExampleFlag_LogValue() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "since" {
				return slog.Attr{} // they change between runs
			}
			return a
		},
	}))
	flag := coord.Flag{Name: "node.booting"}
	lower := flag.Raise()
	logger.Info("status", "flag", &flag)
	lower()
	logger.Info("status", "flag", &flag)
	// Output:
	// level=INFO msg=status flag.name=node.booting flag.up=true flag.raises=1
	// level=INFO msg=status flag.name=node.booting flag.up=false
}
