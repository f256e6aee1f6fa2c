package old

import (
	"context"
	"sync"
)

var (
	once sync.Once
	err  error
)

func dial(ctx context.Context) error { return ctx.Err() }

// The module's go line is 1.20, where context.WithoutCancel does not
// exist: reported, no fix (the .golden file equals the source).
func connect(ctx context.Context) {
	once.Do(func() {
		err = dial(ctx) // want `ctx of this caller reaches work that \(\*sync.Once\).Do shares`
	})
}
