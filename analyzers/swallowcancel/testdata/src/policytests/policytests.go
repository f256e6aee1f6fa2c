package policytests

import "context"

func fetch(ctx context.Context) error { return nil }
