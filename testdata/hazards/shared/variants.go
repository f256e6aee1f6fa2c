package shared

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// Resolver shows the same hazards in the forms they took in other services.
type Resolver struct {
	once  sync.Once
	addrs []string
	warm  func()
}

// Lookup resolves once, on the first caller's ctx, through a named func
// value built from a literal.
func (r *Resolver) Lookup(ctx context.Context, host string) []string {
	r.once.Do(func() {
		r.addrs, _ = net.DefaultResolver.LookupHost(ctx, host)
	})
	return r.addrs
}

// Warmer builds a OnceFunc on the caller's ctx, which fills the addresses
// every later caller reads.
func (r *Resolver) Warmer(ctx context.Context, host string) {
	r.warm = sync.OnceFunc(func() {
		r.addrs, _ = net.DefaultResolver.LookupHost(ctx, host)
	})
}

// Retry sleeps inside the function it retries: the literal runs
// synchronously, so ctx is still in scope.
func Retry(ctx context.Context, op func() error) error {
	return attempt(3, func() error {
		if err := op(); err != nil {
			time.Sleep(time.Second)
			return err
		}
		return nil
	})
}

func attempt(n int, f func() error) (err error) {
	for range n {
		if err = f(); err == nil {
			return nil
		}
	}
	return err
}

// Health fetches without the request's context.
func Health(w http.ResponseWriter, r *http.Request) {
	resp, err := http.Get("http://localhost:8080/ready")
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	resp.Body.Close()
}

// Dial connects without ctx.
func Dial(ctx context.Context, addr string) (net.Conn, error) {
	return net.DialTimeout("tcp", addr, 5*time.Second)
}

// Shutdown drains after cancellation: context.Background() is deliberate
// here and must not be reported.
func Shutdown(ctx context.Context, srv *http.Server) error {
	<-ctx.Done()
	return srv.Shutdown(context.Background()) // silent: after <-ctx.Done()
}

// Transfer begins and writes without ctx.
func (c *Client) Transfer(ctx context.Context, from, to string) error {
	tx, err := c.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec("UPDATE accounts SET owner = $1 WHERE owner = $2", to, from); err != nil {
		return err
	}
	return tx.Commit()
}

// Relay forwards ticks and messages; ctx stops neither.
func Relay(ctx context.Context, in <-chan string, out chan<- string) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case m := <-in:
			out <- m
		case <-t.C:
			out <- "tick"
		}
	}
}
