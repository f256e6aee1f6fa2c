// Package task is a stub of github.com/resilvet/resilvet/runtime/task with
// the API the analyzer knows.
package task

import "context"

type Group struct{}

func (g *Group) Go(name string, fn func(ctx context.Context) error) {}

func (g *Group) Shutdown(ctx context.Context) error { return nil }

func Go(ctx context.Context, name string, fn func(ctx context.Context) error) {}

func Shutdown(ctx context.Context) error { return nil }
