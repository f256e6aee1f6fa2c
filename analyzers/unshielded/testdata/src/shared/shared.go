//go:build go1.22

package shared

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"

	"golang.org/x/sync/singleflight"
)

type client struct {
	once   sync.Once
	flight singleflight.Group
	conn   string
	err    error
}

func dial(ctx context.Context) (string, error) { return "", ctx.Err() }

type traceKey struct{}

func SpanFromContext(ctx context.Context) string { return "" }

func (c *client) connect(ctx context.Context) error {
	c.once.Do(func() {
		c.conn, c.err = dial(ctx) // want `ctx of this caller reaches work that \(\*sync.Once\).Do shares with every caller, for ever: if ctx is cancelled, the work fails for all of them; detach it with context.WithoutCancel, keeping its deadline`
	})
	return c.err
}

func (c *client) token(ctx context.Context, key string) (string, error) {
	v, err, _ := c.flight.Do(key, func() (any, error) {
		slog.InfoContext(ctx, "fetching") // a logger reads values: not a use
		return dial(ctx)                  // want `ctx of this caller reaches work that \(\*singleflight.Group\).Do shares with every concurrent caller with the same key`
	})
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

func (c *client) tokenChan(ctx context.Context, key string) <-chan singleflight.Result {
	return c.flight.DoChan(key, func() (any, error) {
		sub, cancel := context.WithTimeout(ctx, 0) // want `ctx of this caller reaches work that \(\*singleflight.Group\).DoChan shares`
		defer cancel()
		return dial(sub)
	})
}

var config = sync.OnceValue(func() string { return "" }) // package level: no ctx to capture

type lazy struct {
	get  func() (string, error)
	init func()
	last string
}

func (l *lazy) setup(ctx context.Context) {
	l.get = sync.OnceValues(func() (string, error) {
		return dial(ctx) // want `ctx of this caller reaches work that sync.OnceValues shares with every caller, for ever`
	})
	l.init = sync.OnceFunc(func() {
		l.last, _ = dial(ctx) // want `sync.OnceFunc shares`
	})
}

func handler(w http.ResponseWriter, r *http.Request, c *client) {
	c.once.Do(func() {
		c.conn, c.err = dial(r.Context()) // want `r.Context\(\) of this caller reaches work that \(\*sync.Once\).Do shares`
	})
}

// allowed: values only, detached, or made inside: silent.
func (c *client) allowed(ctx context.Context) {
	bg := context.Background()
	c.once.Do(func() {
		_ = ctx.Value(traceKey{})                                 // reads a value
		_ = SpanFromContext(ctx)                                  // trace extraction
		_, _ = dial(context.WithoutCancel(ctx))                   // already detached
		_, _ = dial(bg)                                           // never cancelled
		inner, cancel := context.WithCancel(context.Background()) // made inside
		defer cancel()
		_, _ = dial(inner)
	})
}

// local: a Once made after ctx, inside the function, is shared only by
// callers that share ctx too: silent.
func local(ctx context.Context, n int) {
	var once sync.Once
	var wg sync.WaitGroup
	var res string
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once.Do(func() { res, _ = dial(ctx) })
		}()
	}
	wg.Wait()
	_ = res
}

// named: a method value passed instead of a literal captures no ctx here:
// silent.
func (c *client) named(ctx context.Context) {
	c.once.Do(c.reset)
}

func (c *client) reset() {}

// detached: a hand-made WithoutCancel that declares its own Done: silent.
type detachedCtx struct{ context.Context }

func (detachedCtx) Done() <-chan struct{} { return nil }

func (c *client) detached(ctx context.Context) {
	c.once.Do(func() { c.conn, _ = dial(detachedCtx{ctx}) })
}

var (
	cachedOnce sync.Once
	cached     string
)

func lookup(ctx context.Context) string {
	cachedOnce.Do(func() {
		cached, _ = dial(ctx) // want `ctx of this caller reaches work that \(\*sync.Once\).Do shares`
	})
	return cached
}

// shutdown runs once with the first caller's ctx, but keeps its outcome
// in the caller's own err: later callers share nothing with it, silent.
func (c *client) shutdown(ctx context.Context) error {
	err := errors.New("already shut down")
	c.once.Do(func() {
		_, err = dial(ctx)
	})
	return err
}

// onlyValues keeps a context's values and nothing else, as package net
// does for the lookups it shares through a singleflight.Group.
type onlyValues struct {
	context.Context
	values context.Context
}

func (o onlyValues) Value(key any) any { return o.values.Value(key) }

func withValuesOnly(ctx context.Context) context.Context {
	return &onlyValues{Context: context.Background(), values: ctx}
}

// helperDetached: the package's own helper returns a context that
// nothing can cancel, so the shared work cannot fail for a caller's
// cancellation: silent.
func (c *client) helperDetached(ctx context.Context, key string) {
	lookupCtx := withValuesOnly(ctx)
	c.flight.Do(key, func() (any, error) { return dial(lookupCtx) })
}

// perCall: the Once is a field of a value made after ctx, for this call
// only, so everyone who shares it shares ctx too: silent.
func perCall(ctx context.Context) string {
	c := &client{}
	c.once.Do(func() { c.conn, c.err = dial(ctx) })
	return c.conn
}
