// Package hystrix is a stub of github.com/afex/hystrix-go/hystrix.
package hystrix

import "context"

type CommandConfig struct {
	Timeout                int
	MaxConcurrentRequests  int
	RequestVolumeThreshold int
	SleepWindow            int
	ErrorPercentThreshold  int
}

type runFunc func() error
type fallbackFunc func(error) error
type runFuncC func(context.Context) error
type fallbackFuncC func(context.Context, error) error

func ConfigureCommand(name string, config CommandConfig)       {}
func Configure(cmds map[string]CommandConfig)                  {}
func Do(name string, run runFunc, fallback fallbackFunc) error { return run() }
func DoC(ctx context.Context, name string, run runFuncC, fallback fallbackFuncC) error {
	return run(ctx)
}
func Go(name string, run runFunc, fallback fallbackFunc) chan error { return nil }
func GoC(ctx context.Context, name string, run runFuncC, fallback fallbackFuncC) chan error {
	return nil
}
