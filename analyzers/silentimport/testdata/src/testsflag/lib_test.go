package testsflag

import (
	"testing"
	"time"
)

func TestZone(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Paris") // want `error of time.LoadLocation discarded`
	_ = loc
}
