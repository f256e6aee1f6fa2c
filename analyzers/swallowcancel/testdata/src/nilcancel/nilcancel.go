package nilcancel

import (
	"context"
	"errors"
	"log"
	"net/http"
	"time"
)

var ErrNotFound = errors.New("not found")

type Store struct{ lastErr error }

func (s *Store) Get(ctx context.Context, k string) ([]byte, error) { return nil, nil }
func (s *Store) Put(ctx context.Context, k string, v []byte) error { return nil }
func (s *Store) onError(err error)                                 {}
func local(k string) ([]byte, error)                               { return nil, nil }

// load tells its caller "nothing there" for any failure, cancellation
// included.
func (s *Store) load(ctx context.Context, k string) ([]byte, error) {
	v, err := s.Get(ctx, k)
	if err != nil {
		log.Printf("get %s: %v", k, err)
		return nil, nil // want `nil error returned when s.Get fails, also when ctx is cancelled: the caller sees success for work that was not done; return the error when cancel.Of\(ctx, err\)`
	}
	return v, nil
}

// save returns nothing but an error.
func (s *Store) save(ctx context.Context, k string, v []byte) error {
	if err := s.Put(ctx, k, v); err != nil {
		return nil // want `nil error returned when s.Put fails`
	}
	return nil
}

// exists returns zero values.
func (s *Store) exists(ctx context.Context, k string) (bool, int, error) {
	_, err := s.Get(ctx, k)
	if err != nil {
		return false, 0, nil // want `nil error returned when s.Get fails`
	}
	return true, 1, nil
}

// serve: a request's context.
func (s *Store) serve(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.Get(r.Context(), r.URL.Path); err != nil {
		return nil // want `nil error returned when s.Get fails, also when r.Context\(\) is cancelled`
	}
	return nil
}

// notFound returns nil for one error it names: silent.
func (s *Store) notFound(ctx context.Context, k string) ([]byte, error) {
	v, err := s.Get(ctx, k)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	return v, nil
}

// fallback gets the value another way: silent.
func (s *Store) fallback(ctx context.Context, k string) ([]byte, error) {
	v, err := s.Get(ctx, k)
	if err != nil {
		if v, err := local(k); err == nil {
			return v, nil
		}
	}
	return v, err
}

// stale returns a value it has, not zero values: silent.
func (s *Store) stale(ctx context.Context, k string, cached []byte) ([]byte, error) {
	v, err := s.Get(ctx, k)
	if err != nil {
		return cached, nil
	}
	return v, nil
}

// kept hands the error to someone who acts on it: silent.
func (s *Store) kept(ctx context.Context, k string) error {
	if _, err := s.Get(ctx, k); err != nil {
		s.onError(err)
		return nil
	}
	if _, err := s.Get(ctx, k); err != nil {
		s.lastErr = err
		return nil
	}
	return nil
}

// checked returns nil only when the context is still live: silent.
func (s *Store) checked(ctx context.Context, k string) error {
	if _, err := s.Get(ctx, k); err != nil {
		if ctx.Err() != nil {
			return err
		}
		return nil
	}
	return nil
}

// own: the function's own deadline on a fresh context; its caller cancels
// nothing: silent.
func (s *Store) own(k string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := s.Get(ctx, k); err != nil {
		return nil
	}
	return nil
}

// noError cannot return an error: silent (nothing to report success with).
func (s *Store) noError(ctx context.Context, k string) []byte {
	v, err := s.Get(ctx, k)
	if err != nil {
		return nil
	}
	return v
}

type Cache[V any] interface {
	Lookup(ctx context.Context, k string) (V, error)
}

// generic: a method of a generic interface; V's core type is a slice, so
// its zero value is written nil (a var zero V is not recognised as one).
func generic[V ~[]byte](ctx context.Context, c Cache[V], k string) (V, error) {
	v, err := c.Lookup(ctx, k)
	if err != nil {
		return nil, nil // want `nil error returned when c.Lookup fails`
	}
	return v, nil
}

// methodValue calls through a method value.
func (s *Store) methodValue(ctx context.Context, k string) ([]byte, error) {
	get := s.Get
	v, err := get(ctx, k)
	if err != nil {
		return nil, nil // want `nil error returned when get fails`
	}
	return v, nil
}
