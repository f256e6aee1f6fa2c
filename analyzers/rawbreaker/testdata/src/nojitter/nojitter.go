package nojitter

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"net"
	"time"

	cenkalti "github.com/cenkalti/backoff/v4"
	"github.com/jpillora/backoff"
	"github.com/resilvet/resilvet/runtime/retry"
	grpcbackoff "google.golang.org/grpc/backoff"
	"k8s.io/apimachinery/pkg/util/wait"
)

var errDown = errors.New("down")

func create() error { return errDown }

const (
	base     = 100 * time.Millisecond
	maxDelay = 10 * time.Second
)

// The post-mortem's VM-creation retry: 2 ** attempt, no jitter.
func createVM() error {
	for attempt := 0; attempt < 5; attempt++ {
		if err := create(); err == nil {
			return nil
		}
		time.Sleep(time.Duration(1<<attempt) * time.Second) // want `retry delay grows exponentially \(1<<attempt\) with no jitter: clients that failed together retry together, and stampede the dependency each time it comes back; wait retry.Jitter\(time.Duration\(1<<attempt\) \* time.Second\)`
	}
	return errDown
}

func doubling() error {
	d := base
	for {
		if err := create(); err == nil {
			return nil
		}
		time.Sleep(d) // want `retry delay grows exponentially \(d \*= 2\)`
		d *= 2
	}
}

func shifted(ctx context.Context) {
	d := base
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-time.After(d): // want `retry delay grows exponentially \(d <<= 1\)`
		}
		d <<= 1
	}
}

func capped() {
	for d := base; create() != nil; d = min(d*2, maxDelay) {
		time.Sleep(d) // want `retry delay grows exponentially \(d = min\(d\*2, maxDelay\)\)`
	}
}

func scaled() {
	d := base
	for create() != nil {
		time.Sleep(d) // want `\(d = time.Duration\(float64\(d\) \* 1.5\)\)`
		d = time.Duration(float64(d) * 1.5)
	}
}

func powered() {
	for i := 0; create() != nil; i++ {
		wait := base * time.Duration(math.Pow(2, float64(i)))
		time.Sleep(wait) // want `\(math.Pow\(2, float64\(i\)\)\)`
	}
}

func timer() {
	d := base
	t := time.NewTimer(d) // made once: not a retry
	for create() != nil {
		<-t.C
		d += d
		t.Reset(d) // want `\(d \+= d\)`
	}
}

// sleepFor is called by a retry loop elsewhere: its exponent is a
// parameter.
func sleepFor(attempt int) {
	time.Sleep(base << attempt) // want `\(base << attempt\)`
}

// Silent: constant intervals, linear growth, and jitter.

func polling() {
	for create() != nil {
		time.Sleep(time.Second) // a constant interval
	}
}

func linear() {
	d := base
	for create() != nil {
		time.Sleep(d) // grows linearly
		d += time.Second
	}
}

func jittered() {
	d := base
	for create() != nil {
		time.Sleep(d/2 + time.Duration(rand.Int63n(int64(d/2)))) // a random term
		d *= 2
	}
}

func jitteredVar() {
	d := base
	for create() != nil {
		sleep := d + time.Duration(rand.Int63n(int64(d)))
		time.Sleep(sleep) // a random term flows in
		d *= 2
	}
}

func fullJitter() {
	for attempt := 0; create() != nil; attempt++ {
		time.Sleep(retry.Jitter(base << attempt)) // the runtime's jitter
	}
}

func spread(d time.Duration) time.Duration { return time.Duration(rand.Float64() * float64(d)) }

func localJitter() {
	d := base
	for create() != nil {
		time.Sleep(spread(d)) // a function of this package that draws a random number
		d *= 2
	}
}

func funcValue(jitter func(time.Duration) time.Duration) {
	d := base
	for create() != nil {
		time.Sleep(jitter(d)) // a func value may add jitter
		d *= 2
	}
}

func unrelated() {
	n := 1
	for create() != nil {
		time.Sleep(base) // n grows, the delay does not
		n *= 2
	}
}

func once() {
	d := base
	d *= 2
	time.Sleep(d) // doubled once, not per retry
}

// An accept loop backs off a local resource (file descriptors): one loop
// per listener waits, and no client herds.
func serve(l net.Listener) {
	var tempDelay time.Duration
	for {
		c, err := l.Accept()
		if err != nil {
			if tempDelay == 0 {
				tempDelay = 5 * time.Millisecond
			} else {
				tempDelay *= 2
			}
			time.Sleep(tempDelay) // silent
			continue
		}
		tempDelay = 0
		c.Close()
	}
}

// Backoff libraries.

var (
	jp     = &backoff.Backoff{Min: base, Max: maxDelay}           // want `backoff.Backoff grows the delay exponentially with no jitter \(Jitter is not set\): clients that failed together retry together, and stampede the dependency each time it comes back; set Jitter: true`
	jpOff  = backoff.Backoff{Min: base, Factor: 3, Jitter: false} // want `\(Jitter is zero\)`
	jpOn   = backoff.Backoff{Min: base, Jitter: true}             // jittered
	jpFlat = backoff.Backoff{Min: base, Factor: 1}                // a constant interval
	ce     = &cenkalti.ExponentialBackOff{Multiplier: 2}          // want `backoff.ExponentialBackOff grows the delay exponentially with no jitter \(RandomizationFactor is not set\)`
	ceOn   = &cenkalti.ExponentialBackOff{Multiplier: 2, RandomizationFactor: cenkalti.DefaultRandomizationFactor}
	ceFlat = &cenkalti.ExponentialBackOff{InitialInterval: base}                 // no Multiplier: no growth
	kw     = wait.Backoff{Duration: base, Factor: 2, Steps: 5}                   // want `wait.Backoff grows the delay exponentially with no jitter \(Jitter is not set\)`
	kwOn   = wait.Backoff{Duration: base, Factor: 2, Jitter: 0.1}                // jittered
	gc     = grpcbackoff.Config{BaseDelay: base, Multiplier: 1.6}                // want `backoff.Config grows the delay exponentially with no jitter`
	gcOn   = grpcbackoff.DefaultConfig                                           // jittered
	ceOpt  = cenkalti.NewExponentialBackOff(cenkalti.WithRandomizationFactor(0)) // want `backoff.WithRandomizationFactor\(0\) switches jitter off`
)

func configure() *cenkalti.ExponentialBackOff {
	b := cenkalti.NewExponentialBackOff()
	b.RandomizationFactor = 0 // want `b.RandomizationFactor = 0 switches jitter off on a backoff that grows exponentially`
	return b
}
