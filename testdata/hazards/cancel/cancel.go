// Package cancel holds the post-mortem's third family: handlers that caught
// every error, cancellation included, and carried on — work that should
// stop keeps running, shutdown hangs, a cancelled request is reported as a
// success.
package cancel

import (
	"context"
	"errors"
	"log"
	"time"
)

// Sub is a subscription to a message bus.
type Sub struct{}

func (s *Sub) Next(ctx context.Context) (string, error) { return "", ctx.Err() }
func (s *Sub) Ack(ctx context.Context, id string) error { return ctx.Err() }

// Consume is the catch-all consumer loop: after shutdown cancels ctx, Next
// fails at once and the loop logs for ever.
func Consume(ctx context.Context, s *Sub) error {
	for {
		msg, err := s.Next(ctx)
		if err != nil {
			log.Printf("next: %v", err)
			continue
		}
		log.Print(msg)
	}
}

// Resync runs on a ticker and logs its failures.
func Resync(ctx context.Context, sync func(context.Context) error) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		<-t.C
		if err := sync(ctx); err != nil {
			log.Printf("resync: %v", err)
		}
	}
}

// Drain logs the end of ctx and goes round: the select takes the Done case
// again and again.
func Drain(ctx context.Context, jobs <-chan string) error {
	for {
		select {
		case <-ctx.Done():
			log.Print("drain: context done")
		case j := <-jobs:
			log.Print(j)
		}
	}
}

// Load answers "nothing there" for any failure, cancellation included.
func Load(ctx context.Context, s *Sub) ([]byte, error) {
	if _, err := s.Next(ctx); err != nil {
		log.Printf("load: %v", err)
		return nil, nil
	}
	return []byte("x"), nil
}

// Stopped misses a wrapped cancellation.
func Stopped(err error) bool {
	return err == context.Canceled
}

// ConsumeFixed is Consume with the guard: silent.
func ConsumeFixed(ctx context.Context, s *Sub) error {
	for {
		msg, err := s.Next(ctx)
		if err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			log.Printf("next: %v", err)
			continue
		}
		log.Print(msg)
	}
}

// DrainFixed leaves on cancellation: silent.
func DrainFixed(ctx context.Context, jobs <-chan string) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case j := <-jobs:
			log.Print(j)
		}
	}
}

// StoppedFixed: silent.
func StoppedFixed(err error) bool {
	return errors.Is(err, context.Canceled)
}
