//go:build go1.21

package nojitterfix

import (
	"errors"
	"time"
)

func create() error { return errors.New("down") }

func createVM() {
	for attempt := 0; create() != nil; attempt++ {
		time.Sleep(time.Duration(1<<attempt) * time.Second) // want `retry delay grows exponentially`
	}
}

func doubling() {
	d := time.Second
	t := time.NewTimer(d)
	for create() != nil {
		<-t.C
		d *= 2
		t.Reset(d) // want `retry delay grows exponentially`
	}
}
