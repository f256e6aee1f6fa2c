package tasks

import (
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server shows the same hazards in the forms they took in other services.
type Server struct {
	srv  *http.Server
	quit chan struct{}
	wg   sync.WaitGroup
}

// Serve starts the listener and forgets it: a failure to serve goes unseen.
func (s *Server) Serve(l net.Listener) {
	go s.srv.Serve(l)
}

// Janitor sweeps on a timer, for ever: a timer channel stops nothing.
func (s *Server) Janitor() {
	go s.sweep()
}

func (s *Server) sweep() {
	for {
		<-time.After(time.Minute)
		log.Print("sweep")
	}
}

// Probe reports its result on a channel that nobody reads. It dials once
// and ends: the strict profile reports it.
func Probe(addr string) {
	errc := make(chan error, 1)
	go func() {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		errc <- err
	}()
}

// Loop runs until Close closes quit, but Close does not wait for it.
func (s *Server) Loop() {
	go s.loop(s.quit)
}

func (s *Server) loop(quit <-chan struct{}) {
	for {
		select {
		case <-quit:
			return
		case <-time.After(time.Second):
		}
	}
}

// Close stops the loop.
func (s *Server) Close() { close(s.quit) }

// Workers are joined through the WaitGroup they are handed, but none
// recovers.
func (s *Server) Workers(jobs <-chan string) {
	for range 4 {
		s.wg.Add(1)
		go worker(jobs, &s.wg)
	}
	s.wg.Wait()
}

func worker(jobs <-chan string, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		log.Print(j)
	}
}

// Notify sends a webhook on a detached goroutine whose error nobody sees.
func Notify(ctx context.Context, url string) {
	go post(context.WithoutCancel(ctx), url)
}

func post(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return errors.New(resp.Status)
	}
	return resp.Body.Close()
}

// Run is the fixed form: every goroutine is waited for and recovers.
func (s *Server) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { // silent: its result is received below, and it recovers
		defer func() {
			if r := recover(); r != nil {
				errc <- errors.New("panic")
			}
		}()
		errc <- s.srv.ListenAndServe()
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return s.srv.Shutdown(context.WithoutCancel(ctx))
	}
}

// Handler runs a handler stored in a field on a goroutine nobody tracks.
type Handler struct {
	handle func()
}

// Fire starts the stored handler.
func (h *Handler) Fire() {
	go h.handle()
}
