package call

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

func fetch(ctx context.Context, key string) error { return nil }

func logf(ctx context.Context, format string, args ...any) {}

func keep(v any) {}

func background(ctx context.Context) {
	fetch(context.Background(), "a") // want `context.Background\(\) passed to fetch while ctx is in scope: the call is not cancelled when ctx is`
	fetch(context.TODO(), "b")       // want `context.TODO\(\) passed to fetch while ctx is in scope`

	// Deliberate detachment: the parent of a context with its own
	// deadline, or of a lifetime of its own: silent.
	tctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	wctx, wcancel := context.WithCancel(context.Background())
	defer wcancel()
	_, _ = tctx, wctx

	defer fetch(context.Background(), "c") // deferred cleanup: silent
	go fetch(context.Background(), "d")    // outlives the caller on purpose: silent
	go func() {
		fetch(context.Background(), "e") // inside go: silent
	}()

	logf(context.Background(), "x=%d", 1)           // a logger reads values, never waits: silent
	slog.InfoContext(context.Background(), "hello") // likewise: silent
	keep(context.Background())                      // not passed as a context.Context: silent
}

// guard: a check that returns on cancellation comes before the work, so
// the work still runs while ctx is live: reported.
func guard(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fetch(context.Background(), "f") // want `context.Background\(\) passed to fetch`
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

func shutdownErr(ctx context.Context) {
	if ctx.Err() != nil {
		fetch(context.Background(), "g") // inside an if that tests ctx.Err(): silent
	}
	for ctx.Err() == nil {
		_ = fetch(ctx, "h")
	}
	fetch(context.Background(), "i") // after a loop that runs until cancellation: silent
}

// noCtxBackground has no ctx in scope: silent.
func noCtxBackground() {
	fetch(context.Background(), "j")
}

// freshCtx: the only ctx in scope is the function's own: silent.
func freshCtx() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	fetch(context.Background(), "k")
	_ = ctx
}

func handlerBackground(w http.ResponseWriter, r *http.Request) {
	fetch(context.Background(), "l") // want `context.Background\(\) passed to fetch while r.Context\(\) is in scope`
}
