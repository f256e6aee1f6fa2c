// Package worker holds one hazard of each rule of swallowcancel, for the
// -fix round trip.
package worker

import (
	"context"
	"errors"
	"log"
	"time"
)

type Queue struct{}

func (q *Queue) Pop(ctx context.Context) (string, error)  { return "", ctx.Err() }
func (q *Queue) Ack(ctx context.Context, id string) error { return ctx.Err() }

// Run logs and goes round after every failure, cancellation included.
func Run(ctx context.Context, q *Queue) error {
	for {
		attempt, cancel := context.WithTimeout(ctx, time.Second)
		id, err := q.Pop(attempt)
		cancel()
		if err != nil {
			log.Printf("pop: %v", err)
			continue
		}
		if err := q.Ack(ctx, id); err != nil {
			return err
		}
	}
}

// Drain spins once ctx is done.
func Drain(ctx context.Context, ids <-chan string) error {
	for {
		select {
		case <-ctx.Done():
			log.Print("draining stopped")
		case id := <-ids:
			log.Print(id)
		}
	}
}

// Ack reports success for an ack that never happened.
func Ack(ctx context.Context, q *Queue, id string) error {
	if err := q.Ack(ctx, id); err != nil {
		log.Printf("ack %s: %v", id, err)
		return nil
	}
	return nil
}

// Canceled misses wrapped errors.
func Canceled(err error) bool {
	return err == context.Canceled || errors.Unwrap(err) == context.DeadlineExceeded
}
