package guard

import (
	"log/slog"
	"testing"
)

// ResetOptional gives Optional a fresh once-per-name registry that logs to
// logger, and restores the previous one when t ends. Tests calling it must
// not run in parallel with each other.
func ResetOptional(t testing.TB, logger *slog.Logger) {
	old := defaultRegistry
	defaultRegistry = &registry{logger: logger}
	t.Cleanup(func() { defaultRegistry = old })
}

// MissingDriver returns the *MissingDriverError SQLDriver would return for
// name with these drivers registered.
func MissingDriver(name string, registered []string) *MissingDriverError {
	return &MissingDriverError{Name: name, Import: wellKnownDrivers[name], registered: registered}
}
