// Package clitool is a command's code in a library package, as CLIs built
// on cobra are: the function a command runs, and what it calls, run once
// per process.
package clitool

import (
	"time"

	"github.com/spf13/cobra"
)

func poll() {
	for {
		time.Sleep(time.Second)
	}
}

var serveCmd = &cobra.Command{
	Use:  "serve",
	RunE: runServe,
}

func runServe(cmd *cobra.Command, args []string) error {
	startMetrics()
	go poll() // silent: the command's own daemon
	return nil
}

func startMetrics() {
	go poll() // silent: called from the command's body
}

func init() {
	var watch cobra.Command
	watch.Run = func(cmd *cobra.Command, args []string) {
		go poll() // silent: the command's body, assigned to Run
	}
}

// An adapter turns a function of another shape into the command's body.
type commandFunc func(args []string) error

func wrap(f commandFunc) func(*cobra.Command, []string) error {
	return func(_ *cobra.Command, args []string) error { return f(args) }
}

func runWatch(args []string) error {
	go poll() // silent: the command's body, through an adapter
	return nil
}

func init() {
	var watch cobra.Command
	watch.RunE = wrap(runWatch)
}

// A function handed to something else than a command's field is not the
// command's body.
func runElsewhere(args []string) error {
	go poll() // want `goroutine is never waited for`
	return nil
}

var elsewhere = wrap(runElsewhere)

// Elsewhere in the package, not on the command's path: a hazard.
func Refresh() {
	go poll() // want `goroutine is never waited for`
}
