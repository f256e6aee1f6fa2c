package done

import (
	"context"
	"log"
	"time"
)

type job struct{}

func work(j job) {}

// spin logs and goes round: the select takes the Done case again and again.
func spin(ctx context.Context, jobs <-chan job) error {
	for {
		select {
		case <-ctx.Done(): // want `case <-ctx.Done\(\) does not leave the loop: once the context is cancelled the select takes it again and again; return ctx.Err\(\) or break out of the loop`
			log.Print("stopping")
		case j := <-jobs:
			work(j)
		}
	}
}

// empty: an empty arm falls out of the select, and the loop goes round.
func empty(ctx context.Context, jobs <-chan job) {
	for {
		select {
		case <-ctx.Done(): // want `case <-ctx.Done\(\) does not leave the loop`
		case j := <-jobs:
			work(j)
		}
	}
}

// cont continues the loop; the code after it runs on the loop's other exit,
// so the fix breaks out with a label.
func cont(ctx context.Context, jobs <-chan job) int {
	n := 0
	for {
		select {
		case <-ctx.Done(): // want `case <-ctx.Done\(\) does not leave the loop`
			continue
		case j, ok := <-jobs:
			if !ok {
				break
			}
			work(j)
			n++
			continue
		}
		break
	}
	return n
}

// stored receives from a Done channel kept in a variable.
func stored(ctx context.Context, tick <-chan time.Time) error {
	done := ctx.Done()
	for {
		select {
		case <-done: // want `case <-done does not leave the loop`
			log.Print("done")
		case <-tick:
		}
	}
}

// nested: a select in nested loops gets no fix: which loop to leave is for
// the author.
func nested(ctx context.Context, batches [][]job) error {
	for {
		for _, b := range batches {
			select {
			case <-ctx.Done(): // want `case <-ctx.Done\(\) does not leave the loop`
			default:
				_ = b
			}
		}
	}
}

// inIf: the select is not a statement of the loop's body, so SA4011 does
// not report its lone break; this rule does.
func inIf(ctx context.Context, jobs <-chan job, wait bool) {
	for {
		if wait {
			select {
			case <-ctx.Done(): // want `case <-ctx.Done\(\) does not leave the loop`
				break
			case j := <-jobs:
				work(j)
			}
		}
	}
}

// returns: silent.
func returns(ctx context.Context, jobs <-chan job) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case j := <-jobs:
			work(j)
		}
	}
}

// labelled breaks out of the loop: silent.
func labelled(ctx context.Context, jobs <-chan job) {
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case j := <-jobs:
			work(j)
		}
	}
}

// flag sets what the loop's condition reads: silent.
func flag(ctx context.Context, jobs <-chan job) {
	stopped := false
	for !stopped {
		select {
		case <-ctx.Done():
			stopped = true
		case j := <-jobs:
			work(j)
		}
	}
}

// disabled sets the channel to nil, so the select never takes the case
// again: silent.
func disabled(ctx context.Context, jobs <-chan job) {
	done := ctx.Done()
	for {
		select {
		case <-done:
			done = nil
		case j, ok := <-jobs:
			if !ok {
				return
			}
			work(j)
		}
	}
}

// lone: staticcheck's SA4011 reports this ineffective break; not twice.
func lone(ctx context.Context, jobs <-chan job) {
	for {
		select {
		case <-ctx.Done():
			break
		case j := <-jobs:
			work(j)
		}
	}
}

// detached: WithoutCancel's Done is nil, the case is never taken: silent.
func detached(ctx context.Context, jobs <-chan job) {
	dctx := context.WithoutCancel(ctx)
	for {
		select {
		case <-dctx.Done():
		case j := <-jobs:
			work(j)
		}
	}
}

// noLoop waits once, then goes on: silent.
func noLoop(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
	log.Print("waited")
}

// renewed takes a new context each time round: silent.
func renewed(next func() context.Context, jobs <-chan job) {
	for {
		ctx := next()
		select {
		case <-ctx.Done():
			log.Print("renewing")
		case j := <-jobs:
			work(j)
		}
	}
}

type conn struct{ closed chan struct{} }

func (c *conn) shut() { close(c.closed) }

// owner: the arm closes what another case waits on, and that case returns:
// silent.
func owner(ctx context.Context, c *conn, jobs <-chan job) {
	for {
		select {
		case <-ctx.Done():
			c.shut()
		case <-c.closed:
			return
		case j := <-jobs:
			work(j)
		}
	}
}

// drained: the loop goes round only while the other case has messages to
// deliver: silent.
func drained(ctx context.Context, msgs chan job) {
	for {
		select {
		case m := <-msgs:
			work(m)
			return
		case <-ctx.Done():
		}
		if len(msgs) == 0 {
			break
		}
	}
}

// retries: the arm falls through to a call given ctx, whose error the loop
// then handles (the swallowed rule's business): silent here.
func retries(ctx context.Context, call func(context.Context) error) error {
	err := call(ctx)
	for i := 0; err != nil && i < 3; i++ {
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
		err = call(ctx)
	}
	return err
}

// generic: a select over a channel of a type parameter's values.
func generic[T any](ctx context.Context, in <-chan T, handle func(T)) error {
	for {
		select {
		case <-ctx.Done(): // want `case <-ctx.Done\(\) does not leave the loop`
			log.Print("stopping")
		case v := <-in:
			handle(v)
		}
	}
}
