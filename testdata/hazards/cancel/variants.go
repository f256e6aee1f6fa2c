package cancel

import (
	"context"
	"log"
	"time"
)

// Stream is a server stream made with a context, as gRPC's are.
type Stream struct{}

func (s *Stream) Recv() (string, error) { return "", nil }

// Watch opens a stream on ctx.
func Watch(ctx context.Context) (*Stream, error) { return &Stream{}, ctx.Err() }

// Follow reads a stream made with ctx: once ctx ends, every Recv fails.
func Follow(ctx context.Context) error {
	stream, err := Watch(ctx)
	if err != nil {
		return err
	}
	for {
		ev, rerr := stream.Recv()
		if rerr != nil {
			log.Printf("recv: %v", rerr)
			continue
		}
		log.Print(ev)
	}
}

// Worker keeps the context of its own lifetime.
type Worker struct {
	ctx context.Context
	sub *Sub
}

// Loop uses the worker's context, cancelled by Stop.
func (w *Worker) Loop() {
	for {
		if _, err := w.sub.Next(w.ctx); err != nil {
			log.Print(err)
			time.Sleep(time.Second)
		}
	}
}

// Classify maps cancellation by identity.
func Classify(err error) string {
	switch err {
	case nil:
		return "ok"
	case context.DeadlineExceeded:
		return "timeout"
	}
	return "failed"
}

// Wait drops out of a select on cancellation, and keeps looping.
func Wait(ctx context.Context, ready <-chan struct{}, poll func() bool) {
	for !poll() {
		select {
		case <-ctx.Done():
		case <-ready:
		}
	}
}

// AckAll logs each failed ack and goes on with the next: after
// cancellation every remaining ack fails at once and the loop ends. Only
// the strict profile reports it.
func AckAll(ctx context.Context, s *Sub, ids []string) {
	for _, id := range ids {
		if err := s.Ack(ctx, id); err != nil {
			log.Printf("ack %s: %v", id, err)
		}
	}
}

// Retry waits on ctx between attempts: silent.
func Retry(ctx context.Context, s *Sub) (string, error) {
	for {
		msg, err := s.Next(ctx)
		if err == nil {
			return msg, nil
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// Detached works on a context that outlives its caller on purpose: silent.
func Detached(ctx context.Context, s *Sub) {
	bg := context.WithoutCancel(ctx)
	for {
		if _, err := s.Next(bg); err != nil {
			log.Print(err)
		}
	}
}
