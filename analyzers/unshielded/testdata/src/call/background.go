package call

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"
)

func fetch(ctx context.Context, key string) error { return nil }

func refreshAsync(ctx context.Context) {}

func startSpan(ctx context.Context, name string) (context.Context, func()) { return ctx, func() {} }

func keep(v any) error { return nil }

func background(ctx context.Context) error {
	err := fetch(context.Background(), "a")            // want `context.Background\(\) passed to fetch while ctx is in scope: the call is not cancelled when ctx is`
	if err := fetch(context.TODO(), "b"); err != nil { // want `context.TODO\(\) passed to fetch while ctx is in scope`
		return err
	}

	// The parent of a new root context, deliberately detached: silent.
	tctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	wctx, wcancel := context.WithCancel(context.Background())
	defer wcancel()
	vctx := context.WithValue(context.Background(), "k", "v")
	sctx, end := startSpan(context.Background(), "detached")
	defer end()
	_, _, _, _ = tctx, wctx, vctx, sctx

	// Fire and forget: no error, or a dropped one, sees no cancellation: silent.
	refreshAsync(context.Background())
	fetch(context.Background(), "c")
	_ = fetch(context.Background(), "d")
	slog.InfoContext(context.Background(), "hello")

	defer fetch(context.Background(), "e") // deferred cleanup: silent
	go fetch(context.Background(), "f")    // outlives the caller on purpose: silent
	go func() {
		err = fetch(context.Background(), "g") // inside go: silent
	}()

	return errors.Join(err, keep(context.Background())) // keep takes an any, not a context.Context: silent
}

// guard: a check that returns on cancellation comes before the work, so
// the work still runs while ctx is live: reported.
func guard(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fetch(context.Background(), "h") // want `context.Background\(\) passed to fetch`
}

// shutdown runs after cancellation was seen, and must outlive ctx: silent.
func shutdown(ctx context.Context, srv *http.Server) error {
	go srv.ListenAndServe()
	<-ctx.Done()
	return srv.Shutdown(context.Background())
}

func shutdownSelect(ctx context.Context, srv *http.Server, errs chan error) error {
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
		return srv.Shutdown(context.Background()) // inside case <-ctx.Done(): silent
	}
}

func shutdownErr(ctx context.Context) error {
	if ctx.Err() != nil {
		return fetch(context.Background(), "i") // inside an if that tests ctx.Err(): silent
	}
	for ctx.Err() == nil {
		_ = fetch(ctx, "j")
	}
	return fetch(context.Background(), "k") // after a loop that runs until cancellation: silent
}

// noCtxBackground has no ctx in scope: silent.
func noCtxBackground() error {
	return fetch(context.Background(), "l")
}

// freshCtx: the only ctx in scope is the function's own: silent.
func freshCtx() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = ctx
	return fetch(context.Background(), "m")
}

func handlerBackground(w http.ResponseWriter, r *http.Request) {
	if err := fetch(context.Background(), "n"); err != nil { // want `context.Background\(\) passed to fetch while r.Context\(\) is in scope`
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}
