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

// Elsewhere in the package, not on the command's path: a hazard.
func Refresh() {
	go poll() // want `goroutine is never waited for`
}
