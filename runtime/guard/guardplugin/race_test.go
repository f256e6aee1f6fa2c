//go:build race

package guardplugin_test

// A plugin must be built with -race to load into a test binary built with
// -race: the runtime packages differ otherwise.
func init() { raceEnabled = true }
