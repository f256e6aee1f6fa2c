// Package shared holds the post-mortem's unshielded timeouts: waits that
// the caller's cancellation cannot interrupt, calls that cannot be
// cancelled, and shared initialisation that runs on the first caller's
// context, so that its timeout fails the work for every caller.
package shared

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"net/http"
	"os/exec"
	"sync"
	"time"
)

// Client dials its backend once, for all callers.
type Client struct {
	once sync.Once
	conn net.Conn
	err  error

	db   *sql.DB
	mu   sync.Mutex
	cond *sync.Cond
	jobs []string
}

// Conn dials on the first caller's ctx: if that caller's deadline passes
// mid-dial, every caller gets the error, for ever.
func (c *Client) Conn(ctx context.Context) (net.Conn, error) {
	c.once.Do(func() {
		var d net.Dialer
		c.conn, c.err = d.DialContext(ctx, "tcp", "backend:5432")
	})
	return c.conn, c.err
}

// Registry loads its entries once, on the constructor's ctx.
type Registry struct {
	load func() ([]string, error)
}

// NewRegistry captures ctx in the shared load.
func NewRegistry(ctx context.Context, url string) *Registry {
	return &Registry{load: sync.OnceValues(func() ([]string, error) {
		return fetch(ctx, url)
	})}
}

// NewRegistryShielded is NewRegistry fixed.
func NewRegistryShielded(ctx context.Context, url string) *Registry {
	return &Registry{load: sync.OnceValues(func() ([]string, error) {
		return fetch(context.WithoutCancel(ctx), url) // silent: detached on purpose
	})}
}

func fetch(ctx context.Context, url string) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return nil, nil
}

// Ping retries with a sleep that ignores ctx: a cancelled caller waits out
// every backoff.
func (c *Client) Ping(ctx context.Context) error {
	for i := range 5 {
		if err := c.db.PingContext(ctx); err == nil {
			return nil
		}
		time.Sleep(time.Duration(i) * 100 * time.Millisecond)
	}
	return errors.New("backend unreachable")
}

// Backoff waits on a timer channel that ctx cannot interrupt.
func Backoff(ctx context.Context, d time.Duration) error {
	<-time.After(d)
	return ctx.Err()
}

// Next waits for a job on a condition variable, which ctx cannot wake.
func (c *Client) Next(ctx context.Context) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.jobs) == 0 {
		c.cond.Wait()
	}
	j := c.jobs[0]
	c.jobs = c.jobs[1:]
	return j
}

// Pump forwards values until in closes, whatever happens to ctx.
func Pump(ctx context.Context, in <-chan int, out chan<- int) {
	for {
		select {
		case v, ok := <-in:
			if !ok {
				return
			}
			out <- v
		case <-time.After(time.Second):
		}
	}
}

// PumpShielded is Pump fixed.
func PumpShielded(ctx context.Context, in <-chan int, out chan<- int) {
	for {
		select { // silent: ctx.Done is a case
		case v, ok := <-in:
			if !ok {
				return
			}
			out <- v
		case <-ctx.Done():
			return
		}
	}
}

// WarmAll waits for goroutines that never see ctx.
func WarmAll(ctx context.Context, urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { _ = recover() }()
			http.Get(u)
		}()
	}
	wg.Wait()
}

// Count queries without the ctx it was given.
func (c *Client) Count(ctx context.Context) (n int, err error) {
	err = c.db.QueryRow("SELECT count(*) FROM jobs").Scan(&n)
	return n, err
}

// Thumbnail runs a converter that is not killed when the request is
// cancelled.
func Thumbnail(w http.ResponseWriter, r *http.Request) {
	out, err := exec.Command("convert", r.URL.Query().Get("src"), "png:-").Output()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Write(out)
}

// Refresh passes a fresh context where the caller's belongs.
func (c *Client) Refresh(ctx context.Context) error {
	_, err := c.db.ExecContext(context.Background(), "REFRESH MATERIALIZED VIEW jobs")
	return err
}

// RefreshWithTimeout detaches on purpose and bounds the work itself.
func (c *Client) RefreshWithTimeout(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // silent: deliberate detachment
	defer cancel()
	_, err := c.db.ExecContext(ctx, "REFRESH MATERIALIZED VIEW jobs")
	return err
}
