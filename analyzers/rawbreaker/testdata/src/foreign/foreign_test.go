package foreign

import "github.com/sony/gobreaker/v2"

// Test files are silent unless -rawbreaker.tests is set.
var testBreaker = gobreaker.NewCircuitBreaker[any](gobreaker.Settings{})
