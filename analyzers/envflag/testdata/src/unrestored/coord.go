package unrestored

import "github.com/resilvet/resilvet/runtime/coord"

var Booting coord.Flag

func raise() error {
	lower := Booting.Raise() // want `lower is called on some exit paths but not on 1 other: what it restores stays changed; defer it`
	if err := step(); err != nil {
		return err
	}
	lower()
	return nil
}

// Silent: deferred.
func raiseDeferred() error {
	lower := Booting.Raise()
	defer lower()
	return step()
}
