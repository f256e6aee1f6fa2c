package discarded

import (
	"testing"
	"time"
)

func TestZone(t *testing.T) {
	// Silent: test files are exempt unless -silentimport.tests is set.
	loc, _ := time.LoadLocation("Europe/Paris")
	_ = loc
}
